"""The repository port: everything the engine and delivery may ask of storage.

Every method is scoped to one user by construction: a `UserStore` is opened
for a single user id and cannot reach another user's records.

A session is a **unit of work**. Everything written in the block commits
together when it ends, or (if the block raises) not at all, across every
record it touched; a session that writes nothing writes nothing to disk.
Reads inside the block see the block's own writes.

Objects returned by the listing methods (`contacts()`, `reminders()`,
`interactions()`...) are shared snapshots: read them, don't change them. To
change a record, take your own copy with `contact(id)` / `reminder(id)` /
`profile()` (or `dataclasses.replace`), change that, and save it.

Two stores implement this port: TinyDB files (`bot.storage.tinydb_repository`)
and PostgreSQL (`bot.storage.postgres`); `tests/storage/` holds the contract
tests both must pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile

# rewrite(): a record's replacement, or None to delete it.
RewriteInteraction = Callable[[Interaction], Interaction | None]
RewriteReminder = Callable[[Reminder], Reminder | None]
RewriteState = Callable[[str, dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class Kept:
    """A record `revert` left alone because a later turn changed it too."""

    kind: str  # "contacts", "reminders", "interactions" or "finished"
    id: str
    created: bool  # the undone turn had created it


@dataclass(frozen=True)
class Reverted:
    """What `UserStore.revert` did: how many records it restored, and which it kept.

    For each kept record the caller decides what undoing means (remove just
    the undone turn's part of a contact, say).
    """

    restored: int
    kept: list[Kept] = field(default_factory=list)


class UserStore(Protocol):
    """One user's data, open for the length of a session."""

    user_id: str

    def profile(self) -> UserProfile: ...
    def save_profile(self, profile: UserProfile) -> None: ...

    def contacts(self) -> list[Contact]: ...
    def contact(self, contact_id: str) -> Contact | None: ...
    def save_contact(self, contact: Contact) -> None: ...
    def delete_contact(self, contact_id: str) -> None: ...

    def add_interaction(self, interaction: Interaction) -> None: ...
    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        """Yield interactions newest first (lazily: stop early to read less).

        With `contact_id`, only that contact's, at the same cost for an old
        contact as for a recent one (history is indexed by contact).
        """
        ...

    def delete_interaction(self, interaction_id: str) -> bool: ...
    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""
        ...

    def reminders(
        self, statuses: Iterable[ReminderStatus] | None = None, *, contact_id: str | None = None
    ) -> list[Reminder]:
        """Open reminders (pending, sending, delivered), optionally of some statuses only.

        With `contact_id`, only that contact's ("" for the user's own, such as the
        digests), looked up by contact rather than by reading every reminder.
        """
        ...

    def reminder(self, reminder_id: str) -> Reminder | None: ...
    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        """Upsert reminders; done and cancelled ones move to history."""
        ...

    def delete_reminders(self, reminder_ids: Iterable[str]) -> None: ...
    def finished_reminders(self) -> Iterator[Reminder]:
        """Yield done and cancelled reminders, newest first."""
        ...

    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None:
        """Keep button payloads too big for a signed token (see bot.engine.buttons)."""
        ...

    def button(self, ref: str) -> dict[str, Any] | None: ...

    def state(self, name: str) -> dict[str, Any] | None: ...
    def set_state(self, name: str, value: dict[str, Any] | None) -> None: ...

    def mark_undoable(self) -> str:
        """Keep what this session changes so `revert` can restore it; return the undo id."""
        ...

    def revert(
        self, undo_id: str, *, keep: Callable[[str, str], bool] | None = None
    ) -> Reverted | None:
        """Restore every record an undoable session changed, unless changed since.

        `keep(kind, id)` True also leaves a record alone (one a later turn
        refers to without changing it). Returns None when `undo_id` is unknown
        (too old, or already undone).
        """
        ...

    def rewrite(
        self,
        *,
        interactions: RewriteInteraction | None = None,
        reminders: RewriteReminder | None = None,
        state: RewriteState | None = None,
    ) -> None:
        """Apply each function to every record of its kind and keep the results (redaction).

        `reminders` sees open and finished reminders; `state` sees every state
        value and every stored button payload (named "button:<ref>"). A
        function returns the record unchanged, a replacement, or None to
        delete it. Undo records are dropped (they hold old copies), and no
        old copy of a changed record stays anywhere in the store.
        """
        ...


class Deliverer(Protocol):
    """The right to deliver one channel's reminders from one data store.

    Only one process holds it for a channel (the embedded store: a lock
    file; PostgreSQL: row claims with a lease); it hands out due users one
    batch at a time. Each taken user is the deliverer's until `put_back`.
    """

    owner: str

    def next_due(self) -> datetime | None:
        """The earliest time a user of this channel needs a delivery attempt."""
        ...

    def take_due(self, now: datetime, limit: int) -> list[str]:
        """Claim up to `limit` users due by `now`, most overdue first."""
        ...

    def put_back(self, user_id: str, when: datetime | None) -> None:
        """Release a taken user, next due at `when` (None: nothing waiting)."""
        ...

    def refresh(self) -> None:
        """Pick up changes other processes made (call every few seconds)."""
        ...

    def waiting(self) -> int:
        """How many users have a delivery ahead (not counting the taken ones)."""
        ...

    def owner_alive(self, owner: str) -> bool:
        """Whether a claim's `owner` may still be sending it (else it can be taken over)."""
        ...

    def on_change(self, wake: Callable[[], None]) -> None:
        """Call `wake` (from any thread) when the earliest due time may have moved."""
        ...

    def close(self) -> None: ...


class Schedule(Protocol):
    """Who is due when, per channel; written by store commits, read by delivery."""

    def deliverer(self, *, channel: str, user_id: str | None = None) -> Deliverer | None:
        """Become the deliverer for `channel` (only `user_id`, if given); None if taken."""
        ...


class Repository(Protocol):
    """Opens per-user stores."""

    @property
    def schedule(self) -> Schedule:
        """Who is due when (read by the delivery service)."""
        ...

    def session(
        self, user_id: str, *, channel: str | None = None, sync: bool = True
    ) -> AbstractContextManager[UserStore]:
        """Open `user_id`'s store as a unit of work, holding that user's lock until the block ends.

        `channel` ("telegram", "terminal") is recorded on the profile the
        first time the user's data is written. `sync=False` leaves the fsync to
        a later `flush()` (the commit still survives a killed process, not a
        power cut); delivery uses it to sync a whole batch of users at once.
        """
        ...

    def user_ids(self) -> Iterator[str]: ...

    def erase(self, user_id: str) -> bool:
        """Forget the whole user: their data, schedule entries and temp files.

        Returns False if there was nothing to erase.
        """
        ...

    def secret(self) -> bytes:
        """A random key made once per store (signs button tokens)."""
        ...

    def flush(self) -> None:
        """Make durable every commit this process made with `sync=False` (a group commit)."""
        ...

    def close(self) -> None:
        """Release what the repository holds (call once, at a clean exit)."""
        ...
