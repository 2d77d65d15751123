"""Readings added on the thirteenth batch: names with particles, jobs said beside a name,
life news told after it happened, and who was met at all."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # Monday, 13:00 in Berlin
SUNDAY = date(2026, 12, 6)


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _people(reading: NoteReading) -> list[str]:
    return [p.name for p in reading.people]


NIAMH = Contact(id="niamh", name="Niamh Gallagher", aliases=["nee"])


def test_an_elided_particle_is_part_of_the_surname() -> None:
    irish = _read("coffee w liam o'sullivan, he's moving to cork")
    phoned = _read("phoned aoife d'arcy about the lease")

    assert _people(irish) == ["Liam O'Sullivan"]
    assert _people(phoned) == ["Aoife D'Arcy"]
    # "didn't" and "she'd" stay words.
    assert _people(_read("lunch w tom, didn't get to the deck")) == ["Tom"]


def test_a_lowercase_name_with_a_particle_inside_needs_no_cue() -> None:
    reading = _read("best demo of the night: omar bin rashid, payroll for gig workers")

    assert _people(reading) == ["Omar bin Rashid"]  # and no one called "Payroll"


def test_a_contact_who_turns_an_age_is_named_and_has_a_birthday() -> None:
    reading = _read("nee turns 40 on the 19th, sent her a card", [NIAMH])

    assert _people(reading) == ["Niamh Gallagher"]
    assert [(b.person, b.on) for b in reading.birthdays] == [
        ("Niamh Gallagher", date(2026, 12, 19))
    ]


def test_a_wish_sent_late_takes_the_day_it_names() -> None:
    reading = _read("wished nee a happy bday on signal (it was yesterday, oops)", [NIAMH])

    assert [(b.person, b.on) for b in reading.birthdays] == [("Niamh Gallagher", SUNDAY)]


def test_from_someones_team_names_no_company() -> None:
    reading = _read("ran into ruben from marta's team at the climbing gym")

    assert [(p.name, p.company) for p in [*reading.people, *reading.mentioned]][:1] == [
        ("Ruben", "")
    ]


def test_said_i_would_do_it_takes_on_what_was_asked() -> None:
    reading = _read("lunch w nadia. she asked for an intro to omar at wise, said i'd do it this wk")

    assert [(p.text, p.person, p.date_text) for p in reading.promises] == [
        ("an intro to Omar at wise", "Nadia", "this wk")
    ]


def test_a_quarter_before_and_is_a_date() -> None:
    reading = _read("call w priya. she's raising a seed in q2 and asked about our pricing")

    assert [(e.text, e.on, e.date_text) for e in reading.events] == [
        ("raising a seed", None, "in q2")
    ]


def test_a_name_they_go_by_in_brackets_is_the_same_person() -> None:
    initials = _read("call w jean-marc le roux (jm). i owe jm the pricing sheet by fri")
    told = _read("drinks w lin mei-hua (goes by lulu), pm at grab. lulu offered to send the deck")

    assert _people(initials) == ["Jean-Marc le Roux"]
    assert [(p.text, p.person) for p in initials.promises] == [
        ("the pricing sheet", "Jean-Marc le Roux")
    ]
    assert [(p.name, p.role, p.company) for p in told.people] == [("Lin Mei-Hua", "PM", "Grab")]
    assert [o.person for o in told.offers] == ["Lin Mei-Hua"]


def test_a_first_name_told_after_a_title_and_surname() -> None:
    reading = _read("mtg w mr. adeyemi-cole from the licensing team, first name tunde. nice guy")

    assert [(p.name, p.company) for p in reading.people] == [("Tunde Adeyemi-Cole", "")]


def test_a_title_before_a_full_name_still_lets_the_first_name_recur() -> None:
    reading = _read("lunch w dr. ines moreau. ines offered to review our study design")

    assert [(o.text, o.person) for o in reading.offers] == [
        ("review our study design", "Ines Moreau")
    ]


def test_a_pet_is_no_person_and_a_relation_to_be_is_no_name() -> None:
    reading = _read("call w omar + his wife-to-be leila haddad. leila's cat is called biscuit")

    assert _people(reading) == ["Omar", "Leila Haddad"]
    assert reading.mentioned == []
