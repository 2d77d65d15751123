"""What a read of drafts from untuned notes found broken, fed as the same kind of note.

Each note is logged through the real engine (note reader, journal, typed
memory, reminders, templates, a TinyDB store on disk) by the drafts audit,
which renders every draft, opener and thank-you the coach could offer, at
every moment it would; none may be flagged, none may carry the broken words,
and the right wording must be among them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import load_bench, text_of

from bot.engine.coach import Coach

AUDIT = load_bench("drafts_audit")
NOW = "2026-12-01T18:00:00Z"

CASES = [
    # (note, words that must never appear, words one line must have)
    (
        "Coffee with Aisha Khan. She helped me prep for my board presentation.",
        ["thinking about helping me", "about helping me"],
        ["it started when you helped me prep for my board presentation", "your help preparing"],
    ),
    (
        "Call with Dr. Patel. She helped me a ton with my visa application.",
        ["a ton", "Hi Dr.,", "Dr.!"],
        ["thank you for helping me with my visa application", "Hi Dr. Patel,"],
    ),
    (
        "Lunch with Tom Becker. Promised to put him in touch with Maria.",
        ["put in touch", "Before I forget: I haven't forgotten"],
        ["I'd like to put you in touch with Maria", "an intro to Maria"],
    ),
    (
        "Coffee with Łukasz Nowak. He's planning to move to Berlin.",
        ["know far more than I do about your plan", "know far more than I do about moving"],
        ["your plan to move to Berlin"],
    ),
    (
        "Coffee with Ms. Alvarez. She loves woodworking.",
        ["Hi Ms.,", "Ms.!", "Ms..", "woodworking. Where has that landed"],
        ["Happy birthday, Ms. Alvarez!", "you know far more than I do about woodworking"],
    ),
    (
        "Breakfast with Mr. Haddad. I promised to set him up with Wei, who climbed Kilimanjaro.",
        ["set up with Wei", "set you up", "Mr.,"],
        ["introduce you to Wei", "Thanks for breakfast, Mr. Haddad."],
    ),
    (
        "Met Prof. Ramírez at the UX Week mixer. He's learning Portuguese for a move to Lisbon.",
        ["at UX Week mixer", "know far more than I do about learning"],
        ["the UX Week mixer"],
    ),
    (
        "Drinks with Grace Kim. She's getting into pottery. I promised to send her my notes on "
        "glazing.",
        ["here's my notes", "know far more than I do about pottery", "It's on its way"],
        ["I'm sending my notes on glazing", "Have you had much time for pottery lately?"],
    ),
]


def audited(tmp_path: Path, note: str) -> list[str]:
    notes = {
        "contacts": [{"id": "tom", "name": "Tom Becker", "company": "Globex"}],
        "notes": [{"id": "q1", "now": NOW, "timezone": "Europe/London", "text": note}],
    }
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(notes), encoding="utf-8")
    result = AUDIT.audit([path])
    flagged = [f"[{', '.join(sorted(line.flags))}] {line.text}" for line in result.flagged]
    assert not flagged, "\n".join(flagged)
    return [line.text for line in result.lines]


@pytest.mark.parametrize(("note", "never", "wanted"), CASES, ids=[c[0][:30] for c in CASES])
def test_the_read_note_gives_drafts_that_read_well(
    tmp_path: Path, note: str, never: list[str], wanted: list[str]
) -> None:
    lines = audited(tmp_path, note)
    assert len(lines) > 10
    for line in lines:
        for bad in never:
            assert bad not in line, line
    for good in wanted:
        assert any(good in line for line in lines), (good, lines)


def test_every_greeting_names_a_titled_person_by_title_and_surname(coach: Coach) -> None:
    # The coach's own replies greet through the same helper as the drafts.
    coach.handle_text("u1", "/log Coffee with Prof. Halvorsen. She loves sea kayaking.")
    for command in ("/suggest Halvorsen", "/openers Halvorsen"):
        said = text_of(coach.handle_text("u1", command))
        assert "Prof. Halvorsen" in said, said
        for bare in ("Prof.,", "Prof.!", "Prof.."):
            assert bare not in said, said
