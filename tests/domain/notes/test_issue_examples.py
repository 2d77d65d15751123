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


# -- names ------------------------------------------------------------------------
def names(reading: NoteReading) -> list[tuple[str, str | None]]:
    return [(p.name, p.contact_id) for p in reading.people]


def test_a_lowercase_name_is_found() -> None:
    assert names(read("drinks w/ tomasz nowak after work")) == [("Tomasz Nowak", None)]


def test_names_in_odd_positions() -> None:
    assert names(read("Zoom with Kofi & Jonas re: the partner program")) == [
        ("Kofi Mensah", "kofi"),
        ("Jonas Müller", "jonas"),
    ]
    assert names(read("got a msg from Dario Conti about the offsite")) == [("Dario Conti", None)]
    assert names(read("Met Lena M. at the meetup")) == [("Lena Meyer", "lena")]
    assert names(read("Coffee w/ Mr. Okafor this morning")) == [("Chidi Okafor", "chidi")]


def test_a_relative_is_not_taken_for_the_person() -> None:
    reading = read("Lunch w/ my aunt's neighbour Mr. Duarte. He offered to review our contract.")

    assert names(reading) == [("Mr. Duarte", None)]
    assert [o.person for o in reading.offers] == ["Mr. Duarte"]


def test_surnames_with_particles_are_whole() -> None:
    assert names(read("coffee w/ ruud van der berg", [Contact(id="r", name="Ruud van der Berg")]))[
        0
    ] == ("Ruud van der Berg", "r")
    assert names(read("Party at Carmen de la Cruz's place"))[0] == ("Carmen de la Cruz", None)
    assert names(read("lunch with Ana García y López"))[0] == ("Ana García y López", None)


def test_an_abbreviation_after_a_lowercase_name_is_no_surname() -> None:
    assert names(read("call w/ lena abt the budget")) == [("Lena Meyer", "lena")]


def test_a_nickname_in_quotes_is_not_part_of_the_name() -> None:
    assert names(read("Met Oluwaseun 'Seun' Balogun from Octopus Energy.")) == [
        ("Oluwaseun Balogun", None)
    ]


# -- met or mentioned ---------------------------------------------------------------
def test_the_other_side_of_an_intro_is_only_mentioned() -> None:
    reading = read("Coffee with Anna. I offered to introduce her to José.")

    assert names(reading) == [("Anna Schmidt", "anna")]
    assert [(p.name, p.contact_id) for p in reading.mentioned] == [("José Ramírez", "jose")]
    [promise] = reading.promises
    assert promise.person == "Anna Schmidt"


def test_who_they_introduced_you_to_after_a_coffee_is_only_mentioned() -> None:
    reading = read("coffee w anna. she introduced me to priya, who runs a design agency")

    assert names(reading) == [("Anna Schmidt", "anna")]
    assert [p.name for p in reading.mentioned] == ["Priya"]


def test_who_they_introduced_you_to_at_a_conference_was_met() -> None:
    reading = read("At ProductCon today. Anna introduced me to Priya Nair, who runs design.")

    assert ("Priya Nair", None) in names(reading)
    assert reading.mentioned == []


def test_an_organisation_is_not_a_person() -> None:
    reading = read("Coffee with Kofi. We met through a nonprofit called Product Dive.")

    assert names(reading) == [("Kofi Mensah", "kofi")]
    assert reading.mentioned == []


def test_what_a_mentioned_person_does_is_not_kept() -> None:
    reading = read(
        "Drinks with Kofi. His wife Ama is a surgeon and is flying to Accra on Friday. "
        "Jonas wasn't there (sick)."
    )

    assert names(reading) == [("Kofi Mensah", "kofi")]
    assert {p.name for p in reading.mentioned} == {"Ama", "Jonas Müller"}
    assert all(e.person == "Kofi Mensah" for e in reading.events)


