"""The due index: user id -> (when they next need a delivery, their channel), for a data folder.

    schedule/due.json    a snapshot {"due": {user: [unix time or null, channel]}}
    schedule/due.log     lines {"u": user, "t": time or null, "c": channel} since the snapshot
    schedule/dirty/      one marker per process that wrote lines not yet fsynced

Reminders live in each user's store; this index only tells the delivery
service whom to look at and when, so start-up reads one file instead of
every user. Stores write it as part of committing a turn: a line that moves
a user *earlier* is appended before the turn's own log is fsynced, one that
moves them later only after, so a crash can leave an entry too early (a
harmless extra wake-up), never too late.

The lines are not fsynced (the turn's one fsync is its own log's). They
survive a killed process (the page cache keeps them) but not a power cut;
so each process that appends leaves a durable marker until it exits
cleanly, and a marker from an earlier boot means the index is rebuilt from
the stores. It is a cache in every other way too: a bad snapshot or line is
set aside and the index rebuilt, never fatal.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.atomic_json import AtomicJSONStorage, dump, ensure_private_dir, fsync_dir
from bot.storage.errors import StoreError

log = logging.getLogger(__name__)

SNAPSHOT = "due.json"
JOURNAL = "due.log"
# Folded into the snapshot once this big.
COMPACT_BYTES = 1 << 20

Entry = tuple[float | None, str]  # (unix time, channel)
# Called with (user id, unix time or None, channel) after every change this process makes.
Listener = Callable[[str, float | None, str], None]
# Yields (user id, unix time or None, channel) for every user, from the stores.
Scan = Callable[[], Iterable[tuple[str, float | None, str]]]


def boot_id() -> str:
    """This boot of the machine (a power cut or reboot changes it), or "" where unknown."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


@dataclass
class Loaded:
    """The index as read, and what happened on the way."""

    entries: dict[str, Entry]
    rebuilt: str = ""  # why it was rebuilt, or ""


