"""What Telegram shows about the bot: the command menu, its description and short description.

Set at every start. Each part is optional: the bot works without them, so a
refusal is logged and start-up goes on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable

from telegram import BotCommand
from telegram.error import TelegramError

from bot.channels.telegram.context import CoachApplication

log = logging.getLogger(__name__)

# Telegram's rule for command names in the menu, and its length limits.
_MENU_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120


async def publish_profile(application: CoachApplication) -> None:
    """Set the menu (most used first), the description and the short description."""
    coach = application.bot_data.coach
    assert coach is not None
    bot = application.bot
    commands = [
        BotCommand(name, summary[:256] or name)
        for name, summary in coach.menu()
        if _MENU_NAME.fullmatch(name)
    ]
    description = coach.templates.render("telegram/description.txt.j2")
    short = coach.templates.render("telegram/short_description.txt.j2")
    await _tolerant("command menu", bot.set_my_commands(commands))
    await _tolerant("description", bot.set_my_description(description[:MAX_DESCRIPTION]))
    await _tolerant(
        "short description", bot.set_my_short_description(short[:MAX_SHORT_DESCRIPTION])
    )


async def _tolerant(what: str, call: Awaitable[bool]) -> None:
    try:
        await call
    except TelegramError as exc:
        # The bot works without it; don't refuse to start over it.
        log.warning("could not set the %s: %s", what, exc)
