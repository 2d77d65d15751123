"""Multi-worker update trials: simulated users POST updates to `rapport-coach serve --workers N`.

Each simulated user logs notes one after another (the next once the last was
answered, as Telegram delivers a chat's updates); some updates are delivered
twice at once to different workers, and some are delivered again later, after
the user's newer updates (a retry that overtook nothing but arrived late).
Afterwards the database must hold each user's notes exactly once, in order,
and every reply to a user must name only that user's own people.

Shared by the suite (short, marked slow) and bench/scale_webhook.py.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from bot_api_server import BotAPIServer
from process_cpu import tree_cpu

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token-never-logged-abcdefghijk"
SECRET = "trial-webhook-secret"
TABLES = (
    "users, contacts, interactions, interaction_contacts, reminders, due_users, "
    "conversation_state, buttons, processed_updates, send_journal"
)
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo"]
NAME = re.compile(r"Anna ([A-Z][a-z]+)")
FIRST_CHAT = 7_000_000


def surname(user: int) -> str:
    """A surname of the user's own: replies naming another one read someone else's data."""
    return "".join(SYLLABLES[(user >> (3 * k)) & 7] for k in range(4)).capitalize()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class WebhookReport:
    workers: int
    users: int
    updates: int
    posts: int
    duplicates_sent: int
    retried_posts: int
    applied_in_order: int
    lost: int
    applied_twice: int
    out_of_order: int
    cross_user_replies: int
    seconds: float
    problems: list[str] = field(default_factory=list)
    serve_cpu: float = 0.0  # CPU seconds of every worker process while the updates ran
    driver_cpu: float = 0.0  # of this process: the simulated users and the Bot API stand-in

    @property
    def per_second(self) -> float:
        return self.updates / max(self.seconds, 1e-9)

    def cpu_per_update(self) -> tuple[float, float]:
        """(workers', driver's) CPU seconds per update."""
        return self.serve_cpu / max(self.updates, 1), self.driver_cpu / max(self.updates, 1)

    def line(self) -> str:
        return (
            f"{self.workers} workers, {self.users} users x {self.updates // max(self.users, 1)} "
            f"updates ({self.duplicates_sent} duplicate deliveries): lost {self.lost}, applied "
            f"twice {self.applied_twice}, out of order {self.out_of_order}, cross-user replies "
            f"{self.cross_user_replies}; {self.per_second:.1f} updates/s"
        )


def _body(update_id: int, chat: int, text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Anna"},
            "from": {"id": chat, "is_bot": False, "first_name": "Anna"},
            **content,
        },
    }


class Server:
    """`rapport-coach serve` as a subprocess, on a free port."""

    def __init__(self, url: str, bot_api: str, workers: int) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "RAPPORT_DATABASE_URL": url,
            "RAPPORT_WEBHOOK_SECRET": SECRET,
            "RAPPORT_BOT_API_URL": bot_api,
        }
        command = [sys.executable, "-m", "bot", "serve", "--workers", str(workers)]
        command += ["--port", str(self.port), "--no-deliver", "--log-level", "WARNING"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, workers: int, timeout: float = 90.0) -> None:
        """Wait until the port answers, then a little more for every worker's start-up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("serve did not become ready")
        # Each worker answers /healthz only once its lifespan is done; ask a few times.
        seen = 0
        while seen < workers * 3 and time.monotonic() < deadline:
            try:
                seen += httpx.get(f"{self.base}/healthz", timeout=2).text == "ok"
            except httpx.HTTPError:
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def _drive(
    base: str, users: int, updates: int, rng: random.Random, race: float, late: float
) -> tuple[int, int, int]:
    """POST every user's updates; return (posts, duplicate deliveries, retried posts)."""
    ids = itertools.count(1_000)
    posts = duplicates = retried = 0
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def post(body: dict[str, Any]) -> None:
            nonlocal posts, retried
            for attempt in range(8):
                posts += 1
                try:
                    response = await client.post("/telegram", json=body, headers=headers)
                    if response.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                retried += 1  # as Telegram does: deliver again until answered 200
                await asyncio.sleep(0.1 * (attempt + 1))
            raise RuntimeError(f"update {body['update_id']} never accepted")

        async def user(n: int) -> None:
            nonlocal duplicates
            chat = FIRST_CHAT + n
            later: list[dict[str, Any]] = []
            for k in range(1, updates + 1):
                if k % 5 == 0:
                    text = "/people"
                else:
                    text = f"/log Coffee with Anna {surname(n)}. Ref u{n}n{k}."
                body = _body(next(ids), chat, text)
                if rng.random() < race:
                    duplicates += 1
                    await asyncio.gather(post(body), post(body))
                else:
                    await post(body)
                if rng.random() < late:
                    later.append(body)
                if later and rng.random() < 0.5:
                    duplicates += 1
                    await post(later.pop(rng.randrange(len(later))))
            for body in later:
                duplicates += 1
                await post(body)

        await asyncio.gather(*(user(n) for n in range(users)))
    return posts, duplicates, retried


