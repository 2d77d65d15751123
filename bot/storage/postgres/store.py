"""The repository port over PostgreSQL: one transaction per session, one user per store.

A session takes the user's advisory transaction lock first, so one user's
turns are serialised across every worker process while different users run
in parallel. Everything the session wrote is flushed at its end together
with the user's row of the due index, and commits as one transaction; if
the block raises, nothing is kept.

`batch` opens many users' stores in one transaction (delivery's group
commit), and `update` makes one Telegram update's id commit with its turn.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.storage.due import TELEGRAM, WAITING, channel_of, next_attempt
from bot.storage.errors import StoreError
from bot.storage.postgres.schedule import PostgresSchedule
from bot.storage.postgres.user_store import (
    LOAD,
    OPEN_STATUSES,
    Conn,
    PostgresUserStore,
    Record,
    Write,
    batched,
    forget_decoded,
    run_writes,
)
from bot.storage.tinydb_repository import USER_ID

# What the store error names: the engine says "(database is unreachable)".
DATABASE = Path("database")
LOCK_USERS = (
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT"
    " hashtextextended('rapport-user:' || u, 0) AS k FROM unnest(%s::text[]) AS u) AS keys"
    " ORDER BY k"
)
UPSERT_DUE = batched(
    "INSERT INTO due_users (user_id, channel, next_at)"
    " SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[])"
    " ON CONFLICT (user_id) DO UPDATE SET channel = EXCLUDED.channel,"
    " next_at = EXCLUDED.next_at, version = due_users.version + 1",
    key=1,
)
# The holder of a user's lease writing their due row (delivery's record step) ends the
# lease in the same row version; a row someone deleted meanwhile is made first.
INSERT_DUE = batched(
    "INSERT INTO due_users (user_id, channel, next_at)"
    " SELECT * FROM unnest(%s::text[], %s::text[], %s::timestamptz[]) ON CONFLICT DO NOTHING",
    key=1,
)
RELEASE_DUE = batched(
    "UPDATE due_users AS d SET channel = v.c, next_at = v.n, version = d.version + 1,"
    " owner = CASE WHEN d.owner = v.o THEN NULL ELSE d.owner END,"
    " lease_until = CASE WHEN d.owner = v.o THEN '-infinity' ELSE d.lease_until END"
    " FROM unnest(%s::text[], %s::text[], %s::timestamptz[], %s::text[]) AS v(u, c, n, o)"
    " WHERE d.user_id = v.u",
    key=1,
)
DELETE_DUE = batched("DELETE FROM due_users WHERE user_id = ANY(%s::text[])", key=1)
# Every table that holds a user's rows (interaction_contacts goes with interactions).
USER_TABLES = (
    "interactions",
    "contacts",
    "reminders",
    "conversation_state",
    "buttons",
    "due_users",
    "send_journal",
    "processed_updates",
    "undo_records",
    "users",
)

# The stores open in this context (thread or task), by user id: a nested session
# for the same user joins the open transaction instead of waiting for its own lock.
# Never mutated: entering a session sets a new mapping, leaving resets the old one.
_OPEN: ContextVar[Mapping[str, PostgresUserStore]] = ContextVar(
    "rapport_pg_open", default=MappingProxyType({})
)


def due_writes(store: PostgresUserStore) -> list[Write]:
    """The user's due-index row set to their true next delivery (None removes it).

    The delivery claim (owner, lease) is left alone unless the store is
    `releasing` it: only its holder releases it.
    """
    if store.erased or not store.changes.due_changed:
        return []
    profile = store.profile()
    when = next_attempt(profile, store.reminders(WAITING))
    if when is None:
        return [(DELETE_DUE, [(store.user_id,)])]
    row = (store.user_id, channel_of(profile), when)
    if store.releasing is not None:
        return [(INSERT_DUE, [row]), (RELEASE_DUE, [(*row, store.releasing)])]
    return [(UPSERT_DUE, [row])]


def lock_users(conn: Conn, user_ids: Sequence[str]) -> None:
    """Take these users' transaction locks, in one fixed order so batches never deadlock."""
    conn.execute(LOCK_USERS, (list(user_ids),))


# The contacts some users' reminders name, by (user, contact) pair.
LOAD_NAMED_CONTACTS = (
    "SELECT c.user_id, c.id, c.record FROM contacts c"
    " JOIN unnest(%s::text[], %s::text[]) AS k(u, i) ON c.user_id = k.u AND c.id = k.i"
)


