"""Kill trials: deliver reminders in a child process, SIGKILL it at random moments, restart.

A "zygote" process imports the bot once and forks a fresh delivery process
for every trial, so fifty trials fit in seconds; each child is a separate
process killed with SIGKILL exactly like a crashed bot. The transport appends
each delivered reminder's token to a file and fsyncs it, so losses and
duplicates can be counted afterwards.

    python kill_worker.py           # the zygote: reads "run <data> <log>" lines on stdin
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.domain.clock import SystemClock  # noqa: E402
from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile  # noqa: E402
from bot.engine.coach import Coach  # noqa: E402
from bot.engine.replies import Reply  # noqa: E402
from bot.scheduling.due_index import DueIndex  # noqa: E402
from bot.scheduling.indexed_repository import open_repository  # noqa: E402
from bot.scheduling.outcomes import Delivered, Outcome  # noqa: E402
from bot.scheduling.service import ReminderService  # noqa: E402
from bot.storage.atomic_json import AtomicJSONStorage  # noqa: E402
from bot.storage.records import to_record  # noqa: E402
from bot.storage.tinydb_repository import user_folder  # noqa: E402
from bot.templates import TemplateLibrary  # noqa: E402

TOKEN = re.compile(r"tok-[0-9a-f]+")
# Compiled once in the zygote; every forked child starts with a warm template cache.
TEMPLATES = TemplateLibrary()
TEMPLATES.env.get_template("replies/reminders/ping.html.j2")


class FileTransport:
    """Appends the tokens of each delivered message to a file, durably, before answering."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    async def __call__(self, user_id: str, reply: Reply) -> Outcome:
        line = "".join(f"{user_id} {token}\n" for token in TOKEN.findall(reply.text))
        os.write(self.fd, line.encode())
        os.fsync(self.fd)
        return Delivered()


async def deliver_all(data: Path, log: Path) -> None:
    """The child: start the service and run until nothing is waiting."""
    coach = Coach(repository=open_repository(data), templates=TEMPLATES, clock=SystemClock())
    service = ReminderService(coach=coach, send=FileTransport(log), max_per_second=None)
    await service.start()
    while service.waiting_users or service.busy:
        await asyncio.sleep(0.005)
    await service.stop()


def zygote() -> None:
    """Fork one delivery child per "run" line; answer "pid N" then "exit CODE"."""
    for line in sys.stdin:
        _, data, log = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                asyncio.run(deliver_all(Path(data), Path(log)))
            finally:
                os._exit(0)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


# -- the parent side -------------------------------------------------------------


@dataclass
class KillReport:
    trials: int
    kills: int
    reminders: int
    sent_before_final_run: int
    lost: int
    duplicates: int
    seconds: float


def seed(data: Path, users: int, per_user: int) -> set[str]:
    """Create `users` users with reminders already due; return every reminder's token.

    Stores are written as whole files (one fsync each) to keep set-up quick;
    the due index gets the same entries the store API would have written.
    """
    due = datetime.now(UTC) - timedelta(hours=1)
    tokens = set()
    entries = {}
    for n in range(users):
        user_id = str(500_000 + n)
        off = datetime.min.time()  # no quiet hours: deliver whatever the wall clock says
        reminders = [
            Reminder(
                id=f"r-{n}-{k}",
                kind=ReminderKind.CUSTOM,
                due_at=due - timedelta(minutes=k),
                contact_id="c-1",
                text=f"tok-{n:06x}{k:02x}",
            )
            for k in range(per_user)
        ]
        tables = {
            "profile": {"1": to_record(UserProfile(user_id, quiet_start=off, quiet_end=off))},
            "contacts": {"1": to_record(Contact(id="c-1", name=f"Person {n}"))},
            "reminders": {str(i + 1): to_record(r) for i, r in enumerate(reminders)},
        }
        AtomicJSONStorage(user_folder(data, user_id) / "coach.json").write(tables)
        tokens |= {r.text for r in reminders}
        entries[user_id] = min(r.due_at for r in reminders)
    DueIndex(data / "schedule").merge_rebuilt(entries)
    return tokens


def run_trials(
    data: Path, trials: int = 50, users: int = 400, per_user: int = 2, max_delay: float = 0.06
) -> KillReport:
    """Kill `trials` delivery processes at random moments, then finish; count the damage."""
    started = time.perf_counter()
    tokens = seed(data, users, per_user)
    log = data / "delivered.log"
    zyg = subprocess.Popen(
        [sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert zyg.stdin is not None
    assert zyg.stdout is not None
    kills = before_final = 0
    rng = random.Random(4)
    try:
        for trial in range(trials + 1):
            if trial == trials:
                before_final = len(log.read_text().splitlines()) if log.exists() else 0
            zyg.stdin.write(f"run {data} {log}\n")
            zyg.stdin.flush()
            pid = int(zyg.stdout.readline().split()[1])
            if trial < trials:
                # Kill at a random moment once this child is delivering, not while it starts.
                _wait_for_growth(log, pid)
                time.sleep(rng.uniform(0, max_delay))
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass  # it had already finished everything
            code = int(zyg.stdout.readline().split()[1])
            if trial == trials:
                assert code == 0, f"the final run failed with {code}"
    finally:
        zyg.stdin.close()
        zyg.wait(timeout=10)
    seen = Counter(line.split()[1] for line in log.read_text().splitlines())
    return KillReport(
        trials=trials,
        kills=kills,
        reminders=len(tokens),
        sent_before_final_run=before_final,
        lost=len(tokens - set(seen)),
        duplicates=sum(count - 1 for count in seen.values()),
        seconds=time.perf_counter() - started,
    )


def _wait_for_growth(log: Path, pid: int, timeout: float = 10.0) -> None:
    size = log.stat().st_size if log.exists() else 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (log.stat().st_size if log.exists() else 0) > size:
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return  # finished (or nothing left to send)
        time.sleep(0.001)


def open_statuses(data: Path) -> Counter[str]:
    """Count the statuses of every reminder still open in the stores."""
    repository = open_repository(data)
    counts: Counter[str] = Counter()
    for user_id in repository.user_ids():
        with repository.session(user_id) as store:
            counts.update(r.status.value for r in store.reminders())
    return counts


if __name__ == "__main__":
    zygote()
