"""Delivery claims across worker processes, and the one send rate they share.

A worker claims due users with `SELECT ... FOR UPDATE SKIP LOCKED`, as
PostgreSQL's documentation recommends for many consumers of one queue table:
concurrent claimers skip each other's rows instead of waiting or taking them
twice. The claim is a lease (owner, lease_until) rather than a held lock, so
a worker never keeps a transaction open across a network send; a worker that
dies simply stops renewing, and after the lease anyone may take its users
over.

The send rate is one row: each send reserves the next free slot with an
atomic UPDATE, so every worker together stays under Telegram's limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]

CLAIM = """
WITH picked AS (
    SELECT user_id FROM due_users
    WHERE channel = %(channel)s AND next_at <= %(now)s AND lease_until <= %(now)s
    ORDER BY next_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE due_users AS d SET owner = %(owner)s, lease_until = %(until)s
FROM picked WHERE d.user_id = picked.user_id
RETURNING d.user_id
"""


def claim_users(
    conn: Conn, *, owner: str, channel: str, now: datetime, until: datetime, limit: int
) -> list[str]:
    """Lease up to `limit` users due by `now` to `owner` until `until`; return their ids."""
    rows = conn.execute(
        CLAIM,
        {"owner": owner, "channel": channel, "now": now, "until": until, "limit": limit},
    ).fetchall()
    return [r[0] for r in rows]


def renew(conn: Conn, *, owner: str, user_ids: Sequence[str], until: datetime) -> int:
    """Extend `owner`'s leases on `user_ids`; return how many it still holds."""
    if not user_ids:
        return 0
    return conn.execute(
        "UPDATE due_users SET lease_until = %s WHERE owner = %s AND user_id = ANY(%s)",
        (until, owner, list(user_ids)),
    ).rowcount


def release(conn: Conn, *, owner: str, user_ids: Sequence[str]) -> None:
    """Give up `owner`'s leases on `user_ids` (those someone took over are left alone)."""
    conn.execute(
        "UPDATE due_users SET owner = NULL, lease_until = '-infinity'"
        " WHERE user_id = ANY(%s) AND owner = %s",
        (list(user_ids), owner),
    )


def next_due(conn: Conn, *, channel: str) -> datetime | None:
    """The earliest moment any user of `channel` may be claimed (due and not leased)."""
    row = conn.execute(
        "SELECT min(greatest(next_at, lease_until)) FROM due_users WHERE channel = %s",
        (channel,),
    ).fetchone()
    return row[0] if row else None


def reserve_send_slots(conn: Conn, count: int, per_second: float) -> float:
    """Reserve `count` sends on the shared rate; return seconds to wait before sending."""
    row = conn.execute(
        "UPDATE send_rate SET next_slot = greatest(next_slot, clock_timestamp())"
        " + make_interval(secs => %s) WHERE name = 'telegram'"
        " RETURNING extract(epoch FROM next_slot - clock_timestamp())::float8",
        (count / per_second,),
    ).fetchone()
    if row is None:
        return 0.0
    return max(0.0, float(row[0]) - count / per_second)


def prune_processed_updates(conn: Conn, *, older_than: datetime) -> int:
    """Forget update ids older than Telegram's redelivery window."""
    return conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < %s", (older_than,)
    ).rowcount


def start_attempts(conn: Conn, rows: Sequence[tuple[str, str, int, str, bool]]) -> None:
    """Record sends about to happen: (user, reminder, claim attempt, owner, flagged) each."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    conn.execute(
        "INSERT INTO send_attempts (user_id, reminder_id, attempt, owner, flagged)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::bool[])"
        " ON CONFLICT DO NOTHING",
        [list(c) for c in columns],
    )


def mark_uncertain(conn: Conn, *, user_id: str, reminder_ids: Sequence[str]) -> int:
    """Attempts still 'sending' for these reminders had a worker die: maybe they arrived."""
    return conn.execute(
        "UPDATE send_attempts SET state = 'uncertain', finished_at = now()"
        " WHERE user_id = %s AND reminder_id = ANY(%s) AND state = 'sending'",
        (user_id, list(reminder_ids)),
    ).rowcount


def attempt_states(
    conn: Conn, sending: dict[str, list[str]]
) -> dict[str, dict[str, tuple[int, str]]]:
    """For reminders found SENDING (user -> ids): their latest attempt and its state."""
    pairs = [(u, r) for u, ids in sending.items() for r in ids]
    found: dict[str, dict[str, tuple[int, str]]] = {}
    if not pairs:
        return found
    rows = conn.execute(
        "SELECT DISTINCT ON (a.user_id, a.reminder_id) a.user_id, a.reminder_id, a.attempt,"
        " a.state FROM send_attempts a"
        " JOIN unnest(%s::text[], %s::text[]) AS s(u, r) ON a.user_id = s.u AND a.reminder_id = s.r"
        " ORDER BY a.user_id, a.reminder_id, a.attempt DESC",
        ([u for u, _ in pairs], [r for _, r in pairs]),
    ).fetchall()
    for user_id, reminder_id, attempt, state in rows:
        found.setdefault(user_id, {})[reminder_id] = (attempt, state)
    return found


def confirm_attempts(conn: Conn, attempts: Sequence[tuple[str, str, int]]) -> None:
    """Telegram answered these sends (user, reminder, attempt): recorded in one statement.

    Committed without waiting for the WAL flush: the row is visible to every
    worker at once and survives any worker's death; only a crash of the
    database server itself within its flush delay could lose it, and then the
    attempt reads 'sending' again, so its re-send is flagged as a possible repeat.
    """
    if not attempts:
        return
    with conn.transaction():
        conn.execute("SET LOCAL synchronous_commit = off")
        conn.execute(
            "UPDATE send_attempts a SET state = 'confirmed', finished_at = now()"
            " FROM unnest(%s::text[], %s::text[], %s::int[]) AS c(u, r, n)"
            " WHERE a.user_id = c.u AND a.reminder_id = c.r AND a.attempt = c.n"
            " AND a.state = 'sending'",
            ([a[0] for a in attempts], [a[1] for a in attempts], [a[2] for a in attempts]),
        )


def fail_attempts(conn: Conn, *, user_id: str, reminder_ids: Sequence[str]) -> None:
    """These sends failed (Telegram said no, or never answered): nothing reached the user."""
    conn.execute(
        "UPDATE send_attempts SET state = 'failed', finished_at = now()"
        " WHERE user_id = %s AND reminder_id = ANY(%s) AND state = 'sending'",
        (user_id, list(reminder_ids)),
    )