def preload(
    conn: Conn,
    stores: Mapping[str, PostgresUserStore],
    tables: Sequence[str] = tuple(LOAD),
    *,
    contacts_due_by: datetime | None = None,
) -> None:
    """Load many users' profiles and current-state `tables` with one query per table.

    A table left out is still read lazily, per user, if a step asks for it. With
    `contacts_due_by` (and reminders among `tables`), the contacts that open
    reminders due by then name are loaded too, in one more query, and only those:
    delivery looks up no one else, and a user may have hundreds.
    """
    ids = list(stores)
    profiles: dict[str, Record | None] = {}
    for user_id, profile in conn.execute(
        "SELECT user_id, profile FROM users WHERE user_id = ANY(%s)", (ids,)
    ):
        profiles[user_id] = profile
    loaded: dict[str, dict[str, dict[str, Record]]] = {u: {t: {} for t in tables} for u in ids}
    for name in tables:
        params: tuple[Any, ...] = (ids, OPEN_STATUSES) if name == "reminders" else (ids,)
        for user_id, key, record in conn.execute(LOAD[name], params):
            loaded[user_id][name][key] = record
    for user_id, store in stores.items():
        store.preload(profiles.get(user_id), loaded[user_id], registered=user_id in profiles)
    if contacts_due_by is not None and "reminders" in tables and "contacts" not in tables:
        named = {
            (u, r["contact_id"])
            for u in ids
            for r in loaded[u]["reminders"].values()
            if r.get("contact_id") and datetime.fromisoformat(r["due_at"]) <= contacts_due_by
        }
        found: dict[tuple[str, str], Record] = {}
        if named:
            pairs = sorted(named)
            params = ([u for u, _ in pairs], [i for _, i in pairs])
            for user_id, key, record in conn.execute(LOAD_NAMED_CONTACTS, params):
                found[user_id, key] = record
        for user_id, key in named:
            stores[user_id].preload_keys("contacts", {key: found.get((user_id, key))})


class PostgresRepository:
    """Per-user stores over one PostgreSQL database (see the module docstring)."""

    def __init__(self, pool: ConnectionPool[Any], *, owns_pool: bool = False) -> None:
        self.pool = pool
        self.owns_pool = owns_pool

    @property
    def schedule(self) -> PostgresSchedule:
        """Who is due when: the due-index table, claimed with SKIP LOCKED and a lease."""
        return PostgresSchedule(self.pool)

    @contextmanager
    def session(
        self, user_id: str, *, channel: str | None = None, sync: bool = True
    ) -> Iterator[PostgresUserStore]:
        _check(user_id)
        joined = _OPEN.get().get(user_id)
        if joined is not None:
            joined.channel = joined.channel or channel
            yield from _nested(joined)
            return
        with unreachable_as_store_error(), ExitStack() as stack:
            conn = stack.enter_context(self.pool.connection())
            stack.enter_context(conn.transaction())
            lock_users(conn, [user_id])
            store = PostgresUserStore(conn, user_id, channel=channel)
            store.sync = sync
            token = _OPEN.set({**_OPEN.get(), user_id: store})
            try:
                yield store
                self.write_changes(conn, [store])
            finally:
                _OPEN.reset(token)

    @contextmanager
    def batch(
        self,
        user_ids: Sequence[str],
        tables: Sequence[str] = tuple(LOAD),
        *,
        contacts_due_by: datetime | None = None,
    ) -> Iterator[dict[str, PostgresUserStore]]:
        """Open many users' stores in one transaction, preloaded; flushed together at the end.

        For delivery's group commit: a store whose step failed should be
        dropped from the dict before the block ends, so nothing of it is kept.
        `contacts_due_by`: see `preload`.
        """
        for user_id in user_ids:
            _check(user_id)
        with self.pool.connection() as conn, conn.transaction():
            lock_users(conn, user_ids)
            stores = {u: PostgresUserStore(conn, u) for u in dict.fromkeys(user_ids)}
            preload(conn, stores, tables, contacts_due_by=contacts_due_by)
            yield stores
            self.write_changes(conn, list(stores.values()))

    def flush(self) -> None:
        """Make durable every commit this process made with `sync=False` (a group commit).

        A synchronous commit waits for the WAL up to its own commit record, so for
        every earlier commit too; it waits only if its transaction wrote WAL, hence
        the (empty, transactional) logical message, which any role may write.
        """
        with unreachable_as_store_error(), self.pool.connection() as conn:
            conn.execute("SELECT pg_logical_emit_message(true, 'rapport-flush', '')")

    def write_changes(self, conn: Conn, stores: Sequence[PostgresUserStore]) -> None:
        """Write the stores' changes and due rows into the open transaction."""
        writes: list[Write] = []
        for store in stores:
            writes += store.writes() + due_writes(store)
            store.flushed()
        if writes and not all(store.sync for store in stores):
            # Bookkeeping delivery can redo: it survives a killed worker without the fsync.
            conn.execute("SET LOCAL synchronous_commit = off")
        run_writes(conn, writes)

    def user_ids(self) -> Iterator[str]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT user_id FROM users ORDER BY user_id").fetchall()
        for (user_id,) in rows:
            yield user_id

    def erase(self, user_id: str) -> bool:
        """Forget the whole user: every row of theirs, in every table. False if none.

        From inside the user's own session it happens in that session's
        transaction, and the session then commits nothing more.
        """
        _check(user_id)
        open_store = _OPEN.get().get(user_id)
        if open_store is not None:
            open_store.erased = True
            return erase_rows(open_store.conn, user_id) > 0
        with unreachable_as_store_error(), self.pool.connection() as conn, conn.transaction():
            lock_users(conn, [user_id])
            return erase_rows(conn, user_id) > 0

    def secret(self) -> bytes:
        """A random key made once per database (signs button tokens)."""
        with unreachable_as_store_error(), self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO store_secret (name, value) VALUES ('buttons', %s)"
                " ON CONFLICT DO NOTHING",
                (os.urandom(32),),
            )
            row = conn.execute("SELECT value FROM store_secret WHERE name = 'buttons'").fetchone()
        assert row is not None
        return bytes(row[0])

    def update(self, update_id: int, user_id: str | None) -> UpdateUnit:
        """One Telegram update's transaction (see UpdateUnit)."""
        return UpdateUnit(self, update_id, user_id)

    def close(self) -> None:
        """Close the connection pool (unless it was lent by whoever made this repository)."""
        if self.owns_pool:
            self.pool.close()


