"""The ranking behind /due, with an injected clock and records built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.insight.attention import Section, needs_attention, top_needs
from bot.domain.model import (
    Contact,
    Fact,
    FactKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Tier,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)  # Friday 20:00 in Berlin
LONG_AGO = NOW - timedelta(days=400)


def person(cid: str, name: str, tier: Tier = Tier.NETWORK, *, days_ago: float = 1) -> Contact:
    return Contact(
        id=cid,
        name=name,
        tier=tier,
        created_at=LONG_AGO,
        last_interaction_at=NOW - timedelta(days=days_ago),
    )


def reminder(
    rid: str,
    kind: ReminderKind,
    contact: str,
    due: datetime,
    status: ReminderStatus = ReminderStatus.PENDING,
    delivered: datetime | None = None,
    text: str = "",
) -> Reminder:
    return Reminder(
        id=rid,
        kind=kind,
        due_at=due,
        contact_id=contact,
        text=text,
        status=status,
        delivered_at=delivered,
        created_at=LONG_AGO,
    )


def ranked(contacts: list[Contact], reminders: list[Reminder]) -> list[tuple[Section, str]]:
    return [(n.section, n.contact.name) for n in needs_attention(contacts, reminders, NOW, BERLIN)]


def test_keep_in_touch_is_ranked_by_how_overdue_against_each_tiers_cadence() -> None:
    contacts = [
        person("a", "Ana", Tier.INNER, days_ago=28),  # 2.0x her 14 days
        person("b", "Ben", Tier.NETWORK, days_ago=135),  # 1.5x his 90 days (more days, less late)
        person("c", "Cem", Tier.CLOSE, days_ago=75),  # 2.5x his 30 days
        person("d", "Dev", Tier.ACQUAINTANCE, days_ago=170),  # within 180: not shown
        person("e", "Eva", Tier.CLOSE, days_ago=29),  # within 30: not shown
    ]
    assert ranked(contacts, []) == [
        (Section.KEEP, "Cem"),
        (Section.KEEP, "Ana"),
        (Section.KEEP, "Ben"),
    ]
    needs = needs_attention(contacts, [], NOW, BERLIN)
    assert [round(n.overdue_ratio, 2) for n in needs] == [2.5, 2.0, 1.5]


def test_a_contact_let_drift_is_not_nagged_about() -> None:
    drifting = person("a", "Ana", Tier.INNER, days_ago=100)
    drifting.drifting = True
    assert ranked([drifting], []) == []


def test_the_conference_evening_shows_the_follow_ups_waiting_for_tomorrow() -> None:
    """The quoted problem: 'Nobody is overdue' with four reminders waiting."""
    met = [person(c, n, days_ago=0) for c, n in (("a", "Ana"), ("b", "Ben"), ("c", "Cem"))]
    morning = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 09:00 Berlin tomorrow
    reminders = [
        reminder("f1", ReminderKind.FOLLOW_UP, "a", morning),
        reminder("f2", ReminderKind.FOLLOW_UP, "b", morning),
        reminder("g1", ReminderKind.GRATITUDE, "c", morning, text="the intro to Sam"),
        reminder("p1", ReminderKind.PROMISE, "a", morning, text="send the deck"),
        # A week away: not today's business.
        reminder("f3", ReminderKind.FOLLOW_UP, "c", morning + timedelta(days=7)),
    ]
    assert ranked(met, reminders) == [
        (Section.PROMISE, "Ana"),
        (Section.GRATITUDE, "Cem"),
        (Section.FOLLOW_UP, "Ana"),
        (Section.FOLLOW_UP, "Ben"),
    ]


def test_delivered_reminders_waiting_for_an_answer_come_first_longest_waiting_first() -> None:
    contacts = [person("a", "Ana"), person("b", "Ben"), person("c", "Cem", Tier.CLOSE, days_ago=45)]
    reminders = [
        reminder(
            "w1",
            ReminderKind.CUSTOM,
            "a",
            NOW - timedelta(days=1),
            ReminderStatus.DELIVERED,
            delivered=NOW - timedelta(days=1),
        ),
        reminder(
            "w2",
            ReminderKind.EVENT_FOLLOW_UP,
            "b",
            NOW - timedelta(days=3),
            ReminderStatus.DELIVERED,
            delivered=NOW - timedelta(days=3),
        ),
        # A delivered keep-in-touch stands in for Cem's overdue line: one line, not two.
        reminder(
            "w3",
            ReminderKind.KEEP_IN_TOUCH,
            "c",
            NOW - timedelta(days=2),
            ReminderStatus.DELIVERED,
            delivered=NOW - timedelta(days=2),
        ),
    ]
    assert ranked(contacts, reminders) == [
        (Section.WAITING, "Ben"),
        (Section.WAITING, "Cem"),
        (Section.WAITING, "Ana"),
    ]


def test_a_late_promise_comes_before_one_due_tomorrow() -> None:
    contacts = [person("a", "Ana"), person("b", "Ben")]
    reminders = [
        reminder("p1", ReminderKind.PROMISE, "b", NOW + timedelta(hours=14)),
        reminder("p2", ReminderKind.PROMISE, "a", NOW - timedelta(days=2)),
    ]
    assert ranked(contacts, reminders) == [(Section.PROMISE, "Ana"), (Section.PROMISE, "Ben")]


def test_their_events_in_the_coming_week_are_listed_soonest_first() -> None:
    ana, ben, cem = person("a", "Ana"), person("b", "Ben"), person("c", "Cem")
    ana.facts = [Fact(FactKind.EVENT, "runs the Berlin marathon", LONG_AGO, on=date(2026, 12, 2))]
    ben.facts = [Fact(FactKind.EVENT, "talk at KubeCon", LONG_AGO, on=date(2026, 11, 29))]
    cem.facts = [Fact(FactKind.EVENT, "wedding", LONG_AGO, on=date(2027, 1, 9))]  # too far off
    needs = needs_attention([ana, ben, cem], [], NOW, BERLIN)
    assert [(n.contact.name, n.text) for n in needs] == [
        ("Ben", "talk at KubeCon"),
        ("Ana", "runs the Berlin marathon"),
    ]
    assert all(n.section is Section.EVENT and n.reminder is None for n in needs)


def test_birthdays_show_three_days_ahead_and_user_level_digests_never() -> None:
    contacts = [person("a", "Ana")]
    reminders = [
        reminder("b1", ReminderKind.BIRTHDAY, "a", NOW + timedelta(days=2)),
        reminder("d1", ReminderKind.WEEKLY_REVIEW, "", NOW - timedelta(hours=1)),
        reminder("d2", ReminderKind.MORNING_DIGEST, "", NOW - timedelta(hours=1)),
        reminder("x", ReminderKind.FOLLOW_UP, "gone", NOW),  # a forgotten contact's leftover
    ]
    assert ranked(contacts, reminders) == [(Section.EVENT, "Ana")]


def test_sections_come_in_their_fixed_order() -> None:
    contacts = [
        person("a", "Ana", Tier.INNER, days_ago=40),
        person("b", "Ben"),
        person("c", "Cem"),
        person("d", "Dev"),
    ]
    contacts[1].facts = [Fact(FactKind.EVENT, "pitch", LONG_AGO, on=date(2026, 11, 30))]
    reminders = [
        reminder("g", ReminderKind.GRATITUDE, "c", NOW),
        reminder("w", ReminderKind.CUSTOM, "d", NOW, ReminderStatus.DELIVERED, delivered=NOW),
        reminder("p", ReminderKind.PROMISE, "b", NOW),
        reminder("f", ReminderKind.FOLLOW_UP, "c", NOW),
    ]
    sections = [n.section for n in needs_attention(contacts, reminders, NOW, BERLIN)]
    assert sections == sorted(sections)
    assert sections == [
        Section.WAITING,
        Section.PROMISE,
        Section.GRATITUDE,
        Section.FOLLOW_UP,
        Section.EVENT,
        Section.KEEP,
    ]


def test_two_reminders_about_one_person_are_two_lines() -> None:
    """Maria's follow-up and her promise, both delivered: neither hides the other."""
    contacts = [person("a", "Ana")]
    sent = NOW - timedelta(hours=2)
    reminders = [
        reminder("f", ReminderKind.FOLLOW_UP, "a", sent, ReminderStatus.DELIVERED, delivered=sent),
        reminder("p", ReminderKind.PROMISE, "a", sent, ReminderStatus.DELIVERED, delivered=sent),
        reminder("q", ReminderKind.PROMISE, "a", NOW + timedelta(hours=3), text="the deck"),
    ]
    needs = needs_attention(contacts, reminders, NOW, BERLIN)
    assert sorted(n.reminder.id for n in needs if n.reminder) == ["f", "p", "q"]


def test_the_first_lines_are_the_head_of_the_whole_ranking_and_the_count_is_all() -> None:
    contacts = [person(f"c-{n}", f"Person {n % 7}", days_ago=100 + n % 13) for n in range(60)]
    reminders = [
        reminder(
            "r-w", ReminderKind.FOLLOW_UP, "c-1", NOW, ReminderStatus.DELIVERED, delivered=NOW
        ),
        reminder("r-p", ReminderKind.PROMISE, "c-2", NOW + timedelta(hours=3)),
        reminder("r-k", ReminderKind.KEEP_IN_TOUCH, "c-3", NOW + timedelta(days=40)),
    ]
    everything = needs_attention(contacts, reminders, NOW, BERLIN)
    for limit in (0, 1, 2, 5, 60, 100):
        shown, total = top_needs(contacts, reminders, NOW, BERLIN, limit)
        assert shown == everything[:limit]
        assert total == len(everything) == 62
