"""What may be mentioned to a contact: facts only, fresh by tier, events by date, nothing creepy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.content.details import meeting_phrase, picture_of
from bot.domain.memory.phrase import Form, Timing
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind, Tier

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def contact(tier: Tier = Tier.NETWORK, *facts: Fact) -> Contact:
    return Contact(id="c-1", name="Maria Lopez", tier=tier, facts=list(facts), created_at=NOW)


def fact(kind: FactKind, text: str, days_ago: int, on: date | None = None) -> Fact:
    return Fact(kind, text, NOW - timedelta(days=days_ago), on=on)


def test_fresh_fact_is_known() -> None:
    picture = picture_of(
        contact(Tier.NETWORK, fact(FactKind.GOAL, "wants to hire a designer", 10)), now=NOW
    )
    (goal,) = picture.slots["goal"]
    assert goal.words(Form.NOUN) == "your plan to hire a designer"
    assert goal.words(Form.GERUND) == "hiring a designer"
    assert picture.has("topic")


def test_nine_month_old_fact_about_an_acquaintance_is_not_surfaced() -> None:
    old = fact(FactKind.GOAL, "wants to move to Lisbon", 270)
    assert not picture_of(contact(Tier.ACQUAINTANCE, old), now=NOW).has("goal")
    # The same fact about someone close is still fair to mention.
    assert picture_of(contact(Tier.CLOSE, old), now=NOW).has("goal")


def test_fresher_details_come_first() -> None:
    picture = picture_of(
        contact(
            Tier.NETWORK,
            fact(FactKind.INTEREST, "loves chess", 60),
            fact(FactKind.INTEREST, "loves bouldering", 2),
        ),
        now=NOW,
    )
    assert [d.words(Form.NOUN) for d in picture.slots["interest"]] == ["bouldering", "chess"]


def test_personal_matters_only_with_people_you_are_close_to() -> None:
    health = fact(FactKind.OTHER, "recovering from knee surgery", 5)
    family = fact(FactKind.FAMILY, "daughter started school", 5)
    distant = picture_of(contact(Tier.NETWORK, health, family), now=NOW)
    assert not distant.knows_something_specific()
    close = picture_of(contact(Tier.INNER, health, family), now=NOW)
    assert close.has("family")
    assert not close.has("topic")  # never "saw this and thought of you" about surgery


def test_events_by_date() -> None:
    ahead = fact(FactKind.EVENT, "running the Berlin marathon", 5, on=date(2026, 12, 20))
    past = fact(FactKind.EVENT, "interviewing at Stripe", 5, on=date(2026, 11, 24))
    stale = fact(FactKind.EVENT, "hosting a hackathon", 5, on=date(2026, 8, 1))
    picture = picture_of(contact(Tier.NETWORK, ahead, past, stale), now=NOW)
    timings = {d.words(Form.NOUN): d.timing for d in picture.slots["event"]}
    assert timings == {
        "the Berlin marathon": Timing.AHEAD,
        "the interview at Stripe": Timing.JUST_HAPPENED,
    }


def test_recent_meeting_names_its_real_kind_and_occasion() -> None:
    c = contact(Tier.CLOSE)
    dinner = Interaction("i-1", ["c-1"], InteractionKind.DINNER, NOW - timedelta(days=2), "Dinner.")
    assert picture_of(c, now=NOW, interactions=[dinner]).slots["meeting"][0].text == "dinner"
    conference = Interaction(
        "i-2",
        ["c-1"],
        InteractionKind.CONFERENCE,
        NOW - timedelta(days=1),
        "",
        occasion="ProductCon",
    )
    picture = picture_of(c, now=NOW, interactions=[conference])
    assert picture.slots["meeting"][0].text == "our chat at ProductCon"
    assert meeting_phrase(InteractionKind.BREAKFAST) == "breakfast"


def test_long_gap() -> None:
    c = contact(Tier.CLOSE)
    c.last_interaction_at = NOW - timedelta(days=100)
    long_ago = Interaction("i-2", ["c-1"], InteractionKind.CALL, NOW - timedelta(days=100), "")
    picture = picture_of(c, now=NOW, interactions=[long_ago])
    assert not picture.has("meeting")
    assert picture.slots["since"][0].text == "a couple of months"
    assert picture.long_gap


def test_the_note_itself_is_never_read_only_facts() -> None:
    note = Interaction(
        "i-1",
        ["c-1"],
        InteractionKind.COFFEE,
        NOW - timedelta(days=1),
        "Coffee with Maria. She is training for the Berlin marathon. She mentioned her surgery.",
    )
    picture = picture_of(contact(), now=NOW, interactions=[note])
    assert not picture.knows_something_specific()


def test_told_details_come_first() -> None:
    picture = picture_of(
        contact(Tier.NETWORK, fact(FactKind.HELPED_ME, "reviewed my deck", 3)),
        now=NOW,
        told={"help": "the intro to Sam"},
    )
    assert [d.text for d in picture.slots["help"]] == ["the intro to Sam", "your review of my deck"]


def test_birthdays_and_roles_are_never_details() -> None:
    picture = picture_of(
        contact(
            Tier.NETWORK,
            fact(FactKind.EVENT, "birthday is", 1, on=date(2027, 3, 20)),
            fact(FactKind.WORK, "CPO at Paystack", 1),
        ),
        now=NOW,
    )
    assert not picture.knows_something_specific()


def test_nothing_known() -> None:
    assert not picture_of(contact(), now=NOW).knows_something_specific()


def test_recent_work_news_fills_the_news_slot_beside_work() -> None:
    """Found as a user: "just got promoted to VP eng" gave no congratulations, no draft at all."""
    picture = picture_of(
        contact(Tier.NETWORK, fact(FactKind.WORK, "promoted to VP eng", 1)), now=NOW
    )
    (news,) = picture.slots["news"]
    assert news.words(Form.NOUN) == "your promotion to VP eng"
    assert picture.has("work")


def test_an_event_about_their_family_waits_until_you_are_close() -> None:
    """Found as a user: "Good luck with your son starting uni" to someone from the running club.

    The same line /review draws on the user's own drafts: family is personal.
    """
    son = fact(FactKind.EVENT, "son is starting uni in sept", 1, on=date(2027, 9, 1))
    distant = picture_of(contact(Tier.NETWORK, son), now=NOW)
    assert not any("son" in d.words(Form.NOUN) for ds in distant.slots.values() for d in ds)
    close = picture_of(contact(Tier.CLOSE, son), now=NOW)
    assert any("son" in d.words(Form.NOUN) for ds in close.slots.values() for d in ds)
    work = fact(FactKind.WORK, "made partner at the firm", 1)
    assert picture_of(contact(Tier.NETWORK, work), now=NOW).has("work")
