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
    """Extend `owner`'s leases on `user_ids`; return how many it still holds.

    Committed without waiting for the WAL flush: a renewal lost with the database
    server is a lease that ends sooner, which the journal makes safe.
    """
    if not user_ids:
        return 0
    with conn.transaction():
        conn.execute("SET LOCAL synchronous_commit = off")
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


# A journaled piece: (user, envelope, piece, owner, flagged).
Piece = tuple[str, str, int, str, bool]
# Its fate: the piece, then the message id Telegram gave it (None: it has none).
Fate = tuple[str, str, int, str, bool, int | None]


def start_pieces(conn: Conn, rows: Sequence[Piece]) -> None:
    """Journal pieces about to be sent that the user's outbox does not name as being sent.

    The piece an envelope's claim marks `trying` needs no row before it goes:
    the outbox, committed with the claim, already says it may be on its way. Its
    row is written once its fate is known (`record_pieces`), or, if its worker
    dies first, by whoever takes the user over (as 'uncertain'). So every attempt
    is one row, and the journal keeps each one's fate.
    """
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    conn.execute(
        "INSERT INTO send_journal (user_id, envelope_id, piece, owner, flagged)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::bool[])",
        columns,
    )


def record_pieces(conn: Conn, rows: Sequence[Fate], *, state: str) -> None:
    """Journal attempts no 'sending' row stands for, as `state` from the start (one row each)."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    conn.execute(
        "INSERT INTO send_journal"
        " (user_id, envelope_id, piece, owner, flagged, message_id, state, finished_at)"
        " SELECT *, %s, now() FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[],"
        " %s::bool[], %s::bigint[])",
        [state, *columns],
    )


def mark_uncertain(conn: Conn, rows: Sequence[tuple[Piece, bool]]) -> None:
    """Attempts a worker that died left in doubt: they may have arrived.

    Each is (piece, whether a 'sending' row stands for it): that row is closed,
    and an attempt the outbox alone named gets its row now, in its owner's name.
    """
    finish_pieces(
        conn,
        [(u, e, p, None) for (u, e, p, _, _), journaled in rows if journaled],
        state="uncertain",
    )
    record_pieces(
        conn,
        [(*piece, None) for piece, journaled in rows if not journaled],
        state="uncertain",
    )


def finish_pieces(
    conn: Conn, rows: Sequence[tuple[str, str, int, int | None]], *, state: str
) -> None:
    """Close journaled pieces (user, envelope, piece, message id) as `state`."""
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


def confirm_pieces(conn: Conn, rows: Sequence[tuple[Fate, bool]]) -> None:
    """Telegram answered these pieces: recorded in one transaction, the moment it answered.

    Each is (the piece and its message id, whether a 'sending' row stands for it).
    Committed without waiting for the WAL flush: the row is visible to every
    worker at once and survives any worker's death; only a crash of the
    database server itself within its flush delay could lose it, and then the
    piece reads as being sent again, so its re-send is flagged as a possible repeat.
    """
    if rows:
        with conn.transaction():
            conn.execute("SET LOCAL synchronous_commit = off")
            finish_pieces(
                conn,
                [(u, e, p, m) for (u, e, p, _, _, m), journaled in rows if journaled],
                state="confirmed",
            )
            record_pieces(
                conn, [fate for fate, journaled in rows if not journaled], state="confirmed"
            )


def prune_journal(conn: Conn, *, keep: timedelta) -> int:
    """Forget journal rows no takeover can need any more (by the database's clock)."""
    return conn.execute("DELETE FROM send_journal WHERE started_at < now() - %s", (keep,)).rowcount
