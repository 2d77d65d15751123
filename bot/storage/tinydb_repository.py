"""The repository port over TinyDB-layout files, one folder per user.

A session is a unit of work: its writes are held in memory, and at its end
they become one line of the user's write-ahead log, fsynced once (see
wal.py); the data files are rewritten from the log only every few hundred
turns (user_files.py). Each user's parsed records stay in memory between
sessions, checked against the log's size and inode each time (two stats),
so a turn that only reads touches no file, and one that writes costs one
append and one fsync however much it changed.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import re
import secrets
import shutil
import threading
import time as _time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from bot.domain.ids import new_id
from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile
from bot.storage import wal
from bot.storage.atomic_json import (
    dump,
    dump_record,
    ensure_private_dir,
    forget_parts,
    fsync_dir,
    utf8,
)
from bot.storage.due import WAITING, attempt_at, channel_of, next_attempt
from bot.storage.due_index import DueIndex
from bot.storage.embedded_schedule import EmbeddedSchedule
from bot.storage.errors import CorruptStoreError, StoreError, from_os_error
from bot.storage.locking import folder_lock
from bot.storage.records import (
    RecordError,
    forget_shared,
    from_record,
    shared_record,
    to_record,
)
from bot.storage.repository import (
    Kept,
    Reverted,
    RewriteInteraction,
    RewriteReminder,
    RewriteState,
)
from bot.storage.user_files import (
    CHECKPOINT_BYTES,
    NEVER,
    PROFILE_KEY,
    SEGMENT_SIZE,
    Doc,
    FoldPlan,
    UserFiles,
    check_folder,
    place,
    segment_table,
)

log = logging.getLogger(__name__)

USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BUTTONS = 400
MAX_UNDO = 30
MAX_DIGESTS = 4 * MAX_UNDO  # digests kept per user, of records as committed (for Undo)
FINAL_STATUSES = frozenset({ReminderStatus.DONE, ReminderStatus.CANCELLED})
OPEN_STATUSES = frozenset(ReminderStatus) - FINAL_STATUSES
# What an undo restores: the records a turn is about, not bookkeeping.
UNDONE_KINDS = frozenset({"contacts", "reminders", "interactions", "finished"})
# Tables that only keep the conversation going; losing a write to them loses no record.
BOOKKEEPING = frozenset({"state", "buttons", "meta", "undo", "history_index"})
CACHED_USERS = 512
# Set (tests do) to check that nobody changes a shared record without saving it.
CHECK_SHARED = os.environ.get("RAPPORT_STORE_CHECKS") == "1"

_TYPES: dict[str, type] = {
    "contacts": Contact,
    "reminders": Reminder,
    "profile": UserProfile,
    "interactions": Interaction,
    "finished": Reminder,
}
T = TypeVar("T")
# A place in a user's journal of changes: (epoch, position) (TinyUserStore.journal_changes).
Mark = tuple[int, int]


def user_folder(data_dir: Path, user_id: str) -> Path:
    """Return the folder of `user_id`, refusing ids that could escape it."""
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"invalid user id {user_id!r}")
    return data_dir / "users" / user_id


def _kind(table: str) -> str:
    return table.split("/", 1)[0]


def _digest(doc: Doc | None, text: str | None = None) -> str:
    """A short fingerprint of a stored record (None: no record); `text` is its dump()."""
    if doc is None:
        return ""
    text = dump_record(doc) if text is None else text
    return hashlib.blake2b(utf8(text), digest_size=12).hexdigest()


def clone(obj: T) -> T:
    """A private copy of a record: its own lists, and its own copies of the dataclasses in them."""
    new = _shallow(obj)
    fields = new.__dict__
    for name, value in fields.items():
        if type(value) is list:
            fields[name] = [_shallow(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
    return new


def _shallow(obj: T) -> T:
    """copy.copy(obj), without its generic protocol for the plain classes records are made of
    (a contact's save copies each of its facts: 2.5 us each through copy.copy)."""
    kind = type(obj)
    plain = _PLAIN_CLASSES.get(kind)
    if plain is None:
        plain = _PLAIN_CLASSES[kind] = _copies_plainly(kind)
    if not plain:
        return copy.copy(obj)
    new = object.__new__(kind)
    new.__dict__.update(obj.__dict__)
    return new


def _copies_plainly(kind: type) -> bool:
    """Whether copy.copy of a `kind` is a new instance with the same __dict__ and nothing else."""
    inherited = ("__reduce_ex__", "__reduce__", "__getstate__", "__new__")
    return (
        not hasattr(kind, "__slots__")
        and not hasattr(kind, "__copy__")
        and not hasattr(kind, "__setstate__")
        and all(getattr(kind, name) is getattr(object, name) for name in inherited)
    )


_PLAIN_CLASSES: dict[type, bool] = {}


def json_copy(value: Any) -> Any:
    """A deep copy of plain JSON data."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    return value


def _decoder(folder: Path) -> Callable[[str, str, Doc], Any]:
    def decode(table: str, key: str, doc: Doc) -> Any:
        try:
            return from_record(_TYPES[_kind(table)], doc, strict=False)
        except RecordError as exc:
            raise CorruptStoreError(
                folder / place(table, key)[0], f"has a bad record ({exc})"
            ) from exc

    return decode


class TinyUserStore:
    """One user's records during one session (see the module docstring)."""

    def __init__(self, files: UserFiles, user_id: str, *, channel: str | None) -> None:
        self.user_id = user_id
        self._files = files
        self._channel = channel
        self._writes: dict[str, dict[str, Doc | None]] = {}
        # Every key written in this session, even one written back as it was (and so
        # dropped from _writes): an index may have filed the version in between. In the
        # order first written (journal_changes hands new records out in their order).
        self._touched: dict[str, dict[str, None]] = {}
        self._objects: dict[tuple[str, str], Any] = {}
        self._added: list[tuple[str, str]] = []  # interactions added in this session, in order
        self._undo: str | None = None
        self.needs_checkpoint = False
        self.erased = False  # the user was erased inside this session: nothing to commit
        self._shared: list[tuple[str, str, Any]] = []
        self._dumps: wal.Dumped = {}  # records written, serialised (see _dump)
        self._digests: dict[tuple[str, str], tuple[Doc, str]] = {}  # see new_digests

    # -- the unit of work -------------------------------------------------------
    def _committed(self, table: str, key: str) -> Doc | None:
        return self._files.table(table).get(key)

    def _doc(self, table: str, key: str) -> Doc | None:
        writes = self._writes.get(table)
        if writes is not None and key in writes:
            return writes[key]
        return self._committed(table, key)

    def _put(self, table: str, key: str, doc: Doc | None, obj: Any = None) -> None:
        """Write (or with None delete) a record; a write that changes nothing is dropped."""
        writes = self._writes.setdefault(table, {})
        self._touched.setdefault(table, {})[key] = None
        if doc == self._committed(table, key):
            writes.pop(key, None)
            self._objects.pop((table, key), None)
            return
        writes[key] = doc
        if obj is not None:
            self._objects[(table, key)] = obj
        else:
            self._objects.pop((table, key), None)

    def _decoded(self, table: str) -> dict[str, Any]:
        """Every committed record of `table`, decoded (kept in the cache)."""
        files = self._files
        if table not in files.complete:
            docs = files.table(table)
            known = files.decoded.get(table, {})
            decoded = {k: known.get(k) or files.decode(table, k, d) for k, d in docs.items()}
            if table in ("contacts", "reminders"):
                # Files hold them by hash: show them oldest first, as they were added.
                order = sorted(decoded.values(), key=lambda r: (r.created_at, r.id))
                decoded = {r.id: r for r in order}
            files.decoded[table] = decoded
            files.complete.add(table)
            files.new_epoch()  # new objects, in a new order
        return files.decoded[table]

    def _one(self, table: str, key: str) -> Any:
        """The current record `key` of `table`, decoded (shared: don't change it)."""
        writes = self._writes.get(table)
        if writes is not None and key in writes:
            doc = writes[key]
            if doc is None:
                return None
            obj = self._objects.get((table, key))
            return obj if obj is not None else self._files.decode(table, key, doc)
        doc = self._committed(table, key)
        if doc is None:
            return None
        decoded = self._files.decoded.setdefault(table, {})
        obj = decoded.get(key)
        if obj is None:
            obj = decoded[key] = self._files.decode(table, key, doc)
        return obj

    def _view(self, table: str) -> list[Any]:
        """Every current record of `table` (shared objects)."""
        base = self._decoded(table)
        writes = self._writes.get(table)
        if not writes:
            records = list(base.values())
        else:
            merged = dict(base)
            for key, doc in writes.items():
                if doc is None:
                    merged.pop(key, None)
                else:
                    merged[key] = self._one(table, key)
            records = list(merged.values())
        return self._handed_out(table, records)

    def _view_of(self, table: str, contact_id: str) -> list[Any]:
        """The current records of `table` about `contact_id`, oldest first (shared objects).

        Looked up through the contact index: with 1,000 people it costs what it costs with 10.
        """
        writes = self._writes.get(table) or {}
        committed = (self._one(table, k) for k in self._files.keys_of(table, contact_id))
        records = [r for r in committed if r is not None and r.id not in writes]
        for key, doc in writes.items():
            if doc is not None and doc.get("contact_id") == contact_id:
                records.append(self._one(table, key))
        records.sort(key=lambda r: (r.created_at, r.id))  # as _view orders them
        return self._handed_out(table, records)

    def _handed_out(self, table: str, records: list[Any]) -> list[Any]:
        if CHECK_SHARED:
            self._shared += [
                (table, r.id, r) for r in records if (table, r.id) not in self._objects
            ]
        return records

    def journal_changes(
        self, table: str, since: Mark | None
    ) -> tuple[Mark, dict[str, Any] | None, bool]:
        """The records of `table` that may have changed since mark `since` (from an earlier
        call), as they are now by key (None: gone), a mark for next time, and whether
        the records' order may differ otherwise (one gone and back comes last now);
        None for the records when that cannot be told (look at them all).

        For indexes kept over a user's records between turns: a turn looks up the few
        keys the journal names (UserFiles.journal) and those written in this session.
        """
        files = self._files
        self._decoded(table)  # a first full decode starts an epoch: take the mark after it
        mark = (files.epoch, len(files.journal))
        if since is None or since[0] != mark[0] or since[1] > mark[1]:
            return mark, None, False
        keys: dict[str, None] = {}
        gone: list[str] = []
        for name, key, removed in files.journal[since[1] :]:
            if name == table:
                keys[key] = None
                if removed:
                    gone.append(key)
        # This session's new records come after the committed ones in _view, in the order
        # of its writes: so too here, so an index adds them in the order it is given them.
        keys.update(dict.fromkeys(self._writes.get(table, ())))
        keys.update(self._touched.get(table, {}))
        records = {key: self._one(table, key) for key in keys}
        return mark, records, any(records[key] is not None for key in gone)

    def records_mark(self) -> Mark | None:
        """A mark that stays the same while nothing of the user's changes: a later session
        with the same mark sees every record as this one does. None once this session
        has written anything (its writes are not in the journal yet).

        For what a turn may skip when nothing changed since it last looked (the
        digests' planning, every turn).
        """
        if self._touched:
            return None
        files = self._files
        return (files.epoch, len(files.journal))

    def written_back(self) -> list[tuple[str, str]]:
        """Keys this session wrote and then wrote back as committed (nothing to commit)."""
        return [
            (table, key)
            for table, keys in self._touched.items()
            for key in keys
            if key not in self._writes.get(table, {})
        ]

    def has_changes(self) -> bool:
        return any(self._writes.values())

    def changes_records(self) -> bool:
        """Whether this session changes the user's records, not just conversation state."""
        return any(
            writes and _kind(table) not in BOOKKEEPING for table, writes in self._writes.items()
        )

    def check_shared(self) -> None:
        """Fail if a shared record handed out in this session was changed (tests only)."""
        for table, key, obj in self._shared:
            if key in self._writes.get(table, {}):
                continue  # changed and saved: fine
            doc = self._committed(table, key)
            if doc is not None and to_record(obj) != doc:
                raise AssertionError(
                    f"a {table} record was changed without being saved: take a copy "
                    f"(contact(id), reminder(id)) and save it instead"
                )

    # -- profile -----------------------------------------------------------------
    def profile(self) -> UserProfile:
        found = self._one("profile", PROFILE_KEY)
        return clone(found) if found is not None else UserProfile(user_id=self.user_id)

    def _profile_view(self) -> UserProfile:
        """The profile without a copy, for reading here only."""
        found = self._one("profile", PROFILE_KEY)
        return found if found is not None else UserProfile(user_id=self.user_id)

    def save_profile(self, profile: UserProfile) -> None:
        self._put("profile", PROFILE_KEY, shared_record(profile), clone(profile))

    # -- contacts ------------------------------------------------------------------
    def contacts(self) -> list[Contact]:
        return self._view("contacts")

    def contact(self, contact_id: str) -> Contact | None:
        found = self._one("contacts", contact_id)
        return clone(found) if found is not None else None

    def save_contact(self, contact: Contact) -> None:
        self._put("contacts", contact.id, shared_record(contact), clone(contact))

    def delete_contact(self, contact_id: str) -> None:
        self._put("contacts", contact_id, None)
        self._put("history_index", contact_id, None)

    # -- interactions --------------------------------------------------------------
    def add_interaction(self, interaction: Interaction) -> None:
        number, count = self._tail("interactions")
        if count >= SEGMENT_SIZE:
            number, count = number + 1, 0
        table = segment_table("interactions", number)
        self._put(table, interaction.id, shared_record(interaction), clone(interaction))
        self._added.append((table, interaction.id))
        self._set_meta("tail.interactions", [number, count + 1])
        if self._index_built():
            for contact_id in dict.fromkeys(interaction.contact_ids):
                segments = self._segments_of(contact_id)
                if number not in segments:
                    self._put_index(contact_id, [*segments, number])

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        added = {key for _, key in self._added}
        for table, key in reversed(self._added):
            found = self._one(table, key)
            if found is not None and (contact_id is None or contact_id in found.contact_ids):
                yield found
        if contact_id is not None and self._index_built():
            numbers = self._segments_of(contact_id)
        else:
            numbers = self._segment_numbers("interactions")
        for number in reversed(numbers):
            table = segment_table("interactions", number)
            docs = self._files.table(table)
            writes = self._writes.get(table, {})
            keys = list(docs) if contact_id is None else self._files.keys_of(table, contact_id)
            for key in reversed(keys):
                if key in added:
                    continue
                doc = writes[key] if key in writes else docs.get(key)
                if doc is None:
                    continue
                if contact_id is not None and contact_id not in doc.get("contact_ids", ()):
                    continue
                yield self._one(table, key)

    def delete_interaction(self, interaction_id: str) -> bool:
        for table, key in self._added:
            if key == interaction_id:
                self._put(table, key, None)
                self._added.remove((table, key))
                return True
        for number in reversed(self._segment_numbers("interactions")):
            table = segment_table("interactions", number)
            if self._doc(table, interaction_id) is not None:
                self._put(table, interaction_id, None)
                return True
        return False

    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""

        def without(interaction: Interaction) -> Interaction | None:
            if contact_id not in interaction.contact_ids:
                return interaction
            others = [c for c in interaction.contact_ids if c != contact_id]
            return replace(interaction, contact_ids=others) if others else None

        self.rewrite(
            interactions=without,
            reminders=lambda r: None if r.contact_id == contact_id else r,
        )
        self.delete_contact(contact_id)

    # -- reminders -----------------------------------------------------------------
    def reminders(
        self, statuses: Iterable[ReminderStatus] | None = None, *, contact_id: str | None = None
    ) -> list[Reminder]:
        if contact_id is None:
            records: list[Reminder] = self._view("reminders")
        else:
            records = self._view_of("reminders", contact_id)
        if statuses is None:
            return records
        wanted = set(statuses)
        if wanted >= OPEN_STATUSES:
            return records  # the table holds open reminders only
        return [r for r in records if r.status in wanted]

    def reminder(self, reminder_id: str) -> Reminder | None:
        found = self._one("reminders", reminder_id)
        return clone(found) if found is not None else None

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        for reminder in reminders:
            if reminder.status in FINAL_STATUSES:
                self._put("reminders", reminder.id, None)
                self._add_finished(reminder)
            else:
                self._put("reminders", reminder.id, shared_record(reminder), clone(reminder))

    def _add_finished(self, reminder: Reminder) -> None:
        number, count = self._tail("finished")
        if count >= SEGMENT_SIZE:
            number, count = number + 1, 0
        table = segment_table("finished", number)
        self._put(table, reminder.id, shared_record(reminder), clone(reminder))
        self._set_meta("tail.finished", [number, count + 1])

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None:
        for reminder_id in reminder_ids:
            self._put("reminders", reminder_id, None)

    def finished_reminders(self) -> Iterator[Reminder]:
        for number in reversed(self._segment_numbers("finished")):
            table = segment_table("finished", number)
            keys = list(self._files.table(table)) + [
                k for k in self._writes.get(table, {}) if k not in self._files.table(table)
            ]
            for key in reversed(keys):
                found = self._one(table, key)
                if found is not None:
                    yield found

    # -- buttons and conversation state ---------------------------------------------
    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        if not payloads:
            return
        now = _time.time()
        for ref, payload in payloads.items():
            self._put("buttons", ref, {"ref": ref, "payload": json_copy(payload), "at": now})
        current = self._current_keys("buttons")
        if len(current) > MAX_BUTTONS:
            # The oldest buttons expire: pressing one later gets a polite "expired".
            by_age = sorted(current, key=lambda k: (self._doc("buttons", k) or {}).get("at", 0))
            for ref in by_age[: len(current) - MAX_BUTTONS]:
                self._put("buttons", ref, None)

    def button(self, ref: str) -> dict[str, Any] | None:
        doc = self._doc("buttons", ref)
        return json_copy(doc["payload"]) if doc else None

    def state(self, name: str) -> dict[str, Any] | None:
        doc = self._doc("state", name)
        return json_copy(doc["value"]) if doc else None

    def set_state(self, name: str, value: dict[str, Any] | None) -> None:
        doc = None if value is None else {"name": name, "value": json_copy(value)}
        self._put("state", name, doc)

    def _current_keys(self, table: str) -> list[str]:
        keys = dict.fromkeys(self._files.table(table))
        for key, doc in self._writes.get(table, {}).items():
            if doc is None:
                keys.pop(key, None)
            else:
                keys[key] = None
        return list(keys)

    # -- undo ------------------------------------------------------------------------
    def mark_undoable(self) -> str:
        if self._undo is None:
            self._undo = new_id("u")
        return self._undo

    def _undo_record(self) -> Doc:
        # The whole record as it was, and only a digest of what this turn made of it:
        # enough to tell later whether anything changed it since.
        changes = []
        texts = []  # each change serialised, the record as it was from its own commit
        for table, writes in self._writes.items():
            if _kind(table) in UNDONE_KINDS:
                for key, doc in writes.items():
                    digest = _digest(doc, self._dump(doc))
                    if doc is not None:
                        self._digests[(table, key)] = (doc, digest)
                    before = self._committed(table, key)
                    changes.append([table, key, before, digest])
                    was = self._committed_text(table, key, before)
                    texts.append(f"[{dump(table)},{dump(key)},{was},{dump(digest)}]")
        record = {"id": self._undo, "at": _time.time(), "changes": changes}
        # dump(record), written out (the log's line reads the same).
        text = (
            f'{{"id":{dump(record["id"])},"at":{dump(record["at"])},"changes":[{",".join(texts)}]}}'
        )
        self._dumps[id(record)] = (record, text)
        return record

    def _committed_text(self, table: str, key: str, doc: Doc | None) -> str:
        """dump(doc) of committed record `doc`, from the commit that wrote it where it can."""
        known = self._files.texts.get((table, key))
        return known[1] if known is not None and known[0] is doc else dump_record(doc)

    def _current_digest(self, table: str, key: str) -> str:
        """_digest of the record `key` as it is now, from its commit where that made one."""
        doc = self._doc(table, key)
        known = self._files.digests.get((table, key))
        return known[1] if known is not None and known[0] is doc else _digest(doc)

    def new_digests(self) -> dict[tuple[str, str], tuple[Doc, str]]:
        """The digests this session's commit made (see UserFiles.digests)."""
        return self._digests

    def _dump(self, doc: Doc | None) -> str | None:
        """dump(doc) of a record written in this session, kept for the log's line (a
        contact with dozens of facts is 16 KB: serialised once, not for its digest again)."""
        if doc is None:
            return None
        text = dump_record(doc)
        self._dumps[id(doc)] = (doc, text)
        return text

    def dumped(self) -> wal.Dumped:
        """The written records already serialised, by id(record) (see wal.encode)."""
        return self._dumps

    def revert(
        self, undo_id: str, *, keep: Callable[[str, str], bool] | None = None
    ) -> Reverted | None:
        record = self._doc("undo", undo_id)
        if record is None:
            return None
        restored, kept = 0, []
        for table, key, before, after in record["changes"]:
            same = self._current_digest(table, key) == after
            if same and not (keep and keep(_kind(table), key)):
                self._put(table, key, before)
                if table == "contacts" and before is None:
                    self._put("history_index", key, None)
                restored += 1
            else:
                kept.append(Kept(_kind(table), key, created=before is None))
        self._put("undo", undo_id, None)
        return Reverted(restored, kept)

    # -- rewriting everything (redaction) -------------------------------------------
    def rewrite(
        self,
        *,
        interactions: RewriteInteraction | None = None,
        reminders: RewriteReminder | None = None,
        state: RewriteState | None = None,
    ) -> None:
        kinds: list[tuple[str, Callable[[Any], Any]]] = []
        if interactions is not None:
            kinds.append(("interactions", interactions))
        if reminders is not None:
            kinds.append(("finished", reminders))
        for kind, change in kinds:
            for number in self._segment_numbers(kind):
                table = segment_table(kind, number)
                for key in self._current_keys(table):
                    self._rewrite_one(table, key, change)
        if reminders is not None:
            for key in self._current_keys("reminders"):
                self._rewrite_one("reminders", key, reminders)
        if state is not None:
            for name in self._current_keys("state"):
                value = self.state(name)
                if value is not None:
                    self.set_state(name, state(name, value))
            for ref in self._current_keys("buttons"):
                payload = self.button(ref)
                if payload is not None:
                    kept = state(f"button:{ref}", payload)
                    doc = self._doc("buttons", ref) or {}
                    self._put("buttons", ref, None if kept is None else {**doc, "payload": kept})
        for undo_id in self._current_keys("undo"):
            self._put("undo", undo_id, None)
        self.needs_checkpoint = True
        _forget_kept_texts(self._files)

    def _rewrite_one(self, table: str, key: str, change: Callable[[Any], Any]) -> None:
        found = self._one(table, key)
        if found is None:
            return
        result = change(clone(found))
        if result is None:
            self._put(table, key, None)
        else:
            self._put(table, key, shared_record(result), clone(result))

    # -- bookkeeping kept with the records ------------------------------------------
    def _meta(self, name: str) -> Any:
        doc = self._doc("meta", name)
        return doc["value"] if doc else None

    def _set_meta(self, name: str, value: Any) -> None:
        self._put("meta", name, {"name": name, "value": value})

    def _tail(self, kind: str) -> tuple[int, int]:
        """The newest segment of `kind` and how many records it holds."""
        tail = self._meta(f"tail.{kind}")
        if isinstance(tail, list) and len(tail) == 2:
            return int(tail[0]), int(tail[1])
        numbers = self._segment_numbers(kind)
        if not numbers:
            return 1, 0
        return numbers[-1], len(self._files.table(segment_table(kind, numbers[-1])))

    def _segment_numbers(self, kind: str) -> list[int]:
        """The segments of `kind` on disk, in the log, or new in this session."""
        numbers = set(self._files.segment_numbers(kind))
        for table in self._writes:
            prefix, _, number = table.partition("/")
            if prefix == kind:
                numbers.add(int(number))
        return sorted(numbers)

    def _index_built(self) -> bool:
        return self._meta("history_index") is True or not self._segment_numbers("interactions")

    def _segments_of(self, contact_id: str) -> list[int]:
        doc = self._doc("history_index", contact_id)
        return list(doc["segments"]) if doc else []

    def _put_index(self, contact_id: str, segments: list[int]) -> None:
        self._put("history_index", contact_id, {"contact": contact_id, "segments": segments})

    def _build_index(self) -> None:
        """Index history by contact (stores from before the index had none)."""
        found: dict[str, list[int]] = {}
        for number in self._segment_numbers("interactions"):
            table = segment_table("interactions", number)
            for key in self._current_keys(table):
                doc = self._doc(table, key) or {}
                for contact_id in doc.get("contact_ids", ()):
                    segments = found.setdefault(str(contact_id), [])
                    if not segments or segments[-1] != number:
                        segments.append(number)
        for contact_id, segments in found.items():
            self._put_index(contact_id, segments)

    def prepare_commit(self) -> tuple[list[wal.Op], tuple[float | None, str] | None]:
        """Add the bookkeeping a commit needs; return its operations and the new due entry."""
        if not self.has_changes():
            return [], None
        if self._channel and not self._profile_view().channel:
            profile = self.profile()
            if not profile.channel:
                profile.channel = self._channel
                self.save_profile(profile)
        if self._meta("history_index") is not True:
            self._build_index()
            self._set_meta("history_index", True)
        due: tuple[float | None, str] | None = None
        if self._writes.get("reminders") or self._writes.get("profile"):
            profile = self._profile_view()
            when = self._next_attempt(profile)
            due = (when, channel_of(profile))
            if self._meta("due") != list(due):
                self._set_meta("due", list(due))
            else:
                due = None
        if self._undo is not None:
            self._put("undo", self._undo, self._undo_record())
            self._prune_undo()
        ops = [
            [table, key, doc]
            for table, writes in self._writes.items()
            for key, doc in writes.items()
        ]
        return ops, due

    def _next_attempt(self, profile: UserProfile) -> float | None:
        """The user's next delivery attempt (a timestamp), as next_attempt() finds it.

        Each committed reminder's time is kept between turns (UserFiles.attempts),
        so a turn computes only the reminders changed since, not every open one.
        """
        if profile.paused:
            return None
        writes = self._writes.get("reminders", {})
        if "profile" in self._writes:
            # Times are kept for the committed profile only.
            cache: dict[str, float] = {}
            committed = self._decoded("reminders")
            self._attempts_of(profile, committed.keys() - writes.keys(), cache)
        else:
            cache = self._files.attempts
            committed = self._decoded("reminders")
            if len(cache) != len(committed):
                # The few changed since they were computed (changed ones leave the cache).
                self._attempts_of(profile, committed.keys() - cache.keys(), cache)
                if len(cache) != len(committed):  # not expected: start over
                    cache.clear()
                    self._attempts_of(profile, committed.keys(), cache)
        if writes:
            # Those changed in this session count as they are now: a copy without them
            # (at C speed, as the min below: no Python step per reminder).
            cache = dict(cache)
            for key in writes:
                cache.pop(key, None)
        soonest = min(cache.values(), default=NEVER)
        for key, doc in writes.items():
            if doc is not None:
                moment = attempt_at(profile, self._one("reminders", key))
                if moment is not None:
                    soonest = min(soonest, moment.timestamp())
        return None if soonest == NEVER else soonest

    def _attempts_of(
        self, profile: UserProfile, ids: Iterable[str], cache: dict[str, float]
    ) -> None:
        """Compute the committed reminders' `ids` next attempts into `cache` (NEVER: none)."""
        committed = self._decoded("reminders")
        for rid in ids:
            moment = attempt_at(profile, committed[rid])
            cache[rid] = moment.timestamp() if moment else NEVER

    def _prune_undo(self) -> None:
        keys = self._current_keys("undo")
        if len(keys) > MAX_UNDO:
            by_age = sorted(keys, key=lambda k: (self._doc("undo", k) or {}).get("at", 0))
            for key in by_age[: len(keys) - MAX_UNDO]:
                self._put("undo", key, None)

    def objects(self) -> dict[tuple[str, str], Any]:
        return self._objects

    def stored_due(self) -> tuple[float | None, str] | None:
        """The due entry as committed before this session (None if never computed)."""
        doc = self._committed("meta", "due")
        value = doc["value"] if doc else None
        return (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else None


def _forget_kept_texts(files: UserFiles) -> None:
    """Drop what serialising records keeps of their text (a redaction or a /forget must
    leave no copy of what it removed in memory either; the next saves make it again)."""
    files.texts.clear()
    forget_shared()
    forget_parts()


class TinyRepository:
    """Per-user stores under one data folder, plus the folder's schedule."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._open_here = threading.local()
        self._cache: OrderedDict[Path, UserFiles] = OrderedDict()
        self._cache_guard = threading.Lock()
        self.index = DueIndex(self.data_dir / "schedule", self._scan_due)
        self.schedule = EmbeddedSchedule(self.index)
        self._secret: bytes | None = None
        self._folders: dict[str, Path] = {}
        self._checked = False
        self._folder_pool: ThreadPoolExecutor | None = None
        self._folding: set[Path] = set()
        self._unsynced: set[Path] = set()  # logs with commits made with sync=False

    # -- sessions --------------------------------------------------------------------
    @contextmanager
    def session(
        self, user_id: str, *, channel: str | None = None, sync: bool = True
    ) -> Iterator[TinyUserStore]:
        folder = self._folder(user_id)
        opened = self._open_here.__dict__.setdefault("stores", {})
        if folder in opened:
            # Nested in this thread: share the store, so both see (and commit) one unit of work.
            yield opened[folder]
            return
        with folder_lock(folder) as writable:
            files = self._files(folder)
            files.refresh(writable=writable)
            if writable:
                files.sweep()
            store = opened[folder] = TinyUserStore(files, user_id, channel=channel)
            try:
                yield store
                if CHECK_SHARED:
                    store.check_shared()
                if not store.erased:
                    self._commit(store, files, sync=sync, writable=writable)
            except BaseException:
                # The writes, held in `store`, are dropped. A record the block changed in
                # place before it failed may be a shared, decoded one: decode afresh.
                files.decoded.clear()
                files.attempts.clear()
                files.complete.clear()
                files.new_epoch()
                raise
            finally:
                del opened[folder]

    def _folder(self, user_id: str) -> Path:
        folder = self._folders.get(user_id)
        if folder is None:
            if not self._checked:
                check_folder(self.data_dir)  # once: a data folder that is a file, say so plainly
                self._checked = True
            folder = user_folder(self.data_dir, user_id)
            if len(self._folders) > 4 * CACHED_USERS:
                self._folders.clear()
            self._folders[user_id] = folder
        return folder

    def _files(self, folder: Path) -> UserFiles:
        with self._cache_guard:
            files = self._cache.get(folder)
            if files is None:
                files = self._cache[folder] = UserFiles(folder, _decoder(folder))
                while len(self._cache) > CACHED_USERS:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(folder)
            return files

    def _commit(
        self, store: TinyUserStore, files: UserFiles, *, sync: bool, writable: bool
    ) -> None:
        ops, due = store.prepare_commit()
        # A key written back as it was commits nothing, but an index may have filed the
        # version in between: name it in the journal so the next turn files it again.
        files.journal += [(table, key, False) for table, key in store.written_back()]
        if not ops:
            if store.needs_checkpoint and writable and files.touched_files:
                self._checkpoint(files)  # a rewrite that found nothing still folds old copies
            return
        if not writable:
            error = StoreError(files.folder, "cannot be written (read-only)", "read-only")
            error.records_unsaved = store.changes_records()
            raise error
        old = store.stored_due()
        earlier = due is not None and (
            old is None
            or old[1] != due[1]
            or (due[0] is not None and (old[0] is None or due[0] < old[0]))
        )
        try:
            if due is not None and earlier:
                # Before the commit: a crash now leaves the index early, never late.
                self.index.note(store.user_id, due[0], due[1])
            seq = files.seq + 1
            logged, created = wal.append(
                files.wal_file,
                wal.Commit(seq, ops),
                sync=sync,
                base=files.seq,
                dumped=store.dumped(),
            )
            if created and sync:
                fsync_dir(files.folder)  # the new log's name must survive a power cut too
        except OSError as exc:
            error = from_os_error(files.wal_path, exc, "written")
            error.records_unsaved = store.changes_records()
            raise error from exc
        if not sync:
            with self._cache_guard:
                self._unsynced.add(files.wal_path)
        files.apply(seq, ops, store.objects())
        if len(files.digests) > MAX_DIGESTS:
            files.digests.clear()
        files.digests.update(store.new_digests())
        # The records a later undoable turn may keep as they were (the line serialised them).
        files.keep_texts(ops, store.dumped(), lambda table: _kind(table) in UNDONE_KINDS)
        files.wal_end = logged.size
        files.signature = (logged, files.signature[1] if files.signature else None)
        if due is not None and not earlier:
            self.index.note(store.user_id, due[0], due[1])
        if store.needs_checkpoint:
            self._checkpoint(files)  # now: the log holds old copies the turn meant to remove
        elif files.wal_size() > CHECKPOINT_BYTES:
            self._fold_later(files.folder)

    def _fold_later(self, folder: Path) -> None:
        """Fold a user's log into their files on a background thread, not during a turn."""
        with self._cache_guard:
            if folder in self._folding:
                return
            self._folding.add(folder)
            if self._folder_pool is None:
                self._folder_pool = ThreadPoolExecutor(1, thread_name_prefix="fold")
            pool = self._folder_pool
        pool.submit(self._fold, folder)

    def _fold(self, folder: Path) -> None:
        """Fold in three phases, holding the user's lock only to plan and to finish.

        Writing and fsyncing the new files (most of a fold's cost) happens without
        the lock, so the user's next turn doesn't wait for it.
        """
        plan: FoldPlan | None = None
        files: UserFiles | None = None
        try:
            if not folder.is_dir():
                return  # erased meanwhile: don't bring the folder back
            with folder_lock(folder) as writable:
                files = self._files(folder)
                files.refresh(writable=writable)
                if not writable or files.wal_size() <= CHECKPOINT_BYTES:
                    return
                plan = files.plan_fold()
            files.write_fold(plan)
            if not folder.is_dir():
                return  # erased meanwhile
            with folder_lock(folder) as writable:
                files.refresh(writable=writable)
                files.finish_fold(plan)
            plan = None
        except (OSError, StoreError) as exc:
            log.warning("could not fold a user's log into their files: %s", exc)
        finally:
            if plan is not None and files is not None:
                if folder.is_dir():
                    with folder_lock(folder):
                        files.abandon_fold(plan)
                else:
                    files.abandon_fold(plan)
            with self._cache_guard:
                self._folding.discard(folder)

    def _checkpoint(self, files: UserFiles) -> None:
        try:
            files.checkpoint()
        except (OSError, StoreError) as exc:
            # The turn is safe in the log; folding it into the files can wait.
            log.warning("could not fold a user's log into their files: %s", exc)

    # -- the whole folder -------------------------------------------------------------
    def user_ids(self) -> Iterator[str]:
        users = self.data_dir / "users"
        if users.is_dir():
            for entry in sorted(users.iterdir()):
                if entry.is_dir() and USER_ID.fullmatch(entry.name):
                    yield entry.name

    def erase(self, user_id: str) -> bool:
        folder = user_folder(self.data_dir, user_id)
        existed = folder.is_dir()
        inside = self._open_here.__dict__.get("stores", {}).get(folder)
        if inside is not None:
            inside.erased = True  # erased from inside the user's own session (/forget me)
        if existed:
            with folder_lock(folder):
                try:
                    shutil.rmtree(folder)
                    fsync_dir(folder.parent)
                except OSError as exc:
                    raise from_os_error(folder, exc, "deleted") from exc
                with self._cache_guard:
                    files = self._cache.pop(folder, None)
                if files is not None:
                    _forget_kept_texts(files)
        self.index.erase(user_id)
        return existed

    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = self._read_or_make_secret()
        return self._secret

    def _read_or_make_secret(self) -> bytes:
        path = self.data_dir / "secret.key"
        try:
            key = path.read_bytes()
            if len(key) >= 16:
                return key
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise from_os_error(path, exc, "read") from exc
        key = secrets.token_bytes(32)
        try:
            ensure_private_dir(self.data_dir)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            existing = path.read_bytes()
            if len(existing) >= 16:
                return existing  # another process made it first
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        except OSError as exc:
            log.warning("can't keep a button key in %s (%s): buttons last until restart", path, exc)
            return key
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(self.data_dir)
        return key

    def _scan_due(self) -> Iterator[tuple[str, float | None, str]]:
        """Every user's next delivery time, from their stores (rebuilding the index)."""
        for user_id in self.user_ids():
            try:
                with self.session(user_id) as store:
                    profile = store.profile()
                    when = next_attempt(profile, store.reminders(WAITING))
                    yield user_id, when.timestamp() if when else None, channel_of(profile)
            except StoreError as exc:
                log.error("skipped a user while rebuilding the due index: %s", exc)

    def flush(self) -> None:
        with self._cache_guard:
            pending, self._unsynced = self._unsynced, set()
        for path in pending:
            try:
                fd = os.open(path, os.O_WRONLY)
            except FileNotFoundError:
                continue  # folded or erased meanwhile: nothing left to sync
            except OSError as exc:
                log.warning("could not sync a user's log: %s", exc)
                continue
            try:
                os.fdatasync(fd)
            except OSError as exc:
                log.warning("could not sync a user's log: %s", exc)
            finally:
                os.close(fd)

    def close(self) -> None:
        """Finish background folds and flush this process's schedule lines (at a clean exit)."""
        self.flush()
        if self._folder_pool is not None:
            self._folder_pool.shutdown(wait=True)
            self._folder_pool = None
        self.index.close()
