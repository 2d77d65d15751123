"""The /due ranking kept between turns gives what ranking from scratch gives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.insight.attention import top_needs
from bot.domain.insight.attention_index import AttentionIndex
from bot.domain.model import Contact, Fact, FactKind, Reminder, ReminderKind, ReminderStatus, Tier

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)
KINDS = [
    ReminderKind.KEEP_IN_TOUCH,
    ReminderKind.PROMISE,
    ReminderKind.GRATITUDE,
    ReminderKind.FOLLOW_UP,
    ReminderKind.BIRTHDAY,
    ReminderKind.EVENT_FOLLOW_UP,
    ReminderKind.MORNING_DIGEST,
]
STATUSES = [ReminderStatus.PENDING, ReminderStatus.DELIVERED, ReminderStatus.SENDING]


def a_contact(rng: random.Random, n: int) -> Contact:
    facts = [
        Fact(
            FactKind.EVENT,
            f"event {k}",
            NOW,
            on=date(2026, 11, 27) + timedelta(rng.randint(-3, 12)),
        )
        for k in range(rng.randint(0, 2))
    ]
    return Contact(
        id=f"c-{n}",
        name=rng.choice(["Ana", "Ben", "Cleo", "Dev"]),
        tier=rng.choice(list(Tier)),
        created_at=NOW - timedelta(days=900),
        last_interaction_at=NOW - timedelta(days=rng.randint(0, 400)),
        cadence_days=rng.choice([None, None, 10, 45]),
        drifting=rng.random() < 0.1,
        facts=facts,
    )


def a_reminder(rng: random.Random, n: int, contacts: int) -> Reminder:
    status = rng.choice(STATUSES)
    due = NOW + timedelta(hours=rng.randint(-72, 24 * 6))
    return Reminder(
        id=f"r-{n}",
        kind=rng.choice(KINDS),
        due_at=due,
        contact_id=f"c-{rng.randrange(contacts + 2)}",  # some of no one known
        status=status,
        delivered_at=due if status is ReminderStatus.DELIVERED else None,
        created_at=NOW - timedelta(days=30),
    )


def test_an_index_kept_across_changes_ranks_as_one_built_afresh() -> None:
    rng = random.Random(7)
    contacts = [a_contact(rng, n) for n in range(60)]
    reminders = [a_reminder(rng, n, 60) for n in range(80)]
    kept = AttentionIndex()
    for step in range(60):
        # A turn's worth of changes: new objects for a few records, some added or gone.
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(contacts))
            contacts[at] = replace(
                contacts[at], last_interaction_at=NOW - timedelta(days=rng.randint(0, 400))
            )
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(reminders))
            reminders[at] = replace(reminders[at], status=rng.choice(STATUSES))
        if step % 5 == 0:
            reminders.append(a_reminder(rng, 1000 + step, 60))
            del contacts[rng.randrange(len(contacts))]
        if step % 7 == 0:
            del reminders[rng.randrange(len(reminders))]
        now = NOW + timedelta(hours=step * 7)
        for limit in (None, 10):
            assert top_needs(contacts, reminders, now, BERLIN, limit, index=kept) == top_needs(
                contacts, reminders, now, BERLIN, limit
            ), step
