"""The repository port over TinyDB files, one folder per user.

    <data>/users/<user id>/coach.json          profile, contacts, open reminders,
                                               buttons, conversation state
    <data>/users/<user id>/history/interactions/000001.json ...
    <data>/users/<user id>/history/reminders/000001.json ...   (finished ones)

coach.json holds only the user's current state, so its size (and the cost of
every write) does not grow with history; history lives in capped segments.
"""

from __future__ import annotations

import re
import shutil
import threading
import time as _time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile
from bot.storage.atomic_json import AtomicJSONStorage, SessionBuffer, ensure_private_dir
from bot.storage.history_log import HistoryLog
from bot.storage.locking import folder_lock
from bot.storage.records import from_record, to_record

USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BUTTONS = 400
FINAL_STATUSES = frozenset({ReminderStatus.DONE, ReminderStatus.CANCELLED})


def user_folder(data_dir: Path, user_id: str) -> Path:
    """Return the folder of `user_id`, refusing ids that could escape it."""
    if not USER_ID.fullmatch(user_id):
        raise ValueError(f"invalid user id {user_id!r}")
    return data_dir / "users" / user_id


class TinyUserStore:
    """One user's records in TinyDB files (see the module docstring)."""

    def __init__(self, folder: Path, user_id: str) -> None:
        self.user_id = user_id
        self.folder = folder
        self._main = SessionBuffer(AtomicJSONStorage(folder / "coach.json"))
        self._db = TinyDB(storage=lambda: self._main)
        self._interactions = HistoryLog(folder / "history" / "interactions")
        self._finished_reminders = HistoryLog(folder / "history" / "reminders")
        self._erase = False

    def flush(self) -> None:
        """Write this session's changes to coach.json (the session does it at its end)."""
        if self._erase:
            # Everything goes, temp files and the lock file included.
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        self._main.flush()

    def erase(self) -> None:
        self._erase = True

    def rewrite(
        self,
        *,
        interactions: Callable[[Interaction], Interaction | None] | None = None,
        reminders: Callable[[Reminder], Reminder | None] | None = None,
        state: Callable[[str, dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> None:
        def each(cls: type[Any], change: Callable[[Any], Any]) -> Callable[[dict[str, Any]], Any]:
            def apply(doc: dict[str, Any]) -> dict[str, Any] | None:
                changed = change(from_record(cls, doc))
                return None if changed is None else to_record(changed)

            return apply

        if interactions is not None:
            self._interactions.scrub(each(Interaction, interactions))
        if reminders is not None:
            self._finished_reminders.scrub(each(Reminder, reminders))
            self._rewrite_table("reminders", each(Reminder, reminders))
        if state is not None:
            change = state
            self._rewrite_table(
                "state",
                lambda d: (
                    None
                    if (v := change(d["name"], dict(d["value"]))) is None
                    else {**d, "value": v}
                ),
            )
            self._rewrite_table(
                "buttons",
                lambda d: (
                    None
                    if (v := change(f"button:{d['ref']}", dict(d["payload"]))) is None
                    else {**d, "payload": v}
                ),
            )

    def _rewrite_table(
        self, name: str, change: Callable[[dict[str, Any]], dict[str, Any] | None]
    ) -> None:
        table = self._table(name)
        docs = {doc.doc_id: dict(doc) for doc in table.all()}
        changed = {doc_id: change(doc) for doc_id, doc in docs.items()}
        gone = [doc_id for doc_id, doc in changed.items() if doc is None]
        if gone:
            table.remove(doc_ids=gone)
        for doc_id, doc in changed.items():
            if doc is not None and doc != docs[doc_id]:
                table.update(_replacing(doc), doc_ids=[doc_id])

    def _table(self, name: str) -> Any:
        # cache_size=0: another process may have written since; never trust a cache.
        return self._db.table(name, cache_size=0)

    # -- profile -------------------------------------------------------------
    def profile(self) -> UserProfile:
        docs = self._table("profile").all()
        if docs:
            return from_record(UserProfile, docs[0])
        return UserProfile(user_id=self.user_id)

    def save_profile(self, profile: UserProfile) -> None:
        table = self._table("profile")
        table.truncate()
        table.insert(to_record(profile))

    # -- contacts ------------------------------------------------------------
    def contacts(self) -> list[Contact]:
        return [from_record(Contact, d) for d in self._table("contacts").all()]

    def contact(self, contact_id: str) -> Contact | None:
        doc = self._table("contacts").get(Query().id == contact_id)
        return from_record(Contact, doc) if doc else None

    def save_contact(self, contact: Contact) -> None:
        self._table("contacts").upsert(to_record(contact), Query().id == contact.id)

    def save_contacts(self, contacts: Sequence[Contact]) -> None:
        table = self._table("contacts")
        stored = {doc["id"] for doc in table.all()}
        updates = {c.id: to_record(c) for c in contacts if c.id in stored}

        def replace_doc(doc: dict[str, Any]) -> None:
            new = updates[doc["id"]]
            doc.clear()
            doc.update(new)

        if updates:
            # One pass with a set lookup: update_multiple would test every doc against every id.
            table.update(replace_doc, Query().id.test(updates.__contains__))
        inserts = [to_record(c) for c in contacts if c.id not in stored]
        if inserts:
            table.insert_multiple(inserts)

    def delete_contact(self, contact_id: str) -> None:
        self._table("contacts").remove(Query().id == contact_id)

    # -- interactions --------------------------------------------------------
    def add_interaction(self, interaction: Interaction) -> None:
        self._interactions.append(to_record(interaction))

    def add_interactions(self, interactions: Sequence[Interaction]) -> None:
        if interactions:
            self._interactions.append(*(to_record(i) for i in interactions))

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        def keep(doc: dict[str, Any]) -> bool:
            return contact_id is None or contact_id in doc.get("contact_ids", [])

        for doc in self._interactions.newest_first(keep):
            yield from_record(Interaction, doc)

    def delete_interaction(self, interaction_id: str) -> bool:
        return self._interactions.delete(interaction_id)

    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""

        def without(doc: dict[str, Any]) -> dict[str, Any] | None:
            if contact_id not in doc.get("contact_ids", []):
                return doc
            others = [c for c in doc["contact_ids"] if c != contact_id]
            return {**doc, "contact_ids": others} if others else None

        self._interactions.scrub(without)
        self._finished_reminders.scrub(lambda d: None if d.get("contact_id") == contact_id else d)
        self._table("reminders").remove(Query().contact_id == contact_id)
        self.delete_contact(contact_id)

    # -- reminders -----------------------------------------------------------
    def reminders(self, statuses: Iterable[ReminderStatus] | None = None) -> list[Reminder]:
        wanted = {s.value for s in statuses} if statuses is not None else None
        docs = self._table("reminders").all()
        return [from_record(Reminder, d) for d in docs if wanted is None or d["status"] in wanted]

    def finished_reminders(self) -> Iterator[Reminder]:
        for doc in self._finished_reminders.newest_first():
            yield from_record(Reminder, doc)

    def reminder(self, reminder_id: str) -> Reminder | None:
        doc = self._table("reminders").get(Query().id == reminder_id)
        return from_record(Reminder, doc) if doc else None

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        """Upsert open reminders; move finished ones to history. A few writes, not one each."""
        finished = [r for r in reminders if r.status in FINAL_STATUSES]
        still_open = [r for r in reminders if r.status not in FINAL_STATUSES]
        table = self._table("reminders")
        stored = {doc["id"] for doc in table.all()}
        if finished:
            self._finished_reminders.append(*(to_record(r) for r in finished))
            table.remove(Query().id.one_of([r.id for r in finished]))
        updates = [r for r in still_open if r.id in stored]
        if updates:
            table.update_multiple([(to_record(r), Query().id == r.id) for r in updates])
        inserts = [r for r in still_open if r.id not in stored]
        if inserts:
            table.insert_multiple(to_record(r) for r in inserts)

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None:
        ids = set(reminder_ids)
        if ids:
            self._table("reminders").remove(Query().id.one_of(list(ids)))

    # -- buttons and conversation state -------------------------------------
    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        if not payloads:
            return
        table = self._table("buttons")
        now = _time.time()
        table.insert_multiple({"ref": r, "payload": p, "at": now} for r, p in payloads.items())
        docs = table.all()
        if len(docs) > MAX_BUTTONS:
            # The oldest buttons expire: pressing one later gets a polite "expired".
            oldest = sorted(docs, key=lambda d: d["at"])[: len(docs) - MAX_BUTTONS]
            table.remove(doc_ids=[d.doc_id for d in oldest])

    def button(self, ref: str) -> dict[str, Any] | None:
        doc = self._table("buttons").get(Query().ref == ref)
        return dict(doc["payload"]) if doc else None

    def state(self, name: str) -> dict[str, Any] | None:
        doc = self._table("state").get(Query().name == name)
        return dict(doc["value"]) if doc else None

    def set_state(self, name: str, value: dict[str, Any] | None) -> None:
        table = self._table("state")
        if value is None:
            table.remove(Query().name == name)
        else:
            table.upsert({"name": name, "value": value}, Query().name == name)


def _replacing(new: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace_doc(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return replace_doc


class TinyRepository:
    """Per-user TinyDB stores under one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._open_here = threading.local()

    @contextmanager
    def session(self, user_id: str) -> Iterator[TinyUserStore]:
        folder = user_folder(self.data_dir, user_id)
        ensure_private_dir(self.data_dir)
        with folder_lock(folder):
            opened = self._open_here.__dict__.setdefault("stores", {})
            if folder in opened:
                # Nested in this thread: share the store, or the outer session's
                # buffered write would later undo the inner one's.
                yield opened[folder]
                return
            store = opened[folder] = TinyUserStore(folder, user_id)
            try:
                yield store
                store.flush()  # only when the session succeeded: a failed one changes nothing
            finally:
                del opened[folder]

    def erase(self, user_id: str) -> bool:
        if not user_folder(self.data_dir, user_id).is_dir():
            return False
        with self.session(user_id) as store:
            store.erase()
        return True

    def user_ids(self) -> Iterator[str]:
        users = self.data_dir / "users"
        if users.is_dir():
            for entry in sorted(users.iterdir()):
                if entry.is_dir() and USER_ID.fullmatch(entry.name):
                    yield entry.name
