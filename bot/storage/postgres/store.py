"""The repository port over PostgreSQL: one transaction per session, one user per store.

A session takes the user's advisory transaction lock first, so one user's
turns are serialised across every worker process, while different users run
in parallel. Everything the session writes commits together at its end, with
the user's row in the due index; if the block raises, nothing is kept.

Every statement names the store's user id: a store cannot reach another
user's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from bot.domain.clock import Clock, SystemClock
from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile
from bot.storage.records import from_record, to_record
from bot.storage.tinydb_repository import FINAL_STATUSES, MAX_BUTTONS, USER_ID

Conn = psycopg.Connection[Any]

# Interactions are read newest first, this many rows per query, so a caller that
# stops early reads little.
PAGE = 100
OPEN_STATUSES = tuple(s.value for s in ReminderStatus if s not in FINAL_STATUSES)
LOCK_USER = "SELECT pg_advisory_xact_lock(hashtextextended('rapport-user:' || %s, 0))"

# The stores open in this context (thread or task), by user id: a nested session
# for the same user joins the open transaction instead of waiting for its own lock.
# Never mutated: entering a session sets a new mapping, leaving resets the old one.
_OPEN: ContextVar[Mapping[str, PostgresUserStore]] = ContextVar(
    "rapport_pg_open", default=MappingProxyType({})
)


def channel_of(profile: UserProfile) -> str:
    """Which channel delivers to this user: their profile's, else guessed from the id."""
    channel = getattr(profile, "channel", "")
    if channel:
        return str(channel)
    return "telegram" if profile.user_id.isdigit() else "terminal"


