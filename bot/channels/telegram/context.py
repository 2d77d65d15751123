"""The typed context every Telegram handler receives."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.engine.coach import Coach
from bot.scheduling.service import ReminderService
from bot.templates import TemplateLibrary


class BotData:
    """What the whole application shares: the settings and the one engine."""

    def __init__(self) -> None:
        # PTB creates this before the engine exists; build_application fills it in.
        self.settings: Settings | None = None
        self.coach: Coach | None = None
        # Started by post_init, stopped by post_shutdown.
        self.reminders: ReminderService | None = None


class CoachContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed access to the engine."""

    @property
    def coach(self) -> Coach:
        """The conversation engine."""
        coach = self.bot_data.coach
        if coach is None:
            raise RuntimeError("the application was not built by build_application")
        return coach

    @property
    def templates(self) -> TemplateLibrary:
        """The engine's templates, for the few replies only the channel makes."""
        return self.coach.templates


CONTEXT_TYPES = ContextTypes(context=CoachContext, bot_data=BotData)

CoachApplication = Application[
    ExtBot[Any], CoachContext, dict[Any, Any], dict[Any, Any], BotData, Any
]
