"""A name typed in lowercase inside an item keeps its capitals: drafts quote the item."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)


def test_a_mentioned_contact_in_a_promise_is_written_as_their_name() -> None:
    """Found as a user: "I still owe you an intro to priya"."""
    reading = read_note(
        "coffee w/ omar, he is looking for a new role. i said i would intro him to priya",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=[Contact(id="c1", name="Priya Shah")],
    )
    assert [p.name for p in reading.mentioned] == ["Priya Shah"]
    assert [p.text for p in reading.promises] == ["intro to Priya"]


def test_a_name_that_is_also_a_word_is_left_as_typed() -> None:
    reading = read_note(
        "lunch w Grace. i will send her the deck, will also ask about grace periods",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=[],
    )
    assert not any("Grace periods" in item.text for item in [*reading.promises, *reading.details])
    assert not any("Will" in item.text for item in reading.promises)


def test_what_a_cut_date_leaves_and_a_lowercase_i_are_tidied() -> None:
    """Found as a user: /due said "wish them luck: applying , super stressed"."""
    reading = read_note(
        "call w/ aisha okafor re: the grant. she's applying by jan 15, super stressed. "
        "she mentored me when i started",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=[],
    )
    texts = [item.text for item in [*reading.events, *reading.gratitude, *reading.details]]
    assert texts
    assert not any(" ," in text or " i " in f" {text} " for text in texts), texts
