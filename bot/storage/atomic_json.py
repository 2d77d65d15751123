"""A TinyDB storage that never leaves a half-written file behind.

TinyDB's JSONStorage rewrites the file in place, so a kill mid-write can
corrupt it. Here every write goes to a private temp file that is fsynced and
then atomically renamed over the old one, and the folder is fsynced so the
rename itself survives a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

PRIVATE_DIR_MODE = 0o700


class StoreError(Exception):
    """The store could not be read or written; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class CorruptStoreError(StoreError):
    """A database file exists but is not a valid database; it is left untouched."""


class AtomicJSONStorage(Storage):
    """JSON storage with atomic replace and owner-only permissions."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(self.path, f"cannot be read ({exc.strerror})") from exc
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorruptStoreError(self.path, f"is not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise CorruptStoreError(self.path, "is not a TinyDB database")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_text(dump(data))

    def write_text(self, text: str) -> None:
        """Atomically replace the file with `text` (already serialised JSON)."""
        ensure_private_dir(self.path.parent)
        # mkstemp creates the file with mode 0600, so it is never world-readable.
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_dir(self.path.parent)

    def close(self) -> None:
        """Nothing is held open between operations."""


class SessionBuffer(Storage):
    """Holds a session's writes to a file and writes them once, when the session ends.

    Every command touches the user's main file several times (contact,
    reminders, buttons, state); each atomic write costs two fsyncs. Buffering
    them makes one write per session, and a session that fails half-way
    leaves the file as it was. The caller holds the user's lock throughout,
    so nobody else can change the file meanwhile.
    """

    def __init__(self, inner: AtomicJSONStorage) -> None:
        self.inner = inner
        # The session's version as JSON text, once it has written; None: the file's.
        self._pending: str | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        # Parsed afresh each time, as from disk: a caller changing what it read
        # must not change the buffer.
        return self.inner.read() if self._pending is None else json.loads(self._pending)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._pending = dump(data)

    def flush(self) -> None:
        """Write what changed since the session began (one atomic write), if anything."""
        if self._pending is not None:
            self.inner.write_text(self._pending)
            self._pending = None


def dump(data: dict[str, dict[str, Any]]) -> str:
    """Serialise a database compactly, keeping non-ASCII text readable."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def ensure_private_dir(path: Path) -> None:
    """Create `path` and any missing parents, each readable by the owner only.

    (mkdir's `parents=True` would give the parents the default mode.)
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries so a rename in it survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
