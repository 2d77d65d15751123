"""Fork-per-trial processes for kill tests: import the bot once, fork a child per job.

The zygote reads one job a line ("name arg arg ..."), forks, and answers
"pid N"; when the child ends it answers "exit CODE". Each child is a real
process, killed with SIGKILL exactly like a crashed bot; forking from a warm
zygote makes hundreds of trials fit in seconds.

    python tests/zygote.py module:function   # serve jobs from that module's JOBS
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

Job = Callable[..., None]


def serve(jobs: dict[str, Job]) -> None:
    """The zygote's loop (runs in the zygote process)."""
    for line in sys.stdin:
        name, *args = line.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                jobs[name](*args)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


class Zygote:
    """The parent's handle on a zygote serving the JOBS of `module` (a path under tests/)."""

    def __init__(self, module: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
        self.process = subprocess.Popen(
            [sys.executable, __file__, module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def start(self, *job: object) -> int:
        """Start one job; return its pid."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(" ".join(map(str, job)) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline().split()[1])

    def wait(self) -> int:
        """Wait for the running job; return its exit code (-9 when killed)."""
        assert self.process.stdout is not None
        return int(self.process.stdout.readline().split()[1])

    def run_and_kill(self, *job: object, ready: Callable[[], bool], delay: float) -> bool:
        """Start a job, wait until `ready()`, SIGKILL it `delay` s later; True if it died so."""
        pid = self.start(*job)
        deadline = time.monotonic() + 20
        while not ready() and time.monotonic() < deadline and _alive(pid):
            time.sleep(0.001)
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
            killed = True
        except ProcessLookupError:
            killed = False  # it had already finished everything
        return self.wait() == -signal.SIGKILL and killed

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=20)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    module_name, _, attribute = sys.argv[1].partition(":")
    serve(getattr(importlib.import_module(module_name), attribute or "JOBS"))
