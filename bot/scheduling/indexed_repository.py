"""A repository decorator that keeps the due index a lower bound of every user's reminders.

Every process that writes reminders must open stores through this wrapper
(see `open_repository`); then no reminder can be saved without the index
first being lowered to its due time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.domain.model import Reminder, ReminderStatus, UserProfile
from bot.domain.reminders.timing import deliverable_at
from bot.scheduling.due_index import DueIndex
from bot.scheduling.sent_journal import forget_user
from bot.storage.repository import Repository, UserStore
from bot.storage.tinydb_repository import TinyRepository

WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)


class IndexedUserStore:
    """A user store whose reminder and profile writes lower the due index first."""

    def __init__(self, inner: UserStore, index: DueIndex) -> None:
        self.inner = inner
        self.index = index
        self.user_id = inner.user_id

    def save_reminders(self, reminders: Sequence[Reminder]) -> None:
        waiting = [r.due_at for r in reminders if r.status in WAITING]
        if waiting:
            profile = self.inner.profile()
            self.index.lower(self.user_id, deliverable_at(min(waiting), profile))
        self.inner.save_reminders(reminders)

    def save_profile(self, profile: UserProfile) -> None:
        # A new zone, quiet hours or an unpause can move deliveries earlier.
        if not profile.paused:
            waiting = [r.due_at for r in self.inner.reminders(WAITING)]
            if waiting:
                self.index.lower(self.user_id, deliverable_at(min(waiting), profile))
        self.inner.save_profile(profile)

    def erase(self) -> None:
        self.inner.erase()
        # Called with the user's store locked, as DueIndex.put requires.
        self.index.put(self.user_id, None)
        forget_user(self.index.folder / "sent.journal", self.user_id)

    def __getattr__(self, name: str) -> Any:
        # Everything else is the wrapped store's, so new store methods need no change here.
        return getattr(self.inner, name)


class IndexedRepository:
    """Wraps a repository so every store it opens keeps the due index honest."""

    def __init__(self, inner: Repository, index: DueIndex) -> None:
        self.inner = inner
        self.index = index

    @contextmanager
    def session(self, user_id: str) -> Iterator[UserStore]:
        with self.inner.session(user_id) as store:
            yield IndexedUserStore(store, self.index)

    def user_ids(self) -> Iterator[str]:
        return self.inner.user_ids()

    def erase(self, user_id: str) -> bool:
        if user_id not in set(self.inner.user_ids()):
            return False
        with self.session(user_id) as store:
            store.erase()  # the indexed store also clears the schedule and journal
        return True


def open_repository(data_dir: Path) -> IndexedRepository:
    """Return the repository every process of the bot should use for `data_dir`."""
    data_dir = Path(data_dir)
    return IndexedRepository(TinyRepository(data_dir), DueIndex(data_dir / "schedule"))
