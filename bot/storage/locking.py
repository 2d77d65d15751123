"""One lock per user folder, held across threads and processes.

The bot and a terminal command may touch the same user at once, so a whole
session (read, decide, commit) holds the user's lock. In a folder we may not
write to (read-only mount, other owner) there is nothing to protect against
and nobody to wait for, so the session goes ahead unlocked and can only read.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.storage.atomic_json import ensure_private_dir
from bot.storage.errors import from_os_error

LOCK_FILE = ".lock"
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}

_thread_locks: dict[str, threading.RLock] = {}
_registry_guard = threading.Lock()
_held: dict[str, bool] = {}


def _thread_lock(key: str) -> threading.RLock:
    with _registry_guard:
        return _thread_locks.setdefault(key, threading.RLock())


@contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """Hold an exclusive, re-entrant lock on `folder`; yield False if it is read-only."""
    key = os.path.abspath(folder)
    with _thread_lock(key):
        if key in _held:
            yield _held[key]  # re-entered by the thread that holds it
            return
        fd = _open_locked(key)
        _held[key] = fd is not None
        try:
            yield fd is not None
        finally:
            del _held[key]
            if fd is not None:
                os.close(fd)  # closing releases the flock


def _open_locked(folder: str) -> int | None:
    """Open and flock the folder's lock file; None when the folder can't be written."""
    path = os.path.join(folder, LOCK_FILE)
    while True:
        try:
            if not os.path.isdir(folder):
                ensure_private_dir(Path(folder))
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno not in _NOT_WRITABLE:
                raise from_os_error(Path(folder), exc, "opened") from exc
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                return None
        fcntl.flock(fd, fcntl.LOCK_EX)
        # Forgetting a user deletes their folder, lock file and all: a lock taken on the
        # deleted file protects nothing, so take the new one instead.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)
