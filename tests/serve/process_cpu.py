"""CPU seconds a process tree has used (Linux /proc), for the scale benches' cost figures."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _times(pid: int) -> tuple[float, list[int]]:
    """(CPU of `pid` and of its reaped children, its live children's pids)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0, []
    fields = stat.rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
    cpu = sum(int(f) for f in fields[11:15]) / TICK
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children += [int(c) for c in task.read_text().split()]
    return cpu, children


def tree_cpu(pid: int) -> float:
    """CPU seconds of `pid` and every descendant, live or already reaped."""
    total, queue = 0.0, [pid]
    while queue:
        cpu, children = _times(queue.pop())
        total += cpu
        queue += children
    return total


def _cpu_of(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:13]) / TICK


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


# The server's own processes whose work a burst causes: WAL written and flushed, pages out.
_SERVER_HELPERS = ("walwriter", "checkpointer", "background writer")


class ServerCpu:
    """CPU seconds PostgreSQL spends for one database: its backends and the WAL writer.

    A backend's CPU is readable only while it lives, so a thread samples every
    `every` seconds and keeps each one's last figure (what a backend spends in
    its last interval before it exits is missed). The WAL writer, checkpointer
    and background writer serve every database on the server: counted whole.
    """

    def __init__(self, dbname: str, every: float = 0.1) -> None:
        self.dbname = f" {dbname} "
        self.every = every
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._others: set[int] = set()  # no PostgreSQL process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ServerCpu:
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(self._last[p] - self._first.get(p, 0.0) for p in self._last)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self, *, first: bool = False) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            if pid in self._others:
                continue
            if pid not in self._last:
                if _comm(pid) != "postgres":
                    self._others.add(pid)
                    continue
                # A backend just forked shows the postmaster's command line for a moment.
                line = _cmdline(pid)
                ours = self.dbname in line
                if not ours and not any(h in line for h in _SERVER_HELPERS):
                    continue
            cpu = _cpu_of(pid)
            if cpu is None:
                continue
            if first:
                self._first[pid] = cpu
            self._last[pid] = cpu
