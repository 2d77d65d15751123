"""Kill trials for delivery: SIGKILL delivering processes at random moments, then count.

Every reminder carries a token in its text. The "Telegram side" of each
child appends the tokens of every message it accepts to a log, fsynced, so
afterwards we can count what was lost, what arrived twice, and whether each
repeat said it might be one ("In case this already reached you…").

Transports:
- "file": the message counts as delivered the moment it is logged;
- "telegram30": the real TelegramSender and PTB Bot over an offline Bot API
  that accepts (logs) the message, then takes 30 ms to answer, as the network
  return path does: a kill in those 30 ms is the classic lost answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from offline_bot_api import OfflineBotAPI, ok
from telegram import Bot
from telegram.request import RequestData
from zygote import Zygote

from bot.channels.telegram.delivery import TelegramSender
from bot.domain.clock import SystemClock
from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Delivered, Outcome, Send
from bot.scheduling.service import ReminderService
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

TOKEN = re.compile(r"tok-[0-9a-f]+")
FLAG = "In case this already reached you"
BOT = {"id": 1, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
# Compiled once in the zygote; every forked child starts with a warm template cache.
TEMPLATES = TemplateLibrary()
TEMPLATES.env.get_template("replies/reminders/ping.html.j2")
TEMPLATES.env.get_template("replies/delivery/resent.html.j2")


def _log_tokens(fd: int, user_id: str, text: str) -> None:
    flagged = int(FLAG in text)
    line = "".join(f"{user_id} {token} {flagged}\n" for token in TOKEN.findall(text))
    os.write(fd, line.encode())
    os.fsync(fd)


class FileTransport:
    """Logs the tokens of each message, durably, then reports it delivered."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    async def __call__(self, user_id: str, reply: Reply) -> Outcome:
        _log_tokens(self.fd, user_id, reply.text)
        return Delivered(1)


class SlowTelegram(OfflineBotAPI):
    """Accepts each message (logging its tokens), then answers `delay` seconds later."""

    def __init__(self, path: Path, delay: float) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.delay = delay
        self.sent = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if endpoint != "sendMessage":
            return ok(BOT if endpoint == "getMe" else True)
        _log_tokens(self.fd, str(params["chat_id"]), str(params["text"]))
        await asyncio.sleep(self.delay)  # accepted; the answer is still on its way
        self.sent += 1
        chat = {"id": int(params["chat_id"]), "type": "private"}
        return ok({"message_id": self.sent, "date": 1, "chat": chat, "text": params["text"]})


async def _deliver(data: Path, log: Path, transport: str, channel: str, user: str) -> None:
    coach = Coach(repository=TinyRepository(data), templates=TEMPLATES, clock=SystemClock())
    send: Send
    if transport == "telegram30":
        api = SlowTelegram(log, delay=0.03)
        bot = Bot("1:kill-test-token", request=api, get_updates_request=api)
        await bot.initialize()
        send = TelegramSender(bot)
    else:
        send = FileTransport(log)
    service = ReminderService(
        coach=coach,
        send=send,
        max_per_second=None,
        poll_seconds=0.05,  # a second deliverer waiting for the first to end looks often
        channel=channel,
        only_user=None if user == "-" else user,
    )
    await service.start()
    # Until this process has delivered everything (a standby one first waits for its turn).
    while service.deliverer is None or service.waiting_users or service.busy:
        await asyncio.sleep(0.005)
    await service.stop()
    coach.repository.close()


def deliver_job(data: str, log: str, transport: str, channel: str, user: str) -> None:
    # A 50 ms poll sometimes overlaps the last one; APScheduler says so on stderr each time.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    asyncio.run(_deliver(Path(data), Path(log), transport, channel, user))


JOBS = {"deliver": deliver_job}


# -- the parent side -------------------------------------------------------------
@dataclass
class KillReport:
    trials: int
    kills: int
    reminders: int
    sent_before_final_run: int
    lost: int
    duplicates: int
    unflagged_duplicates: int
    seconds: float


