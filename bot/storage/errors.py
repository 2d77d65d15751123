"""What can go wrong with stored data, named so each case gets its own clear reply.

Every failure of the store reaches the engine as a `StoreError` whose `reason`
says which of a handful of conditions it is (the disk is full, the folder is
read-only...). The engine answers each with one specific sentence; nothing
in it is a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Literal

Reason = Literal["corrupt", "full", "denied", "read-only", "not-a-folder", "io"]

_BY_ERRNO: dict[int, Reason] = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.EROFS: "read-only",
    errno.ENOTDIR: "not-a-folder",
    errno.EEXIST: "not-a-folder",
}


class StoreError(Exception):
    """The store could not be read or written; the message names the file."""

    reason: Reason = "io"
    # False when a failed write held only conversation bookkeeping (a flow's end,
    # a draft history): the user's records are as the reply describes them.
    records_unsaved = True

    def __init__(self, path: Path, problem: str, reason: Reason | None = None) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem
        if reason is not None:
            self.reason = reason


class CorruptStoreError(StoreError):
    """A data file exists but is not valid; it is left untouched."""

    reason: Reason = "corrupt"


def from_os_error(path: Path, exc: OSError, doing: str) -> StoreError:
    """Wrap an OSError met while `doing` ("written", "read") something at `path`."""
    reason = _BY_ERRNO.get(exc.errno or 0, "io")
    where = Path(exc.filename) if isinstance(exc.filename, str) else path
    return StoreError(where, f"cannot be {doing} ({exc.strerror or exc})", reason)