# -- their promises, gratitude, "that" ----------------------------------------------
def test_their_promise_is_an_offer_not_their_event() -> None:
    reading = read("Coffee with Kofi. Kofi will send me the proposal on Friday.")

    assert reading.events == []
    [offer] = reading.offers
    assert (offer.person, offer.text, offer.on) == (
        "Kofi Mensah",
        "send me the proposal",
        date(2026, 12, 4),
    )


def test_their_promise_without_me_is_still_an_offer() -> None:
    reading = read("Zoom with Kofi & Jonas. Jonas will share the contract template by Thursday.")

    assert [(o.person, o.text, o.on) for o in reading.offers] == [
        ("Jonas Müller", "share the contract template", date(2026, 12, 3))
    ]
    assert reading.events == []


def test_a_thank_you_said_in_passing_is_not_gratitude_for_in_person() -> None:
    reading = read("Lunch with Kofi. He helped me with the deck, thanked him in person.")

    assert [(g.person, g.text) for g in reading.gratitude] == [
        ("Kofi Mensah", "helped me with the deck")
    ]


def test_that_refers_back_to_the_task_named_before() -> None:
    reading = read("Call with Lena. She needs the pricing sheet. I'll do that by Wednesday.")

    assert [(p.person, p.text, p.on) for p in reading.promises] == [
        ("Lena Meyer", "the pricing sheet", date(2026, 12, 2))
    ]


def test_by_eod_tomorrow_is_tomorrow() -> None:
    [promise] = read("Teams call with Lena. She wants the revised quote by EOD tomorrow.").promises

    assert promise.on == date(2026, 11, 28)


# -- events: ahead, behind, and their words ------------------------------------------
def test_a_lowercase_event_sentence_with_a_date() -> None:
    [event] = read("coffee w/ lena. she's presenting at pycon next thursday").events

    assert (event.person, event.text, event.on) == (
        "Lena Meyer",
        "presenting at pycon",
        date(2026, 12, 3),
    )


def test_a_trip_just_back_from_is_behind_the_note() -> None:
    [event] = read("Drinks with Kofi, he just got back from a month in Peru").events

    assert event.past
    assert event.on is None
    assert "Peru" in event.text


def test_event_texts_keep_no_dangling_verb() -> None:
    [event] = read("Coffee with Kofi. His leaving drinks are on Friday.").events

    assert (event.text, event.on) == ("leaving drinks", date(2026, 12, 4))


def test_the_meeting_day_from_a_part_of_a_day() -> None:
    assert read("Call with Kofi on Thursday morning").occurred_at == datetime(
        2026, 11, 26, 8, 0, tzinfo=UTC
    )
    assert read("Coffee with Kofi on Wednesday afternoon").occurred_at == datetime(
        2026, 11, 25, 14, 0, tzinfo=UTC
    )


def test_an_agreed_call_is_a_next_step() -> None:
    reading = read("Call with Lena. We agreed to have a call next Tuesday to go through the terms.")

    assert [(s.person, s.on) for s in reading.next_steps] == [("Lena Meyer", date(2026, 12, 1))]
    assert "call" in reading.next_steps[0].text
    assert reading.promises == []


def test_on_friday_afternoon_dates_the_meeting() -> None:
    # Said on a Friday at 16:00 in Berlin: this afternoon, not a week ago.
    assert read("Coffee with Kofi on Friday afternoon").occurred_at == datetime(
        2026, 11, 27, 14, 0, tzinfo=UTC
    )


def test_a_company_a_contact_works_at_is_not_a_new_person() -> None:
    contacts = [*CONTACTS, Contact(id="t", name="Tobias Brandt", company="Miro")]
    reading = read("She told me Miro is reorganising the design team.", contacts)

    assert reading.people == []


def test_a_role_and_company_in_brackets() -> None:
    [anna] = read("Coffee with Ana Silva (Head of Design at Miro).").people

    assert (anna.role, anna.company) == ("Head of Design", "Miro")
