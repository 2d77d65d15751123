"""Writing export files that only their owner can read."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.storage.atomic_json import ensure_private_dir, fsync_dir


def write_private(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to `folder/name` with mode 0600, replacing any file there atomically.

    A new file (mkstemp makes it 0600) replaces the old one, so an existing
    0644 file, or a symlink planted there, never keeps its mode or target.
    """
    ensure_private_dir(folder)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return target
