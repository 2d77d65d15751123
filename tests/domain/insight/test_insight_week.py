"""Every figure of the weekly review, from a hand-built week whose answers are known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.content.pillars import Pillar
from bot.domain.insight.week import WeekReview, review_week
from bot.domain.model import (
    Contact,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Tier,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # Sunday 18:00 in Berlin
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def at(day: int, hour: int) -> datetime:
    """A moment in November 2026, Berlin wall time."""
    return datetime(2026, 11, day, hour, 0, tzinfo=BERLIN).astimezone(UTC)


def person(cid: str, name: str, tier: Tier, last: datetime, *, drifting: bool = False) -> Contact:
    return Contact(
        id=cid,
        name=name,
        tier=tier,
        created_at=LONG_AGO,
        last_interaction_at=last,
        drifting=drifting,
    )


def met(
    iid: str, who: list[str], when: datetime, pillar: Pillar, *, draft: str = "", kind=None
) -> Interaction:
    return Interaction(
        id=iid,
        contact_ids=who,
        kind=kind or InteractionKind.COFFEE,
        occurred_at=when,
        note="",
        created_at=when,
        pillar=pillar,
        draft=draft,
    )


def rem(
    rid: str,
    kind: ReminderKind,
    contact: str,
    due: datetime,
    status: ReminderStatus,
    *,
    closed: datetime | None = None,
    interaction: str | None = None,
) -> Reminder:
    return Reminder(
        id=rid,
        kind=kind,
        due_at=due,
        contact_id=contact,
        status=status,
        closed_at=closed,
        interaction_id=interaction,
        created_at=LONG_AGO,
    )


CONTACTS = [
    person("ana", "Ana Lopez", Tier.CLOSE, at(25, 9)),
    person("ben", "Ben Ortiz", Tier.NETWORK, at(24, 12)),
    person("cem", "Cem Kaya", Tier.INNER, at(24, 12)),
    person("dev", "Dev Shah", Tier.NETWORK, NOW - timedelta(days=200)),  # 2.2x of 90 days
    person("eva", "Eva Meyer", Tier.CLOSE, NOW - timedelta(days=70)),  # 2.3x of 30 days
    person("fay", "Fay Kim", Tier.ACQUAINTANCE, at(28, 20)),
    person("gus", "Gus Brandt", Tier.NETWORK, NOW - timedelta(days=400), drifting=True),
]
D, P, C, S = ReminderStatus.DONE, ReminderStatus.PENDING, ReminderStatus.CANCELLED, None
INTERACTIONS = [  # newest first, as the store yields them
    met("i4", ["fay"], at(28, 20), Pillar.FULFILMENT, kind=InteractionKind.CALL),
    met("i3", ["ana"], at(25, 9), Pillar.TRUST, draft="thank-you", kind=InteractionKind.MESSAGE),
    met("i2", ["ben", "cem"], at(24, 12), Pillar.OPPORTUNITIES, kind=InteractionKind.LUNCH),
    met("i1", ["ana"], at(23, 10), Pillar.TRUST),
    met("i0", ["ben"], at(20, 19), Pillar.FULFILMENT, kind=InteractionKind.DRINKS),
    met("old", ["cem"], at(5, 12), Pillar.MENTORSHIP),
]
OPEN = [
    rem("r3", ReminderKind.GRATITUDE, "cem", at(25, 9), ReminderStatus.DELIVERED, interaction="i2"),
    rem("r4", ReminderKind.FOLLOW_UP, "fay", at(29, 9), P, interaction="i4"),
    rem("p3", ReminderKind.PROMISE, "cem", at(28, 9), ReminderStatus.DELIVERED),
    rem("p4", ReminderKind.PROMISE, "dev", at(30, 9), P),
]
FINISHED = [  # the last finished first
    rem("p2", ReminderKind.PROMISE, "ben", at(25, 9), D, closed=at(27, 10)),
    rem("r2", ReminderKind.FOLLOW_UP, "ben", at(25, 9), D, closed=at(27, 9), interaction="i2"),
    rem("p1", ReminderKind.PROMISE, "ana", at(26, 9), D, closed=at(26, 15)),
    rem("p5", ReminderKind.PROMISE, "eva", at(24, 9), C, closed=at(24, 8)),
    rem("r1", ReminderKind.FOLLOW_UP, "ana", at(24, 9), C, interaction="i1"),
    rem("r5", ReminderKind.GRATITUDE, "ben", at(21, 9), D, closed=at(23, 8), interaction="i0"),
    rem("r0", ReminderKind.FOLLOW_UP, "ben", at(21, 9), D, closed=at(21, 9), interaction="i0"),
]


@pytest.fixture
def review() -> WeekReview:
    return review_week(
        contacts=CONTACTS,
        interactions=iter(INTERACTIONS),
        open_reminders=OPEN,
        finished_reminders=iter(FINISHED),
        now=NOW,
        zone=BERLIN,
    )


def test_who_you_talked_to(review: WeekReview) -> None:
    assert [c.name for c in review.talked_to] == ["Fay Kim", "Ana Lopez", "Ben Ortiz", "Cem Kaya"]
    assert review.interactions == 4
    assert not review.quiet


def test_follow_ups_within_48_hours(review: WeekReview) -> None:
    # Due this week: Ben after the drinks (done in time), Ana after coffee (a message
    # 47 hours later), Ben and Cem after lunch (done late; never done). Fay's runs out next week.
    assert (review.follow_ups_due, review.follow_ups_in_time) == (4, 2)
    assert review.follow_up_percent == 50


def test_promises_kept_on_time(review: WeekReview) -> None:
    # Ana's kept on the day; Ben's two days late; Cem's still open; Eva's cancelled;
    # Dev's falls due next week.
    assert (review.promises_due, review.promises_kept) == (3, 1)


def test_thank_yous_sent_and_still_owed(review: WeekReview) -> None:
    assert sorted(c.first_name for c in review.thanked) == ["Ana", "Ben"]
    assert review.thanks_owed == 1


def test_who_is_drifting_most_overdue_first(review: WeekReview) -> None:
    assert [(d.contact.first_name, round(d.ratio, 2)) for d in review.drifting] == [
        ("Eva", 2.33),
        ("Dev", 2.22),
    ]


def test_pillar_balance_and_the_neglected_pillar(review: WeekReview) -> None:
    assert review.pillars == {
        Pillar.TRUST: 2,
        Pillar.COLLABORATION: 0,
        Pillar.MENTORSHIP: 0,
        Pillar.OPPORTUNITIES: 1,
        Pillar.REPUTATION: 0,
        Pillar.LONG_TERM: 0,
        Pillar.FULFILMENT: 1,
    }
    # Over four weeks mentorship (5 Nov) and fulfilment (20 Nov) count too; the first
    # pillar in the seed's order with none is collaboration.
    assert review.neglected.pillar is Pillar.COLLABORATION
    assert review.neglected.count == 0
    assert "share one thing you learned" in review.neglected.idea


def test_three_suggested_actions(review: WeekReview) -> None:
    kinds = [(a.kind, a.contact.first_name if a.contact else None) for a in review.actions]
    assert kinds == [("promise", "Cem"), ("promise", "Dev"), ("pillar", None)]
    assert review.actions[0].situation == "promise-kept"


def test_a_week_with_nothing_logged_is_quiet_and_still_suggests_something() -> None:
    quiet = review_week(
        contacts=CONTACTS,
        interactions=iter(INTERACTIONS),
        open_reminders=[],
        finished_reminders=iter([]),
        now=NOW + timedelta(days=14),
        zone=BERLIN,
    )
    assert quiet.quiet
    assert quiet.talked_to == []
    assert quiet.follow_up_percent is None
    assert len(quiet.actions) == 3
    assert quiet.actions[0].kind == "reconnect"  # the most overdue person first
