"""The generic record codec keeps every field type intact."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.model import Contact, Fact, FactKind, Tier, UserProfile
from bot.domain.notes.reading import DatedItem, NoteReading, PersonMention
from bot.storage.records import from_record, to_record


def test_nested_dataclasses_round_trip() -> None:
    when = datetime(2026, 11, 27, 10, tzinfo=UTC)
    c = Contact(
        id="c-1",
        name="Maria Lopez",
        tier=Tier.CLOSE,
        birthday=date(1990, 5, 3),
        facts=[Fact(FactKind.EVENT, "interview at Stripe", when, "i-1", date(2026, 12, 1))],
        created_at=when,
        last_interaction_at=when,
    )
    assert from_record(Contact, to_record(c)) == c
    p = UserProfile(
        "u", timezone="Europe/Berlin", quiet_start=time(22), follow_up_after=timedelta(hours=36)
    )
    assert from_record(UserProfile, to_record(p)) == p


def test_unknown_keys_are_ignored_and_missing_ones_default() -> None:
    record = {"id": "c-1", "name": "Tom", "from_the_future": 1}
    assert from_record(Contact, record).tier is Tier.NETWORK


@given(st.text(), st.text(), st.dates())
def test_readings_survive_any_text(text: str, name: str, on: date) -> None:
    reading = NoteReading(
        text=text,
        people=[PersonMention(name=name)],
        events=[DatedItem(text=text, person=name, on=on)],
    )
    assert from_record(NoteReading, to_record(reading)) == reading
