"""Why delivery claims rows itself instead of using procrastinate: the same 10,000 jobs, both ways.

Both take no-op jobs from PostgreSQL with N worker processes: procrastinate
3 (its worker, concurrency 16 each), and the bare claim the delivery uses
(`SELECT ... FOR UPDATE SKIP LOCKED` on a batch with a lease, then one
UPDATE to finish the batch). procrastinate is not a dependency:

    pip install procrastinate
    python bench/scale_procrastinate.py [--jobs 10000] [--workers 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from typing import Any

import psycopg
from scale_common import bench_database, load_average

CLAIM = """
WITH p AS (SELECT id FROM q WHERE NOT done AND due <= now() AND lease_until <= now()
           ORDER BY due LIMIT 100 FOR UPDATE SKIP LOCKED)
UPDATE q SET owner = %s, lease_until = now() + interval '30 s' FROM p WHERE q.id = p.id
RETURNING q.id
"""


def procrastinate_app(url: str) -> tuple[Any, Any]:
    from procrastinate import App, PsycopgConnector

    app = App(connector=PsycopgConnector(conninfo=url))

    @app.task(name="deliver")
    async def deliver(user: int) -> None:
        return None

    return app, deliver


def seed_procrastinate(url: str, jobs: int) -> None:
    app, deliver = procrastinate_app(url)

    async def go() -> None:
        async with app.open_async():
            await app.schema_manager.apply_schema_async()
            await deliver.batch_defer_async(*[{"user": n} for n in range(jobs)])

    asyncio.run(go())


def procrastinate_worker(url: str) -> None:
    app, _ = procrastinate_app(url)

    async def go() -> None:
        async with app.open_async():
            await app.run_worker_async(
                concurrency=16, wait=False, install_signal_handlers=False, listen_notify=False
            )

    asyncio.run(go())


def seed_claims(url: str, jobs: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE q (id int PRIMARY KEY, due timestamptz NOT NULL DEFAULT now(),"
            " owner text, lease_until timestamptz NOT NULL DEFAULT '-infinity',"
            " done bool NOT NULL DEFAULT false)"
        )
        conn.execute("CREATE INDEX q_due ON q (due) WHERE NOT done")
        with conn.cursor() as cur, cur.copy("COPY q (id) FROM STDIN") as copy:
            for n in range(jobs):
                copy.write_row((n,))


def claims_worker(url: str) -> None:
    owner = str(os.getpid())
    with psycopg.connect(url, autocommit=True) as conn:
        while rows := conn.execute(CLAIM, (owner,)).fetchall():
            conn.execute(
                "UPDATE q SET done = true, owner = NULL WHERE id = ANY(%s) AND owner = %s",
                ([r[0] for r in rows], owner),
            )


def timed(mode: str, url: str, workers: int) -> float:
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, __file__, "--worker", mode, url]) for _ in range(workers)
    ]
    for process in processes:
        process.wait()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, url = args.worker
        (procrastinate_worker if mode == "procrastinate" else claims_worker)(url)
        return
    results = {}
    for mode, seed in (("claims", seed_claims), ("procrastinate", seed_procrastinate)):
        with bench_database() as url:
            seed(url, args.jobs)
            results[mode] = args.jobs / timed(mode, url, args.workers)
    print(f"load average {load_average()}")
    for mode, rate in results.items():
        print(
            f"{mode:14s} {args.jobs:,} jobs, {args.workers} processes: {rate:,.0f} jobs/s "
            f"({rate / results['claims']:.3f}x the bare claim)"
        )


if __name__ == "__main__":
    main()
