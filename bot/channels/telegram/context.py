"""The typed context every Telegram handler receives."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.engine.coach import Coach
from bot.scheduling.service import ReminderService
from bot.templates import TemplateLibrary

T = TypeVar("T")
# Engine turns run here, off the event loop, so PTB keeps answering while a turn works.
# Two threads: a slow turn never holds everyone (another runs beside it), while more
# threads only fight over the GIL (50 users at once: 1 thread 176 updates/s, 2 157,
# 4 109, 8 82 on a loaded 2-core machine; bench/latency.py --throughput-only).
ENGINE_THREADS = 2


class BotData:
    """What the whole application shares: the settings and the one engine."""

    def __init__(self) -> None:
        # PTB creates this before the engine exists; build_application fills it in.
        self.settings: Settings | None = None
        self.coach: Coach | None = None
        # Started by post_init, stopped by post_shutdown.
        self.reminders: ReminderService | None = None
        self.workers = ThreadPoolExecutor(ENGINE_THREADS, thread_name_prefix="engine")


class CoachContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed access to the engine."""

    @property
    def coach(self) -> Coach:
        """The conversation engine."""
        coach = self.bot_data.coach
        if coach is None:
            raise RuntimeError("the application was not built by build_application")
        return coach

    async def in_worker(self, call: Callable[..., T], *args: Any) -> T:
        """Run a blocking engine call on the engine's threads, not on the event loop.

        The call sees this task's context variables, as with asyncio.to_thread (the
        PostgreSQL store joins a webhook update's transaction through one).
        """
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        return await loop.run_in_executor(self.bot_data.workers, partial(context.run, call, *args))

    @property
    def templates(self) -> TemplateLibrary:
        """The engine's templates, for the few replies only the channel makes."""
        return self.coach.templates


CONTEXT_TYPES = ContextTypes(context=CoachContext, bot_data=BotData)

CoachApplication = Application[
    ExtBot[Any], CoachContext, dict[Any, Any], dict[Any, Any], BotData, Any
]
