"""Readings added on the fifteenth batch: a double given name as typed, kin words before a
name, whom a birthday call went to."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.matching import forms_of
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # Monday, 13:00 in Berlin


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _names(reading: NoteReading) -> list[str]:
    return [p.name for p in reading.people]


def test_a_double_given_name_is_typed_without_the_surnames() -> None:
    juan = Contact(id="jp", name="Juan Pablo Moreno Díaz", aliases=["juanpa"])
    reading = _read("juan pablo's bday was sat, missed it completely", [juan])

    assert [(p.name, p.contact_id) for p in reading.people] == [("Juan Pablo Moreno Díaz", "jp")]
    assert [b.on for b in reading.birthdays] == [date(2026, 12, 5)]


def test_a_family_name_said_first_is_no_double_given_name() -> None:
    assert forms_of("Trần Minh Khoa", ()).aliases == frozenset()
    assert forms_of("Anna Maria Rossi", ()).aliases == frozenset({"anna maria"})


def test_a_kin_word_before_a_given_name_is_no_part_of_it() -> None:
    aunt = _read("rang my godfather onkel dieter, he turns 70 on friday!! 🎂")
    don = _read("lunch at their place, her dad don rodrigo made empanadas 🥟")

    assert _names(aunt) == ["Dieter"]
    assert [(b.person, b.on) for b in aunt.birthdays] == [("Dieter", date(2026, 12, 11))]
    assert "Rodrigo" in [p.name for p in [*don.people, *don.mentioned]]


def test_a_birthday_call_to_someone_is_their_birthday() -> None:
    mira = Contact(id="mira", name="Mira Solberg", aliases=["mira"])
    reading = _read("bday call to mira 🎂 29 today! her sister threw her a party", [mira])

    assert _names(reading) == ["Mira Solberg"]
    assert [(b.person, b.on) for b in reading.birthdays] == [("Mira Solberg", date(2026, 12, 7))]


def test_names_after_a_group_or_several_of_a_relation_are_people() -> None:
    crew = _read("beers w the old uni crew, svenja, lukas + timo 🍺")
    cousins = _read("brunch w the new flatmates greta + malte 🥞")

    assert _names(crew) == ["Svenja", "Lukas", "Timo"]
    assert _names(cousins) == ["Greta", "Malte"]


def test_a_verb_after_a_plus_goes_on_about_the_same_one() -> None:
    reading = _read(
        "coffee w ines 🙂 ines is running the berlin half in april 🏃 + turns 30 on feb 2"
    )

    assert [(b.person, b.on) for b in reading.birthdays] == [("Ines", date(2027, 2, 2))]


def test_a_verb_after_a_lowercase_name_is_no_surname() -> None:
    uncle = _read("pints w leon + his uncle bertram, bertram retires from the railway on fri")
    brother = _read("dinner at ana's, her brother matteo climbs in arco most weekends")

    assert "Bertram Retires" not in _names(uncle)
    assert "Matteo Climbs" not in [p.name for p in [*brother.people, *brother.mentioned]]
