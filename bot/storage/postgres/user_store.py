"""One user's records inside one transaction: a unit of work with an identity map.

The user's current state (profile, contacts, open reminders, conversation
state) is read once per session, a table at a time when first asked for,
and kept as records; every write changes that map and is remembered. At the
session's end the changes go to the database in one pipelined round trip
(`writes`), so a turn costs a few queries whatever it touches, and a
delivery batch can load and flush many users at once (store.py).

History (interactions, finished reminders) is written through and read page
by page, newest first: it can be long and is rarely read whole. Listings are
in the embedded store's order: contacts and reminders oldest first (as
made), history newest first. Every statement names the store's user id, so a
store cannot reach another user's rows.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar, cast

import orjson
import psycopg
from psycopg.types.json import Jsonb

from bot.domain.ids import new_id
from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile
from bot.storage.records import from_record, to_record
from bot.storage.repository import (
    Kept,
    Reverted,
    RewriteInteraction,
    RewriteReminder,
    RewriteState,
)
from bot.storage.tinydb_repository import FINAL_STATUSES, MAX_BUTTONS, MAX_UNDO

Conn = psycopg.Connection[Any]
Record = dict[str, Any]
# (statement, rows of parameters): run with executemany, grouped across stores.
Write = tuple[str, list[tuple[Any, ...]]]
# [kind, id, before, after]: one record an undoable session changed.
Change = list[Any]

PAGE = 100
OPEN_STATUSES = [s.value for s in ReminderStatus if s not in FINAL_STATUSES]
FINAL = [s.value for s in FINAL_STATUSES]

# The current-state tables: name -> the query loading one or many users' rows.
LOAD = {
    "contacts": "SELECT user_id, id, record FROM contacts WHERE user_id = ANY(%s)",
    "reminders": (
        "SELECT user_id, id, record FROM reminders WHERE user_id = ANY(%s) AND status = ANY(%s)"
    ),
    "state": "SELECT user_id, name, value FROM conversation_state WHERE user_id = ANY(%s)",
}
# Statements run once for a whole batch of rows: the rows' columns are passed as
# arrays and unnested (see run_writes), so a delivery batch of 100 users costs
# one statement per table, not one per row. Their text -> how many leading
# columns make a row's key (a later row with the same key replaces an earlier one:
# one INSERT ... ON CONFLICT may not touch a row twice).
BATCHED: dict[str, int] = {}


def batched(sql: str, *, key: int) -> str:
    """Register `sql` (over unnested column arrays) as a batched statement.

    Its arrays go in binary (%b): the text form quotes and escapes every JSON
    record in Python, several times the cost of one executemany row.
    """
    sql = sql.replace("%s", "%b")
    BATCHED[sql] = key
    return sql


UPSERT = {
    "contacts": batched(
        "INSERT INTO contacts (user_id, id, record)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::jsonb[])"
        " ON CONFLICT (user_id, id) DO UPDATE SET record = EXCLUDED.record",
        key=2,
    ),
    # A reminder keeps its place among finished ones once it has one.
    "reminders": batched(
        "INSERT INTO reminders AS r (user_id, id, status, contact_id, due_at, record, finished_seq)"
        " SELECT u, i, s, c, d, j, CASE WHEN f THEN nextval('reminders_finished_seq') END"
        " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[],"
        " %s::jsonb[], %s::bool[]) AS t(u, i, s, c, d, j, f)"
        " ON CONFLICT (user_id, id) DO UPDATE SET status = EXCLUDED.status,"
        " contact_id = EXCLUDED.contact_id, due_at = EXCLUDED.due_at, record = EXCLUDED.record,"
        " finished_seq = CASE WHEN EXCLUDED.status IN ('done', 'cancelled')"
        " THEN coalesce(r.finished_seq, EXCLUDED.finished_seq) END",
        key=2,
    ),
    "state": batched(
        "INSERT INTO conversation_state (user_id, name, value)"
        " SELECT * FROM unnest(%s::text[], %s::text[], %s::jsonb[])"
        " ON CONFLICT (user_id, name) DO UPDATE SET value = EXCLUDED.value",
        key=2,
    ),
}
# Rows (user id, key).
DELETE = {
    "contacts": batched(
        "DELETE FROM contacts t USING unnest(%s::text[], %s::text[]) AS g(u, k)"
        " WHERE t.user_id = g.u AND t.id = g.k",
        key=2,
    ),
    # Only open ones: finished reminders are history, as in the embedded store.
    "reminders": batched(
        "DELETE FROM reminders t USING unnest(%s::text[], %s::text[]) AS g(u, k)"
        " WHERE t.user_id = g.u AND t.id = g.k AND t.status IN ('pending', 'sending', 'delivered')",
        key=2,
    ),
    "state": batched(
        "DELETE FROM conversation_state t USING unnest(%s::text[], %s::text[]) AS g(u, k)"
        " WHERE t.user_id = g.u AND t.name = g.k",
        key=2,
    ),
}
SAVE_PROFILE = batched(
    "INSERT INTO users (user_id, profile) SELECT * FROM unnest(%s::text[], %s::jsonb[])"
    " ON CONFLICT (user_id) DO UPDATE SET profile = EXCLUDED.profile",
    key=1,
)
REGISTER = batched(
    "INSERT INTO users (user_id) SELECT * FROM unnest(%s::text[]) ON CONFLICT DO NOTHING", key=1
)
ADD_BUTTON = batched(
    "INSERT INTO buttons (user_id, ref, payload)"
    " SELECT * FROM unnest(%s::text[], %s::text[], %s::jsonb[])"
    " ON CONFLICT (user_id, ref) DO UPDATE SET payload = EXCLUDED.payload",
    key=2,
)
# The oldest buttons expire: pressing one later gets a polite "expired".
EXPIRE_BUTTONS = (
    "DELETE FROM buttons WHERE user_id = %s AND ref IN (SELECT ref FROM buttons"
    " WHERE user_id = %s ORDER BY at DESC, ref OFFSET %s)"
)
SAVE_UNDO = "INSERT INTO undo_records (user_id, id, changes) VALUES (%s, %s, %s)"
PRUNE_UNDO = (
    "DELETE FROM undo_records WHERE user_id = %s AND id IN (SELECT id FROM undo_records"
    " WHERE user_id = %s ORDER BY at DESC OFFSET %s)"
)
_NOT_LOADED: Any = object()
T = TypeVar("T")
# The last decoded profile of each user, reused while their record is unchanged: delivery
# reads every profile in two transactions a message, and a decode costs ~16 us.
_PROFILES: dict[str, tuple[Record, UserProfile]] = {}
MAX_CACHED_PROFILES = 10_000


def decoded_profile(user_id: str, record: Record) -> UserProfile:
    """`record` decoded, or the decode of an equal record of this user's (not a copy)."""
    cached = _PROFILES.get(user_id)
    if cached is not None and cached[0] == record:
        return cached[1]
    profile = from_record(UserProfile, record)
    if len(_PROFILES) >= MAX_CACHED_PROFILES:
        _PROFILES.clear()
    # Records in a store's map are never changed in place (a save puts a new one).
    _PROFILES[user_id] = (record, profile)
    return profile


