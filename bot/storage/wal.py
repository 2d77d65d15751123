"""A user's write-ahead log: one line per committed turn, replayed over the data files.

    {"wal": 1, "base": 41}                      header: turns up to 41 are in the data files
    3f1c09aa {"seq": 42, "ops": [[table, key, record or null], ...]}
    ...

A turn commits by appending one line and fdatasyncing it: one fsync, however
many records and files it touched. The line carries a CRC32, so a line torn
by a kill (never acknowledged, so never promised to anyone) is recognised and
dropped. Every so often the log is folded into the data files (a checkpoint)
and replaced by an empty one whose header names the last folded turn; readers
that had already applied that turn keep their cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.storage.atomic_json import AtomicJSONStorage, dump, dump_record, utf8

VERSION = 1
Op = list[Any]  # [table, key, record or None]
Dumped = dict[int, tuple[Any, str]]  # id(record) -> (record, dump(record))


@dataclass(frozen=True)
class Commit:
    """One committed turn."""

    seq: int
    ops: list[Op]


@dataclass
class Tail:
    """What reading the log from some offset found."""

    base: int
    commits: list[Commit] = field(default_factory=list)
    end: int = 0  # offset just after the last good line
    torn: bool = False  # bytes after `end` that are not a whole, valid line
    damaged: bool = False  # valid lines after a bad one: not a torn tail


@dataclass(frozen=True)
class Signature:
    """Identifies a version of the log file without reading it."""

    inode: int
    size: int
    mtime_ns: int


def signature(path: Path | str) -> Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Signature(st.st_ino, st.st_size, st.st_mtime_ns)


def encode(commit: Commit, dumped: Dumped | None = None) -> bytes:
    """The commit's line. `dumped` holds records already serialised by the writer, as
    id(record) -> (record, its dump()): not serialised again (the line reads the same).
    Those serialised here are added to it, for the writer to keep."""
    if dumped is not None:
        ops = ",".join(
            f"[{dump(table)},{dump(key)},{_dumped(doc, dumped)}]" for table, key, doc in commit.ops
        )
        body = utf8(f'{{"seq":{dump(commit.seq)},"ops":[{ops}]}}')
    else:
        body = utf8(dump({"seq": commit.seq, "ops": commit.ops}))
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _dumped(doc: Any, dumped: Dumped) -> str:
    known = dumped.get(id(doc))
    if known is not None and known[0] is doc:
        return known[1]
    text = dump_record(doc)
    dumped[id(doc)] = (doc, text)
    return text


def header(base: int) -> bytes:
    return dump({"wal": VERSION, "base": base}).encode() + b"\n"


def read(path: Path, offset: int = 0) -> Tail:
    """Read the log's header (when offset is 0) and its commits from `offset`.

    A missing log is an empty one with base 0. Raises OSError if unreadable.
    """
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            data = fh.read()
    except FileNotFoundError:
        return Tail(base=0)
    tail = Tail(base=-1, end=offset)
    position = 0
    if offset == 0:
        line, _, _ = data.partition(b"\n")
        parsed = _header(line) if data.count(b"\n") else None
        if parsed is None:
            # No whole header: a log whose creation was cut short holds nothing.
            tail.base, tail.torn = 0, bool(data)
            return tail
        tail.base = parsed
        position = len(line) + 1
        tail.end = position
    bad = False
    while position < len(data):
        newline = data.find(b"\n", position)
        if newline < 0:
            tail.torn = True
            break
        commit = _commit(data[position:newline])
        if commit is None:
            bad = tail.torn = True
        elif bad:
            tail.damaged = True
            break
        else:
            tail.commits.append(commit)
            tail.end = offset + newline + 1
        position = newline + 1
    return tail


def _header(line: bytes) -> int | None:
    try:
        parsed = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(parsed, dict) and parsed.get("wal") == VERSION:
        base = parsed.get("base")
        return base if isinstance(base, int) else None
    return None


def _commit(line: bytes) -> Commit | None:
    crc, _, body = line.partition(b" ")
    try:
        if int(crc, 16) != zlib.crc32(body):
            return None
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("seq"), int):
        return None
    ops = parsed.get("ops")
    if not isinstance(ops, list) or not all(isinstance(op, list) and len(op) == 3 for op in ops):
        return None
    return Commit(parsed["seq"], ops)


def append(
    path: Path | str,
    commit: Commit,
    *,
    sync: bool,
    base: int,
    dumped: Dumped | None = None,
) -> tuple[Signature, bool]:
    """Append one commit (creating the log with `base` if missing).

    Returns the log's new signature, and whether this created it. A failed
    write is cut off again, so no partial line stays behind it. `dumped`: as
    for `encode`.
    """
    line = encode(commit, dumped)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    fd = os.open(path, flags, 0o600)
    try:
        before = os.fstat(fd).st_size
        try:
            if before == 0:
                line = header(base) + line
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "short write (disk full?)")
            if sync:
                os.fdatasync(fd)
            st = os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):  # else the CRC marks what is left as torn
                os.ftruncate(fd, before)
            raise
        return Signature(st.st_ino, st.st_size, st.st_mtime_ns), before == 0
    finally:
        os.close(fd)


def reset(path: Path, base: int) -> None:
    """Replace the log with an empty one whose turns up to `base` are in the data files."""
    AtomicJSONStorage(path).write_text(header(base).decode())


def replace(path: Path, data: bytes) -> None:
    """Replace the log with `data` (a header and whole lines) atomically."""
    AtomicJSONStorage(path).write_bytes(data)


def cut(path: Path, end: int) -> None:
    """Drop a torn tail: keep the first `end` bytes."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, end)
        os.fdatasync(fd)
    finally:
        os.close(fd)
