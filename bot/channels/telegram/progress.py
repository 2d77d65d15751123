"""Long engine work in Telegram: run off the event loop, with one progress message."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from functools import partial

from telegram import Message
from telegram.error import BadRequest, TelegramError

from bot.channels.telegram.context import CoachContext
from bot.engine import progress
from bot.engine.replies import Reply

log = logging.getLogger(__name__)

# Below this many records the work is done before a progress message would help.
PROGRESS_FROM = 500
# Telegram allows about one edit a second per chat.
EDIT_EVERY = 1.5


class ProgressMessage:
    """Reports (done, total) from a worker thread as one message, edited in place."""

    def __init__(self, context: CoachContext, chat_id: int, verb: str) -> None:
        self.context = context
        self.chat_id = chat_id
        self.verb = verb
        self.loop = asyncio.get_running_loop()
        self._message: Message | None = None
        self._lock = asyncio.Lock()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Called from the worker thread; schedules an edit at most every EDIT_EVERY seconds."""
        now = time.monotonic()
        if total < PROGRESS_FROM or (done != total and now - self._last < EDIT_EVERY):
            return
        self._last = now
        asyncio.run_coroutine_threadsafe(self._show(done, total), self.loop)

    async def _show(self, done: int, total: int) -> None:
        text = self.context.templates.render(
            "replies/telegram/progress.html.j2", verb=self.verb, done=done, total=total
        )
        async with self._lock:
            try:
                if self._message is None:
                    self._message = await self.context.bot.send_message(self.chat_id, text)
                else:
                    await self._message.edit_text(text)
            except BadRequest as exc:  # "message is not modified" and the like: harmless
                log.debug("progress not shown: %s", exc)
            except TelegramError as exc:
                log.warning("progress not shown: %s", exc)


async def run_with_progress(
    context: CoachContext, chat_id: int, verb: str, work: partial[list[Reply]]
) -> list[Reply]:
    """Run an engine call in a worker thread, showing its progress in the chat."""
    with progress.reporting(ProgressMessage(context, chat_id, verb)):
        # The engine's pool does not carry context variables over: run in a copy that has it.
        carried = contextvars.copy_context()
    return await context.in_worker(carried.run, work)
