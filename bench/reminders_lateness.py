"""A burst of reminders due at the same instant: lateness, rate and fsyncs per reminder.

Every planned reminder lands at 09:00 local, so users in one time zone fall
due together, and after downtime everything does. This seeds N users with one
reminder each, all due at the same moment, starts the real ReminderService
(APScheduler job, due index, TinyDB stores, claims and records) and reports
how late each went out (sent - due), the rate, and the fsyncs it took:

1. unthrottled, against a transport that accepts at once (goal: p99 <= 10 s
   for 10,000, i.e. >= 1,000 reminders/s);
2. with the 30 messages/s pacing Telegram needs (goal: >= 29 msg/s sustained).

The floor, measured in the same run: one atomic small write.

    python bench/reminders_lateness.py [--reminders 10000] [--paced 600]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from offline_app import ms, p50, write_floor

from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import TELEGRAM_RATE, ReminderService
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

DUE = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


class ShiftedClock:
    """Real time, moved so that `start()` makes it read `at`."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def start(self, at: datetime) -> None:
        self.shift = at - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


class Syncs:
    """Counts fsync and fdatasync calls in this process."""

    def __init__(self) -> None:
        self.count = 0
        self._fsync, self._fdatasync = os.fsync, os.fdatasync

    def __enter__(self) -> Syncs:
        def fsync(fd: int) -> None:
            self.count += 1
            self._fsync(fd)

        def fdatasync(fd: int) -> None:
            self.count += 1
            self._fdatasync(fd)

        os.fsync, os.fdatasync = fsync, fdatasync  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        os.fsync, os.fdatasync = self._fsync, self._fdatasync  # type: ignore[assignment]


def seed(data: Path, count: int) -> list[str]:
    """`count` users, each with one reminder due at DUE (no quiet hours)."""
    repo = TinyRepository(data)
    off = time(0)
    users = []
    for n in range(count):
        user_id = str(20_000_000 + n)
        # Written without fsync: seeding is not what is measured.
        with repo.session(user_id, channel="telegram", sync=False) as store:
            store.save_profile(UserProfile(user_id, quiet_start=off, quiet_end=off))
            store.save_contact(Contact(id="c-1", name=f"Person {n}"))
            store.save_reminders([Reminder(f"r-{n}", ReminderKind.CUSTOM, DUE, "c-1", "call")])
        users.append(user_id)
    # A deliverer has run before (the index snapshot exists): this is a burst, not a first start.
    deliverer = repo.schedule.deliverer(channel="telegram")
    assert deliverer is not None
    deliverer.close()
    repo.close()
    return users


async def deliver(data: Path, users: list[str], rate: float | None) -> tuple[list[float], int]:
    """Return each reminder's lateness in seconds, and the fsyncs it all took."""
    clock = ShiftedClock()
    coach = Coach(repository=TinyRepository(data), templates=TemplateLibrary(), clock=clock)
    sent_at: dict[str, datetime] = {}

    async def transport(user_id: str, reply: Reply) -> Outcome:
        sent_at.setdefault(user_id, clock.now())
        return Delivered(1)

    service = ReminderService(coach=coach, send=transport, max_per_second=rate, channel="telegram")
    clock.start(DUE - timedelta(seconds=1))
    with Syncs() as syncs:
        await service.start()
        while len(sent_at) < len(users):
            await asyncio.sleep(0.02)
        await service.stop()
    coach.repository.close()
    return [(sent_at[u] - DUE).total_seconds() for u in users], syncs.count


def summary(lateness: list[float]) -> tuple[float, float, float]:
    ordered = sorted(lateness)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, len(ordered) / max(ordered[-1], 1e-9)


def run(count: int, rate: float | None) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        users = seed(data, count)
        lateness, syncs = asyncio.run(deliver(data, users, rate))
    median, p99, per_second = summary(lateness)
    return median, p99, per_second, syncs / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--paced", type=int, default=600, help="reminders for the 30 msg/s run")
    args = parser.parse_args()
    floor = p50(write_floor(300))
    print(f"floor (same run): one atomic small write {ms(floor).strip()} ms")
    print(f"burst: {args.reminders:,} reminders due at the same instant ...", file=sys.stderr)
    median, p99, rate, syncs = run(args.reminders, None)
    print(f"\n{args.reminders:,} due at once, unthrottled:")
    print(f"  lateness p50 {median:.2f} s, p99 {p99:.2f} s (goal p99 <= 10 s)")
    print(f"  {rate:,.0f} reminders/s (goal >= 1,000/s); {syncs:.2f} fsyncs per reminder")
    print(f"  per reminder {1000 / rate:.2f} ms = {1 / rate / floor:.1f}x one atomic write")
    print(f"paced: {args.paced} reminders at {TELEGRAM_RATE:.0f} msg/s ...", file=sys.stderr)
    median, p99, rate, syncs = run(args.paced, TELEGRAM_RATE)
    print(f"\n{args.paced} due at once, paced at {TELEGRAM_RATE:.0f} msg/s:")
    print(
        f"  sustained {rate:.1f} msg/s (goal >= 29); lateness p50 {median:.1f} s, p99 {p99:.1f} s"
    )


if __name__ == "__main__":
    main()
