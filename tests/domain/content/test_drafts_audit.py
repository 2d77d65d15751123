"""The coach's own words: every line it could write from the corpus and the fresh notes reads well.

Built on bench/drafts_audit.py, so the test and the bench flag the same way.
"""

from __future__ import annotations

from support import load_bench

AUDIT = load_bench("drafts_audit")


def _show(result: object) -> str:
    flagged = result.flagged  # type: ignore[attr-defined]
    return "\n".join(f"[{', '.join(sorted(x.flags))}] {x.note_id}: {x.text}" for x in flagged[:20])


def test_no_line_from_the_corpus_is_flagged() -> None:
    result = AUDIT.audit([AUDIT.CORPUS])
    assert len(result.lines) > 3000
    assert not result.flagged, _show(result)


def test_fresh_notes_stay_under_two_percent() -> None:
    result = AUDIT.audit([AUDIT.WORDS_DEV])
    assert len(result.lines) > 300
    assert result.rate <= 0.02, _show(result)


def test_the_audit_catches_what_the_issue_quoted() -> None:
    moment = AUDIT.Moment(
        now=AUDIT.datetime(2026, 11, 27, tzinfo=AUDIT.UTC),
        today=AUDIT.date(2026, 11, 27),
        note="Dinner with Li Na. Her birthday is March 20.",
        situation="follow-up",
        first_name="Li Na",
        last_met=AUDIT.datetime(2026, 11, 26, tzinfo=AUDIT.UTC),
    )
    quoted = [
        "Next time I want to hear more about loves bouldering.",
        "Hi Anna, a promise is a promise: here's introduce to José Ramírez.",
        "Thanks for lunch, Li Na. Good luck with birthday is; I'll be rooting for you.",
        "How are you feeling about birthday is?",
        "Thanks for our chat, Li Na. Let's not leave it so long next time.",
        "Hi Tom, here's feedback on her talk. [Add one detail only they would recognise.]",
    ]
    for line in quoted:
        assert AUDIT.problems(line, moment), line
    fine = (
        "Thanks for dinner, Li Na. I loved hearing about your trip to Chengdu. Let's do it again."
    )
    assert not AUDIT.problems(fine, moment)
