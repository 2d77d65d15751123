"""The repository port: everything the engine may ask of storage.

Every method is scoped to one user by construction: a `UserStore` is opened
for a single user id and cannot reach another user's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from bot.domain.model import Contact, Interaction, Reminder, ReminderStatus, UserProfile


class UserStore(Protocol):
    """One user's data, open for the length of a session."""

    user_id: str

    def profile(self) -> UserProfile: ...
    def save_profile(self, profile: UserProfile) -> None: ...

    def contacts(self) -> list[Contact]: ...
    def contact(self, contact_id: str) -> Contact | None: ...
    def save_contact(self, contact: Contact) -> None: ...
    def save_contacts(self, contacts: Sequence[Contact]) -> None:
        """Upsert many contacts at once (an import of thousands is one write, not thousands)."""
        ...

    def delete_contact(self, contact_id: str) -> None: ...

    def add_interaction(self, interaction: Interaction) -> None: ...
    def add_interactions(self, interactions: Sequence[Interaction]) -> None:
        """Append many interactions, oldest first, at once."""
        ...

    def interactions(self, *, contact_id: str | None = None) -> Iterator[Interaction]:
        """Yield interactions newest first (lazily: stop early to read less)."""
        ...

    def delete_interaction(self, interaction_id: str) -> bool: ...
    def forget_contact(self, contact_id: str) -> None:
        """Delete a contact, their reminders, and their part of every interaction."""
        ...

    def rewrite(
        self,
        *,
        interactions: Callable[[Interaction], Interaction | None] | None = None,
        reminders: Callable[[Reminder], Reminder | None] | None = None,
        state: Callable[[str, dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> None:
        """Apply each function to every record of its kind and keep the results (redaction).

        `reminders` sees open and finished reminders; `state` sees every state
        value and every stored button payload (named "button:<ref>"). A
        function returns the record unchanged, a replacement, or None to delete it.
        """
        ...

    def erase(self) -> None:
        """Erase everything of this user when the session ends: no file of theirs remains."""
        ...

    def reminders(self, statuses: Iterable[ReminderStatus] | None = None) -> list[Reminder]: ...
    def finished_reminders(self) -> Iterator[Reminder]:
        """Yield done and cancelled reminders, newest first."""
        ...

    def reminder(self, reminder_id: str) -> Reminder | None: ...
    def save_reminders(self, reminders: Sequence[Reminder]) -> None: ...
    def delete_reminders(self, reminder_ids: Iterable[str]) -> None: ...

    def put_buttons(self, payloads: dict[str, dict[str, Any]]) -> None: ...

    def button(self, ref: str) -> dict[str, Any] | None: ...

    def state(self, name: str) -> dict[str, Any] | None: ...
    def set_state(self, name: str, value: dict[str, Any] | None) -> None: ...


class Repository(Protocol):
    """Opens per-user stores."""

    def session(self, user_id: str) -> AbstractContextManager[UserStore]:
        """Open `user_id`'s store, holding that user's lock until the block ends."""
        ...

    def user_ids(self) -> Iterator[str]: ...

    def erase(self, user_id: str) -> bool:
        """Forget the whole user: their data, schedule entries and temp files.

        Returns False if there was nothing to erase.
        """
        ...
