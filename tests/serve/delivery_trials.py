"""Multi-worker delivery trials: a burst of due reminders, N workers, random SIGKILLs.

Shared by the test suite (short, marked slow) and bench/scale_delivery.py (full size).
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from delivery_worker import Outbox, Workers
from pg_seed import seed_due
from process_cpu import ServerCpu, tree_cpu
from psycopg.conninfo import conninfo_to_dict

# Where a burst waits until it is made due: far enough that no worker touches it.
PARKED = datetime(2099, 1, 1, tzinfo=UTC)
TABLES = (
    "users, contacts, interactions, interaction_contacts, reminders, due_users, "
    "conversation_state, buttons, processed_updates, send_journal"
)


@dataclass
class Report:
    reminders: int
    workers: int
    kills: int
    sent: int
    lost: int
    duplicates: int
    unflagged_repeats: int
    uncertain_attempts: int
    uncertain_by_survivors: int
    not_delivered_in_db: int
    p50: float  # lateness: first send - due
    p99: float
    seconds: float
    worker_cpu: float = 0.0  # CPU seconds of every worker process together
    # With a rate limit: lateness behind the limit's own schedule, the k-th send
    # measured against due + k / rate (what no deliverer under that limit can beat).
    behind_p50: float = float("nan")
    behind_p99: float = float("nan")
    # PostgreSQL's side: CPU of the database's backends and the server's WAL writer, and
    # what the delivery changed (its own database's rows; WAL flushes server-wide).
    server_cpu: float = 0.0
    server: ServerStats | None = None

    @property
    def cpu_per_message(self) -> float:
        return self.worker_cpu / max(self.sent, 1)

    @property
    def server_cpu_per_message(self) -> float:
        return self.server_cpu / max(self.sent, 1)

    def server_line(self) -> str:
        s, n = self.server, max(self.sent, 1)
        if s is None:
            return ""
        return (
            f"PostgreSQL CPU {self.server_cpu_per_message * 1000:.2f} ms a message; per message "
            f"{s.rows / n:.2f} rows written ({s.inserted / n:.2f} inserted, {s.updated / n:.2f} "
            f"updated, {s.deleted / n:.2f} deleted), {s.commits / n:.2f} commits, "
            f"{s.statements / n:.1f} rows returned+fetched; WAL {s.wal_bytes / n:,.0f} bytes, "
            f"{s.wal_syncs / max(self.reminders, 1):.3f} syncs a reminder (server-wide)"
        )

    def line(self) -> str:
        return (
            f"{self.reminders:,} reminders, {self.workers} workers, {self.kills} kills: "
            f"lost {self.lost}, duplicates {self.duplicates} (unflagged {self.unflagged_repeats}, "
            f"uncertain attempts {self.uncertain_attempts}), lateness p50 {self.p50:.2f} s "
            f"p99 {self.p99:.2f} s, {self.sent / max(self.seconds, 1e-9):,.0f} msg/s, "
            f"worker CPU {self.cpu_per_message * 1000:.2f} ms a message"
        )


@dataclass
class ServerStats:
    """Counters of pg_stat_database (one database) and pg_stat_wal (the whole server)."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    commits: int = 0
    statements: int = 0
    wal_bytes: int = 0
    wal_syncs: int = 0

    @property
    def rows(self) -> int:
        return self.inserted + self.updated + self.deleted

    @classmethod
    def read(cls, url: str) -> ServerStats:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT tup_inserted, tup_updated, tup_deleted, xact_commit,"
                " tup_returned + tup_fetched, w.wal_bytes, w.wal_sync"
                " FROM pg_stat_database, pg_stat_wal w WHERE datname = current_database()"
            ).fetchone()
        assert row is not None
        return cls(*(int(v) for v in row))

    @classmethod
    def settled(cls, url: str) -> ServerStats:
        """The counters once every closed backend has reported (they do as they exit)."""
        last = cls.read(url)
        for _ in range(20):
            time.sleep(0.3)
            now = cls.read(url)
            if (now.inserted, now.updated, now.deleted) == (
                last.inserted,
                last.updated,
                last.deleted,
            ):
                return now
            last = now
        return last

    def __sub__(self, other: ServerStats) -> ServerStats:
        return ServerStats(
            *(getattr(self, f) - getattr(other, f) for f in self.__dataclass_fields__)
        )


