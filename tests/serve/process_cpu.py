"""CPU seconds a process tree has used (Linux /proc), for the scale benches' cost figures."""

from __future__ import annotations

import contextlib
import os
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