def clear_decoded() -> None:
    """Drop every decoded profile: a delivery round is done with them (and a user erased
    in another process leaves no copy here past the round)."""
    _PROFILES.clear()


def forget_decoded(user_id: str) -> None:
    """Drop what this process keeps decoded of `user_id` (the user is being erased)."""
    _PROFILES.pop(user_id, None)


def shallow_copy(obj: T) -> T:
    """A copy of a dataclass instance sharing its field values (for immutable fields only).

    dataclasses.replace runs __init__ over every field, five times this: the store
    hands out a copy of the profile several times in one delivery step.
    """
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


# orjson refuses what it would otherwise turn into something else (a datetime into its
# text, a str or int subclass into a plain one, a dataclass into a dict): those are
# walked. An enum still becomes its value either way, as the jsonb column would give it
# back; state and payloads come through to_record, so none holds one today.
_AS_IS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def json_copy(value: T) -> T:
    """A deep copy of a JSON value (dicts, lists, scalars): a delivery burst copies thousands.

    Through orjson, a quarter of the cost of walking it in Python (a ping's state is
    copied several times a message): the copy is what the jsonb column gives back
    after the commit (a tuple reads back a list, an enum its value, NaN null). A
    value orjson refuses (a datetime, a key that is no string, an int past 64 bits)
    is walked instead.
    """
    try:
        return cast(T, orjson.loads(orjson.dumps(value, option=_AS_IS)))
    except TypeError:
        return _walked_copy(value)


