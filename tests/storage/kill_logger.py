"""SIGKILL a process while it logs meetings through the engine; then check every store.

A child logs notes with /log (the real engine and store) for a user and, once
each reply is back, appends the note's number to an "ack" file (fsynced):
that is a turn the user saw confirmed. The parent kills the child at a
random moment, again and again, then opens every store and counts:

- corrupt: a store that can't be opened;
- lost: an acknowledged log whose contact, meeting or reminders are missing;
- half-written: a meeting whose contact is missing, a contact without its
  meeting, or a reminder whose contact or meeting is missing.
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from zygote import Zygote

from bot.domain.clock import SystemClock
from bot.engine.coach import Coach
from bot.storage.errors import StoreError
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

FIRST = [
    *("Maria", "Tomas", "Priya", "Anika", "Jonas", "Lena", "Omar", "Sofia", "Mateo", "Hana"),
    *("Ravi", "Ines", "Felix", "Clara", "Diego", "Nora", "Kenji", "Amara", "Lukas", "Elena"),
]
LAST = [
    *("Lopez", "Baker", "Raman", "Okafor", "Berg", "Novak", "Haddad", "Rossi", "Silva", "Tanaka"),
    *("Iyer", "Costa", "Wagner", "Dubois", "Moreno", "Lund", "Sato", "Mensah", "Fischer", "Petrov"),
]
NAMES = [f"{FIRST[n % 20]} {LAST[n // 20]}" for n in range(400)]
USERS = 10

# Compiled once in the zygote: every forked child starts warm.
TEMPLATES = TemplateLibrary()


def note(n: int) -> str:
    return f"/log Coffee with {NAMES[n]}. She is training for the Berlin marathon in May."


def log_job(data: str, acks: str, user: str, start: str) -> None:
    """The child: log notes from number `start` on, acknowledging each."""
    coach = Coach(repository=TinyRepository(Path(data)), templates=TEMPLATES, clock=SystemClock())
    fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for n in range(int(start), len(NAMES)):
        replies = coach.handle_text(user, note(n))
        assert "Logged" in replies[0].text, replies[0].text
        os.write(fd, f"{user} {n}\n".encode())
        os.fsync(fd)


JOBS = {"log": log_job}


@dataclass
class LogKillReport:
    trials: int
    kills: int
    acknowledged: int
    corrupt: int
    lost: int
    half_written: int
    seconds: float


def run_log_trials(
    data: Path, trials: int, *, seed: int = 7, max_delay: float = 0.05
) -> LogKillReport:
    """Kill `trials` logging processes at random moments; count the damage."""
    started = time.perf_counter()
    acks = data.parent / "acks.log"
    rng = random.Random(seed)
    zygote = Zygote("storage.kill_logger")
    kills = 0
    try:
        for trial in range(trials):
            user = f"u{trial % USERS}"
            done = _acked(acks)
            start = len(done[user])
            if start >= len(NAMES):
                continue
            size = acks.stat().st_size if acks.exists() else 0
            kills += zygote.run_and_kill(
                "log",
                data,
                acks,
                user,
                start,
                ready=lambda size=size: (acks.stat().st_size if acks.exists() else 0) > size,
                delay=rng.uniform(0, max_delay),
            )
    finally:
        zygote.close()
    acked = _acked(acks)
    corrupt, lost, half = check_stores(data, acked)
    return LogKillReport(
        trials=trials,
        kills=kills,
        acknowledged=sum(len(v) for v in acked.values()),
        corrupt=corrupt,
        lost=lost,
        half_written=half,
        seconds=time.perf_counter() - started,
    )


def _acked(acks: Path) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    if acks.exists():
        for line in acks.read_text().splitlines():
            user, n = line.split()
            found[user].add(int(n))
    return found


def check_stores(data: Path, acked: dict[str, set[int]]) -> tuple[int, int, int]:
    """Return (corrupt stores, lost acknowledged logs, half-written records)."""
    repo = TinyRepository(data)
    corrupt = lost = half = 0
    for user in sorted(set(repo.user_ids()) | set(acked)):
        try:
            with repo.session(user) as store:
                contacts = {c.id: c for c in store.contacts()}
                interactions = list(store.interactions())
                reminders = store.reminders()
        except StoreError:
            corrupt += 1
            continue
        by_name = {c.name: c for c in contacts.values()}
        met = {cid for i in interactions for cid in i.contact_ids}
        meetings = {i.id for i in interactions}
        reminded = {r.contact_id for r in reminders}
        for n in acked.get(user, ()):
            found = by_name.get(NAMES[n])
            if found is None or found.id not in met or found.id not in reminded:
                lost += 1
        half += sum(1 for i in interactions for cid in i.contact_ids if cid not in contacts)
        half += sum(1 for cid in contacts if cid not in met)
        half += sum(
            1
            for r in reminders
            # A reminder with no contact is the user's own (a digest), not half a log.
            if (r.contact_id and r.contact_id not in contacts)
            or (r.interaction_id and r.interaction_id not in meetings)
        )
    return corrupt, lost, half
