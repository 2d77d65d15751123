"""Delivery worker processes over PostgreSQL, for the multi-worker kill test and the benches.

A "zygote" imports the bot once and forks one worker per "run" line, so a
killed worker is replaced in milliseconds, like a supervisor restarting a
crashed process (without paying the imports each time). Each worker runs the
real PostgresDelivery with PTB's Bot and the real TelegramSender; only the
Bot API server is stood in for, by a BaseRequest that appends every
sendMessage to an outbox file (O_APPEND: the line survives the worker's
SIGKILL), waits `answer_delay` like a network return path, then answers.

    python delivery_worker.py     # the zygote: reads "run <json options>" lines on stdin

With RAPPORT_PROFILE_DIR set, each worker runs under cProfile and leaves its
statistics there, a file named by its pid.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from offline_bot_api import OfflineBotAPI  # noqa: E402
from telegram.ext import ExtBot  # noqa: E402
from telegram.request import RequestData  # noqa: E402

from bot.channels.telegram.delivery import TelegramSender  # noqa: E402
from bot.domain.clock import SystemClock  # noqa: E402
from bot.engine.coach import Coach  # noqa: E402
from bot.serve.deliver import PostgresDelivery  # noqa: E402
from bot.serve.heap import settle_heap  # noqa: E402
from bot.serve.rate import SharedRateLimiter  # noqa: E402
from bot.storage.postgres import open_pool  # noqa: E402
from bot.storage.postgres.store import PostgresRepository  # noqa: E402
from bot.templates import TemplateLibrary  # noqa: E402

TOKEN = re.compile(r"tok-[0-9a-f]+-[0-9a-f]+")
BOT_USER = {"id": 999, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
# Compiled once in the zygote; every forked worker starts with warm templates.
TEMPLATES = TemplateLibrary()
TEMPLATES.env.get_template("replies/reminders/ping.html.j2")
# The start of the line every re-send of a possibly delivered message carries.
REPEAT_TEXT = "In case this already reached you"


class OutboxBotAPI(OfflineBotAPI):
    """Telegram's side: each sendMessage becomes a line "<time> <chat> <flag> <tokens...>"."""

    def __init__(self, outbox: Path, answer_delay: float) -> None:
        self.fd = os.open(outbox, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.answer_delay = answer_delay
        self.message_id = 0

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
        if endpoint == "getMe":
            return 200, json.dumps({"ok": True, "result": BOT_USER}).encode()
        text = str(params.get("text", ""))
        flag = "R" if REPEAT_TEXT in text else "-"
        tokens = " ".join(TOKEN.findall(text))
        os.write(self.fd, f"{time.time():.6f} {params['chat_id']} {flag} {tokens}\n".encode())
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        self.message_id += 1
        message = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "text": text,
        }
        return 200, json.dumps({"ok": True, "result": message}).encode()


