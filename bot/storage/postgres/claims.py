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
from datetime import datetime, timedelta
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]

CLAIM = """
WITH picked AS (
    SELECT user_id FROM due_users
    WHERE channel = %(channel)s AND next_at <= %(now)s AND lease_until <= %(now)s
      AND (%(user)s::text IS NULL OR user_id = %(user)s)
    ORDER BY next_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE due_users AS d SET owner = %(owner)s, lease_until = %(until)s
FROM picked WHERE d.user_id = picked.user_id
RETURNING d.user_id, d.version
"""


def claim_users(
    conn: Conn,
    *,
    owner: str,
    channel: str,
    now: datetime,
    until: datetime,
    limit: int,
    only_user: str | None = None,
) -> dict[str, int]:
    """Lease up to `limit` users due by `now` to `owner` until `until`, most overdue first.

    Returns each one's due-row version, as taken. Committed without waiting for the
    WAL flush: a lease lost with the database server is only a lease that ran out,
    and the claim's own transaction, committed in full before anything is sent,
    flushes this one with it.
    """
    with conn.transaction():
        conn.execute("SET LOCAL synchronous_commit = off")
        rows = conn.execute(
            CLAIM,
            {
                "owner": owner,
                "channel": channel,
                "now": now,
                "until": until,
                "limit": limit,
                "user": only_user,
            },
        ).fetchall()
    return dict(rows)


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


def next_due(
    conn: Conn, *, channel: str, not_owner: str | None = None, only_user: str | None = None
) -> datetime | None:
    """The earliest moment a user of `channel` may be claimed (due, and any lease over).

    Users leased to `not_owner` don't count: they are that deliverer's already.
    """
    row = conn.execute(
        "SELECT min(greatest(next_at, lease_until)) FROM due_users WHERE channel = %s"
        " AND owner IS DISTINCT FROM %s AND (%s::text IS NULL OR user_id = %s)",
        (channel, not_owner, only_user, only_user),
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


def prune_processed_updates(conn: Conn, *, keep: timedelta) -> int:
    """Forget update ids older than Telegram's redelivery window (by the database's clock)."""
    return conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < now() - %s", (keep,)
    ).rowcount


def journal_of(
    conn: Conn, outboxes: dict[str, list[str]]
) -> dict[str, dict[str, dict[int, tuple[str, int | None]]]]:
    """The journal rows of these users' envelopes: user -> envelope -> piece -> (state, message)."""
    pairs = [(u, e) for u, ids in outboxes.items() for e in ids]
    found: dict[str, dict[str, dict[int, tuple[str, int | None]]]] = {}
    if not pairs:
        return found
    rows = conn.execute(
        "SELECT DISTINCT ON (j.user_id, j.envelope_id, j.piece)"
        " j.user_id, j.envelope_id, j.piece, j.state, j.message_id FROM send_journal j"
        " JOIN unnest(%s::text[], %s::text[]) AS o(u, e)"
        " ON j.user_id = o.u AND j.envelope_id = o.e"
        " ORDER BY j.user_id, j.envelope_id, j.piece, j.id DESC",
        ([u for u, _ in pairs], [e for _, e in pairs]),
    ).fetchall()
    for user_id, envelope_id, piece, state, message_id in rows:
        found.setdefault(user_id, {}).setdefault(envelope_id, {})[piece] = (state, message_id)
    return found


def start_pieces(conn: Conn, rows: Sequence[tuple[str, str, int, str, bool]]) -> None:
    """Journal pieces about to be sent: (user, envelope, piece, owner, flagged) each.

    Every attempt is a row of its own, so the journal keeps each one's fate.
    """
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    conn.execute(
        "INSERT INTO send_journal (user_id, envelope_id, piece, owner, flagged)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::bool[])",
        columns,
    )


def mark_uncertain(conn: Conn, rows: Sequence[tuple[str, str, int]]) -> None:
    """Pieces left 'sending' by a worker that died: they may have arrived."""
    if rows:
        finish_pieces(conn, [(u, e, p, None) for u, e, p in rows], state="uncertain")


def finish_pieces(
    conn: Conn, rows: Sequence[tuple[str, str, int, int | None]], *, state: str
) -> None:
    """Close journal pieces (user, envelope, piece, message id) as `state`."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    conn.execute(
        "UPDATE send_journal j SET state = %s, message_id = c.m, finished_at = now()"
        " FROM unnest(%s::text[], %s::text[], %s::int[], %s::bigint[]) AS c(u, e, p, m)"
        " WHERE j.user_id = c.u AND j.envelope_id = c.e AND j.piece = c.p"
        " AND j.state = 'sending'",
        [state, *columns],
    )


def confirm_pieces(conn: Conn, rows: Sequence[tuple[str, str, int, int | None]]) -> None:
    """Telegram answered these pieces: recorded in one statement, the moment it answered.

    Committed without waiting for the WAL flush: the row is visible to every
    worker at once and survives any worker's death; only a crash of the
    database server itself within its flush delay could lose it, and then the
    piece reads 'sending' again, so its re-send is flagged as a possible repeat.
    """
    if rows:
        with conn.transaction():
            conn.execute("SET LOCAL synchronous_commit = off")
            finish_pieces(conn, rows, state="confirmed")


def prune_journal(conn: Conn, *, keep: timedelta) -> int:
    """Forget journal rows no takeover can need any more (by the database's clock)."""
    return conn.execute("DELETE FROM send_journal WHERE started_at < now() - %s", (keep,)).rowcount