class DueIndex:
    """The on-disk due index under `folder` (see the module docstring)."""

    def __init__(self, folder: Path, scan: Scan | None = None) -> None:
        self.folder = Path(folder)
        self.scan: Scan = scan or (lambda: ())
        self._fd: int | None = None
        self._marker: Path | None = None
        self._guard = threading.Lock()
        self._listeners: list[Listener] = []
        self._pid = os.getpid()
        self._warned = False

    # -- writing ---------------------------------------------------------------
    def note(self, user_id: str, when: float | None, channel: str) -> None:
        """Record a user's new next-delivery time (None: nothing waiting)."""
        line = dump({"u": user_id, "t": when, "c": channel}) + "\n"
        with self._guard:
            try:
                fd = self._journal_fd()
                fcntl.flock(fd, fcntl.LOCK_SH)
                try:
                    os.write(fd, line.encode())
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError as exc:
                # The turn itself is safe in the user's store; this cache will be rebuilt
                # once the folder can be written again (a deliverer can't start before).
                if not self._warned:
                    log.error("the due index can't be written (%s): it will be rebuilt", exc)
                    self._warned = True
            listeners = list(self._listeners)
        for listener in listeners:
            listener(user_id, when, channel)

    def _journal_fd(self) -> int:
        if self._fd is not None and self._pid != os.getpid():
            self._fd, self._marker = None, None  # a forked child: its own fd and marker
            self._pid = os.getpid()
        if self._fd is None:
            ensure_private_dir(self.folder)
            self._mark_dirty()
            self._fd = os.open(self.folder / JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def _mark_dirty(self) -> None:
        folder = self.folder / "dirty"
        ensure_private_dir(folder)
        marker = folder / f"{boot_id() or 'unknown'}.{os.getpid()}"
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        fsync_dir(folder)
        self._marker = marker

    def close(self) -> None:
        """Make this process's lines durable and drop its marker (a clean exit)."""
        with self._guard:
            if self._fd is None or self._pid != os.getpid():
                return
            try:
                os.fsync(self._fd)
                if self._marker is not None:
                    self._marker.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("could not flush the due index: %s", exc)
            finally:
                os.close(self._fd)
                self._fd, self._marker = None, None

    def subscribe(self, listener: Listener) -> None:
        with self._guard:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._guard:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- reading ---------------------------------------------------------------
    def load(self) -> Loaded:
        """Read the snapshot and the journal; rebuild from the stores if they can't be trusted."""
        ensure_private_dir(self.folder)
        with self._exclusive():
            problem = self._power_cut()
            entries: dict[str, Entry] | None = None
            if not problem:
                entries, problem = self._read_snapshot()
            if entries is not None and not problem:
                problem = self._replay(entries, self._journal_lines())
            if problem:
                entries = self._rebuild()
                # No snapshot yet is normal on a first start; damage is worth a warning.
                level = logging.INFO if "missing" in problem else logging.WARNING
                log.log(level, "due index %s: rebuilt from the stores", problem)
            assert entries is not None
            self._write_snapshot(entries)
            self._clear_stale_markers()
        return Loaded(entries, problem)

    def get(self, user_id: str) -> datetime | None:
        """The user's entry as the files say now (read only; for tools and tests)."""
        entries = self._read_snapshot(set_aside=False)[0] or {}
        for raw in self._journal_lines():
            parsed = _line(raw)
            if parsed is not None:
                entries[parsed[0]] = parsed[1]
        when = entries.get(user_id, (None, ""))[0]
        return datetime.fromtimestamp(when, UTC) if when is not None else None

    def changes_since(self, offset: int) -> tuple[list[tuple[str, Entry]], int]:
        """Journal lines appended after byte `offset` (by any process), and the new offset."""
        path = self.folder / JOURNAL
        try:
            with open(path, "rb") as fh:
                fh.seek(offset)
                data = fh.read()
        except FileNotFoundError:
            return [], 0
        end = data.rfind(b"\n") + 1  # a line still being written waits for the next look
        changes = []
        for raw in data[:end].splitlines():
            parsed = _line(raw)
            if parsed is not None:
                changes.append(parsed)
        return changes, offset + end

    def journal_size(self) -> int:
        try:
            return (self.folder / JOURNAL).stat().st_size
        except FileNotFoundError:
            return 0

    def snapshot_version(self) -> int:
        """Changes whenever the snapshot is rewritten (by any process)."""
        try:
            return (self.folder / SNAPSHOT).stat().st_ino
        except FileNotFoundError:
            return 0

    def compact(self, entries: dict[str, Entry] | None = None) -> None:
        """Fold the journal into the snapshot and empty it."""
        with self._exclusive():
            current, problem = self._read_snapshot()
            if current is None or problem:
                current = dict(entries or {})
            self._replay(current, self._journal_lines())
            self._write_snapshot(current)

    def erase(self, user_id: str) -> None:
        """Remove every trace of `user_id` from the snapshot and the journal."""
        if not (self.folder / SNAPSHOT).exists() and not (self.folder / JOURNAL).exists():
            return
        with self._exclusive():
            current, problem = self._read_snapshot()
            if current is None or problem:
                current = {}
            self._replay(current, self._journal_lines())
            current.pop(user_id, None)
            self._write_snapshot(current)
        with self._guard:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(user_id, None, "")

    # -- internals -------------------------------------------------------------
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the journal still (no appends) for the block."""
        ensure_private_dir(self.folder)
        fd = os.open(self.folder / JOURNAL, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _read_snapshot(self, *, set_aside: bool = True) -> tuple[dict[str, Entry] | None, str]:
        path = self.folder / SNAPSHOT
        try:
            data = AtomicJSONStorage(path).read()
        except StoreError as exc:
            if set_aside:
                self._set_aside(path)
            return None, f"snapshot unreadable ({exc.problem})"
        if data is None:
            return None, "missing" if not self.journal_size() else "snapshot missing"
        entries: dict[str, Entry] = {}
        for user_id, value in (data.get("due") or {}).items():
            if (
                isinstance(value, list)
                and len(value) == 2
                and (value[0] is None or isinstance(value[0], int | float))
                and isinstance(value[1], str)
            ):
                entries[str(user_id)] = (value[0], value[1])
            else:
                if set_aside:
                    self._set_aside(path)
                return None, f"snapshot has a bad entry for a user ({value!r:.40})"
        return entries, ""

    def _journal_lines(self) -> list[bytes]:
        try:
            data = (self.folder / JOURNAL).read_bytes()
        except FileNotFoundError:
            return []
        lines = data.split(b"\n")
        # The last piece is "" after a final newline, or a line a kill cut short: never
        # acknowledged (a lowering line precedes its turn's commit), so it can go.
        return lines[:-1]

    def _replay(self, entries: dict[str, Entry], lines: list[bytes]) -> str:
        for raw in lines:
            parsed = _line(raw)
            if parsed is None:
                self._set_aside(self.folder / JOURNAL)
                return f"journal has a bad line ({raw[:40]!r})"
            user_id, entry = parsed
            if entry[0] is None and not entry[1]:
                entries.pop(user_id, None)  # erased
            else:
                entries[user_id] = entry
        return ""

    def _rebuild(self) -> dict[str, Entry]:
        start = self.journal_size()
        entries = {u: (t, c) for u, t, c in self.scan()}
        # Lines written while we scanned are at least as new as what we read.
        changes, _ = self.changes_since(start)
        for user_id, entry in changes:
            entries[user_id] = entry
        return entries

    def _write_snapshot(self, entries: dict[str, Entry]) -> None:
        due = {u: [t, c] for u, (t, c) in entries.items() if t is not None}
        AtomicJSONStorage(self.folder / SNAPSHOT).write_text(dump({"due": due}))
        path = self.folder / JOURNAL
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, 0)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _set_aside(self, path: Path) -> None:
        """Keep a damaged file for a look, out of the way (it holds only ids and times)."""
        if path.exists():
            aside = path.with_name(f"{path.name}.bad-{int(time.time())}")
            with contextlib.suppress(OSError):
                os.replace(path, aside)

    def _power_cut(self) -> str:
        """Say whether a process wrote lines and the machine then went down before they synced."""
        folder = self.folder / "dirty"
        this_boot = boot_id()
        try:
            markers = [p.name for p in folder.iterdir()]
        except FileNotFoundError:
            return ""
        for name in markers:
            boot, _, pid = name.rpartition(".")
            if this_boot and boot == this_boot:
                continue  # the same boot: a killed process's lines are in the page cache
            if not this_boot and _alive(pid):
                continue
            return "may have lost lines in a power cut or crash of the machine"
        return ""

    def _clear_stale_markers(self) -> None:
        folder = self.folder / "dirty"
        try:
            names = [p.name for p in folder.iterdir()]
        except FileNotFoundError:
            return
        for name in names:
            _, _, pid = name.rpartition(".")
            mine = self._marker is not None and self._marker.name == name
            if not mine and (not _alive(pid) or pid == str(os.getpid())):
                (folder / name).unlink(missing_ok=True)


def _line(raw: bytes) -> tuple[str, Entry] | None:
    try:
        parsed = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("u"), str):
        return None
    when, channel = parsed.get("t"), parsed.get("c", "")
    if not (when is None or isinstance(when, int | float)) or not isinstance(channel, str):
        return None
    return parsed["u"], (when, channel)


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
