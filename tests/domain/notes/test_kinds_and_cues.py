"""Interaction kinds, promises, offers, gratitude and details in typical phrasings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.model import FactKind, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.kinds import detect_kind

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday


def read(text: str):  # type: ignore[no-untyped-def]
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=[])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Coffee with Ana", InteractionKind.COFFEE),
        ("☕ w/ Ana", InteractionKind.COFFEE),
        ("Lunch with Ana", InteractionKind.LUNCH),
        ("Dinner with Ana and Ben", InteractionKind.DINNER),
        ("Breakfast with Ana", InteractionKind.BREAKFAST),
        ("breakfast mtg w/ Ana", InteractionKind.BREAKFAST),
        ("drinks w/ tomasz nowak after work", InteractionKind.DRINKS),
        ("glühwein w/ lukasz & kasia at the christmas market", InteractionKind.DRINKS),
        ("cofee w/ Aisha", InteractionKind.COFFEE),
        ("Videocall w/ Mehmet", InteractionKind.VIDEO_CALL),
        ("Facetime with Chidi", InteractionKind.VIDEO_CALL),
        ("Teams call with Ms. Müller", InteractionKind.VIDEO_CALL),
        ("quick whatsapp w/ Maria", InteractionKind.MESSAGE),
        ("slack chat w/ oliva re the rebrand", InteractionKind.MESSAGE),
        ("Got a LinkedIn DM from Folake", InteractionKind.MESSAGE),
        ("msg from mek: he got the job", InteractionKind.MESSAGE),
        ("texted w/ Liv", InteractionKind.MESSAGE),
        ("mtg w/ Ana about the budget", InteractionKind.MEETING),
        ("sync w/ Ana", InteractionKind.MEETING),
        ("Had a 1:1 with my new report Diego", InteractionKind.ONE_ON_ONE),
        ("At ProductCon London today. Met Yuki", InteractionKind.CONFERENCE),
        ("Kid's birthday party, chatted w/ another dad", InteractionKind.EVENT),
        ("Zoom call with Ana", InteractionKind.VIDEO_CALL),
        ("Quick call with Ana", InteractionKind.CALL),
        ("Met Ana at KubeCon", InteractionKind.CONFERENCE),
        ("Met Ana at the fintech meetup", InteractionKind.EVENT),
        ("1:1 with Ana", InteractionKind.ONE_ON_ONE),
        ("Texted Ana happy birthday", InteractionKind.MESSAGE),
        ("Ana and I went for a walk", InteractionKind.OTHER),
        ("Thinking about Ana", InteractionKind.OTHER),
        # A later plan or someone else's event is not this interaction.
        (
            "Coffee with Ana, she's presenting at a conference. We'll do lunch next week.",
            InteractionKind.COFFEE,
        ),
        ("Need to update my slides before the conference", InteractionKind.OTHER),
    ],
)
def test_kind(text: str, kind: InteractionKind) -> None:
    assert detect_kind(text) is kind


def test_a_walk_is_time_together_not_a_meeting() -> None:
    # Every fresh batch's annotator files a walk as "other" (eight notes in seven batches).
    assert read("Walked around Tempelhof with Jonas this afternoon").kind is InteractionKind.OTHER
    assert read("walk w omar, then we grabbed lunch").kind is InteractionKind.OTHER
    assert read("nothing much today — long walk w/ my sister").kind is InteractionKind.OTHER


@pytest.mark.parametrize(
    ("text", "words", "on"),
    [
        ("Coffee with Ana. I'll send her the deck by Monday.", "send the deck", date(2026, 11, 30)),
        ("Coffee with Ana. Promised to intro her to Ben.", "intro to Ben", None),
        ("Coffee with Ana. I owe Ana feedback on her draft.", "feedback on her draft", None),
        ("Coffee with Ana. Send her the link tomorrow.", "Send the link", date(2026, 11, 28)),
        ("call w/ ana. will send deck fri", "send deck", date(2026, 12, 4)),
        ("Coffee with Ana. TODO: share the hiring rubric", "share the hiring rubric", None),
    ],
)
def test_promises(text: str, words: str, on: date | None) -> None:
    [promise] = read(text).promises

    assert promise.text == words
    assert promise.person == "Ana"
    assert promise.on == on


def test_plans_are_not_promises() -> None:
    reading = read("Coffee with Ana. I'll see her at KubeCon. I owe her one.")

    assert reading.promises == []


@pytest.mark.parametrize(
    "text",
    [
        "Coffee with Ana. She offered to intro me to their VP.",
        "Coffee with Ana. She said she'd intro me to their VP.",
        "Coffee with Ana. Ana will intro me to their VP.",
        "Coffee with Ana. She's happy to intro me to their VP.",
    ],
)
def test_offers(text: str) -> None:
    reading = read(text)

    [offer] = reading.offers
    assert offer.person == "Ana"
    assert "intro me to their VP" in offer.text
    assert reading.promises == []


def test_their_plans_are_not_offers() -> None:
    assert read("Call with Ana. She will move to Lisbon next month.").offers == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Coffee with Ana. She introduced me to their CTO.", "introduced me to their CTO"),
        ("Coffee with Ana. She referred me for the staff role.", "referred me for the staff role"),
        ("Coffee with Ana. Ana gave me advice on pricing.", "gave me advice on pricing"),
        ("Coffee with Ana. Huge thanks to Ana for the intro.", "the intro"),
        ("Coffee with Ana. She put in a good word for me.", "put in a good word for me"),
    ],
)
def test_gratitude(text: str, words: str) -> None:
    [thanks] = read(text).gratitude

    assert (thanks.person, thanks.text) == ("Ana", words)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Coffee with Ana. Her son starts school in September.", FactKind.FAMILY),
        ("Coffee with Ana. She is training for the Berlin marathon.", FactKind.INTEREST),
        ("Coffee with Ana. She wants to move into product.", FactKind.GOAL),
        ("Coffee with Ana. She is struggling to hire engineers.", FactKind.CHALLENGE),
        ("Coffee with Ana. She just joined Stripe as a PM.", FactKind.WORK),
    ],
)
def test_details(text: str, kind: FactKind) -> None:
    [detail] = read(text).details

    assert (detail.person, detail.kind) == ("Ana", kind)


def test_events_need_a_date_or_a_clear_future() -> None:
    reading = read(
        "Call with Ana. She gave a talk last week. She has an interview soon. "
        "She launches the beta on Dec 10."
    )

    assert [(e.text, e.on, e.past) for e in reading.events] == [
        ("gave a talk", date(2026, 11, 20), True),  # behind the note, and marked so
        ("an interview soon", None, False),
        ("launches the beta", date(2026, 12, 10), False),
    ]


def test_topics_are_short_lowercase_keywords() -> None:
    reading = read("Coffee with Ana. She is presenting at KubeCon and training for a marathon.")

    assert "kubecon" in reading.topics
    assert "marathon" in reading.topics
    assert all(topic == topic.lower() and " " not in topic for topic in reading.topics)