def seed(
    data: Path, users: int, per_user: int, *, terminal_user: str | None = None, tag: int = 0
) -> set[str]:
    """Create users with reminders already due; return every reminder's token."""
    due = datetime.now(UTC) - timedelta(hours=1)
    off = datetime.min.time()  # no quiet hours: deliver whatever the wall clock says
    repo = TinyRepository(data)
    tokens = set()
    ids = [(str(500_000 + n), "telegram") for n in range(users)]
    if terminal_user:
        ids.append((terminal_user, "terminal"))
    for n, (user_id, channel) in enumerate(ids):
        reminders = [
            Reminder(
                id=f"r-{n}-{k}",
                kind=ReminderKind.CUSTOM,
                due_at=due - timedelta(minutes=k),
                contact_id="c-1",
                text=f"tok-{tag:02x}{n:06x}{k:02x}",
            )
            for k in range(per_user)
        ]
        with repo.session(user_id, channel=channel, sync=False) as store:
            store.save_profile(UserProfile(user_id, quiet_start=off, quiet_end=off))
            store.save_contact(Contact(id="c-1", name=f"Person {n}"))
            store.save_reminders(reminders)
        tokens |= {r.text for r in reminders}
    repo.close()  # syncs what was written
    return tokens


def count(log: Path, tokens: set[str]) -> tuple[int, int, int]:
    """Return (lost, duplicates, duplicates not flagged as possible repeats)."""
    seen: Counter[str] = Counter()
    unflagged = 0
    if log.exists():
        for line in log.read_text().splitlines():
            _, token, flagged = line.split()
            if seen[token] and flagged != "1":
                unflagged += 1
            seen[token] += 1
    return len(tokens - set(seen)), sum(c - 1 for c in seen.values()), unflagged


def run_trials(
    data: Path,
    trials: int = 50,
    users: int = 400,
    per_user: int = 2,
    max_delay: float = 0.06,
    transport: str = "file",
    seed_value: int = 4,
) -> KillReport:
    """Kill `trials` delivery processes at random moments, then finish; count the damage."""
    started = time.perf_counter()
    tokens = seed(data, users, per_user)
    log = data / "delivered.log"
    zygote = Zygote("scheduling.kill_worker")
    kills = before_final = 0
    rng = random.Random(seed_value)
    job = ("deliver", data, log, transport, "telegram", "-")
    try:
        for _ in range(trials):
            size = log.stat().st_size if log.exists() else 0
            kills += zygote.run_and_kill(
                *job,
                ready=lambda size=size: (log.stat().st_size if log.exists() else 0) > size,
                delay=rng.uniform(0, max_delay),
            )
        before_final = len(log.read_text().splitlines()) if log.exists() else 0
        zygote.start(*job)
        code = zygote.wait()
        assert code == 0, f"the final run failed with {code}"
    finally:
        zygote.close()
    lost, duplicates, unflagged = count(log, tokens)
    return KillReport(
        trials=trials,
        kills=kills,
        reminders=len(tokens),
        sent_before_final_run=before_final,
        lost=lost,
        duplicates=duplicates,
        unflagged_duplicates=unflagged,
        seconds=time.perf_counter() - started,
    )


def run_overlapping(data: Path, rounds: int = 3, users: int = 200, per_user: int = 2) -> KillReport:
    """Two bots and two terminal chats for `me` on one folder, all at once, `rounds` times."""
    started = time.perf_counter()
    log = data / "delivered.log"
    tokens: set[str] = set()
    zygotes = [Zygote("scheduling.kill_worker") for _ in range(4)]
    jobs = [("telegram", "-"), ("telegram", "-"), ("terminal", "me"), ("terminal", "me")]
    try:
        for n in range(rounds):
            tokens |= seed(data / f"round{n}", users, per_user, terminal_user="me", tag=n)
            for zygote, (channel, user) in zip(zygotes, jobs, strict=True):
                zygote.start("deliver", data / f"round{n}", log, "file", channel, user)
            codes = [z.wait() for z in zygotes]
            assert codes == [0, 0, 0, 0], codes
    finally:
        for zygote in zygotes:
            zygote.close()
    lost, duplicates, unflagged = count(log, tokens)
    return KillReport(
        rounds, 0, len(tokens), 0, lost, duplicates, unflagged, time.perf_counter() - started
    )


def open_statuses(data: Path) -> Counter[str]:
    """Count the statuses of every reminder still open in the stores."""
    repository = TinyRepository(data)
    counts: Counter[str] = Counter()
    for user_id in repository.user_ids():
        with repository.session(user_id) as store:
            counts.update(r.status.value for r in store.reminders())
    return counts


def report_json(report: KillReport) -> str:
    return json.dumps(report.__dict__)
