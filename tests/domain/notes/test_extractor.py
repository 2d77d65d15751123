"""The extractor on the issue's examples and the walking skeleton note."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact, FactKind, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

ISSUE_NOTE = (
    "Lunch with Tom Becker and Priya (Globex) — Tom's daughter starts college in September, "
    "Priya is presenting at KubeCon next Thursday. Tom introduced me to their CTO, so grateful. "
    "I owe Priya feedback on her talk by Monday."
)


def test_issue_example(now: datetime) -> None:
    reading = read_note(ISSUE_NOTE, now=now, timezone="Europe/Berlin", contacts=[])

    assert [p.name for p in reading.people] == ["Tom Becker", "Priya"]
    assert reading.people[1].company == "Globex"
    assert reading.kind is InteractionKind.LUNCH
    assert reading.occurred_at == now
    talk = next(e for e in reading.events if "KubeCon" in e.text)
    assert (talk.person, talk.on, talk.date_text) == ("Priya", date(2026, 12, 3), "next Thursday")
    college = next(e for e in reading.events if "college" in e.text)
    assert college.person == "Tom Becker"
    # "in September" names a month, not a day: that month, flagged, no made-up day.
    assert (college.on, college.approximate, college.date_text) == (
        date(2027, 9, 1),
        True,
        "in September",
    )
    [promise] = reading.promises
    assert promise.person == "Priya"
    assert "feedback" in promise.text
    assert promise.on == date(2026, 11, 30)
    [thanks] = reading.gratitude
    assert thanks.person == "Tom Becker"
    assert thanks.text == "introduced me to their CTO"
    family = [d for d in reading.details if d.kind is FactKind.FAMILY]
    assert [(d.person, "daughter" in d.text) for d in family] == [("Tom Becker", True)]
    assert "kubecon" in reading.topics


def test_walking_skeleton_note(now: datetime) -> None:
    reading = read_note(
        "Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.",
        now=now,
        timezone="Europe/Berlin",
        contacts=[],
    )

    assert [(p.name, p.company) for p in reading.people] == [("Maria Lopez", "Acme")]
    assert reading.kind is InteractionKind.COFFEE
    assert any("Berlin marathon" in d.text and d.person == "Maria Lopez" for d in reading.details)
    assert "marathon" in reading.topics


def test_existing_contact_is_matched_by_first_name(now: datetime) -> None:
    tom = Contact(id="c1", name="Tom Becker")
    reading = read_note(
        "Call with Tom, he moves to Lisbon next month",
        now=now,
        timezone="Europe/Berlin",
        contacts=[tom],
    )

    [person] = reading.people
    assert (person.name, person.contact_id) == ("Tom Becker", "c1")
    assert reading.kind is InteractionKind.CALL
    [move] = reading.events
    assert (move.person, move.on) == ("Tom Becker", date(2026, 12, 27))


def test_two_matching_contacts_are_offered_as_candidates(now: datetime) -> None:
    contacts = [Contact(id="a", name="Sam Lee"), Contact(id="b", name="Sam Ortiz")]
    reading = read_note("Coffee with Sam today", now=now, timezone="UTC", contacts=contacts)

    [person] = reading.people
    assert person.contact_id is None
    assert sorted(person.candidates) == ["a", "b"]


def test_occurred_yesterday_in_the_users_zone() -> None:
    late_evening = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # already Saturday in Berlin
    reading = read_note(
        "Had lunch with Ana yesterday", now=late_evening, timezone="Europe/Berlin", contacts=[]
    )

    assert reading.occurred_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # Friday 12:00 local


def test_offer_and_promise(now: datetime) -> None:
    reading = read_note(
        "Video call with Kenji Watanabe. He offered to intro me to his VP Eng. "
        "I'll send him my deck tomorrow.",
        now=now,
        timezone="Asia/Tokyo",
        contacts=[],
    )

    assert reading.kind is InteractionKind.VIDEO_CALL
    [offer] = reading.offers
    assert (offer.person, offer.text) == ("Kenji Watanabe", "intro me to his VP Eng")
    [promise] = reading.promises
    assert promise.person == "Kenji Watanabe"
    assert promise.on == date(2026, 11, 29)  # already Saturday the 28th in Tokyo


def _read_at_berlin(text: str) -> NoteReading:
    now = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
    return read_note(text, now=now, timezone="Europe/Berlin", contacts=[])


def test_each_person_at_a_dinner_keeps_their_own_facts() -> None:
    reading = _read_at_berlin(
        "Dinner after the Fintech Forum with Sam Lee, Aylin Kaya and Dana. Aylin has twins, "
        "and Dana wants feedback on her pitch deck by Friday."
    )
    assert [(d.person, d.text) for d in reading.details] == [("Aylin Kaya", "twins")]
    [ask] = reading.promises  # what Dana asks of the user, by Friday
    assert (ask.person, ask.on) == ("Dana", date(2026, 11, 20))
    assert "feedback" in ask.text
    assert not reading.events


def test_his_means_the_person_just_met_not_the_one_before() -> None:
    reading = _read_at_berlin(
        "web summit: chatted w/ Lucas Moreau, he's into bouldering. "
        "and grabbed coffee w/ John Carter, his daughter just started uni"
    )
    assert {(d.person, d.text) for d in reading.details} == {
        ("Lucas Moreau", "into bouldering"),
        ("John Carter", "daughter just started uni"),
    }
