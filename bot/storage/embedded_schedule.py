"""The schedule port over the due index: one deliverer per channel per data folder.

A lock file (schedule/deliver-<channel>.lock, or deliver-terminal-<user>.lock
for a terminal chat, which shows only its own user's reminders) makes sure
only one process delivers each channel's reminders from a folder. A second
bot, or a second chat for the same user, gets no deliverer and leaves
delivery to the first; an overlapping restart therefore sends nothing twice.

The deliverer keeps a heap of its users' due times: loaded from the index at
start, moved by the commits of this process (a listener on the index) and
of others (the index's journal, read when `refresh` is called).
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from bot.storage.atomic_json import ensure_private_dir
from bot.storage.due_index import COMPACT_BYTES, DueIndex, Entry

_TAKEN = object()  # marks a taken user whose due time has not changed meanwhile


class EmbeddedSchedule:
    """Hands out deliverers for the channels of one data folder."""

    def __init__(self, index: DueIndex) -> None:
        self.index = index

    def deliverer(self, *, channel: str, user_id: str | None = None) -> EmbeddedDeliverer | None:
        name = f"deliver-{channel}" + (f"-{user_id}" if user_id else "")
        ensure_private_dir(self.index.folder)
        fd = os.open(self.index.folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            deliverer = EmbeddedDeliverer(self.index, channel, user_id, fd)
            deliverer.load()
        except BaseException:
            os.close(fd)
            raise
        return deliverer


class EmbeddedDeliverer:
    """The one deliverer of a channel (see the module docstring); thread-safe."""

    def __init__(self, index: DueIndex, channel: str, user_id: str | None, lock_fd: int) -> None:
        self.index = index
        self.channel = channel
        self.only_user = user_id
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._lock_fd: int | None = lock_fd
        self._guard = threading.Lock()
        self._due: dict[str, float] = {}  # user -> due time, for users not taken
        self._heap: list[tuple[float, str]] = []
        self._taken: dict[str, object] = {}  # user -> _TAKEN or their newer due time (or None)
        self._indexed: dict[str, float | None] = {}  # what the index says, as last seen
        self._wake: Callable[[], None] | None = None
        self._offset = 0
        self._version = 0
        self.rebuilt = ""

    # -- loading and following the index -------------------------------------------
    def load(self) -> None:
        loaded = self.index.load()
        self.rebuilt = loaded.rebuilt
        with self._guard:
            self._reset(loaded.entries)
            self._offset = self.index.journal_size()
            self._version = self.index.snapshot_version()
        self.index.subscribe(self._hint)

    def _reset(self, entries: dict[str, Entry]) -> None:
        self._due.clear()
        self._indexed.clear()
        for user_id, (when, channel) in entries.items():
            if self._serves(user_id, channel):
                self._indexed[user_id] = when
                if when is not None and user_id not in self._taken:
                    self._due[user_id] = when
        self._heap = [(t, u) for u, t in self._due.items()]
        heapq.heapify(self._heap)

    def _serves(self, user_id: str, channel: str) -> bool:
        return channel == self.channel and self.only_user in (None, user_id)

    def _hint(self, user_id: str, when: float | None, channel: str) -> None:
        """A commit (here or, through refresh, elsewhere) moved a user's due time."""
        if not self._serves(user_id, channel):
            when = None  # not ours (any more): forget them
            if user_id not in self._indexed and user_id not in self._taken:
                return
        with self._guard:
            self._indexed[user_id] = when
            if user_id in self._taken:
                self._taken[user_id] = when
                return
            before = self._earliest()
            self._set(user_id, when)
            moved = self._earliest() != before
            wake = self._wake
        if moved and wake is not None:
            wake()

    def _set(self, user_id: str, when: float | None) -> None:
        if when is None:
            self._due.pop(user_id, None)
        elif self._due.get(user_id) != when:
            self._due[user_id] = when
            heapq.heappush(self._heap, (when, user_id))

    def _earliest(self) -> float | None:
        # Entries superseded by a later _set stay in the heap; skip them lazily.
        while self._heap and self._due.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def refresh(self) -> None:
        """Read what other processes wrote to the index since the last look."""
        if self.index.journal_size() > COMPACT_BYTES:
            self.index.compact()
        version = self.index.snapshot_version()
        if version != self._version:
            # Someone folded the journal into a new snapshot: read it afresh.
            loaded = self.index.load()
            with self._guard:
                self._reset(loaded.entries)
                for user_id in self._taken:
                    self._taken[user_id] = _TAKEN
                self._offset = self.index.journal_size()
                self._version = self.index.snapshot_version()
            self._notify()
            return
        changes, self._offset = self.index.changes_since(self._offset)
        for user_id, (when, channel) in changes:
            self._hint(user_id, when, channel)

    def _notify(self) -> None:
        wake = self._wake
        if wake is not None:
            wake()

    # -- handing out users ---------------------------------------------------------
    def next_due(self) -> datetime | None:
        with self._guard:
            earliest = self._earliest()
        return datetime.fromtimestamp(earliest, UTC) if earliest is not None else None

    def take_due(self, now: datetime, limit: int) -> list[str]:
        stamp = now.timestamp()
        taken: list[str] = []
        with self._guard:
            while len(taken) < limit and (earliest := self._earliest()) is not None:
                if earliest > stamp:
                    break
                _, user_id = heapq.heappop(self._heap)
                del self._due[user_id]
                self._taken[user_id] = _TAKEN
                taken.append(user_id)
        return taken

    def put_back(self, user_id: str, when: datetime | None) -> None:
        stamp = when.timestamp() if when is not None else None
        with self._guard:
            newer = self._taken.pop(user_id, _TAKEN)
            if isinstance(newer, float | int):
                # A commit moved them while they were served; which came last is unknown,
                # and the earlier of the two is safe (a spare wake-up, never a late one).
                stamp = newer if stamp is None else min(stamp, newer)
            stale = self._indexed.get(user_id, None) != stamp
            self._set(user_id, stamp)
        if stale:
            # The index said otherwise (an early entry left by a failed commit, say): fix it.
            self.index.note(user_id, stamp, self.channel)
        self._notify()

    def waiting(self) -> int:
        """How many users have a delivery ahead (not counting those being served)."""
        with self._guard:
            return len(self._due)

    def owner_alive(self, owner: str) -> bool:
        # This process holds the channel's lock: any other owner of a claim has died.
        return owner == self.owner

    def on_change(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def close(self) -> None:
        self.index.unsubscribe(self._hint)
        self._wake = None
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None
