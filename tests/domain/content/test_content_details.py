"""What may be mentioned to a contact: freshness by tier, events by date, nothing creepy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.content.details import picture_of, promised_thing
from bot.domain.content.phrases import gerund, second_person
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind, Tier

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def contact(tier: Tier = Tier.NETWORK, *facts: Fact) -> Contact:
    return Contact(id="c-1", name="Maria Lopez", tier=tier, facts=list(facts), created_at=NOW)


def fact(kind: FactKind, text: str, days_ago: int, on: date | None = None) -> Fact:
    return Fact(kind, text, NOW - timedelta(days=days_ago), on=on)


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        ("She is training for the Berlin marathon.", "training for the Berlin marathon"),
        ("She's training for a triathlon", "training for a triathlon"),
        ("Maria loves sourdough baking", "sourdough baking"),
        ("wants to move into product", "moving into product"),
        ("runs the Berlin marathon on May 3", "the Berlin marathon on May 3"),
        ("introduced me to Sam, so helpful", "introducing me to Sam"),
        ("her daughter's school play", "your daughter's school play"),
        ("Berlin marathon", "Berlin marathon"),
    ],
)
def test_details_are_worded_for_a_message_to_them(raw: str, phrase: str) -> None:
    assert second_person(raw, "Maria Lopez") == phrase


def test_gerunds() -> None:
    assert [gerund(v) for v in ("move", "run", "build", "tie", "see")] == [
        "moving",
        "running",
        "building",
        "tying",
        "seeing",
    ]


def test_promises_name_the_thing() -> None:
    assert promised_thing("send the podcast link") == "the podcast link"
    assert promised_thing("send her the deck by Friday") == "the deck"
    assert promised_thing("introduce him to Sam next week") == "an intro to Sam"


def test_fresh_fact_is_known() -> None:
    picture = picture_of(contact(Tier.NETWORK, fact(FactKind.GOAL, "hiring", 10)), now=NOW)
    assert [d.text for d in picture.slots["goal"]] == ["hiring"]
    assert "hiring" in [d.text for d in picture.slots["topic"]]


def test_nine_month_old_fact_about_an_acquaintance_is_not_surfaced() -> None:
    old = fact(FactKind.GOAL, "moving to Lisbon", 270)
    assert not picture_of(contact(Tier.ACQUAINTANCE, old), now=NOW).has("goal")
    # The same fact about someone close is still fair to mention.
    assert picture_of(contact(Tier.CLOSE, old), now=NOW).has("goal")


def test_fresher_details_come_first() -> None:
    picture = picture_of(
        contact(
            Tier.NETWORK,
            fact(FactKind.INTEREST, "chess", 60),
            fact(FactKind.INTEREST, "bouldering", 2),
        ),
        now=NOW,
    )
    assert [d.text for d in picture.slots["interest"]] == ["bouldering", "chess"]


def test_personal_matters_only_with_people_you_are_close_to() -> None:
    health = fact(FactKind.OTHER, "recovering from knee surgery", 5)
    family = fact(FactKind.FAMILY, "her son started school", 5)
    distant = picture_of(contact(Tier.NETWORK, health, family), now=NOW)
    assert not distant.knows_something_specific()
    close = picture_of(contact(Tier.INNER, health, family), now=NOW)
    assert close.has("detail")
    assert close.has("family")
    assert not close.has("topic")  # never "saw this and thought of you" about surgery


def test_events_by_date() -> None:
    ahead = fact(FactKind.EVENT, "the Berlin marathon", 5, on=date(2026, 12, 20))
    past = fact(FactKind.EVENT, "the Stripe interview", 5, on=date(2026, 11, 24))
    stale = fact(FactKind.EVENT, "the hackathon", 5, on=date(2026, 8, 1))
    far = fact(FactKind.EVENT, "interviewing at Google", 5, on=date(2027, 5, 3))
    picture = picture_of(contact(Tier.NETWORK, ahead, past, stale, far), now=NOW)
    assert [d.text for d in picture.slots["event_ahead"]] == ["the Berlin marathon"]
    assert [d.text for d in picture.slots["event_past"]] == ["the Stripe interview"]
    assert [d.text for d in picture.slots["detail"]] == ["the interview at Google"]
    assert "the hackathon" not in picture.specific_texts()


def test_recent_meeting_and_long_gap() -> None:
    c = contact(Tier.CLOSE)
    met = Interaction("i-1", ["c-1"], InteractionKind.COFFEE, NOW - timedelta(days=2), "Coffee.")
    assert picture_of(c, now=NOW, interactions=[met]).slots["meeting"][0].text == "the coffee"
    c.last_interaction_at = NOW - timedelta(days=100)
    long_ago = Interaction("i-2", ["c-1"], InteractionKind.CALL, NOW - timedelta(days=100), "")
    picture = picture_of(c, now=NOW, interactions=[long_ago])
    assert not picture.has("meeting")
    assert picture.slots["since"][0].text == "a couple of months"


def test_a_note_sentence_about_them_is_read_when_no_fact_holds_it() -> None:
    note = Interaction(
        "i-1",
        ["c-1"],
        InteractionKind.COFFEE,
        NOW - timedelta(days=1),
        "Coffee with Maria. She is training for the Berlin marathon. She said thanks.",
    )
    picture = picture_of(contact(), now=NOW, interactions=[note])
    assert [d.text for d in picture.slots["detail"]] == ["training for the Berlin marathon"]


def test_the_same_thing_twice_is_one_detail() -> None:
    note = Interaction(
        "i-1", ["c-1"], InteractionKind.COFFEE, NOW, "She is training for the Berlin marathon."
    )
    picture = picture_of(
        contact(Tier.NETWORK, fact(FactKind.INTEREST, "training for the Berlin marathon", 0)),
        now=NOW,
        interactions=[note],
    )
    assert picture.specific_texts().count("training for the Berlin marathon") == 2  # + topic
    assert not picture.has("detail")


def test_told_details_come_first() -> None:
    picture = picture_of(
        contact(Tier.NETWORK, fact(FactKind.HELPED_ME, "the deck review", 3)),
        now=NOW,
        told={"help": "the intro to Sam"},
    )
    assert [d.text for d in picture.slots["help"]] == ["the intro to Sam", "the deck review"]


def test_nothing_known() -> None:
    assert not picture_of(contact(), now=NOW).knows_something_specific()