class PostgresUserStore:
    """One user's records inside one open transaction."""

    def __init__(self, conn: Conn, user_id: str) -> None:
        self.user_id = user_id
        self.conn = conn
        self._profile: UserProfile | None = None
        self.written = False
        self.due_changed = False

    def _all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, (self.user_id, *params)).fetchall()

    def _run(self, sql: str, *params: Any) -> int:
        """Execute a write whose first parameter is the user id."""
        self.written = True
        return self.conn.execute(sql, (self.user_id, *params)).rowcount

    def forget_cached(self) -> None:
        """Drop what this store remembers (after a rolled-back savepoint)."""
        self._profile = None

    # -- profile -------------------------------------------------------------
    def profile(self) -> UserProfile:
        if self._profile is None:
            rows = self._all("SELECT profile FROM users WHERE user_id = %s")
            record = rows[0][0] if rows else None
            self._profile = (
                from_record(UserProfile, record) if record else UserProfile(user_id=self.user_id)
            )
        return self._profile

    def save_profile(self, profile: UserProfile) -> None:
        self._run(
            "INSERT INTO users (user_id, profile) VALUES (%s, %s)"
            " ON CONFLICT (user_id) DO UPDATE SET profile = EXCLUDED.profile",
            Jsonb(to_record(profile)),
        )
        self._profile = profile
        self.due_changed = True

    # -- contacts ------------------------------------------------------------
    def contacts(self) -> list[Contact]:
        rows = self._all("SELECT record FROM contacts WHERE user_id = %s ORDER BY seq")
        return [from_record(Contact, r[0]) for r in rows]

    def contact(self, contact_id: str) -> Contact | None:
        rows = self._all("SELECT record FROM contacts WHERE user_id = %s AND id = %s", contact_id)
        return from_record(Contact, rows[0][0]) if rows else None

    def save_contact(self, contact: Contact) -> None:
        self._run(
            "INSERT INTO contacts (user_id, id, record) VALUES (%s, %s, %s)"
            " ON CONFLICT (user_id, id) DO UPDATE SET record = EXCLUDED.record",
            contact.id,
            Jsonb(to_record(contact)),
        )

    def delete_contact(self, contact_id: str) -> None:
        self._run("DELETE FROM contacts WHERE user_id = %s AND id = %s", contact_id)

    # -- interactions --------------------------------------------------------
    def add_interaction(self, interaction: Interaction) -> None:
        rows = self.conn.execute(
            "INSERT INTO interactions (user_id, id, record) VALUES (%s, %s, %s) RETURNING seq",
            (self.user_id, interaction.id, Jsonb(to_record(interaction))),
        ).fetchall()
        self.written = True
        seq = rows[0][0]
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO interaction_contacts (user_id, contact_id, seq) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                [(self.user_id, c, seq) for c in dict.fromkeys(interaction.contact_ids)],
            )

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        if contact_id is None:
            sql = (
                "SELECT seq, record FROM interactions WHERE user_id = %s AND seq < %s"
                " ORDER BY seq DESC LIMIT %s"
            )
            params: tuple[Any, ...] = ()
        else:
            sql = (
                "SELECT i.seq, i.record FROM interaction_contacts c"
                " JOIN interactions i ON i.user_id = c.user_id AND i.seq = c.seq"
                " WHERE c.user_id = %s AND c.contact_id = %s AND c.seq < %s"
                " ORDER BY c.seq DESC LIMIT %s"
            )
            params = (contact_id,)
        before = 2**63 - 1
        while True:
            rows = self._all(sql, *params, before, PAGE)
            for seq, record in rows:
                before = seq
                yield from_record(Interaction, record)
            if len(rows) < PAGE:
                return

    def delete_interaction(self, interaction_id: str) -> bool:
        return (
            self._run("DELETE FROM interactions WHERE user_id = %s AND id = %s", interaction_id) > 0
        )

    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""
        for seq, record in self._all(
            "SELECT i.seq, i.record FROM interaction_contacts c"
            " JOIN interactions i ON i.user_id = c.user_id AND i.seq = c.seq"
            " WHERE c.user_id = %s AND c.contact_id = %s",
            contact_id,
        ):
            others = [c for c in record.get("contact_ids", []) if c != contact_id]
            if others:
                self.written = True
                self.conn.execute(
                    "UPDATE interactions SET record = %s WHERE user_id = %s AND seq = %s",
                    (Jsonb({**record, "contact_ids": others}), self.user_id, seq),
                )
            else:
                self._run("DELETE FROM interactions WHERE user_id = %s AND seq = %s", seq)
        self._run(
            "DELETE FROM interaction_contacts WHERE user_id = %s AND contact_id = %s", contact_id
        )
        self._run("DELETE FROM reminders WHERE user_id = %s AND contact_id = %s", contact_id)
        self.delete_contact(contact_id)
        self.due_changed = True

    # -- reminders -----------------------------------------------------------
    def reminders(self, statuses: Iterable[ReminderStatus] | None = None) -> list[Reminder]:
        # Finished reminders are history, as in the embedded store: never listed here.
        wanted = [s.value for s in statuses] if statuses is not None else list(OPEN_STATUSES)
        wanted = [s for s in wanted if s in OPEN_STATUSES]
        if not wanted:
            return []
        rows = self._all(
            "SELECT record FROM reminders WHERE user_id = %s AND status = ANY(%s) ORDER BY seq",
            wanted,
        )
        return [from_record(Reminder, r[0]) for r in rows]

    def reminder(self, reminder_id: str) -> Reminder | None:
        rows = self._all(
            "SELECT record FROM reminders WHERE user_id = %s AND id = %s AND status = ANY(%s)",
            reminder_id,
            list(OPEN_STATUSES),
        )
        return from_record(Reminder, rows[0][0]) if rows else None

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        if not reminders:
            return
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO reminders (user_id, id, status, contact_id, due_at, record)"
                " VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (user_id, id) DO UPDATE SET status = EXCLUDED.status,"
                " contact_id = EXCLUDED.contact_id, due_at = EXCLUDED.due_at,"
                " record = EXCLUDED.record",
                [
                    (
                        self.user_id,
                        r.id,
                        r.status.value,
                        r.contact_id,
                        r.due_at,
                        Jsonb(to_record(r)),
                    )
                    for r in reminders
                ],
            )
        self.written = self.due_changed = True

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(reminder_ids))
        if ids:
            self._run(
                "DELETE FROM reminders WHERE user_id = %s AND id = ANY(%s) AND status = ANY(%s)",
                ids,
                list(OPEN_STATUSES),
            )
            self.due_changed = True

    # -- buttons and conversation state -------------------------------------
    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        if not payloads:
            return
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO buttons (user_id, ref, payload) VALUES (%s, %s, %s)"
                " ON CONFLICT (user_id, ref) DO UPDATE SET payload = EXCLUDED.payload",
                [(self.user_id, ref, Jsonb(p)) for ref, p in payloads.items()],
            )
        # The oldest buttons expire: pressing one later gets a polite "expired".
        self._run(
            "DELETE FROM buttons WHERE user_id = %s AND ref IN (SELECT ref FROM buttons"
            " WHERE user_id = %s ORDER BY at DESC, ref OFFSET %s)",
            self.user_id,
            MAX_BUTTONS,
        )

    def button(self, ref: str) -> dict[str, Any] | None:
        rows = self._all("SELECT payload FROM buttons WHERE user_id = %s AND ref = %s", ref)
        return dict(rows[0][0]) if rows else None

    def state(self, name: str) -> dict[str, Any] | None:
        rows = self._all(
            "SELECT value FROM conversation_state WHERE user_id = %s AND name = %s", name
        )
        return dict(rows[0][0]) if rows else None

    def set_state(self, name: str, value: dict[str, Any] | None) -> None:
        if value is None:
            self._run("DELETE FROM conversation_state WHERE user_id = %s AND name = %s", name)
        else:
            self._run(
                "INSERT INTO conversation_state (user_id, name, value) VALUES (%s, %s, %s)"
                " ON CONFLICT (user_id, name) DO UPDATE SET value = EXCLUDED.value",
                name,
                Jsonb(value),
            )
        # The delivery back-off lives in state, and moves the next delivery.
        self.due_changed = True

    # -- the end of the session ---------------------------------------------
    def finish(self, now: datetime) -> None:
        """Register the user and bring their due-index row up to date (still in the transaction)."""
        if self.written:
            self.conn.execute(
                "INSERT INTO users (user_id) VALUES (%s) ON CONFLICT DO NOTHING", (self.user_id,)
            )
        if self.due_changed:
            settle_due(self, now)


