"""Shared by the benchmarks: the real Application over an offline Bot API, floors and stats.

Every figure a benchmark reports is a ratio to a floor measured in the same
run on the same machine:
- `echo_floor`: PTB's echo bot (one MessageHandler that sends the text back)
  through `Application.process_update`, over the same offline Bot API;
- `write_floor`: one atomic small write (temp file, fsync, rename, fsync the folder);
- `search_dates_floor`: dateparser's `search_dates` on a note.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The offline Bot API and Update builders live with the tests.
for extra in (ROOT / "tests", ROOT / "tests" / "channels" / "telegram"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from offline_bot_api import OfflineBotAPI, ok  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402
from telegram_fakes import BOT, DATE  # noqa: E402

from bot.channels.telegram import build_application  # noqa: E402
from bot.channels.telegram.context import CoachApplication  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.clock import ManualClock  # noqa: E402
from bot.storage.atomic_json import AtomicJSONStorage  # noqa: E402

TOKEN = "123456:BENCH-token-abcdefghijklmnopqrst"
NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


class CountingAPI(OfflineBotAPI):
    """Answers every call like Telegram; keeps only what benchmarks need."""

    def __init__(self) -> None:
        self.sent = 0
        self.markups: list[dict[str, Any]] = []  # keyboards of the last messages sent
        self.texts: list[str] = []
        self._ids = itertools.count(1000)

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        if endpoint == "getMe":
            return ok(BOT)
        if endpoint == "sendMessage":
            self.sent += 1
            self.markups.append(params.get("reply_markup") or {})
            self.texts.append(str(params["text"]))
            if len(self.texts) > 50:
                del self.texts[:25], self.markups[:25]
            chat = {"id": int(params["chat_id"]), "type": "private"}
            return ok({"message_id": next(self._ids), "date": DATE, "chat": chat, "text": "x"})
        return ok(True)


class Driver:
    """Feeds Update JSON to one Application and times it."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], api: CountingAPI) -> None:
        self.app = app
        self.api = api
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def text_update(self, user_id: int, text: str) -> Update:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": DATE,
            "chat": {"id": user_id, "type": "private", "first_name": "U"},
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return Update.de_json(
            {"update_id": next(self._update_ids), "message": message}, self.app.bot
        )

    def press_update(self, user_id: int, data: str) -> Update:
        query = {
            "id": f"cq{next(self._update_ids)}",
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 1,
                "date": DATE,
                "chat": {"id": user_id, "type": "private"},
                "from": BOT,
                "text": "…",
            },
        }
        return Update.de_json(
            {"update_id": next(self._update_ids), "callback_query": query}, self.app.bot
        )

    async def timed(self, update: Update) -> float:
        start = time.perf_counter()
        await self.app.process_update(update)
        return time.perf_counter() - start

    def button(self, label: str) -> str:
        """callback_data of the newest button whose label contains `label`."""
        for markup in reversed(self.api.markups):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if label.lower() in button["text"].lower() and "callback_data" in button:
                        return str(button["callback_data"])
        raise LookupError(label)


def coach_app(data: Path, clock: ManualClock | None = None) -> tuple[CoachApplication, CountingAPI]:
    api = CountingAPI()
    builder = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api)
    app = build_application(builder, Settings(data_dir=data), clock=clock or ManualClock(NOW))
    # AIORateLimiter paces to 30 msg/s by design; measure the coach, not the pacing.
    app.bot._rate_limiter = None
    return app, api


def start_up(app: CoachApplication) -> None:
    """What `run`'s post_init does besides the network and delivery: warm up, then gc.freeze()."""
    assert app.bot_data.coach is not None
    app.bot_data.coach.warm_up()
    gc.collect()
    gc.freeze()


def echo_app() -> tuple[Application[Any, Any, Any, Any, Any, Any], CountingAPI]:
    api = CountingAPI()
    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await context.bot.send_message(update.message.chat_id, update.message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app, api


async def echo_floor(runs: int) -> list[float]:
    app, api = echo_app()
    async with app:
        driver = Driver(app, api)
        for _ in range(20):
            await driver.timed(driver.text_update(1, "warm"))
        return [await driver.timed(driver.text_update(1, f"hello {n}")) for n in range(runs)]


def write_floor(runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        storage = AtomicJSONStorage(Path(tmp) / "small.json")
        samples = []
        for n in range(runs):
            start = time.perf_counter()
            storage.write_text(f'{{"n": {n}}}')
            samples.append(time.perf_counter() - start)
        return samples


def search_dates_floor(note: str, runs: int) -> list[float]:
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": NOW.replace(tzinfo=None)}
    search_dates(note, languages=["en"], settings=settings)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        search_dates(note, languages=["en"], settings=settings)
        samples.append(time.perf_counter() - start)
    return samples


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f}"


def run(coro: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coro())  # type: ignore[arg-type]
