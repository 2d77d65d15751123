"""One user's records inside one transaction: a unit of work with an identity map.

The user's current state (profile, contacts, open reminders, conversation
state) is read once per session, a table at a time when first asked for,
and kept as records; every write changes that map and is remembered. At the
session's end the changes go to the database in one pipelined round trip
(`writes`), so a turn costs a few queries whatever it touches, and a
delivery batch can load and flush many users at once (store.py).

History (interactions) is written through and read page by page, newest
first: it can be long and is rarely read whole. Every statement names the
store's user id, so a store cannot reach another user's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile
from bot.storage.records import from_record, to_record
from bot.storage.tinydb_repository import FINAL_STATUSES, MAX_BUTTONS

Conn = psycopg.Connection[Any]
Record = dict[str, Any]
# (statement, rows of parameters): run with executemany, grouped across stores.
Write = tuple[str, list[tuple[Any, ...]]]

PAGE = 100
OPEN_STATUSES = [s.value for s in ReminderStatus if s not in FINAL_STATUSES]

# The current-state tables: name -> the query loading one or many users' rows, by seq.
LOAD = {
    "contacts": "SELECT user_id, id, record FROM contacts WHERE user_id = ANY(%s) ORDER BY seq",
    "reminders": (
        "SELECT user_id, id, record FROM reminders WHERE user_id = ANY(%s)"
        " AND status = ANY(%s) ORDER BY seq"
    ),
    "state": "SELECT user_id, name, value FROM conversation_state WHERE user_id = ANY(%s)",
}
UPSERT = {
    "contacts": (
        "INSERT INTO contacts (user_id, id, record) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id, id) DO UPDATE SET record = EXCLUDED.record"
    ),
    "reminders": (
        "INSERT INTO reminders (user_id, id, status, contact_id, due_at, record)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (user_id, id) DO UPDATE SET status = EXCLUDED.status,"
        " contact_id = EXCLUDED.contact_id, due_at = EXCLUDED.due_at, record = EXCLUDED.record"
    ),
    "state": (
        "INSERT INTO conversation_state (user_id, name, value) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id, name) DO UPDATE SET value = EXCLUDED.value"
    ),
}
DELETE = {
    "contacts": "DELETE FROM contacts WHERE user_id = %s AND id = ANY(%s)",
    # Only open ones: finished reminders are history, as in the embedded store.
    "reminders": (
        "DELETE FROM reminders WHERE user_id = %s AND id = ANY(%s)"
        " AND status IN ('pending', 'sending', 'delivered')"
    ),
    "state": "DELETE FROM conversation_state WHERE user_id = %s AND name = ANY(%s)",
}
SAVE_PROFILE = (
    "INSERT INTO users (user_id, profile) VALUES (%s, %s)"
    " ON CONFLICT (user_id) DO UPDATE SET profile = EXCLUDED.profile"
)
REGISTER = "INSERT INTO users (user_id) VALUES (%s) ON CONFLICT DO NOTHING"
ADD_BUTTON = (
    "INSERT INTO buttons (user_id, ref, payload) VALUES (%s, %s, %s)"
    " ON CONFLICT (user_id, ref) DO UPDATE SET payload = EXCLUDED.payload"
)
# The oldest buttons expire: pressing one later gets a polite "expired".
EXPIRE_BUTTONS = (
    "DELETE FROM buttons WHERE user_id = %s AND ref IN (SELECT ref FROM buttons"
    " WHERE user_id = %s ORDER BY at DESC, ref OFFSET %s)"
)
_NOT_LOADED: Any = object()


@dataclass
class Changes:
    """What a session changed, until it is flushed (copied for a nested session's rollback)."""

    profile: Record | None = None
    upserted: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    finished: dict[str, Record] = field(default_factory=dict)
    buttons: dict[str, dict[str, Any]] = field(default_factory=dict)
    written: bool = False
    due_changed: bool = False

    def copy(self) -> Changes:
        return Changes(
            self.profile,
            {t: set(k) for t, k in self.upserted.items()},
            {t: set(k) for t, k in self.deleted.items()},
            dict(self.finished),
            dict(self.buttons),
            self.written,
            self.due_changed,
        )


class PostgresUserStore:
    """One user's records in an open transaction on `conn` (see the module docstring)."""

    def __init__(self, conn: Conn, user_id: str) -> None:
        self.user_id = user_id
        self.conn = conn
        self._profile: Record | None = _NOT_LOADED
        self._profile_decoded: tuple[Record, UserProfile] | None = None
        self._tables: dict[str, dict[str, Record]] = {}
        # Whether the user's row exists (known once the profile was read).
        self._registered = False
        self.changes = Changes()

    # -- the identity map ------------------------------------------------------
    def preload(
        self, profile: Record | None, tables: dict[str, dict[str, Record]], *, registered: bool
    ) -> None:
        """Take rows loaded in bulk for many users (store.py's batch sessions)."""
        self._profile = profile
        self._registered = registered
        self._tables.update(tables)

    def _table(self, name: str) -> dict[str, Record]:
        rows = self._tables.get(name)
        if rows is None:
            params: tuple[Any, ...] = ([self.user_id],)
            if name == "reminders":
                params += (OPEN_STATUSES,)
            found = self.conn.execute(LOAD[name], params).fetchall()
            rows = self._tables[name] = {key: record for _, key, record in found}
        return rows

    def _put(self, table: str, key: str, record: Record) -> None:
        self._table(table)[key] = record
        self.changes.upserted.setdefault(table, set()).add(key)
        self.changes.deleted.get(table, set()).discard(key)
        self.changes.written = True

    def _drop(self, table: str, key: str) -> None:
        if self._table(table).pop(key, None) is not None:
            self.changes.deleted.setdefault(table, set()).add(key)
        self.changes.upserted.get(table, set()).discard(key)
        self.changes.written = True

    def snapshot(self) -> tuple[Record | None, dict[str, dict[str, Record]], Changes]:
        """Everything a nested session may change in memory, to restore if it fails."""
        return self._profile, {t: dict(r) for t, r in self._tables.items()}, self.changes.copy()

    def restore(self, saved: tuple[Record | None, dict[str, dict[str, Record]], Changes]) -> None:
        self._profile, self._tables, self.changes = saved

    # -- profile -------------------------------------------------------------
    def profile(self) -> UserProfile:
        if self._profile is _NOT_LOADED:
            row = self.conn.execute(
                "SELECT profile FROM users WHERE user_id = %s", (self.user_id,)
            ).fetchone()
            self._profile = row[0] if row else None
            self._registered = row is not None
        if self._profile is None:
            return UserProfile(user_id=self.user_id)
        # Decoded once per record; each caller gets its own (shallow: every field is immutable).
        if self._profile_decoded is None or self._profile_decoded[0] is not self._profile:
            self._profile_decoded = (self._profile, from_record(UserProfile, self._profile))
        return replace(self._profile_decoded[1])

    def save_profile(self, profile: UserProfile) -> None:
        self._profile = self.changes.profile = to_record(profile)
        self.changes.written = self.changes.due_changed = True

    # -- contacts ------------------------------------------------------------
    def contacts(self) -> list[Contact]:
        return [from_record(Contact, r) for r in self._table("contacts").values()]

    def contact(self, contact_id: str) -> Contact | None:
        record = self._table("contacts").get(contact_id)
        return from_record(Contact, record) if record is not None else None

    def save_contact(self, contact: Contact) -> None:
        self._put("contacts", contact.id, to_record(contact))

    def delete_contact(self, contact_id: str) -> None:
        self._drop("contacts", contact_id)

    # -- interactions (written through) ---------------------------------------
    def add_interaction(self, interaction: Interaction) -> None:
        row = self.conn.execute(
            "INSERT INTO interactions (user_id, id, record) VALUES (%s, %s, %s) RETURNING seq",
            (self.user_id, interaction.id, Jsonb(to_record(interaction))),
        ).fetchone()
        assert row is not None
        self.changes.written = True
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO interaction_contacts (user_id, contact_id, seq) VALUES (%s, %s, %s)",
                [(self.user_id, c, row[0]) for c in dict.fromkeys(interaction.contact_ids)],
            )

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        if contact_id is None:
            sql = (
                "SELECT seq, record FROM interactions WHERE user_id = %s AND seq < %s"
                " ORDER BY seq DESC LIMIT %s"
            )
            params: tuple[Any, ...] = (self.user_id,)
        else:
            sql = (
                "SELECT i.seq, i.record FROM interaction_contacts c"
                " JOIN interactions i ON i.user_id = c.user_id AND i.seq = c.seq"
                " WHERE c.user_id = %s AND c.contact_id = %s AND c.seq < %s"
                " ORDER BY c.seq DESC LIMIT %s"
            )
            params = (self.user_id, contact_id)
        before = 2**63 - 1
        while True:
            rows = self.conn.execute(sql, (*params, before, PAGE)).fetchall()
            for seq, record in rows:
                before = seq
                yield from_record(Interaction, record)
            if len(rows) < PAGE:
                return

    def delete_interaction(self, interaction_id: str) -> bool:
        self.changes.written = True
        deleted = self.conn.execute(
            "DELETE FROM interactions WHERE user_id = %s AND id = %s",
            (self.user_id, interaction_id),
        ).rowcount
        return deleted > 0

    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""
        self.conn.execute(
            "DELETE FROM interactions i USING interaction_contacts c"
            " WHERE c.user_id = %s AND c.contact_id = %s AND i.user_id = c.user_id"
            " AND i.seq = c.seq AND jsonb_array_length(i.record -> 'contact_ids') <= 1",
            (self.user_id, contact_id),
        )
        self.conn.execute(
            "UPDATE interactions i SET record = jsonb_set(i.record, '{contact_ids}',"
            " (i.record -> 'contact_ids') - %s) FROM interaction_contacts c"
            " WHERE c.user_id = %s AND c.contact_id = %s AND i.user_id = c.user_id"
            " AND i.seq = c.seq",
            (contact_id, self.user_id, contact_id),
        )
        self.conn.execute(
            "DELETE FROM interaction_contacts WHERE user_id = %s AND contact_id = %s",
            (self.user_id, contact_id),
        )
        # Open and finished reminders alike; none of them may be flushed back later.
        self.conn.execute(
            "DELETE FROM reminders WHERE user_id = %s AND contact_id = %s",
            (self.user_id, contact_id),
        )
        gone = [k for k, r in self._table("reminders").items() if r["contact_id"] == contact_id]
        for key in gone:
            del self._tables["reminders"][key]
            self.changes.upserted.get("reminders", set()).discard(key)
        for key in [k for k, r in self.changes.finished.items() if r["contact_id"] == contact_id]:
            del self.changes.finished[key]
        self.delete_contact(contact_id)
        self.changes.due_changed = True

    # -- reminders -----------------------------------------------------------
    def reminders(self, statuses: Iterable[ReminderStatus] | None = None) -> list[Reminder]:
        # Only open ones: finished reminders are history, as in the embedded store.
        wanted = None if statuses is None else {s.value for s in statuses}
        return [
            from_record(Reminder, r)
            for r in self._table("reminders").values()
            if wanted is None or r["status"] in wanted
        ]

    def reminder(self, reminder_id: str) -> Reminder | None:
        record = self._table("reminders").get(reminder_id)
        return from_record(Reminder, record) if record is not None else None

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        for reminder in reminders:
            record = to_record(reminder)
            if reminder.status in FINAL_STATUSES:
                self._table("reminders").pop(reminder.id, None)
                self.changes.upserted.get("reminders", set()).discard(reminder.id)
                self.changes.finished[reminder.id] = record
                self.changes.written = True
            else:
                self.changes.finished.pop(reminder.id, None)
                self._put("reminders", reminder.id, record)
        self.changes.due_changed = self.changes.due_changed or bool(reminders)

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None:
        for reminder_id in dict.fromkeys(reminder_ids):
            self._drop("reminders", reminder_id)
            self.changes.due_changed = True

    # -- buttons and conversation state -------------------------------------
    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        if payloads:
            self.changes.buttons.update(deepcopy(payloads))
            self.changes.written = True

    def button(self, ref: str) -> dict[str, Any] | None:
        if ref in self.changes.buttons:
            return deepcopy(self.changes.buttons[ref])
        row = self.conn.execute(
            "SELECT payload FROM buttons WHERE user_id = %s AND ref = %s", (self.user_id, ref)
        ).fetchone()
        return dict(row[0]) if row else None

    def state(self, name: str) -> dict[str, Any] | None:
        value = self._table("state").get(name)
        # A copy the caller may change: the map changes only through set_state.
        return deepcopy(value) if value is not None else None

    def set_state(self, name: str, value: dict[str, Any] | None) -> None:
        current = self._table("state").get(name)
        if value is None:
            if current is not None:
                self._drop("state", name)
        elif value != current:
            self._put("state", name, deepcopy(value))
        else:
            return
        # The delivery back-off lives in state, and moves the next delivery.
        self.changes.due_changed = True

    # -- flushing ----------------------------------------------------------------
    def writes(self) -> list[Write]:
        """The statements that make this session's changes durable (empty if none)."""
        changes, user = self.changes, self.user_id
        if not changes.written:
            return []
        out: list[Write] = []
        if changes.profile is not None:
            out.append((SAVE_PROFILE, [(user, Jsonb(changes.profile))]))
        elif not self._registered:
            out.append((REGISTER, [(user,)]))
        for table in ("contacts", "reminders", "state"):
            gone = changes.deleted.get(table)
            if gone:
                out.append((DELETE[table], [(user, sorted(gone))]))
            # In the map's order, so new rows get their seq in the order they were made.
            upserted = changes.upserted.get(table, set())
            rows = [self._row(table, k) for k in self._tables.get(table, {}) if k in upserted]
            if table == "reminders":
                rows += [self._reminder_row(r) for r in changes.finished.values()]
            if rows:
                out.append((UPSERT[table], rows))
        if changes.buttons:
            out.append((ADD_BUTTON, [(user, r, Jsonb(p)) for r, p in changes.buttons.items()]))
            out.append((EXPIRE_BUTTONS, [(user, user, MAX_BUTTONS)]))
        return out

    def flushed(self) -> None:
        """The writes are in the transaction: start counting changes afresh."""
        self._registered = self._registered or self.changes.written
        self.changes = Changes()

    def _row(self, table: str, key: str) -> tuple[Any, ...]:
        record = self._tables[table][key]
        if table == "reminders":
            return self._reminder_row(record)
        return (self.user_id, key, Jsonb(record))

    def _reminder_row(self, record: Record) -> tuple[Any, ...]:
        due = datetime.fromisoformat(record["due_at"])
        return (
            self.user_id,
            record["id"],
            record["status"],
            record["contact_id"],
            due,
            Jsonb(record),
        )


def run_writes(conn: Conn, writes: Iterable[Write]) -> None:
    """Execute writes from one or many stores, one executemany per statement, pipelined."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for sql, rows in writes:
        grouped.setdefault(sql, []).extend(rows)
    if not grouped:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for sql, rows in grouped.items():
            cur.executemany(sql, rows)