def settle_due(store: PostgresUserStore, now: datetime) -> None:
    """Set the user's due-index row to their true next delivery time (None removes it).

    The delivery claim (owner, lease) is kept: only the claim holder releases it.
    """
    from bot.scheduling.delivery import next_delivery  # the rule both stores share

    when = next_delivery(store, now)
    if when is None:
        store.conn.execute("DELETE FROM due_users WHERE user_id = %s", (store.user_id,))
        return
    store.conn.execute(
        "INSERT INTO due_users (user_id, channel, next_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET channel = EXCLUDED.channel,"
        " next_at = EXCLUDED.next_at",
        (store.user_id, channel_of(store.profile()), when),
    )


class PostgresRepository:
    """Per-user stores over one PostgreSQL database (see the module docstring)."""

    def __init__(self, pool: ConnectionPool[Any], *, clock: Clock | None = None) -> None:
        self.pool = pool
        self.clock = clock or SystemClock()

    @contextmanager
    def session(self, user_id: str) -> Iterator[PostgresUserStore]:
        if not USER_ID.fullmatch(user_id):
            raise ValueError(f"invalid user id {user_id!r}")
        joined = _OPEN.get().get(user_id)
        if joined is not None:
            # Nested (a session in a session, or inside an update's transaction): a
            # savepoint keeps "a failed session changes nothing" without a second lock.
            try:
                with joined.conn.transaction():
                    yield joined
            except BaseException:
                joined.forget_cached()
                raise
            return
        with ExitStack() as stack:
            store = open_store(stack, self.pool, user_id)
            token = _OPEN.set({**_OPEN.get(), user_id: store})
            try:
                yield store
                store.finish(self.clock.now())
            finally:
                _OPEN.reset(token)

    def user_ids(self) -> Iterator[str]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT user_id FROM users ORDER BY user_id").fetchall()
        for (user_id,) in rows:
            yield user_id

    def update(self, update_id: int, user_id: str | None) -> UpdateUnit:
        """Open one Telegram update's transaction (see UpdateUnit)."""
        return UpdateUnit(self, update_id, user_id)

    def close(self) -> None:
        self.pool.close()


def open_store(stack: ExitStack, pool: ConnectionPool[Any], user_id: str) -> PostgresUserStore:
    """Take a connection, begin a transaction and lock `user_id`; `stack` ends them."""
    conn = stack.enter_context(pool.connection())
    stack.enter_context(conn.transaction())
    conn.execute(LOCK_USER, (user_id,))
    return PostgresUserStore(conn, user_id)


class UpdateUnit:
    """One Telegram update applied at most once: its id and its turns commit together.

    `open` (blocking; run it off the event loop) begins a transaction, takes the
    user's lock and records the update id; it returns False for an update already
    applied. Inside `joined()`, the user's sessions share this transaction, so a
    crash before `close` leaves neither the turn nor the id, and Telegram's
    redelivery applies it then.
    """

    def __init__(self, repository: PostgresRepository, update_id: int, user_id: str | None):
        self.repository = repository
        self.update_id = update_id
        self.user_id = user_id if user_id and USER_ID.fullmatch(user_id) else None
        self._stack = ExitStack()
        self._store: PostgresUserStore | None = None

    def open(self) -> bool:
        try:
            if self.user_id is not None:
                self._store = open_store(self._stack, self.repository.pool, self.user_id)
                conn = self._store.conn
            else:
                conn = self._stack.enter_context(self.repository.pool.connection())
                self._stack.enter_context(conn.transaction())
            fresh = conn.execute(
                "INSERT INTO processed_updates (update_id, user_id) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (self.update_id, self.user_id),
            ).rowcount
        except BaseException:
            self._stack.close()
            raise
        return fresh == 1

    @contextmanager
    def joined(self) -> Iterator[None]:
        """Within this block (and threads it starts), the user's sessions join the update."""
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
        if error is None and self._store is not None:
            try:
                self._store.finish(self.repository.clock.now())
            except BaseException as exc:
                error = exc
        tb: TracebackType | None = error.__traceback__ if error else None
        self._stack.__exit__(type(error) if error else None, error, tb)
