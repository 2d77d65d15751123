"""The generic record codec keeps every field type intact."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.memory.phrase import Phrase, Told
from bot.domain.model import Contact, Fact, FactKind, Tier, UserProfile
from bot.domain.notes.reading import DatedItem, NoteReading, PersonMention
from bot.storage.records import RecordError, from_record, shared_record, to_record


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


@pytest.mark.parametrize(
    ("record", "where"),
    [
        ({"id": "c-1", "name": 42}, "name"),
        ({"id": "c-1", "name": "Tom", "created_at": "2026-11-27T10:00:00"}, "created_at"),
        ({"id": "c-1", "name": "Tom", "tier": "bff"}, "tier"),
        ({"name": "Tom"}, "id"),
        ({"id": "c-1", "name": "Tom", "aliases": "Tommy"}, "aliases"),
        ({"id": "c-1", "name": "Tom", "cadence_days": True}, "cadence_days"),
        ({"id": "c-1", "name": "Tom", "birthday": "2026-05-03T00:00:00"}, "birthday"),
        (
            {"id": "c-1", "name": "Tom", "facts": [{"kind": "interest", "text": ["x"],
                                                      "learned_at": "2026-11-27T10:00:00+00:00"}]},
            "facts.0.text",
        ),
    ],
)  # fmt: skip
def test_records_that_do_not_fit_are_refused_naming_the_field(
    record: dict[str, object], where: str
) -> None:
    with pytest.raises(RecordError) as info:
        from_record(Contact, record)
    assert info.value.path == where


def test_the_stores_own_files_are_repaired_not_refused() -> None:
    old = {"id": "c-1", "name": 42, "created_at": "2026-11-27T10:00:00"}
    contact = from_record(Contact, old, strict=False)
    assert contact.name == "42"
    assert contact.created_at == datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_aware_times_in_other_zones_are_kept_as_utc() -> None:
    contact = from_record(
        Contact, {"id": "c-1", "name": "Tom", "created_at": "2026-11-27T11:00:00+01:00"}
    )
    assert contact.created_at == datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert contact.created_at.tzinfo is UTC


def test_shared_records_read_as_fresh_ones_and_follow_every_change() -> None:
    when = datetime(2026, 11, 27, 10, tzinfo=UTC)
    phrase = Phrase(noun="the Berlin marathon", told=Told.AHEAD, version=2)
    facts = [
        Fact(FactKind.EVENT, f"runs race {n}", when, "i-1", date(2026, 5, n + 1), phrase)
        for n in range(3)
    ]
    contact = Contact(id="c-1", name="Maria", facts=facts, created_at=when)
    assert shared_record(contact) == to_record(contact)
    again = shared_record(replace(contact, facts=[replace(f) for f in facts]))
    assert again["facts"][0] is shared_record(contact)["facts"][0]  # the same values: reused
    facts[1].text = "runs the Lisbon half"  # in place, on the very object encoded before
    facts[2].on = None
    assert shared_record(contact) == to_record(contact)
    assert shared_record(contact)["facts"][1]["text"] == "runs the Lisbon half"


def test_a_value_that_can_change_in_place_is_never_reused() -> None:
    when = datetime(2026, 11, 27, 10, tzinfo=UTC)
    words = ["a"]
    odd = Fact(FactKind.EVENT, words, when)  # type: ignore[arg-type]  # a list, against the hint
    first = shared_record(odd)
    words.append("b")
    assert shared_record(odd) == to_record(odd) == {**first, "text": ["a", "b"]}
