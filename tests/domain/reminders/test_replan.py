"""The one replanning mechanism: every change that can move a plan, settled from the records."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus, Tier, UserProfile
from bot.domain.reminders.planning import Plan
from bot.domain.reminders.replan import Basis, replan

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)  # Friday, 11:00 in Berlin
BERLIN = UserProfile("u", timezone="Europe/Berlin")


def contact(cid: str, **kw: object) -> Contact:
    base: dict[str, object] = {"created_at": NOW - timedelta(days=400), "last_interaction_at": NOW}
    return Contact(id=cid, name=f"Person {cid}", **{**base, **kw})  # type: ignore[arg-type]


def settle(contacts: list[Contact], reminders: list[Reminder], profile: UserProfile, **kw: object):
    """Replan and apply the plan, as the engine does; return the open reminders after."""
    plan = replan(contacts, reminders, profile, NOW, **kw)  # type: ignore[arg-type]
    by_id = {r.id: r for r in reminders}
    for r in plan.to_save:
        by_id[r.id] = r
    return [r for r in by_id.values() if r.status is not ReminderStatus.CANCELLED], plan


def keep(reminders: list[Reminder], cid: str) -> Reminder:
    (found,) = [
        r for r in reminders if r.kind is ReminderKind.KEEP_IN_TOUCH and r.contact_id == cid
    ]
    return found


def test_a_tier_change_moves_the_keep_in_touch_date() -> None:
    """The quoted problem: tapping `inner` said 14 days, /reminders still showed 90."""
    maria = contact("c-m")
    reminders, _ = settle([maria], [], BERLIN)
    assert keep(reminders, "c-m").due_at == datetime(2027, 2, 25, 8, tzinfo=UTC)  # 90 days
    maria.tier = Tier.INNER
    reminders, plan = settle([maria], reminders, BERLIN)
    assert keep(reminders, "c-m").due_at == datetime(2026, 12, 11, 8, tzinfo=UTC)  # 14 days
    assert [r.kind for r in plan.changed] == [ReminderKind.KEEP_IN_TOUCH]


def test_drifting_cancels_and_a_new_tier_plans_again() -> None:
    maria = contact("c-m", drifting=True)
    reminders, _ = settle([contact("c-m")], [], BERLIN)
    reminders, _ = settle([maria], reminders, BERLIN)
    assert not [r for r in reminders if r.kind is ReminderKind.KEEP_IN_TOUCH]
    # The tier button clears "let it drift": a tier change must plan, not only cancel.
    maria.drifting, maria.tier = False, Tier.CLOSE
    reminders, _ = settle([maria], reminders, BERLIN)
    assert keep(reminders, "c-m").due_at == datetime(2026, 12, 27, 8, tzinfo=UTC)


def test_replanning_twice_changes_nothing_the_second_time() -> None:
    people = [contact(f"c-{n}", birthday=date(1990, 1 + n, 10)) for n in range(8)]
    promise = Reminder(
        "r-p", ReminderKind.PROMISE, NOW, "c-0", on=date(2026, 12, 4), created_at=NOW
    )
    reminders, first = settle(people, [promise], BERLIN, nudged_today=1)
    assert first
    _, second = settle(people, reminders, BERLIN, nudged_today=1)
    assert second == Plan()


def test_a_new_time_zone_keeps_the_wall_clock_time_and_exact_moments_stay() -> None:
    """The quoted problem: /settings timezone UTC-5 left a 09:00-Berlin follow-up at 03:00."""
    follow = Reminder(
        "r-f", ReminderKind.FOLLOW_UP, datetime(2026, 11, 28, 8, tzinfo=UTC), "c-m"
    )  # 09:00 Berlin
    call = Reminder(
        "r-c", ReminderKind.CUSTOM, NOW + timedelta(hours=3), "c-m", exact=True
    )  # "in 3 hours"
    new_york_ish = UserProfile("u", timezone="Etc/GMT+5")  # UTC-5
    reminders, _ = settle([contact("c-m")], [follow, call], new_york_ish, basis=Basis.of(BERLIN))
    moved = next(r for r in reminders if r.id == "r-f")
    assert moved.due_at.astimezone(ZoneInfo("Etc/GMT+5")).time() == time(9, 0)
    assert moved.due_at.astimezone(ZoneInfo("Etc/GMT+5")).date() == date(2026, 11, 28)
    assert next(r for r in reminders if r.id == "r-c").due_at == NOW + timedelta(hours=3)


def test_a_longer_follow_up_delay_moves_the_waiting_follow_ups() -> None:
    follow = Reminder("r-f", ReminderKind.FOLLOW_UP, datetime(2026, 11, 28, 8, tzinfo=UTC), "c-m")
    later = replace(BERLIN, follow_up_after=timedelta(days=3))
    reminders, _ = settle([contact("c-m")], [follow], later, basis=Basis.of(BERLIN))
    assert next(r for r in reminders if r.id == "r-f").due_at == datetime(
        2026, 11, 30, 8, tzinfo=UTC
    )


def test_lead_times_for_promises_and_birthdays_come_from_the_profile() -> None:
    promise = Reminder("r-p", ReminderKind.PROMISE, NOW, "c-m", on=date(2026, 12, 11))
    maria = contact("c-m", birthday=date(1991, 12, 20))
    reminders, _ = settle([maria], [promise], BERLIN)
    assert next(r for r in reminders if r.id == "r-p").due_at.date() == date(2026, 12, 10)
    birthday = next(r for r in reminders if r.kind is ReminderKind.BIRTHDAY)
    assert (birthday.on, birthday.due_at.date()) == (date(2026, 12, 20), date(2026, 12, 17))

    longer = replace(BERLIN, promise_lead=timedelta(days=3), birthday_lead=timedelta(days=7))
    reminders, _ = settle([maria], reminders, longer)
    assert next(r for r in reminders if r.id == "r-p").due_at.date() == date(2026, 12, 8)
    birthday = next(r for r in reminders if r.kind is ReminderKind.BIRTHDAY)
    assert birthday.due_at.date() == date(2026, 12, 13)


def test_no_more_than_the_cap_of_keep_in_touch_nudges_land_on_one_day() -> None:
    """The quoted problem: five keep-in-touch nudges landed on one morning."""
    people = [contact(f"c-{n}") for n in range(7)]
    reminders, _ = settle(people, [], BERLIN)
    days = Counter(r.due_at.date() for r in reminders)
    assert max(days.values()) == 3
    assert sorted(days.values()) == [1, 3, 3]
    # Closer people get the first day.
    people[6].tier = Tier.INNER
    people[6].last_interaction_at = NOW - timedelta(days=76)  # due the same day as the rest
    reminders, _ = settle(people, reminders, BERLIN)
    first_day = min(r.due_at for r in reminders)
    assert keep(reminders, "c-6").due_at == first_day

    uncapped = replace(BERLIN, nudges_per_day=0)
    reminders, _ = settle([contact(f"c-{n}") for n in range(7)], [], uncapped)
    assert len({r.due_at for r in reminders}) == 1


def due_dates(reminders: list[Reminder]) -> dict[str, datetime]:
    return {r.contact_id: r.due_at for r in reminders if r.kind is ReminderKind.KEEP_IN_TOUCH}


def test_replanning_only_the_touched_contacts_leaves_the_others_alone() -> None:
    roomy = replace(BERLIN, nudges_per_day=10)
    people = [contact(f"c-{n}") for n in range(6)]
    reminders, _ = settle(people, [], roomy)
    before = due_dates(reminders)
    people[0].last_interaction_at = NOW + timedelta(days=1)
    people[5].tier = Tier.INNER  # changed too, but not part of this change: left as it is
    reminders, plan = settle(people, reminders, roomy, only={"c-0"})
    assert {r.contact_id for r in plan.to_save} == {"c-0"}
    assert due_dates(reminders) == {**before, "c-0": before["c-0"] + timedelta(days=1)}


def test_replanning_the_touched_contacts_on_crowded_days_ends_as_replanning_everyone() -> None:
    """Three a day: c-0 moving onto a full day, or off one, moves others too."""
    people = [contact(f"c-{n}") for n in range(7)]
    reminders, _ = settle(people, [], BERLIN)
    for moved in (NOW + timedelta(days=1), NOW - timedelta(days=1)):
        people[0].last_interaction_at = moved
        alone, _ = settle(people, reminders, BERLIN, only={"c-0"})
        everyone, _ = settle(people, reminders, BERLIN)
        assert due_dates(alone) == due_dates(everyone)
        assert max(Counter(r.due_at.date() for r in alone).values()) == 3
    _, plan = settle(people, alone, BERLIN)
    assert not plan


def test_replanning_a_touched_contact_without_a_nudge_plans_one() -> None:
    reminders, _ = settle([contact("c-0")], [], BERLIN)
    reminders, plan = settle([contact("c-0"), contact("c-1")], reminders, BERLIN, only={"c-1"})
    assert [r.contact_id for r in plan.created] == ["c-1"]
    assert not plan.changed


def test_nudges_already_sent_today_count_against_todays_cap() -> None:
    overdue = [contact(f"c-{n}", last_interaction_at=NOW - timedelta(days=200)) for n in range(3)]
    reminders, _ = settle(overdue, [], BERLIN, nudged_today=2)
    today = [r for r in reminders if r.due_at <= NOW]
    assert len(today) == 1  # two went out already: one more fits today
    assert all(
        r.due_at == datetime(2026, 11, 28, 8, tzinfo=UTC) for r in reminders if r.due_at > NOW
    )


def test_a_forgotten_person_leaves_no_waiting_reminder_but_yours_stay() -> None:
    theirs = Reminder("r-1", ReminderKind.CUSTOM, NOW + timedelta(days=1), "c-gone")
    yours = Reminder("r-2", ReminderKind.CUSTOM, NOW + timedelta(days=1), "")
    reminders, plan = settle([], [theirs, yours], BERLIN)
    assert [r.id for r in reminders] == ["r-2"]
    assert [(r.id, r.status) for r in plan.changed] == [("r-1", ReminderStatus.CANCELLED)]


def test_a_snoozed_keep_in_touch_is_never_pulled_back_and_a_hand_set_time_stays() -> None:
    maria = contact("c-m", last_interaction_at=NOW - timedelta(days=100))
    snoozed = Reminder(
        "r-k",
        ReminderKind.KEEP_IN_TOUCH,
        NOW + timedelta(days=7),
        "c-m",
        not_before=NOW + timedelta(days=7),
    )
    _, plan = settle([maria], [snoozed], BERLIN)
    # It only learns its cadence day (planned before nudges kept one).
    assert [(r.due_at, r.on) for r in plan.changed] == [(snoozed.due_at, date(2026, 11, 17))]
    pinned = Reminder(
        "r-p",
        ReminderKind.PROMISE,
        NOW + timedelta(hours=5),
        "c-m",
        on=date(2026, 12, 9),
        pinned=True,
    )
    _, plan = settle([maria], [snoozed, pinned], BERLIN)
    assert "r-p" not in {r.id for r in plan.changed}


def test_delivered_nudges_nobody_answered_expire_after_a_month() -> None:
    old = Reminder(
        "r-f",
        ReminderKind.FOLLOW_UP,
        NOW - timedelta(days=40),
        "c-m",
        status=ReminderStatus.DELIVERED,
        delivered_at=NOW - timedelta(days=40),
    )
    promise = replace(old, id="r-p", kind=ReminderKind.PROMISE)
    reminders, _ = settle([contact("c-m")], [old, promise], BERLIN)
    assert {r.id for r in reminders if r.status is ReminderStatus.DELIVERED} == {"r-p"}


def test_replanning_the_touched_contacts_ends_as_replanning_everyone_on_any_crowding() -> None:
    """Many changes to a few people among many on full days: the same plan either way."""
    rng = random.Random(15)
    tiers = list(Tier)
    for trial in range(60):
        people = [
            contact(
                f"c-{n}",
                tier=rng.choice(tiers),
                last_interaction_at=NOW - timedelta(days=rng.randrange(0, 200)),
            )
            for n in range(rng.randrange(5, 40))
        ]
        profile = replace(BERLIN, nudges_per_day=rng.choice([1, 2, 3, 3, 5]))
        reminders, _ = settle(people, [], profile)
        for _ in range(6):
            touched = set(rng.sample([c.id for c in people], rng.choice([1, 1, 2])))
            for person in people:
                if person.id not in touched:
                    continue
                change = rng.choice(["log", "tier", "drift", "back"])
                if change == "log":
                    person.last_interaction_at = NOW - timedelta(days=rng.randrange(-3, 120))
                elif change == "tier":
                    person.tier = rng.choice(tiers)
                else:
                    person.drifting = change == "drift"
            alone, _ = settle(people, reminders, profile, only=touched)
            everyone, _ = settle(people, reminders, profile)
            assert due_dates(alone) == due_dates(everyone), trial
            _, again = settle(people, alone, profile)
            assert not again, trial
            reminders = alone
