"""Start-up of a PostgreSQL delivery worker with 1,000,000 pending reminders.

Seeds 100,000 users with 10 pending reminders each (due tomorrow) in a
database of its own, then starts a fresh worker process that connects,
checks the schema and runs one delivery round, and reports how long that
took and the process's memory. Floor measured in the same run: the same
worker over an empty database. Nothing is loaded at start: a worker asks
the due index (one row per user) for what is due, so the figure should not
grow with the number of reminders.

    python bench/scale_startup.py [--users 100000] [--per-user 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
from scale_common import ROOT, bench_database, load_average, seed_due

WORKER = """
import asyncio, json, resource, sys, time
started = time.perf_counter()
from bot.domain.clock import SystemClock
from bot.engine.coach import Coach
from bot.scheduling.outcomes import Delivered
from bot.serve.deliver import PostgresDelivery
from bot.storage.postgres import connect
from bot.templates import TemplateLibrary
imported = time.perf_counter()
repository = connect(sys.argv[1])
connected = time.perf_counter()

async def send(user_id, reply):
    return Delivered()

async def main():
    coach = Coach(repository=repository, templates=TemplateLibrary(), clock=SystemClock())
    worker = PostgresDelivery(coach=coach, repository=repository, send=send)
    served = await worker.run_once()
    nearest = await worker._db(lambda conn: __import__("bot.storage.postgres.claims",
        fromlist=["x"]).next_due(conn, channel="telegram"))
    return served, nearest

served, nearest = asyncio.run(main())
ready = time.perf_counter()
print(json.dumps({
    "imports": imported - started, "connect": connected - imported,
    "first_round": ready - connected, "total": ready - started, "served": served,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def start_worker(url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, url], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def median_run(url: str, runs: int) -> dict[str, float]:
    results = [start_worker(url) for _ in range(runs)]
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with bench_database() as empty, bench_database() as full:
        floor = median_run(empty, args.runs)
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        seeding = time.perf_counter()
        with psycopg.connect(full, autocommit=True) as conn:
            seed_due(conn, users=args.users, per_user=args.per_user, due_at=tomorrow)
            pending = conn.execute("SELECT count(*) FROM reminders").fetchone()
        count = pending[0] if pending else 0
        took = time.perf_counter() - seeding
        print(f"seeded {count:,} pending reminders over {args.users:,} users in {took:.0f} s")
        loaded = median_run(full, args.runs)
    label = f"{count:,} pending"
    print(f"load average {load_average()}")
    for name in ("imports", "connect", "first_round", "total"):
        print(
            f"{name:12s} empty {floor[name] * 1000:8.1f} ms   {label} "
            f"{loaded[name] * 1000:8.1f} ms   ratio {loaded[name] / floor[name]:.2f}x"
        )
    print(f"memory: {loaded['rss_mb']:.0f} MB with {label}, {floor['rss_mb']:.0f} MB empty")
    assert loaded["served"] == 0, "nothing is due yet"


if __name__ == "__main__":
    main()
