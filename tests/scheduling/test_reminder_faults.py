"""Telegram answering 429, 500, a timeout and 403 in turns: nothing lost, the blocker paused."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from offline_bot_api import OfflineBotAPI, answer_json, ok
from reminder_harness import indexed_coach, log_note
from telegram import Bot
from telegram.error import TimedOut

from bot.channels.telegram.delivery import TelegramSender
from bot.domain.clock import ManualClock
from bot.domain.model import ReminderStatus
from bot.scheduling.service import ReminderService
from bot.templates import TemplateLibrary

# PTB's own RetryAfter constructor warns about a future type change; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456:TEST-token-for-reminder-faults"
BOT = {"id": 123456, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}


class ScriptedTelegram(OfflineBotAPI):
    """The Bot API edge: sendMessage answers from a script of failures, then succeeds."""

    def __init__(self, script: list[str]) -> None:
        self.script = script
        self.delivered: list[tuple[int, str]] = []
        self.answers: list[str] = []

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        if endpoint == "getMe":
            return ok(BOT)
        answer = self.script.pop(0) if self.script else "200"
        self.answers.append(answer)
        if answer == "timeout":
            raise TimedOut("read timed out")
        if answer == "429":
            return answer_json(
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests",
                    "parameters": {"retry_after": 30},
                },
            )
        if answer == "500":
            return answer_json(500, {"ok": False, "description": "Internal Server Error"})
        if answer == "403":
            return answer_json(
                403,
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
            )
        chat = int(params["chat_id"])
        self.delivered.append((chat, str(params["text"])))
        message = {
            "message_id": len(self.delivered),
            "date": 1_795_000_000,
            "chat": {"id": chat, "type": "private"},
            "text": params["text"],
        }
        return ok(message)


async def test_transient_errors_retry_and_a_block_pauses_until_the_user_writes(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    users = ["101", "102", "103", "104"]
    for user in users:
        coach.handle_text(user, "/settings quiet off")
        log_note(coach, user, "Coffee with Maria Lopez")
    telegram = ScriptedTelegram(["429", "500", "timeout", "200", "403"])
    bot = Bot(TOKEN, request=telegram, get_updates_request=telegram)
    await bot.initialize()
    svc = ReminderService(coach=coach, send=TelegramSender(bot), concurrency=1, max_per_second=None)
    await svc.start()
    clock.advance(timedelta(days=1))
    for _ in range(12):  # let an hour of retries pass, a minute at a time
        await svc.run_due()
        clock.advance(timedelta(minutes=5))

    assert telegram.answers[:5] == ["429", "500", "timeout", "200", "403"]
    chats = sorted(chat for chat, _ in telegram.delivered)
    assert len(chats) == 3  # every user but the one who blocked the bot, once each
    assert len(set(chats)) == 3
    (blocker,) = {int(u) for u in users} - set(chats)
    with coach.repository.session(str(blocker)) as store:
        assert store.profile().paused
        waiting = store.reminders([ReminderStatus.PENDING])
    assert any(r.kind.value == "follow-up" for r in waiting)  # kept, not dropped

    coach.handle_text(str(blocker), "/reminders")  # they unblocked and wrote again
    await asyncio.sleep(0)  # the index change reaches the service through the event loop
    await svc.run_due()
    await svc.stop()
    assert sorted(chat for chat, _ in telegram.delivered) == sorted(int(u) for u in users)
    with coach.repository.session(str(blocker)) as store:
        assert not store.profile().paused


async def test_flood_control_waits_as_long_as_telegram_asks(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    coach.handle_text("7", "/settings quiet off")
    log_note(coach, "7", "Coffee with Maria Lopez")
    telegram = ScriptedTelegram(["429"])
    bot = Bot(TOKEN, request=telegram, get_updates_request=telegram)
    await bot.initialize()
    svc = ReminderService(coach=coach, send=TelegramSender(bot), max_per_second=None)
    await svc.start()
    clock.advance(timedelta(days=1))
    await svc.run_due()
    assert svc.next_wake == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    await svc.run_due()
    assert telegram.delivered == []
    clock.advance(timedelta(seconds=1))
    await svc.run_due()
    await svc.stop()
    assert len(telegram.delivered) == 1
