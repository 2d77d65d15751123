"""An index kept between calls plans, and lists /reminders and /people, as working from
scratch does."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus, Tier, UserProfile
from bot.domain.reminders.planning import Plan
from bot.domain.reminders.replan import Basis, replan
from bot.domain.reminders.replan_index import ReplanIndex

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
ZONES = ["Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "America/New_York"]
KINDS = [
    ReminderKind.PROMISE,
    ReminderKind.BIRTHDAY,
    ReminderKind.EVENT_FOLLOW_UP,
    ReminderKind.FOLLOW_UP,
    ReminderKind.YEARLY,
    ReminderKind.MORNING_DIGEST,
]
STATUSES = [ReminderStatus.PENDING] * 4 + [ReminderStatus.DELIVERED, ReminderStatus.SENDING]


def a_contact(rng: random.Random, n: int) -> Contact:
    return Contact(
        id=f"c-{n}",
        name=f"Person {n}",
        tier=rng.choice(list(Tier)),
        created_at=NOW - timedelta(days=900),
        last_interaction_at=NOW - timedelta(days=rng.randrange(0, 400)),
        drifting=rng.random() < 0.05,
        birthday=date(1990, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.1 else None,
    )


def a_reminder(rng: random.Random, n: int, contacts: int) -> Reminder:
    """Now and then a kind replanning plans from its day, or one delivered, pinned, put off."""
    status = rng.choice(STATUSES)
    due = NOW + timedelta(hours=rng.randint(-24 * 40, 24 * 60))
    nudge = rng.random() < 0.5
    return Reminder(
        id=f"r-{n}",
        kind=ReminderKind.KEEP_IN_TOUCH if nudge else rng.choice(KINDS),
        due_at=due,
        contact_id=f"c-{rng.randrange(contacts + 3)}",  # now and then of no one known
        status=status,
        delivered_at=due if status is ReminderStatus.DELIVERED else None,
        created_at=NOW - timedelta(days=rng.randrange(0, 60)),
        on=(due.date() - timedelta(days=rng.randrange(0, 30))) if rng.random() < 0.7 else None,
        not_before=due if rng.random() < 0.05 else None,
        pinned=rng.random() < 0.05,
    )


def created(plan: Plan) -> list[Reminder]:
    return [replace(r, id="") for r in plan.created]  # new ids are random


def applied(reminders: list[Reminder], plan: Plan) -> list[Reminder]:
    """The open reminders after saving `plan`, as a store hands them out: a changed one in
    its place as a new object, a new one last, a done or cancelled one gone."""
    by_id = {r.id: r for r in reminders}
    for n, reminder in enumerate(plan.to_save):
        by_id[reminder.id] = replace(reminder, id=reminder.id or f"r-new-{n}")
    return [
        r for r in by_id.values() if r.status not in (ReminderStatus.CANCELLED, ReminderStatus.DONE)
    ]


def listing(contacts: list[Contact], reminders: list[Reminder]) -> tuple[int, int, list[str]]:
    """/reminders from scratch: how many delivered (first, by when), how many, their ids."""
    known = {c.id for c in contacts}
    shown = [r for r in reminders if not r.contact_id or r.contact_id in known]
    delivered = [r for r in shown if r.status is ReminderStatus.DELIVERED]
    delivered.sort(key=lambda r: r.delivered_at or r.due_at)
    coming = sorted((r for r in shown if r not in delivered), key=lambda r: r.due_at)
    return len(delivered), len(shown), [r.id for r in [*delivered, *coming]]


@pytest.mark.parametrize(
    ("seed", "forward"),
    # Time going back and forth between turns, and only forward, as a real clock goes: then
    # the dated reminders an earlier turn found in place are not looked at again.
    [(15, False), (17, True)],
)
def test_replanning_with_a_kept_index_plans_as_replanning_from_scratch(
    seed: int, forward: bool
) -> None:
    rng = random.Random(seed)
    for trial in range(25):
        contacts = [a_contact(rng, n) for n in range(rng.randrange(5, 60))]
        profile = UserProfile(
            "u", timezone=rng.choice(ZONES), nudges_per_day=rng.choice([0, 1, 2, 3, 5])
        )
        reminders = applied([a_reminder(rng, n, len(contacts)) for n in range(40)], Plan())
        reminders = applied(reminders, replan(contacts, reminders, profile, NOW))
        kept = ReplanIndex()
        for step in range(30):
            hours = step * 20 + rng.randrange(0, 20) if forward else rng.randrange(0, 30)
            now = NOW + timedelta(hours=hours)
            touched = set(rng.sample([c.id for c in contacts], rng.choice([1, 1, 2])))
            for at, person in enumerate(contacts):
                if person.id in touched:
                    change = rng.choice(["log", "tier", "drift", "back", "birthday"])
                    if change == "log":
                        moved = NOW - timedelta(days=rng.randrange(-3, 120))
                        contacts[at] = replace(person, last_interaction_at=moved)
                    elif change == "tier":
                        contacts[at] = replace(person, tier=rng.choice(list(Tier)))
                    elif change == "birthday":
                        contacts[at] = replace(person, birthday=date(1991, 3, rng.randint(1, 28)))
                    else:
                        contacts[at] = replace(person, drifting=change == "drift")
            if step % 4 == 1:
                contacts.append(a_contact(rng, 100 + step))
                touched.add(contacts[-1].id)
            if step % 5 == 2:
                del contacts[rng.randrange(len(contacts))]  # forgotten: an orphan's reminders
            if step % 3 == 0:
                reminders.append(a_reminder(rng, 1000 + step, len(contacts)))
            if step % 6 == 3:
                at = rng.randrange(len(reminders))
                reminders[at] = replace(reminders[at], status=rng.choice(STATUSES))
            if step % 9 == 8:
                rng.shuffle(reminders)  # handed out in another order: the index follows it
            if step == 20:
                profile = replace(profile, timezone=rng.choice(ZONES))
            if step == 12:  # how early a promise or a birthday is brought up
                profile = replace(profile, promise_lead=timedelta(days=3))
            if step == 16:
                profile = replace(profile, birthday_lead=timedelta(days=5))
            basis = (
                Basis.of(profile)
                if step != 25
                else Basis("UTC", timedelta(days=2), timedelta(days=30))
            )
            nudged = rng.choice([0, 0, 1])
            kw = {"basis": basis, "nudged_today": nudged, "only": touched}
            alone = replan(contacts, reminders, profile, now, **kw)  # type: ignore[arg-type]
            filed = replan(contacts, reminders, profile, now, index=kept, **kw)  # type: ignore[arg-type]
            assert filed.changed == alone.changed, (trial, step)
            assert created(filed) == created(alone), (trial, step)
            kept.refresh(contacts, reminders, ZoneInfo(profile.timezone))
            waiting, total, listed = kept.listing()
            assert (waiting, total, [r.id for r in listed]) == listing(contacts, reminders)
            recent = sorted(contacts, key=last_touch, reverse=True)[:step]  # ties in order
            assert [c.id for c in kept.most_recent(step)] == [c.id for c in recent]
            reminders = applied(reminders, alone)


def test_the_nudges_looked_at_hold_every_one_that_may_wait_for_a_day_or_pass_it() -> None:
    """Of the two ways the index finds them, whichever it takes misses none."""
    rng = random.Random(16)
    zone = ZoneInfo("Europe/Berlin")
    for trial in range(40):
        reminders = [a_reminder(rng, n, 10) for n in range(rng.randrange(1, 80))]
        index = ReplanIndex.of([a_contact(rng, n) for n in range(10)], reminders, zone)
        nudges = [r for r in reminders if r.kind is ReminderKind.KEEP_IN_TOUCH]
        nudges = [r for r in nudges if r.status is ReminderStatus.PENDING]
        for _ in range(20):
            day = NOW.date() + timedelta(days=rng.randrange(-40, 60))
            after = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            later = {r.id for r in nudges if r.due_at >= after and (r.on is None or r.on <= day)}
            assert later <= set(index.due_from(after, day)), trial
            end = after + timedelta(days=rng.randrange(0, 30))
            since = day + timedelta(days=rng.randrange(-10, 10))
            target = datetime.combine(since, time(9), tzinfo=zone)
            between = {
                r.id
                for r in nudges
                if after <= r.due_at < end
                and (
                    r.on is None
                    or r.on >= since
                    or (r.not_before is not None and r.not_before >= target)
                )
            }
            assert between <= set(index.due_between(after, end, since)), trial
