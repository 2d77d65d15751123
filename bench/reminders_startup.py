"""Start-up with 1,000,000 pending reminders over 100,000 users: time, memory, jobs.

Seeds the users' stores on disk (each user: one contact, N pending reminders,
in the single-file layout older versions wrote, which the store still reads)
and the due index snapshot, then starts the real ReminderService (APScheduler, index,
heap) in a fresh process and reports how long start() took, how much memory
the process holds afterwards, and how many APScheduler jobs exist. Baselines
measured in the same run: the same process starting over an empty data
folder, and the naive alternative (open every user's store and read their
reminders), timed on a sample and scaled to all users.

    python bench/reminders_startup.py [--users 100000] [--per-user 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.clock import SystemClock
from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile
from bot.engine.coach import Coach
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import ReminderService
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.due import WAITING, next_attempt
from bot.storage.records import to_record
from bot.storage.tinydb_repository import TinyRepository, user_folder
from bot.templates import TemplateLibrary

SCAN_SAMPLE = 2000


def seed(data: Path, users: int, per_user: int) -> None:
    """Write the stores directly (no fsync: this is set-up, not what is measured)."""
    now = datetime.now(UTC)
    entries = {}
    template = to_record(
        Reminder(
            id="", kind=ReminderKind.CUSTOM, due_at=now, contact_id="c-1", text="share the deck"
        )
    )
    for n in range(users):
        user_id = str(10_000_000 + n)
        first_due = now + timedelta(days=1 + n % 300)
        reminders = [
            {
                **template,
                "id": f"r-{n}-{k}",
                "due_at": (first_due + timedelta(days=7 * k)).isoformat(),
            }
            for k in range(per_user)
        ]
        tables = {
            "profile": {"1": to_record(UserProfile(user_id))},
            "contacts": {"1": to_record(Contact(id="c-1", name=f"Person {n}"))},
            "reminders": {str(i + 1): r for i, r in enumerate(reminders)},
        }
        folder = user_folder(data, user_id)
        folder.mkdir(parents=True, mode=0o700)
        (folder / "coach.json").write_text(json.dumps(tables, separators=(",", ":")))
        entries[user_id] = [first_due.timestamp(), "telegram"]
        if n % 20_000 == 0:
            print(f"  seeded {n:,} users", file=sys.stderr)
    write_index(data, entries)


def write_index(data: Path, entries: dict[str, list[object]]) -> None:
    """The due index's snapshot, as a deliverer leaves it (a previous run has been)."""
    AtomicJSONStorage(data / "schedule" / "due.json").write_text(json.dumps({"due": entries}))


async def _ignore(user_id: str, reply: object) -> Outcome:
    return Delivered()


def measure_start(data: Path) -> dict[str, float]:
    """In this (fresh) process: start the service once and report time, memory and jobs."""
    coach = Coach(repository=TinyRepository(data), templates=TemplateLibrary(), clock=SystemClock())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    async def run() -> dict[str, float]:
        service = ReminderService(coach=coach, send=_ignore, channel="telegram")
        tracemalloc.start()
        started = time.perf_counter()
        await service.start()
        seconds = time.perf_counter() - started
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        jobs = len(service._scheduler.get_jobs()) if service._scheduler else 0
        waiting = service.waiting_users
        await service.stop()
        return {
            "seconds": seconds,
            "jobs": jobs,
            "waiting_users": waiting,
            "held_mb": held / 2**20,
            "peak_mb": peak / 2**20,
        }

    result = asyncio.run(run())
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["rss_mb"] = rss_after / 1024
    result["rss_growth_mb"] = (rss_after - rss_before) / 1024
    return result


def naive_scan_seconds(data: Path, users: int) -> float:
    """Seconds to open every store and compute its next due time, scaled from a sample."""
    repository = TinyRepository(data)
    sample = [str(10_000_000 + n) for n in range(0, users, max(1, users // SCAN_SAMPLE))]
    started = time.perf_counter()
    for user_id in sample:
        with repository.session(user_id) as store:
            next_attempt(store.profile(), store.reminders(WAITING))
    return (time.perf_counter() - started) / len(sample) * users


def in_fresh_process(data: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_start(args.measure)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        empty, data = Path(tmp) / "empty", Path(tmp) / "data"
        write_index(empty, {})
        print(f"seeding {args.users:,} users x {args.per_user} reminders ...", file=sys.stderr)
        seed(data, args.users, args.per_user)
        baseline = in_fresh_process(empty)
        loaded = in_fresh_process(data)
        scan = naive_scan_seconds(data, args.users)
    pending = args.users * args.per_user
    print(f"pending reminders: {pending:,} over {args.users:,} users")
    print(
        f"start(): {loaded['seconds']:.2f} s "
        f"({loaded['seconds'] / baseline['seconds']:.1f}x the empty start of "
        f"{baseline['seconds'] * 1000:.0f} ms; "
        f"{scan / loaded['seconds']:.0f}x faster than scanning every store, ~{scan:.0f} s)"
    )
    print(
        f"memory held after start(): {loaded['held_mb']:.1f} MB "
        f"(peak {loaded['peak_mb']:.1f} MB while loading; empty start holds "
        f"{baseline['held_mb']:.2f} MB, so "
        f"{loaded['held_mb'] / max(baseline['held_mb'], 1e-3):.0f}x); "
        f"process RSS {loaded['rss_mb']:.0f} MB vs {baseline['rss_mb']:.0f} MB empty"
    )
    print(
        f"APScheduler jobs: {loaded['jobs']:.0f} (the delivery job and the index check; "
        f"{baseline['jobs']:.0f} when nothing is pending)"
    )


if __name__ == "__main__":
    main()