@contextmanager
def unreachable_as_store_error() -> Iterator[None]:
    """A lost or refused database connection becomes the store error every channel explains.

    The transaction is rolled back by then, so the reply can say nothing was changed.
    """
    try:
        yield
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise StoreError(DATABASE, "is unreachable") from exc


def erase_rows(conn: Conn, user_id: str) -> int:
    """Delete every row of `user_id` in the open transaction; return how many went."""
    forget_decoded(user_id)
    return sum(
        conn.execute(f"DELETE FROM {table} WHERE user_id = %s", (user_id,)).rowcount  # noqa: S608
        for table in USER_TABLES
    )


def _check(user_id: str) -> None:
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"invalid user id {user_id!r}")


def _nested(store: PostgresUserStore) -> Iterator[PostgresUserStore]:
    """A session inside an open one for the same user: a savepoint, no second lock.

    If it fails, the savepoint undoes its written-through rows and the snapshot
    its changes in memory, so a failed session still changes nothing.
    """
    saved = store.snapshot()
    try:
        with store.conn.transaction():
            yield store
    except BaseException:
        store.restore(saved)
        raise


class UpdateUnit:
    """One Telegram update applied at most once: its id and its turns commit together.

    `open` (blocking: run it off the event loop) begins a transaction, takes the
    user's lock and records the update id; it returns False for an update
    already applied. Inside `joined()`, the user's sessions share this
    transaction, so a crash before `close` keeps neither the turn nor the id,
    and Telegram's redelivery applies it then.
    """

    def __init__(self, repository: PostgresRepository, update_id: int, user_id: str | None) -> None:
        self.repository = repository
        self.update_id = update_id
        self.user_id = user_id if user_id and USER_ID.fullmatch(user_id) else None
        self._stack = ExitStack()
        self._conn: Conn | None = None
        self._store: PostgresUserStore | None = None

    def open(self) -> bool:
        try:
            conn = self._conn = self._stack.enter_context(self.repository.pool.connection())
            self._stack.enter_context(conn.transaction())
            if self.user_id is not None:
                lock_users(conn, [self.user_id])
                self._store = PostgresUserStore(conn, self.user_id, channel=TELEGRAM)
            fresh = conn.execute(
                "INSERT INTO processed_updates (update_id, user_id) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (self.update_id, self.user_id),
            ).rowcount
        except BaseException:
            self._stack.close()
            raise
        return bool(fresh == 1)

    @contextmanager
    def joined(self) -> Iterator[None]:
        """Within this block (and threads started from it), the user's sessions join the update."""
        if self._store is None:
            yield
            return
        token = _OPEN.set({**_OPEN.get(), self._store.user_id: self._store})
        try:
            yield
        finally:
            _OPEN.reset(token)

    def close(self, error: BaseException | None = None) -> None:
        """Commit (or, after `error`, roll back) and give the connection back."""
        if error is None and self._store is not None and self._conn is not None:
            try:
                self.repository.write_changes(self._conn, [self._store])
            except BaseException as exc:
                error = exc
        tb: TracebackType | None = error.__traceback__ if error else None
        self._stack.__exit__(type(error) if error else None, error, tb)