async def deliver_until_done(options: dict[str, Any]) -> None:
    """The worker: deliver until no user is due or leased any more."""
    pool = open_pool(options["url"], min_size=2, max_size=6)
    repository = PostgresRepository(pool)
    coach = Coach(repository=repository, templates=TEMPLATES, clock=SystemClock())
    # The rate limiter of `serve` and `deliver`: one send rate in the database for all workers.
    limiter = SharedRateLimiter(options["url"], options["rate"]) if options["rate"] else None
    request = OutboxBotAPI(Path(options["outbox"]), options["delay"])
    bot = ExtBot("123456:TEST", request=request, rate_limiter=limiter)
    await bot.initialize()
    worker = PostgresDelivery(
        coach=coach,
        repository=repository,
        send=TelegramSender(bot),
        lease=timedelta(seconds=options["lease"]),
        batch=options.get("batch", 100),
        concurrency=options.get("concurrency", 32),
        idle_poll=0.2,
        owner=f"w{options['tag']}:{os.getpid()}",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    start = time.monotonic()
    while time.monotonic() - start < options.get("limit", 120):
        await asyncio.sleep(0.2)
        with pool.connection() as conn:
            # Not count(*): that scans the 10,000 rows of a burst, three workers five times
            # a second, on the cores the delivery itself is measured on.
            row = conn.execute("SELECT EXISTS (SELECT FROM due_users)").fetchone()
        if row is not None and not row[0]:
            break
    stop.set()
    await task
    await bot.shutdown()
    pool.close()


@contextmanager
def profiled(path: Path) -> Iterator[None]:
    """cProfile the block in this thread and in every task the delivery pool threads run.

    A profiler sees one thread only, so each pool thread gets its own; they are
    merged into one pstats file at `path` (a worker killed meanwhile leaves none).
    """
    import cProfile
    import pstats
    import threading
    from concurrent.futures import ThreadPoolExecutor

    profiles: list[cProfile.Profile] = []
    local = threading.local()
    submit = ThreadPoolExecutor.submit

    def traced(fn: Any, *args: Any, **kwargs: Any) -> Any:
        profile = getattr(local, "profile", None)
        if profile is None:
            profile = local.profile = cProfile.Profile()
            profiles.append(profile)
        profile.enable()
        try:
            return fn(*args, **kwargs)
        finally:
            profile.disable()

    def profiled_submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        return submit(self, traced, fn, *args, **kwargs)

    main = cProfile.Profile()
    profiles.append(main)
    ThreadPoolExecutor.submit = profiled_submit  # type: ignore[method-assign]
    main.enable()
    try:
        yield
    finally:
        main.disable()
        ThreadPoolExecutor.submit = submit  # type: ignore[method-assign]
        stats = pstats.Stats(profiles[0])
        for profile in profiles[1:]:
            stats.add(profile)
        stats.dump_stats(path)


def zygote() -> None:
    """Fork one worker per "run <json>" line; answer "pid N"; reap children as they exit."""
    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    for line in sys.stdin:
        options = json.loads(line.split(" ", 1)[1])
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 0
            try:
                profile_to = os.environ.get("RAPPORT_PROFILE_DIR")
                if profile_to:
                    with profiled(Path(profile_to) / str(os.getpid())):
                        asyncio.run(deliver_until_done(options))
                else:
                    asyncio.run(deliver_until_done(options))
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        print(f"pid {pid}", flush=True)


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


@dataclass
class Workers:
    """Starts, kills and restarts worker processes through one zygote."""

    options: dict[str, Any]
    zygote: subprocess.Popen[str] = field(init=False)
    pids: dict[int, int] = field(default_factory=dict)  # slot -> pid
    killed: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.zygote = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.zygote.stdout is not None
        assert self.zygote.stdout.readline().startswith("ready")

    def start(self, slot: int) -> int:
        assert self.zygote.stdin is not None
        assert self.zygote.stdout is not None
        options = {**self.options, "tag": f"{slot}.{len(self.killed)}"}
        self.zygote.stdin.write(f"run {json.dumps(options)}\n")
        self.zygote.stdin.flush()
        pid = int(self.zygote.stdout.readline().split()[1])
        self.pids[slot] = pid
        return pid

    def kill(self, slot: int) -> None:
        pid = self.pids[slot]
        try:
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)
        except ProcessLookupError:
            pass

    def alive(self) -> list[int]:
        alive = []
        for slot, pid in self.pids.items():
            try:
                os.kill(pid, 0)
                with open(f"/proc/{pid}/stat") as fh:
                    if fh.read().split()[2] != "Z":
                        alive.append(slot)
            except (ProcessLookupError, FileNotFoundError):
                pass
        return alive

    def close(self) -> None:
        for slot in self.alive():
            self.kill(slot)
        if self.zygote.stdin is not None:
            self.zygote.stdin.close()
        self.zygote.wait(10)


@dataclass
class Outbox:
    """What the stand-in Telegram received, parsed."""

    sends: dict[str, list[tuple[float, bool]]]  # token -> [(time, flagged)]

    @classmethod
    def read(cls, path: Path) -> Outbox:
        sends: dict[str, list[tuple[float, bool]]] = {}
        if path.exists():
            for line in path.read_text().splitlines():
                parts = line.split()
                if len(parts) < 4:
                    continue  # a line cut by a kill mid-write never reached "Telegram"
                for token in parts[3:]:
                    sends.setdefault(token, []).append((float(parts[0]), parts[2] == "R"))
        return cls(sends)

    def duplicates(self) -> int:
        return sum(len(s) - 1 for s in self.sends.values())

    def unflagged_repeats(self) -> int:
        """Second and later sends of a reminder that did not say they may be repeats."""
        return sum(1 for s in self.sends.values() for _, flagged in sorted(s)[1:] if not flagged)

    def first_sent(self) -> dict[str, float]:
        return {t: min(at for at, _ in s) for t, s in self.sends.items()}


if __name__ == "__main__":
    # As `serve` and `deliver` do once started; here once, so every forked worker inherits it.
    settle_heap()
    print("ready", flush=True)
    zygote()
