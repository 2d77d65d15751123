"""The schedule port over PostgreSQL: any number of deliverers, each user leased to one.

Unlike the embedded store (one deliverer per channel and folder), every
process may hold a deliverer here: `take_due` leases users with SKIP LOCKED
(claims.py), so two deliverers never hold the same user, and a dead one's
users come free when its lease ends. A live deliverer renews its leases on
every `refresh`.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from bot.storage.postgres import claims

LEASE = timedelta(minutes=1)


class PostgresSchedule:
    """Hands out deliverers over one database's due-index table."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def deliverer(self, *, channel: str, user_id: str | None = None) -> PostgresDeliverer:
        return PostgresDeliverer(self.pool, channel, user_id)


class PostgresDeliverer:
    """One process's share of a channel's deliveries (see the module docstring)."""

    def __init__(self, pool: ConnectionPool[Any], channel: str, only_user: str | None) -> None:
        self.pool = pool
        self.channel = channel
        self.only_user = only_user
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"
        self.lease = LEASE
        self._taken: dict[str, int] = {}  # user -> due-row version when taken
        self._guard = threading.Lock()
        self._wake: Callable[[], None] | None = None
        self._seen: datetime | None = None

    def next_due(self) -> datetime | None:
        with self.pool.connection() as conn:
            when = claims.next_due(
                conn, channel=self.channel, not_owner=self.owner, only_user=self.only_user
            )
        self._seen = when
        return when

    def take_due(self, now: datetime, limit: int) -> list[str]:
        with self.pool.connection() as conn:
            taken = claims.claim_users(
                conn,
                owner=self.owner,
                channel=self.channel,
                now=now,
                until=now + self.lease,
                limit=limit,
                only_user=self.only_user,
            )
        with self._guard:
            self._taken.update(taken)
        return list(taken)

    def put_back(self, user_id: str, when: datetime | None) -> None:
        """Release the lease; `when` applies unless a commit moved the user since the take."""
        with self._guard:
            version = self._taken.pop(user_id, None)
        with self.pool.connection() as conn:
            if when is None:
                conn.execute(
                    "DELETE FROM due_users WHERE user_id = %s AND owner = %s AND version = %s",
                    (user_id, self.owner, version),
                )
            conn.execute(
                "UPDATE due_users SET owner = NULL, lease_until = '-infinity',"
                " next_at = CASE WHEN version = %s THEN coalesce(%s, next_at) ELSE next_at END"
                " WHERE user_id = %s AND owner = %s",
                (version, when, user_id, self.owner),
            )
        self._poke()

    def refresh(self) -> None:
        """Renew this deliverer's leases, and wake the service if the earliest time moved."""
        with self._guard:
            held = list(self._taken)
        if held:
            with self.pool.connection() as conn:
                until = datetime.now(UTC) + self.lease
                claims.renew(conn, owner=self.owner, user_ids=held, until=until)
        before = self._seen
        if self.next_due() != before:
            self._poke()

    def waiting(self) -> int:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT count(*) FROM due_users WHERE channel = %s AND owner IS DISTINCT FROM %s"
                " AND (%s::text IS NULL OR user_id = %s)",
                (self.channel, self.owner, self.only_user, self.only_user),
            ).fetchone()
        return int(row[0]) if row else 0

    def owner_alive(self, owner: str) -> bool:
        # A user is only ever served by the deliverer holding their lease: whoever
        # claimed an envelope before us has lost theirs, so they no longer send it.
        return owner == self.owner

    def on_change(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake()

    def close(self) -> None:
        with self._guard:
            held, self._taken = list(self._taken), {}
        if held and not self.pool.closed:
            with self.pool.connection() as conn:
                conn.execute(
                    "UPDATE due_users SET owner = NULL, lease_until = '-infinity'"
                    " WHERE owner = %s AND user_id = ANY(%s)",
                    (self.owner, held),
                )
