"""Days typed in lowercase on a phone, and other small readings of batch ten and eleven."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # Thursday, 18:00 in Berlin
MONDAY = date(2026, 12, 7)


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def test_a_lowercase_short_day_ending_the_clause_is_a_day() -> None:
    promise = _read("met jp at aws community day. follow up w him mon").promises
    evening = _read("coffee w linh. i'll do a mock interview w her mon evening").promises
    offer = _read("breakfast w tom. he will send the agreement draft mon. his kid has flu").offers

    assert [(p.text, p.on) for p in promise] == [("follow up w him", MONDAY)]
    assert [(p.text, p.on) for p in evening] == [("do a mock interview w her", MONDAY)]
    # The full stop the day took with it still ends the clause.
    assert [(o.text, o.on) for o in offer] == [("send the agreement draft", MONDAY)]


def test_short_day_forms_that_are_ordinary_words_stay_words() -> None:
    reading = _read("lunch w tom, we sat. he loves the sun. c'mon")

    assert reading.promises == reading.offers == reading.next_steps == reading.events == []
    assert reading.occurred_at is not None and reading.occurred_at.date() == NOW.date()
