"""The coach's own words: every line it could write from the corpus and the fresh notes reads well.

Built on bench/drafts_audit.py, so the test and the bench flag the same way.
"""

from __future__ import annotations

import pytest
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


def test_the_second_fresh_batch_stays_under_two_percent() -> None:
    result = AUDIT.audit([AUDIT.WORDS_DEV2])
    assert len(result.lines) > 500
    assert result.rate <= 0.02, _show(result)


def _moment(line: str, **known: str) -> object:
    """A moment where only the voice checks can speak: the meeting is what the line says."""
    return AUDIT.Moment(
        now=AUDIT.datetime(2026, 12, 1, tzinfo=AUDIT.UTC),
        today=AUDIT.date(2026, 12, 1),
        note=line,
        situation="birthday" if line.startswith("Happy birthday") else "check-in",
        first_name="",
        last_met=None,
        kinds=known,
    )


# What a read of drafts from notes nobody tuned on found, each exactly as it was shown.
READ_BROKEN = [
    (
        "Hi Aisha, good news, and you're part of it: I've been thinking about helping me prep "
        "for my board presentation, and it made my month.",
        "whose-action",
    ),
    ("Hi Dr. Patel, thank you for helping me a ton with my visa application.", "intensifier"),
    (
        "Before I forget: I haven't forgotten that I said I'd put in touch with Maria.",
        "lost-object",
    ),
    (
        "Before I forget: I haven't forgotten that I said I'd put in touch with Maria.",
        "redundant",
    ),
    (
        "Hi Łukasz, you know far more than I do about your plan to move to Berlin, and I'm stuck "
        "on something close to it.",
        "expertise",
    ),
    ("Happy birthday, Prof.!", "title-only-name"),
    ("Hi Ms., I saw something about sailing today and thought of you.", "title-only-name"),
    ("Happy birthday, Mr.!", "title-only-name"),
    (
        "Hi Tom, it's been a few months. Last time you told me about woodworking. Where has "
        "that landed?",
        "progress-on-hobby",
    ),
    # More of the same kinds, from the second fresh batch as it first rendered.
    ("Thanks for lunch, Ms.. I still owe you an intro to Olivia.", "punctuation"),
    ("Hi Mr. Haddad, I said I'd set up with Wei, and I haven't forgotten.", "lost-object"),
    ("Hi Grace, I said I'd send you the hook up with Priya.", "lost-object"),
    ("Hi Łukasz, here's my German tutor's details, as promised.", "agreement"),
    ("Before I forget: I still owe you two names. It's on its way.", "agreement"),
    ("Thanks for our chat at UX Week mixer, Mr. Rivera.", "article"),
    (
        "Hi Zoë, you know far more than I do about learning Japanese for a move to Osaka.",
        "expertise",
    ),
    ("Dear Mr. I am writing to follow up on our previous conversation.", "title-only-name"),
]


@pytest.mark.parametrize(("line", "flag"), READ_BROKEN)
def test_the_audit_catches_what_a_read_found(line: str, flag: str) -> None:
    assert flag in AUDIT.problems(line, _moment(line)), line


def test_the_audit_knows_a_detail_by_its_kind() -> None:
    hobby = (
        "Hi Ana, it's been a few months. Last time you told me about ceramics in Porto. "
        "Where has that landed?"
    )
    assert not AUDIT.problems(hobby, _moment(hobby))  # the words alone could be a project
    known = {"ceramics in porto": "interest"}
    assert "progress-on-hobby" in AUDIT.problems(hobby, _moment(hobby, **known))
    expert = "Hi Mei, you know far more than I do about the data team at Zalando, and I'm stuck."
    for kind in ("work", "goal", "event"):
        known = {"the data team at zalando": kind}
        assert "expertise" in AUDIT.problems(expert, _moment(expert, **known))
    assert not AUDIT.problems(expert, _moment(expert, **{"the data team at zalando": "interest"}))


READ_FINE = [
    # A participle before a noun is an adjective, not a verb after "the".
    "Thanks again for offering to send the updated sheet. Is that still on?",
    "Thank you for lunch, Kenji, and especially for helping me debug our Kubernetes setup.",
    "Thank you for dinner, Dr. Farid Haddad, and especially for giving me useful advice on my "
    "dad's surgery options.",
    "Hi Mr. Okonkwo, some good news, and you're part of it: it started when you helped me prep "
    "for my board presentation. It made my month. Thank you!",
    "Hi Anh, I still think about your great advice on negotiating my contract.",
    "Thanks so much for giving me great advice on negotiating my contract, Anh.",
    "Before I forget: I said I'd put you in touch with Maria, and I'm on it.",
    "Hi Mr. Okonkwo, you know far more than I do about woodworking, and I'm stuck on something "
    "close to it.",
    "Hi Prof. Tanaka, it's been a few months. Last time we spoke you told me about your plan to "
    "start a pottery studio. Where has that landed?",
    "Hi Tom, it's been a few months since you told me about retiring. How did it work out?",
    "Hi José, as promised, I'm sending our latest numbers. I'd love to hear what you think.",
    "Hi Ms. van Dijk, how are things at Adyen?",
    "Happy birthday, Prof. Halvorsen! I hope there's time for sea kayaking in the plan.",
    "Hi Sam, here's the recording of the Ysaÿe concert, as promised.",
    "Thanks for our chat at the UX Week mixer, Mr. Rivera.",
    "Thanks for our chat at NeurIPS, Prof. Ramírez.",
]


@pytest.mark.parametrize("line", READ_FINE)
def test_the_audit_leaves_good_lines_alone(line: str) -> None:
    assert not AUDIT.problems(line, _moment(line)), line
