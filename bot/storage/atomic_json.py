"""JSON files that are never half-written, readable by their owner only.

Every write goes to a private temp file that is fsynced and then atomically
renamed over the old one, and the folder is fsynced so the rename itself
survives a crash. `AtomicJSONStorage` is a TinyDB `Storage`, and every data
file keeps TinyDB's layout ({table: {doc id: document}}), so any TinyDB can
open the files for inspection.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bot.storage.errors import CorruptStoreError, StoreError, from_os_error

__all__ = [
    "TEMP_SUFFIX",
    "AtomicJSONStorage",
    "CorruptStoreError",
    "StoreError",
    "dump",
    "dump_record",
    "ensure_private_dir",
    "forget_parts",
    "fsync_dir",
    "sweep_temp_files",
    "utf8",
]

PRIVATE_DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"


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
            raise from_os_error(self.path, exc, "read") from exc
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorruptStoreError(self.path, f"is not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise CorruptStoreError(self.path, "is not a TinyDB database")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_text(dump(data))

    def write_text(self, text: str, *, sync_dir: bool = True) -> None:
        """Atomically replace the file with `text`; `sync_dir=False` leaves the folder's fsync
        to the caller (who writes several files in it and syncs it once)."""
        self.write_bytes(utf8(text), sync_dir=sync_dir)

    def write_bytes(self, data: bytes, *, sync_dir: bool = True) -> None:
        """Atomically replace the file with `data` (see write_text)."""
        try:
            ensure_private_dir(self.path.parent)
            tmp = self.write_temp(data)
            try:
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            if sync_dir:
                fsync_dir(self.path.parent)
        except StoreError:
            raise
        except OSError as exc:
            raise from_os_error(self.path, exc, "written") from exc

    def write_temp(self, data: bytes | str) -> str:
        """Write `data` to a fsynced private temp file beside the file; return its path.

        The caller renames it over the file (or unlinks it). The folder must exist.
        """
        try:
            # mkstemp creates the file with mode 0600, so it is never world-readable.
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX
            )
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(utf8(data) if isinstance(data, str) else data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return tmp
        except OSError as exc:
            raise from_os_error(self.path, exc, "written") from exc

    def close(self) -> None:
        """Nothing is held open between operations."""


def _replace_surrogates(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeEncodeError):
        return "\ufffd" * (exc.end - exc.start), exc.end
    raise exc


codecs.register_error("rapport-surrogates", _replace_surrogates)


def utf8(text: str) -> bytes:
    """Encode `text`; a lone surrogate (invalid in UTF-8) becomes U+FFFD instead of failing."""
    return text.encode("utf-8", "rapport-surrogates")


def dump(data: Any) -> str:
    """Serialise compactly, keeping non-ASCII text readable."""
    return _ENCODER.encode(data)


# What json.dumps(ensure_ascii=False, separators=(",", ":")) builds on every call: made
# once, a commit's dozens of small dumps (tables, keys, meta) cost a third as much. It
# keeps no state between calls, so threads share it.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump_record(record: Any) -> str:
    """dump(record) of a store record, reusing the text of the dicts in its lists that were
    serialised before: the same objects, as records are never changed in place (see
    records.shared_record). A contact's save serialised dozens of unchanged facts again.
    """
    if type(record) is not dict or not any(map(_holds_records, record.values())):
        return dump(record)
    parts = []
    for key, value in record.items():
        if type(key) is not str:
            return dump(record)  # json's own spelling of other keys: leave it to json
        text = f"[{','.join(map(_part, value))}]" if _holds_records(value) else dump(value)
        parts.append(f"{dump(key)}:{text}")
    return f"{{{','.join(parts)}}}"


def forget_parts() -> None:
    """Drop every text dump_record keeps (after a /forget: they hold its text)."""
    _PARTS.clear()


def _holds_records(value: Any) -> bool:
    return type(value) is list and len(value) > 1 and type(value[0]) is dict


def _part(item: Any) -> str:
    if type(item) is not dict:
        return dump(item)
    known = _PARTS.get(id(item))
    if known is not None and known[0] is item:
        return known[1]
    if len(_PARTS) >= PARTS_KEPT:
        _PARTS.clear()
    text = dump(item)
    _PARTS[id(item)] = (item, text)  # the dict itself is kept: its id stays its own
    return text


# id(dict) -> (the dict, its dump()), for dump_record; shared by every user of the process.
_PARTS: dict[int, tuple[dict[str, Any], str]] = {}
PARTS_KEPT = 8192


def ensure_private_dir(path: Path) -> None:
    """Create `path` and any missing parents, each readable by the owner only.

    (mkdir's `parents=True` would give the parents the default mode.)
    """
    if path.is_dir():
        return
    missing = [p for p in (path, *path.parents) if not p.is_dir()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries so a rename in it survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_temp_files(folders: Iterable[Path]) -> int:
    """Delete temp files a killed write left in `folders` (they may hold personal data)."""
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass  # read-only: nothing we can do, and reads still work
    return removed