def _walked_copy(value: T) -> T:
    """json_copy for values orjson refuses; anything not JSON goes through copy.deepcopy."""
    if isinstance(value, dict):
        return cast(T, {k: _walked_copy(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [_walked_copy(v) for v in value])
    if value is None or isinstance(value, str | int | float):
        return value
    return copy.deepcopy(value)


def made_order(rows: Iterable[tuple[str, Record]]) -> dict[str, Record]:
    """Records by id, oldest first as they were made (the embedded store's order)."""
    ordered = sorted(rows, key=lambda kv: (datetime.fromisoformat(kv[1]["created_at"]), kv[0]))
    return dict(ordered)


@dataclass
class Changes:
    """What a session changed, until it is flushed (copied for a nested session's rollback)."""

    profile: Record | None = None
    upserted: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    finished: dict[str, Record] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)  # open reminders that finished
    buttons: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[Change] = field(default_factory=list)  # interactions, written through
    written: bool = False
    due_changed: bool = False

    def copy(self) -> Changes:
        return Changes(
            self.profile,
            {t: set(k) for t, k in self.upserted.items()},
            {t: set(k) for t, k in self.deleted.items()},
            dict(self.finished),
            set(self.moved),
            dict(self.buttons),
            list(self.history),
            self.written,
            self.due_changed,
        )


class PostgresUserStore:
    """One user's records in an open transaction on `conn` (see the module docstring)."""

    def __init__(self, conn: Conn, user_id: str, *, channel: str | None = None) -> None:
        self.user_id = user_id
        self.conn = conn
        self.channel = channel
        self.sync = True
        self.erased = False
        # The delivery owner whose lease on the user ends with this store's due write.
        self.releasing: str | None = None
        self._profile: Record | None = _NOT_LOADED
        self._profile_decoded: tuple[Record, UserProfile] | None = None
        self._tables: dict[str, dict[str, Record]] = {}
        # Rows read by key while their table is not loaded whole (None: no such row).
        # Only committed rows: a write loads the whole table first (see _put).
        self._keyed: dict[str, dict[str, Record | None]] = {}
        self._loaded: dict[str, dict[str, Record]] = {}  # as committed: undo's "before"
        # Whether the user's row exists (known once the profile was read).
        self._registered = False
        self._undo: str | None = None
        self.changes = Changes()

    def _all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, (self.user_id, *params)).fetchall()

    def _through(self, sql: str, *params: Any) -> int:
        """Write through (history): the first parameter is the user id."""
        self.changes.written = True
        return self.conn.execute(sql, (self.user_id, *params)).rowcount

    # -- the identity map ------------------------------------------------------
    def preload(
        self, profile: Record | None, tables: dict[str, dict[str, Record]], *, registered: bool
    ) -> None:
        """Take rows loaded in bulk for many users (store.py's batch sessions)."""
        self._profile = profile
        self._registered = registered
        for name, rows in tables.items():
            self._set_loaded(name, rows)

    def preload_keys(self, name: str, rows: dict[str, Record | None]) -> None:
        """Take some rows of `name` loaded in bulk, by key (None: no such row); lookups of
        those keys then need no query, and anything else loads the whole table as before."""
        if name not in self._tables:
            self._keyed.setdefault(name, {}).update(rows)

    def _get(self, name: str, key: str) -> Record | None:
        """One row of the table by key: from the whole table, or from the rows preloaded
        by key (any other key loads the whole table, as a listing would)."""
        rows = self._tables.get(name)
        if rows is None:
            keyed = self._keyed.get(name)
            if keyed is not None and key in keyed:
                return keyed[key]
            rows = self._table(name)
        return rows.get(key)

    def _set_loaded(self, name: str, rows: dict[str, Record]) -> None:
        if name in ("contacts", "reminders"):
            rows = made_order(rows.items())
        self._tables[name] = rows
        self._loaded[name] = dict(rows)

    def _table(self, name: str) -> dict[str, Record]:
        rows = self._tables.get(name)
        if rows is None:
            params: tuple[Any, ...] = ([self.user_id],)
            if name == "reminders":
                params += (OPEN_STATUSES,)
            found = self.conn.execute(LOAD[name], params).fetchall()
            self._set_loaded(name, {key: record for _, key, record in found})
            rows = self._tables[name]
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

    def snapshot(self) -> Any:
        """Everything a nested session may change in memory, to restore if it fails."""
        tables = {t: dict(r) for t, r in self._tables.items()}
        return self._profile, tables, dict(self._loaded), self.changes.copy(), self._undo

    def restore(self, saved: Any) -> None:
        self._profile, self._tables, self._loaded, self.changes, self._undo = saved

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
            self._profile_decoded = (self._profile, decoded_profile(self.user_id, self._profile))
        return shallow_copy(self._profile_decoded[1])

    def save_profile(self, profile: UserProfile) -> None:
        self._profile = self.changes.profile = to_record(profile)
        self.changes.written = self.changes.due_changed = True

    # -- contacts ------------------------------------------------------------
    def contacts(self) -> list[Contact]:
        return [from_record(Contact, r) for r in self._table("contacts").values()]

    def contact(self, contact_id: str) -> Contact | None:
        record = self._get("contacts", contact_id)
        return from_record(Contact, record) if record is not None else None

    def save_contact(self, contact: Contact) -> None:
        self._put("contacts", contact.id, to_record(contact))

    def delete_contact(self, contact_id: str) -> None:
        self._drop("contacts", contact_id)

    # -- interactions (written through) ---------------------------------------
    def add_interaction(self, interaction: Interaction) -> None:
        record = to_record(interaction)
        row = self.conn.execute(
            "INSERT INTO interactions (user_id, id, record) VALUES (%s, %s, %s) RETURNING seq",
            (self.user_id, interaction.id, Jsonb(record)),
        ).fetchone()
        assert row is not None
        self._link(row[0], interaction.contact_ids)
        self.changes.written = True
        self.changes.history.append(["interactions", interaction.id, None, record])

    def _link(self, seq: int, contact_ids: Iterable[str]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO interaction_contacts (user_id, contact_id, seq) VALUES (%s, %s, %s)",
                [(self.user_id, c, seq) for c in dict.fromkeys(contact_ids)],
            )

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        for _, record in self._interaction_rows(contact_id):
            yield from_record(Interaction, record)

    def _interaction_rows(self, contact_id: str | None = None) -> Iterator[tuple[int, Record]]:
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
                yield seq, record
            if len(rows) < PAGE:
                return

    def delete_interaction(self, interaction_id: str) -> bool:
        self.changes.written = True
        row = self.conn.execute(
            "DELETE FROM interactions WHERE user_id = %s AND id = %s RETURNING record",
            (self.user_id, interaction_id),
        ).fetchone()
        if row is None:
            return False
        self.changes.history.append(["interactions", interaction_id, row[0], None])
        return True

    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""
        self._through(
            "DELETE FROM interactions i USING interaction_contacts c"
            " WHERE c.user_id = %s AND c.contact_id = %s AND i.user_id = c.user_id"
            " AND i.seq = c.seq AND jsonb_array_length(i.record -> 'contact_ids') <= 1",
            contact_id,
        )
        self.conn.execute(
            "UPDATE interactions i SET record = jsonb_set(i.record, '{contact_ids}',"
            " (i.record -> 'contact_ids') - %s) FROM interaction_contacts c"
            " WHERE c.user_id = %s AND c.contact_id = %s AND i.user_id = c.user_id"
            " AND i.seq = c.seq",
            (contact_id, self.user_id, contact_id),
        )
        self._through(
            "DELETE FROM interaction_contacts WHERE user_id = %s AND contact_id = %s", contact_id
        )
        # Open and finished reminders alike; none of them may be flushed back later.
        self._through("DELETE FROM reminders WHERE user_id = %s AND contact_id = %s", contact_id)
        reminders = self._table("reminders")
        for key in [k for k, r in reminders.items() if r["contact_id"] == contact_id]:
            del reminders[key]
            self.changes.upserted.get("reminders", set()).discard(key)
        finished = self.changes.finished
        for key in [k for k, r in finished.items() if r["contact_id"] == contact_id]:
            del finished[key]
        self.delete_contact(contact_id)
        self._drop_undo_records()
        self.changes.due_changed = True

    # -- reminders -----------------------------------------------------------
    def reminders(
        self, statuses: Iterable[ReminderStatus] | None = None, *, contact_id: str | None = None
    ) -> list[Reminder]:
        wanted = None if statuses is None else {s.value for s in statuses}
        return [
            from_record(Reminder, r)
            for r in self._table("reminders").values()
            if (wanted is None or r["status"] in wanted)
            and (contact_id is None or r["contact_id"] == contact_id)
        ]

    def reminder(self, reminder_id: str) -> Reminder | None:
        record = self._table("reminders").get(reminder_id)
        return from_record(Reminder, record) if record is not None else None

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        for reminder in reminders:
            self._save_reminder(to_record(reminder))
        self.changes.due_changed = self.changes.due_changed or bool(reminders)

    def _save_reminder(self, record: Record) -> None:
        key = record["id"]
        if record["status"] in FINAL:
            if self._table("reminders").pop(key, None) is not None:
                self.changes.moved.add(key)
            self.changes.upserted.get("reminders", set()).discard(key)
            self.changes.deleted.get("reminders", set()).discard(key)
            self.changes.finished.pop(key, None)  # newest last, like an append
            self.changes.finished[key] = record
            self.changes.written = True
        else:
            self.changes.finished.pop(key, None)
            self.changes.moved.discard(key)
            self._put("reminders", key, record)

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None:
        for reminder_id in dict.fromkeys(reminder_ids):
            self._drop("reminders", reminder_id)
            self.changes.due_changed = True

    def finished_reminders(self) -> Iterator[Reminder]:
        buffered = self.changes.finished
        for record in reversed(list(buffered.values())):
            yield from_record(Reminder, record)
        reopened = set(self._table("reminders"))
        for record in self._finished_rows():
            if record["id"] not in buffered and record["id"] not in reopened:
                yield from_record(Reminder, record)

    def _finished_rows(self) -> Iterator[Record]:
        before = 2**63 - 1
        while True:
            rows = self._all(
                "SELECT finished_seq, record FROM reminders WHERE user_id = %s"
                " AND status IN ('done', 'cancelled') AND finished_seq < %s"
                " ORDER BY finished_seq DESC LIMIT %s",
                before,
                PAGE,
            )
            for seq, record in rows:
                before = seq
                yield record
            if len(rows) < PAGE:
                return

    # -- buttons and conversation state -------------------------------------
    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        if payloads:
            self.changes.buttons.update(json_copy(payloads))
            self.changes.written = True

    def button(self, ref: str) -> dict[str, Any] | None:
        if ref in self.changes.buttons:
            return json_copy(self.changes.buttons[ref])
        row = self.conn.execute(
            "SELECT payload FROM buttons WHERE user_id = %s AND ref = %s", (self.user_id, ref)
        ).fetchone()
        return dict(row[0]) if row else None

    def state(self, name: str) -> dict[str, Any] | None:
        value = self._table("state").get(name)
        # A copy the caller may change: the map changes only through set_state.
        return json_copy(value) if value is not None else None

    def set_state(self, name: str, value: dict[str, Any] | None) -> None:
        current = self._table("state").get(name)
        if value is None:
            if current is not None:
                self._drop("state", name)
        elif value != current:
            self._put("state", name, json_copy(value))

    # -- undo ------------------------------------------------------------------
    def mark_undoable(self) -> str:
        if self._undo is None:
            self._undo = new_id("u")
        return self._undo

    def _undo_changes(self) -> list[Change]:
        """Every contact, open reminder, finished reminder and interaction this session changed."""
        changes: list[Change] = []
        for table in ("contacts", "reminders"):
            keys = self.changes.upserted.get(table, set()) | self.changes.deleted.get(table, set())
            if table == "reminders":
                keys |= self.changes.moved
            for key in sorted(keys):
                before = self._loaded.get(table, {}).get(key)
                after = self._tables.get(table, {}).get(key)
                if before != after:
                    changes.append([table, key, before, after])
        changes += [["finished", k, None, r] for k, r in self.changes.finished.items()]
        return changes + self.changes.history

    def revert(
        self, undo_id: str, *, keep: Callable[[str, str], bool] | None = None
    ) -> Reverted | None:
        row = self.conn.execute(
            "DELETE FROM undo_records WHERE user_id = %s AND id = %s RETURNING changes",
            (self.user_id, undo_id),
        ).fetchone()
        if row is None:
            return None
        self.changes.written = True
        restored, kept = 0, []
        for kind, key, before, after in row[0]:
            if self._current(kind, key) == after and not (keep and keep(kind, key)):
                self._restore(kind, key, before)
                restored += 1
            else:
                kept.append(Kept(kind, key, created=before is None))
        return Reverted(restored, kept)

    def _current(self, kind: str, key: str) -> Record | None:
        if kind in ("contacts", "reminders"):
            return self._table(kind).get(key)
        if kind == "finished":
            if key in self.changes.finished:
                return self.changes.finished[key]
            rows = self._all(
                "SELECT record FROM reminders WHERE user_id = %s AND id = %s"
                " AND status IN ('done', 'cancelled')",
                key,
            )
        else:
            rows = self._all("SELECT record FROM interactions WHERE user_id = %s AND id = %s", key)
        return rows[0][0] if rows else None

    def _restore(self, kind: str, key: str, before: Record | None) -> None:
        if kind == "contacts":
            if before is None:
                self._drop("contacts", key)
            else:
                self._put("contacts", key, before)
        elif kind == "reminders":
            if before is None:
                self._drop("reminders", key)
            else:
                self._save_reminder(before)
            self.changes.due_changed = True
        elif kind == "finished":
            if self.changes.finished.pop(key, None) is None:
                self._through(
                    "DELETE FROM reminders WHERE user_id = %s AND id = %s"
                    " AND status IN ('done', 'cancelled')",
                    key,
                )
            if before is not None:
                self._save_reminder(before)
        elif before is None:
            self.delete_interaction(key)
        else:
            self.add_interaction(from_record(Interaction, before))

    def _drop_undo_records(self) -> None:
        self._through("DELETE FROM undo_records WHERE user_id = %s")

    # -- rewriting everything (redaction) -------------------------------------------
    def rewrite(
        self,
        *,
        interactions: RewriteInteraction | None = None,
        reminders: RewriteReminder | None = None,
        state: RewriteState | None = None,
    ) -> None:
        if interactions is not None:
            for seq, record in list(self._interaction_rows()):
                self._rewrite_interaction(seq, record, interactions)
        if reminders is not None:
            for record in list(self._table("reminders").values()):
                self._rewrite_reminder(record, reminders)
            for record in list(self.changes.finished.values()):
                self._rewrite_reminder(record, reminders)
            for record in list(self._finished_rows()):
                if record["id"] not in self.changes.finished:
                    self._rewrite_finished_row(record, reminders)
        if state is not None:
            for name, value in list(self._table("state").items()):
                self.set_state(name, state(name, json_copy(value)))
            self._rewrite_buttons(state)
        self._drop_undo_records()

    def _rewrite_interaction(self, seq: int, record: Record, change: RewriteInteraction) -> None:
        result = change(from_record(Interaction, record))
        if result is None:
            self._through("DELETE FROM interactions WHERE user_id = %s AND seq = %s", seq)
            return
        new = to_record(result)
        if new == record:
            return
        self.changes.written = True
        self.conn.execute(
            "UPDATE interactions SET record = %s WHERE user_id = %s AND seq = %s",
            (Jsonb(new), self.user_id, seq),
        )
        if new.get("contact_ids") != record.get("contact_ids"):
            self._through("DELETE FROM interaction_contacts WHERE user_id = %s AND seq = %s", seq)
            self._link(seq, new.get("contact_ids", []))

    def _rewrite_reminder(self, record: Record, change: RewriteReminder) -> None:
        result = change(from_record(Reminder, record))
        if result is None:
            self._drop("reminders", record["id"])
            self.changes.finished.pop(record["id"], None)
            self._through("DELETE FROM reminders WHERE user_id = %s AND id = %s", record["id"])
        elif to_record(result) != record:
            self._save_reminder(to_record(result))
        self.changes.due_changed = True

    def _rewrite_finished_row(self, record: Record, change: RewriteReminder) -> None:
        result = change(from_record(Reminder, record))
        if result is None:
            self._through("DELETE FROM reminders WHERE user_id = %s AND id = %s", record["id"])
        elif (new := to_record(result)) != record:
            self.changes.written = True
            self.conn.execute(
                "UPDATE reminders SET record = %s WHERE user_id = %s AND id = %s",
                (Jsonb(new), self.user_id, record["id"]),
            )

    def _rewrite_buttons(self, state: RewriteState) -> None:
        stored = dict(self._all("SELECT ref, payload FROM buttons WHERE user_id = %s"))
        stored.update(self.changes.buttons)
        for ref, payload in stored.items():
            kept = state(f"button:{ref}", json_copy(payload))
            if kept is None:
                self.changes.buttons.pop(ref, None)
                self._through("DELETE FROM buttons WHERE user_id = %s AND ref = %s", ref)
            elif kept != payload:
                self.put_buttons({ref: kept})

    # -- flushing ----------------------------------------------------------------
    def writes(self) -> list[Write]:
        """The statements that make this session's changes durable (empty if none)."""
        changes, user = self.changes, self.user_id
        if self.erased or not changes.written:
            return []
        if self.channel:
            profile = self.profile()
            if not profile.channel:
                self.save_profile(replace(profile, channel=self.channel))
        out: list[Write] = []
        if changes.profile is not None:
            out.append((SAVE_PROFILE, [(user, Jsonb(changes.profile))]))
        elif not self._registered:
            out.append((REGISTER, [(user,)]))
        for table in ("contacts", "reminders", "state"):
            gone = changes.deleted.get(table)
            if gone:
                out.append((DELETE[table], [(user, k) for k in sorted(gone)]))
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
        if self._undo is not None:
            undo = self._undo_changes()
            out.append((SAVE_UNDO, [(user, self._undo, Jsonb(undo))]))
            out.append((PRUNE_UNDO, [(user, user, MAX_UNDO)]))
        return out

    def flushed(self) -> None:
        """The writes are in the transaction: start counting changes afresh."""
        self._registered = self._registered or self.changes.written
        self._loaded = {t: dict(r) for t, r in self._tables.items()}
        self._undo = None
        self.changes = Changes()

    def _row(self, table: str, key: str) -> tuple[Any, ...]:
        record = self._tables[table][key]
        if table == "reminders":
            return self._reminder_row(record)
        return (self.user_id, key, Jsonb(record))

    def _reminder_row(self, record: Record) -> tuple[Any, ...]:
        due = datetime.fromisoformat(record["due_at"])
        final = record["status"] in FINAL
        row = (self.user_id, record["id"], record["status"], record["contact_id"], due)
        return (*row, Jsonb(record), final)


def run_writes(conn: Conn, writes: Iterable[Write]) -> None:
    """Execute writes from one or many stores, pipelined: one statement per batched one
    (its rows as column arrays), one executemany for any other."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for sql, rows in writes:
        grouped.setdefault(sql, []).extend(rows)
    if not grouped:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for sql, rows in grouped.items():
            key = BATCHED.get(sql)
            if key is None:
                cur.executemany(sql, rows)
                continue
            unique = list({row[:key]: row for row in rows}.values())
            cur.execute(sql, [list(column) for column in zip(*unique, strict=True)])
