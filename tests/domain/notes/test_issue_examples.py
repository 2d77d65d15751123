"""Every example quoted in issue #10 ("understanding notes as people really type them")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact, FactKind, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

# Friday 27 November 2026, 15:00 UTC; the user is in Berlin.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
CONTACTS = [
    Contact(id="lena", name="Lena Meyer"),
    Contact(id="chidi", name="Chidi Okafor"),
    Contact(id="jonas", name="Jonas Müller"),
    Contact(id="jose", name="José Ramírez"),
    Contact(id="anna", name="Anna Schmidt", company="SAP"),
    Contact(id="kofi", name="Kofi Mensah"),
]


def read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or CONTACTS)


def details(reading: NoteReading) -> list[tuple[str, FactKind, str]]:
    return [(d.person, d.kind, d.text) for d in reading.details]


# -- the meeting itself ---------------------------------------------------------
def test_breakfast_and_dinner_are_not_lunch() -> None:
    assert read("Breakfast with Ana Silva at her hotel.").kind is InteractionKind.BREAKFAST
    assert read("Dinner with Ana Silva, lovely evening.").kind is InteractionKind.DINNER


def test_a_named_conference_is_the_meetings_occasion() -> None:
    reading = read("At ProductCon London today. Met Yuki Tanaka (PM at Monzo).")

    assert reading.kind is InteractionKind.CONFERENCE
    assert reading.occasion == "ProductCon London"
    met_at = read("Met Dr. Shah at HLTH Europe - she leads cardiology research at Charité.")
    assert (met_at.kind, met_at.occasion) == (InteractionKind.CONFERENCE, "HLTH Europe")
    meetup = read("Met Tobias Brandt at the Berlin Product Meetup.")
    assert (meetup.kind, meetup.occasion) == (InteractionKind.EVENT, "Berlin Product Meetup")


def test_a_place_is_not_an_occasion() -> None:
    assert read("Bumped into Kofi at the Tate this morning.").occasion == ""
    assert read("breakfast w/ Anna at Russ & Daughters.").occasion == ""
    assert read("Dinner at Kofi's tonight.").occasion == ""


def test_abbreviations_and_apps_name_the_kind() -> None:
    assert read("mtg w/ Lena re the budget").kind is InteractionKind.MEETING
    assert read("1:1 w/ Lena yesterday").kind is InteractionKind.ONE_ON_ONE
    assert read("sync with Lena about Q1").kind is InteractionKind.MEETING
    assert read("texted Lena about the offsite").kind is InteractionKind.MESSAGE
    assert read("quick whatsapp w/ Lena").kind is InteractionKind.MESSAGE
    assert read("slack chat w/ Lena re the rebrand").kind is InteractionKind.MESSAGE


# -- birthdays and affiliations ------------------------------------------------------
def test_a_birthday_sentence_is_only_a_birthday() -> None:
    reading = read("Breakfast with Ngozi Eze. Her birthday is December 3, she turns 40!")

    assert [(b.person, b.on) for b in reading.birthdays] == [("Ngozi Eze", date(2026, 12, 3))]
    assert reading.events == []
    assert reading.details == []


def test_happy_birthday_pins_the_birthday_to_the_day() -> None:
    reading = read("Texted Lena happy birthday 🎂")

    assert [(b.person, b.on) for b in reading.birthdays] == [("Lena Meyer", date(2026, 11, 27))]


def test_a_relatives_birthday_is_not_theirs() -> None:
    reading = read("Coffee with Kofi. His son's birthday is on May 2.")

    assert reading.birthdays == []


def test_role_and_company_go_on_the_person_never_into_a_detail() -> None:
    reading = read(
        "Met Tobias Brandt at the Berlin Product Meetup. Tobias is Head of Design at Miro, "
        "loves sailing, has a baby girl."
    )

    [tobias] = reading.people
    assert (tobias.role, tobias.company) == ("Head of Design", "Miro")
    assert details(reading) == [
        ("Tobias Brandt", FactKind.INTEREST, "loves sailing"),
        ("Tobias Brandt", FactKind.FAMILY, "a baby girl"),
    ]


def test_a_lumped_list_is_split_and_sets_the_company() -> None:
    reading = read(
        "Coffee with Kofi. He works at Siemens in legal, loves sailing, has a baby girl."
    )

    assert reading.people[0].company == "Siemens"
    kinds = [kind for _, kind, _ in details(reading)]
    assert FactKind.INTEREST in kinds
    assert FactKind.FAMILY in kinds
    assert not any("sailing" in text and "baby" in text for _, _, text in details(reading))


def test_an_emoji_inside_a_sentence_does_not_cut_it() -> None:
    reading = read("Coffee with Kofi. He loves 🧗 climbing")

    assert details(reading) == [("Kofi Mensah", FactKind.INTEREST, "loves climbing")]
