"""Delivery lateness for 10,000 reminders due within the same minute.

Seeds N users with one reminder each, due at random moments within one
minute, starts the real ReminderService (APScheduler job, due index, TinyDB
stores, fsynced claims and records) against a transport with no rate limit,
and reports how late each reminder went out: median and p99 of (sent - due).
Baseline measured in the same run: the same pipeline with 100 reminders.

    python bench/reminders_lateness.py [--reminders 10000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling.indexed_repository import open_repository
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import ReminderService
from bot.storage.due_index import DueIndex
from bot.storage.records import to_record
from bot.storage.tinydb_repository import user_folder
from bot.templates import TemplateLibrary

# The seeded timeline; the service's clock is shifted so this is "now" when delivery starts.
BASE = datetime(2030, 1, 7, 12, 0, tzinfo=UTC)
LEAD = timedelta(seconds=2)


class ShiftedClock:
    """Real time, moved so that `start()` makes it read `at`."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def start(self, at: datetime) -> None:
        self.shift = at - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


def seed(data: Path, count: int, rng: random.Random) -> dict[str, datetime]:
    off = datetime.min.time()
    due_by_user = {}
    for n in range(count):
        user_id = str(20_000_000 + n)
        due = BASE + timedelta(seconds=rng.uniform(0, 60))
        reminder = Reminder(
            id=f"r-{n}", kind=ReminderKind.CUSTOM, due_at=due, contact_id="c-1", text="call"
        )
        tables = {
            "profile": {"1": to_record(UserProfile(user_id, quiet_start=off, quiet_end=off))},
            "contacts": {"1": to_record(Contact(id="c-1", name=f"Person {n}"))},
            "reminders": {"1": to_record(reminder)},
        }
        folder = user_folder(data, user_id)
        folder.mkdir(parents=True, mode=0o700)
        (folder / "coach.json").write_text(json.dumps(tables, separators=(",", ":")))
        due_by_user[user_id] = due
    DueIndex(data / "schedule").merge_rebuilt(due_by_user)
    return due_by_user


async def deliver(
    data: Path, due_by_user: dict[str, datetime], concurrency: int
) -> list[tuple[float, float]]:
    """Return (due, sent) for each reminder, in seconds after BASE."""
    clock = ShiftedClock()
    coach = Coach(repository=open_repository(data), templates=TemplateLibrary(), clock=clock)
    sent_at: dict[str, datetime] = {}

    async def transport(user_id: str, reply: Reply) -> Outcome:
        sent_at.setdefault(user_id, clock.now())
        return Delivered()

    service = ReminderService(
        coach=coach, send=transport, concurrency=concurrency, max_per_second=None
    )
    clock.start(BASE - LEAD)
    await service.start()
    while len(sent_at) < len(due_by_user):
        await asyncio.sleep(0.05)
    await service.stop()
    return [
        ((due - BASE).total_seconds(), (sent_at[u] - BASE).total_seconds())
        for u, due in due_by_user.items()
    ]


def run(count: int, concurrency: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        due_by_user = seed(data, count, random.Random(7))
        timings = asyncio.run(deliver(data, due_by_user, concurrency))
    lateness = sorted(sent - due for due, sent in timings)
    last_sent = max(sent for _, sent in timings)
    p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))]
    return statistics.median(lateness), p99, count / max(last_sent, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print("baseline: 100 reminders ...", file=sys.stderr)
    base_median, base_p99, _ = run(100, args.concurrency)
    print(f"measuring: {args.reminders:,} reminders ...", file=sys.stderr)
    median, p99, rate = run(args.reminders, args.concurrency)
    print(f"{args.reminders:,} reminders due within one minute, transport without rate limit:")
    print(
        f"lateness median {median:.2f} s ({median / max(base_median, 1e-3):.0f}x the "
        f"100-reminder baseline of {base_median * 1000:.0f} ms)"
    )
    print(
        f"lateness p99 {p99:.2f} s ({p99 / max(base_p99, 1e-3):.0f}x the "
        f"100-reminder baseline of {base_p99 * 1000:.0f} ms)"
    )
    print(
        f"sustained about {rate:.0f} messages/s from the first due time to the last send "
        "(Telegram itself allows about 30/s)"
    )


if __name__ == "__main__":
    main()
