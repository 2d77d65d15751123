"""A global, sharded index: user id -> a lower bound of their next delivery time.

Reminders live in each user's store; this index only tells the scheduler
whom to look at and when, so start-up reads 256 small files instead of every
user, and nothing scans all users while running. The one rule that makes it
safe: an entry is lowered (and fsynced) *before* a reminder is written, and
raised only while that user's store is locked, after the store write. A crash
can therefore leave an entry too early (a harmless extra wake-up), never too
late. If the index is missing it is rebuilt from the stores.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.atomic_json import AtomicJSONStorage, ensure_private_dir
from bot.storage.locking import folder_lock

SHARDS = 256
COMPLETE_MARKER = "complete"

# Called with (user id, new lower bound or None) after every index write.
Listener = Callable[[str, datetime | None], None]


def shard_of(user_id: str) -> str:
    """Return the two-hex-digit shard holding `user_id` (stable across runs)."""
    return hashlib.blake2b(user_id.encode(), digest_size=1).hexdigest()


class DueIndex:
    """The on-disk index under `folder` (one locked JSON file per shard)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._listeners: list[Listener] = []
        self._guard = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` after every change (the running scheduler's wake-up hint)."""
        with self._guard:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._guard:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def lower(self, user_id: str, when: datetime) -> None:
        """Make the entry at most `when`; durable before returning."""
        self._update(user_id, when, only_if_earlier=True)

    def put(self, user_id: str, when: datetime | None) -> None:
        """Set the entry to `when` (None removes it). Call only with the user's store locked."""
        self._update(user_id, when, only_if_earlier=False)

    def get(self, user_id: str) -> datetime | None:
        stamp = self._read(shard_of(user_id)).get(user_id)
        return _from_stamp(stamp) if stamp is not None else None

    def entries(self) -> Iterator[tuple[str, datetime]]:
        """Yield every (user id, lower bound), shard by shard."""
        for shard in self.shard_names():
            for user_id, stamp in self._read(shard).items():
                yield user_id, _from_stamp(stamp)

    def shard_names(self) -> list[str]:
        return [f"{i:02x}" for i in range(SHARDS)]

    def shard_mtime(self, shard: str) -> float:
        """When the shard file last changed (0 if it does not exist)."""
        try:
            return (self._shard_dir(shard) / "due.json").stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def shard_entries(self, shard: str) -> dict[str, datetime]:
        return {u: _from_stamp(s) for u, s in self._read(shard).items()}

    # -- completeness ----------------------------------------------------------
    def is_complete(self) -> bool:
        """True once the index has been built (or rebuilt) from every store."""
        return (self.folder / COMPLETE_MARKER).exists()

    def merge_rebuilt(self, entries: dict[str, datetime]) -> None:
        """Write entries computed by scanning the stores, keeping any lower value found."""
        by_shard: dict[str, dict[str, datetime]] = {}
        for user_id, when in entries.items():
            by_shard.setdefault(shard_of(user_id), {})[user_id] = when
        for shard, wanted in by_shard.items():
            with folder_lock(self._shard_dir(shard)):
                current = self._read(shard)
                for user_id, when in wanted.items():
                    stamp = when.timestamp()
                    # Something lowered it while we scanned: the lower value is still a bound.
                    current[user_id] = min(stamp, current.get(user_id, stamp))
                self._write(shard, current)
        ensure_private_dir(self.folder)
        (self.folder / COMPLETE_MARKER).touch(mode=0o600)

    # -- internals -------------------------------------------------------------
    def _update(self, user_id: str, when: datetime | None, *, only_if_earlier: bool) -> None:
        shard = shard_of(user_id)
        with folder_lock(self._shard_dir(shard)):
            current = self._read(shard)
            old = current.get(user_id)
            if when is None:
                if old is None:
                    return
                del current[user_id]
            else:
                stamp = when.timestamp()
                if old == stamp or (only_if_earlier and old is not None and old <= stamp):
                    return
                current[user_id] = stamp
            self._write(shard, current)
        with self._guard:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(user_id, when)

    def _shard_dir(self, shard: str) -> Path:
        return self.folder / shard

    def _read(self, shard: str) -> dict[str, float]:
        data = AtomicJSONStorage(self._shard_dir(shard) / "due.json").read() or {}
        return {str(k): float(v) for k, v in data.get("due", {}).items()}

    def _write(self, shard: str, entries: dict[str, float]) -> None:
        AtomicJSONStorage(self._shard_dir(shard) / "due.json").write({"due": entries})


def _from_stamp(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)