def make_due(url: str, due: datetime) -> datetime:
    """Move every seeded reminder (and its user's due row) to `due`, in one transaction."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE reminders SET due_at = %s,"
            " record = jsonb_set(record, '{due_at}', to_jsonb(%s::text))",
            (due, due.isoformat()),
        )
        conn.execute("UPDATE due_users SET next_at = %s", (due,))
    return due


def percentile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted samples (nearest rank), nan for none."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run_burst(
    url: str,
    folder: Path,
    *,
    users: int,
    per_user: int = 1,
    workers: int = 3,
    kills: int = 0,
    kill_gap: tuple[float, float] = (0.2, 0.6),
    rate: float | None = None,
    lease: float = 2.0,
    answer_delay: float = 0.0,
    lead: float = 1.5,
    limit: float = 300.0,
    seed: int = 7,
) -> Report:
    """Seed `users` x `per_user` reminders due at one instant, deliver them, count the sends."""
    rng = random.Random(seed)
    outbox = folder / "outbox.log"
    outbox.unlink(missing_ok=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {TABLES}")
        conn.execute("UPDATE send_rate SET next_slot = '-infinity'")
        # Seeded far ahead, and made due only once the workers run (below): seeding
        # 10,000 users takes seconds, which are no delivery's lateness.
        tokens = seed_due(conn, users=users, per_user=per_user, due_at=PARKED)
    options: dict[str, Any] = {
        "url": url,
        "outbox": str(outbox),
        "lease": lease,
        "rate": rate,
        "delay": answer_delay,
        "limit": limit,
    }
    pool = Workers(options)
    before = ServerStats.settled(url)
    dbname = conninfo_to_dict(url).get("dbname", "")
    server_cpu = ServerCpu(str(dbname)).__enter__()
    cpu_before = tree_cpu(pool.zygote.pid)
    started = time.monotonic()
    try:
        for slot in range(workers):
            pool.start(slot)
        due = make_due(url, datetime.now(UTC) + timedelta(seconds=lead))
        tokens = dict.fromkeys(tokens, due)
        time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
        for _ in range(kills):
            time.sleep(rng.uniform(*kill_gap))
            alive = pool.alive()
            if not alive:
                break
            slot = rng.choice(alive)
            pool.kill(slot)
            pool.start(slot)
        while pool.alive() and time.monotonic() - started < limit:
            time.sleep(0.1)
        worker_cpu = tree_cpu(pool.zygote.pid) - cpu_before
    finally:
        pool.close()
        server_cpu.__exit__()
    seconds = time.monotonic() - started - lead
    # make_due's own writes (every reminder and due row, once) and this and settled's reads.
    server = ServerStats.settled(url) - before
    server.updated -= users * per_user + users
    sent = Outbox.read(outbox)
    with psycopg.connect(url, autocommit=True) as conn:
        undelivered = conn.execute(
            "SELECT count(*) FROM reminders WHERE status <> 'delivered'"
        ).fetchone()
        uncertain = conn.execute(
            "SELECT owner FROM send_journal WHERE state = 'uncertain'"
        ).fetchall()
    killed = {f":{pid}" for pid in pool.killed}
    by_survivors = sum(1 for (owner,) in uncertain if not any(owner.endswith(k) for k in killed))
    first = sent.first_sent()
    lateness = sorted(first[t] - tokens[t].timestamp() for t in first if t in tokens)
    behind: list[float] = []
    if rate:
        # All are due at one instant: the k-th first send could be at due + k / rate at best.
        times = sorted(first[t] for t in first if t in tokens)
        behind = sorted(at - (due.timestamp() + k / rate) for k, at in enumerate(times))
    return Report(
        reminders=len(tokens),
        workers=workers,
        kills=len(pool.killed),
        sent=sum(len(s) for s in sent.sends.values()),
        lost=sum(1 for t in tokens if t not in sent.sends),
        duplicates=sent.duplicates(),
        unflagged_repeats=sent.unflagged_repeats(),
        uncertain_attempts=len(uncertain),
        uncertain_by_survivors=by_survivors,
        not_delivered_in_db=int(undelivered[0]) if undelivered else -1,
        p50=statistics.median(lateness) if lateness else float("nan"),
        p99=percentile(lateness, 0.99),
        seconds=seconds,
        worker_cpu=worker_cpu,
        behind_p50=statistics.median(behind) if behind else float("nan"),
        behind_p99=percentile(behind, 0.99),
        server_cpu=server_cpu.seconds,
        server=server,
    )
