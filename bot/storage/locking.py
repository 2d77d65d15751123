"""One lock per user folder, held across threads and processes.

The bot and a terminal command may touch the same user at once; TinyDB does a
read-modify-write per operation, so the whole session holds the lock.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.storage.atomic_json import ensure_private_dir

_thread_locks: dict[Path, threading.RLock] = {}
_registry_guard = threading.Lock()
_held: dict[Path, int] = {}


def _thread_lock(path: Path) -> threading.RLock:
    with _registry_guard:
        return _thread_locks.setdefault(path, threading.RLock())


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive, re-entrant lock on `folder` for the block."""
    key = folder.resolve()
    with _thread_lock(key):
        if _held.get(key):
            # Re-entered by the thread that already holds the file lock.
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        ensure_private_dir(key)
        fd = os.open(key / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            _held[key] = 1
            try:
                yield
            finally:
                _held[key] = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
