"""What the one replanning call costs, as a user's people grow.

Every change that can move a plan ends in `replan` (tier, settings, a log,
/forget...), and delivery runs `freshen` on what is due. This measures, for
users with 50, 500 and 3,000 contacts (a keep-in-touch nudge each, a birthday
for a third, promises and follow-ups for a tenth):

  replan, nothing to change   the steady state (a second call after any change)
  replan after a tier change  one contact moves, the daily cap re-spreads the rest
  freshen, 50 due             the check delivery makes before sending
  /settings nudges 3 turn     a whole engine turn that saves and replans, on disk

against the floor of one atomic write (temp file, fsync, replace) in the same
run. Medians; ratios are against that floor.

    python bench/replanning.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Reminder, ReminderKind, Tier, UserProfile
from bot.domain.reminders.freshness import freshen
from bot.domain.reminders.replan import replan
from bot.engine.coach import Coach
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)
PROFILE = UserProfile("u", timezone="Europe/Berlin")
TIERS = list(Tier)


def people(count: int) -> list[Contact]:
    return [
        Contact(
            id=f"c-{n:012x}",
            name=f"Person{n} Example",
            tier=TIERS[n % len(TIERS)],
            created_at=NOW - timedelta(days=400),
            last_interaction_at=NOW - timedelta(days=n % 100),
            birthday=date(1990, 1 + n % 12, 1 + n % 28) if n % 3 == 0 else None,
        )
        for n in range(count)
    ]


def planned(contacts: list[Contact]) -> list[Reminder]:
    """The open reminders a settled user has: replan from nothing, plus some promises."""
    extra = [
        Reminder(
            f"r-p{n:011x}",
            ReminderKind.PROMISE if n % 2 else ReminderKind.FOLLOW_UP,
            NOW + timedelta(days=1 + n % 5),
            c.id,
            on=(NOW + timedelta(days=2 + n % 5)).date() if n % 2 else None,
        )
        for n, c in enumerate(contacts[::10])
    ]
    return [*replan(contacts, extra, PROFILE, NOW).to_save, *extra]


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        storage = AtomicJSONStorage(Path(tmp) / "floor.json")
        floor = median_ms(lambda: storage.write({"t": {"1": {"x": 1}}}), runs)
        print(f"floor: one atomic write {floor:.2f} ms\n")
        print(f"{'contacts':>8}  {'case':<28} {'median':>9}  {'ratio':>6}")
        for count in (50, 500, 3000):
            contacts = people(count)
            reminders = planned(contacts)
            cases = cases_for(contacts, reminders, Path(tmp) / str(count))
            for name, work in cases.items():
                ms = median_ms(work, runs)
                print(f"{count:>8}  {name:<28} {ms:>7.2f} ms  {ms / floor:>5.1f}×")


def cases_for(
    contacts: list[Contact], reminders: list[Reminder], folder: Path
) -> dict[str, Callable[[], object]]:
    moved = [Contact(**{**contacts[0].__dict__, "tier": Tier.INNER}), *contacts[1:]]
    due = [
        Reminder(f"r-d{n:011x}", ReminderKind.KEEP_IN_TOUCH, NOW, c.id)
        for n, c in enumerate(contacts[:50])
    ]
    return {
        "replan, nothing to change": lambda: replan(contacts, reminders, PROFILE, NOW),
        "replan after a tier change": lambda: replan(moved, reminders, PROFILE, NOW),
        "freshen, 50 due": lambda: freshen(due, reminders, contacts, PROFILE, NOW),
        "/settings nudges 3 turn": turn_on_disk(folder, contacts, reminders),
    }


def turn_on_disk(
    folder: Path, contacts: list[Contact], reminders: list[Reminder]
) -> Callable[[], object]:
    coach = Coach(
        repository=TinyRepository(folder), templates=TemplateLibrary(), clock=ManualClock(NOW)
    )
    with coach.repository.session("u") as store:
        store.save_profile(PROFILE)
        for contact in contacts:
            store.save_contact(contact)
        store.save_reminders(reminders)
    coach.handle_text("u", "/settings nudges 3")  # the basis is written once
    return lambda: coach.handle_text("u", "/settings nudges 3")


if __name__ == "__main__":
    main()
