"""Finding who a note is about, and matching names to existing contacts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.people import match_contacts

TOM = Contact(id="tom", name="Tom Becker", aliases=["TB"])
TOMAS = Contact(id="tomas", name="Tomás Ortiz")
PRIYA = Contact(id="priya", name="Priya Raman")
SAM_LEE = Contact(id="saml", name="Sam Lee")
SAM_ORTIZ = Contact(id="samo", name="Sam Ortiz")
ZOE = Contact(id="zoe", name="Zoë Dubois", aliases=["Zo"])
BOOK = [TOM, TOMAS, PRIYA, SAM_LEE, SAM_ORTIZ, ZOE]
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tom Becker", ["tom"]),
        ("tom becker", ["tom"]),  # case-insensitive, for /person tom becker
        ("TB", ["tom"]),  # alias
        ("tb", ["tom"]),
        ("Tom", ["tom"]),  # first name
        ("Priya", ["priya"]),
        ("Prya", ["priya"]),  # a close spelling
        ("Zoe Dubois", ["zoe"]),  # accents do not matter
        ("zoe", ["zoe"]),
        ("Zo", ["zoe"]),
        ("Tomas", ["tomas"]),
        ("Sam", ["saml", "samo"]),  # ambiguous: the user picks
        ("Becker", ["tom"]),  # a surname alone
        ("Mr. Becker", ["tom"]),  # a title with the surname
        ("Ms. Becker", []),  # never a man for "Ms."
        ("Tom B.", ["tom"]),  # an initial for the surname
        ("Sam L", ["saml"]),  # ... which tells two Sams apart
        ("Samuel", ["saml", "samo"]),  # another form of the first name
        ("Zoé Dubios", ["zoe"]),  # a near spelling of the full name
        ("Nobody", []),
        ("", []),
        ("  ", []),
    ],
)
def test_match_contacts(name: str, expected: list[str]) -> None:
    assert [c.id for c in match_contacts(name, BOOK)] == expected


def test_exact_match_beats_a_close_spelling() -> None:
    contacts = [Contact(id="a", name="Ana"), Contact(id="b", name="Anna")]

    assert [c.id for c in match_contacts("Ana", contacts)] == ["a"]


def read(text: str, contacts: list[Contact] | None = None) -> list[tuple[str, str | None]]:
    reading = read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or BOOK)
    return [(p.name, p.contact_id) for p in reading.people]


def test_new_people_are_proposed_with_their_company() -> None:
    reading = read_note(
        "Coffee with Lena Hoffmann (CTO at Zalando) and Ravi from Stripe.",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=BOOK,
    )

    assert [(p.name, p.contact_id, p.company, p.role) for p in reading.people] == [
        ("Lena Hoffmann", None, "Zalando", "CTO"),
        ("Ravi", None, "Stripe", ""),
    ]


def test_places_companies_and_events_are_not_people() -> None:
    text = "Met Tom at KubeCon in Berlin. He works at Globex and is moving to Lisbon."

    assert read(text) == [("Tom Becker", "tom")]


def test_lowercase_note_finds_contacts() -> None:
    assert read("lunch w/ priya and sam lee, she's presenting next week") == [
        ("Priya Raman", "priya"),
        ("Sam Lee", "saml"),
    ]


DANA = Contact(id="dana", name="Dana Whitfield")
JOHN = Contact(id="john", name="John Carter")
MARIA = Contact(id="maria", name="Maria Lopez")
NEAR = [DANA, JOHN, MARIA, PRIYA, TOM]


def mentions(text: str) -> list[tuple[str, str | None, list[str]]]:
    reading = read_note(text, now=NOW, timezone="Europe/Berlin", contacts=NEAR)
    return [(p.name, p.contact_id, p.candidates) for p in reading.people]


@pytest.mark.parametrize(
    ("text", "name", "guess"),
    [
        ("coffee w/ dan, he just joined stripe", "Dan", "dana"),  # a short form
        ("quick call with jon about the budget", "Jon", "john"),  # another form of John
        ("coffee with Mara from the meetup", "Mara", "maria"),  # a near spelling
        ("lunch w/ prya, she's presenting next week", "Prya", "priya"),  # a typo, maybe
        ("drinks with Tomas from design", "Tomas", "tom"),
    ],
)
def test_a_near_name_is_asked_never_filed(text: str, name: str, guess: str) -> None:
    # Nothing is filed under a known contact on a guess: the card offers them or someone new.
    assert mentions(text) == [(name, None, [guess])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coffee w/ Dana Whitfield", ("Dana Whitfield", "dana", [])),  # the full name
        ("coffee w/ dana", ("Dana Whitfield", "dana", [])),  # the first name they go by
        ("1:1 with Dana W. today", ("Dana Whitfield", "dana", [])),  # and an initial
        ("lunch w/ Jon Park from Figma", ("Jon Park", None, [])),  # someone else entirely
    ],
)
def test_a_name_the_user_keeps_is_filed(text: str, expected: tuple[str, str | None]) -> None:
    assert mentions(text) == [expected]


def test_two_guesses_at_one_contact_stay_two_people() -> None:
    assert mentions("dinner with Maria and Mara") == [
        ("Maria Lopez", "maria", []),
        ("Mara", None, ["maria"]),
    ]


def test_non_english_names() -> None:
    assert read("Lunch with Łukasz Nowak and Nguyễn Thị Mai", []) == [
        ("Łukasz Nowak", None),
        ("Nguyễn Thị Mai", None),
    ]


def test_full_name_then_first_name_is_one_person() -> None:
    assert read("Met Ravi Patel. Ravi is launching his beta.", []) == [("Ravi Patel", None)]


def test_pronouns_follow_the_person_they_are_bound_to() -> None:
    reading = read_note(
        "Ran into Sam Ortiz. He left Oracle. Told him I'd connect him with Priya, she ran "
        "hiring at Globex. He's speaking on a panel tomorrow.",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=BOOK,
    )

    [event] = reading.events
    assert event.person == "Sam Ortiz"
    [promise] = reading.promises
    assert promise.person == "Sam Ortiz"


CONFERENCE = (
    "ProductCon day 1: met Ines Duarte (PM at Spotify), she's hiring a design lead. "
    "Kwame Asante runs growth at Wise and loves trail running. Also saw Priya, she's "
    "speaking tmrw. Promised Kwame an intro to Tom."
)


def test_everyone_told_about_at_a_conference_was_met() -> None:
    reading = read_note(CONFERENCE, now=NOW, timezone="Europe/Berlin", contacts=NEAR)
    assert [p.name for p in reading.people] == ["Ines Duarte", "Kwame Asante", "Priya Raman"]
    assert [p.name for p in reading.mentioned] == ["Tom Becker"]  # "an intro to Tom"
    details = {(d.person, d.text) for d in reading.details}
    assert ("Kwame Asante", "loves trail running") in details
    assert [(p.person, "intro" in p.text) for p in reading.promises] == [("Kwame Asante", True)]


def test_a_relative_told_about_at_a_party_is_not_met() -> None:
    note = "Kid's birthday party, chatted w/ another dad, Rahul. his wife Neha is a pediatrician."
    reading = read_note(note, now=NOW, timezone="Europe/Berlin", contacts=[])
    assert ([p.name for p in reading.people], [p.name for p in reading.mentioned]) == (
        ["Rahul"],
        ["Neha"],
    )


def test_a_typo_is_the_contact_the_note_names_later() -> None:
    # "oliva" then "Olivia": the note itself says who it is; one person, not a question.
    note = "slack chat w/ oliva re the rebrand. Olivia said she'd review my copy by wednesday"
    olivia = Contact(id="olivia", name="Olivia Chen")
    reading = read_note(note, now=NOW, timezone="Europe/Berlin", contacts=[olivia])
    assert [(p.name, p.contact_id) for p in reading.people] == [("Olivia Chen", "olivia")]


def test_a_heading_names_the_conference_and_lists_who_was_there() -> None:
    note = (
        "at kubecon: priya, tom and a guy named Felix Brandt from SAP. felix offered his playbook"
    )
    reading = read_note(note, now=NOW, timezone="Europe/Berlin", contacts=NEAR)
    assert [p.name for p in reading.people] == ["Priya Raman", "Tom Becker", "Felix Brandt"]
    assert (reading.kind.value, reading.occasion) == ("conference", "Kubecon")


@pytest.mark.parametrize(
    ("note", "occasion"),
    [
        ("web summit lisbon: chatted w/ lucas moreau", "Web Summit Lisbon"),
        ("ProductCon day 1: met Ines Duarte", "ProductCon"),
    ],
)
def test_a_lowercase_or_numbered_heading_is_the_occasion(note: str, occasion: str) -> None:
    reading = read_note(note, now=NOW, timezone="Europe/Berlin", contacts=NEAR)
    assert (reading.kind.value, reading.occasion) == ("conference", occasion)