def run_webhook_trial(
    url: str,
    *,
    workers: int = 3,
    users: int = 200,
    updates: int = 20,
    race: float = 0.15,
    late: float = 0.2,
    seed: int = 1,
) -> WebhookReport:
    """Run the trial against a fresh `serve`; see the module docstring."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {TABLES}")
    bot_api = BotAPIServer()
    server = Server(url, bot_api.url, workers)
    try:
        server.wait_ready(workers)
        serve_cpu, driver_cpu = tree_cpu(server.process.pid), time.process_time()
        started = time.monotonic()
        posts, duplicates, retried = asyncio.run(
            _drive(server.base, users, updates, random.Random(seed), race, late)
        )
        seconds = time.monotonic() - started
        serve_cpu = tree_cpu(server.process.pid) - serve_cpu
        driver_cpu = time.process_time() - driver_cpu
    finally:
        server.stop()
        bot_api.close()
    report = WebhookReport(
        workers=workers,
        users=users,
        updates=users * updates,
        posts=posts,
        duplicates_sent=duplicates,
        retried_posts=retried,
        applied_in_order=0,
        lost=0,
        applied_twice=0,
        out_of_order=0,
        cross_user_replies=0,
        seconds=seconds,
        serve_cpu=serve_cpu,
        driver_cpu=driver_cpu,
    )
    _check(url, bot_api, report, users, updates)
    return report


def _check(
    url: str, bot_api: BotAPIServer, report: WebhookReport, users: int, updates: int
) -> None:
    expected_logs = [k for k in range(1, updates + 1) if k % 5 != 0]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT user_id, record->>'note' FROM interactions ORDER BY user_id, seq"
        ).fetchall()
        applied_updates = conn.execute("SELECT count(*) FROM processed_updates").fetchone()
    notes: dict[int, list[int]] = {}
    for user_id, note in rows:
        match = re.search(r"Ref u(\d+)n(\d+)", note or "")
        if match is None or int(match[1]) != int(user_id) - FIRST_CHAT:
            report.problems.append(f"user {user_id} holds a note that is not theirs: {note!r}")
            continue
        notes.setdefault(int(match[1]), []).append(int(match[2]))
    for n in range(users):
        got = notes.get(n, [])
        report.lost += len(set(expected_logs) - set(got))
        report.applied_twice += len(got) - len(set(got))
        if got == expected_logs:
            report.applied_in_order += 1
        elif sorted(set(got)) == expected_logs and len(got) == len(expected_logs):
            report.out_of_order += 1
        people = bot_api.sent_to(FIRST_CHAT + n)
        report.cross_user_replies += sum(
            1 for text in people for name in NAME.findall(text) if name != surname(n)
        )
        logged = sum("Logged coffee with" in text for text in people)
        if logged != len(expected_logs):
            report.problems.append(f"user {n} got {logged} 'Logged' replies")
    if applied_updates is None or applied_updates[0] != users * updates:
        report.problems.append(f"{applied_updates} update ids recorded, not {users * updates}")
