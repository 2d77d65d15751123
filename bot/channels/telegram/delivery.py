"""Reminder pings over Telegram: the sender, and the service's start/stop hooks.

The sender maps Bot API failures to delivery outcomes: flood control (429)
and definite failures (5xx, a refused connection) are retried later; a
timeout is *uncertain* (Telegram may have accepted the message before the
answer was lost), so the re-send says it may be a repeat; a 403 (the user
blocked the bot) or a vanished chat pauses that user's reminders.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.context import CoachApplication
from bot.channels.telegram.render import MAX_MESSAGE, messages, split_html
from bot.channels.telegram.sending import send_text
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Blocked, Delivered, Outcome, RetryLater, Uncertain
from bot.scheduling.service import ReminderService
from bot.storage.due import TELEGRAM

log = logging.getLogger(__name__)


class TelegramSender:
    """Sends one message (one piece of a reminder message) to a user's private chat."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def split(self, reply: Reply, *, room: int) -> list[Reply]:
        """Cut `reply` into messages that fit, leaving `room` for a note; buttons go last."""
        pieces = split_html(reply.text, MAX_MESSAGE - room)
        return [
            Reply(text, reply.buttons if n == len(pieces) - 1 else ())
            for n, text in enumerate(pieces)
        ]

    async def __call__(self, user_id: str, reply: Reply) -> Outcome:
        if not user_id.isdigit():
            # Only a Telegram user id is a chat this bot may write to.
            return Blocked(reason="not a Telegram user")
        message_id = None
        try:
            # Plain Bot API JSON both ways (sending.py): PTB's button objects and the
            # Message it parses from each answer cost more than the rest of the send.
            for outgoing in messages(reply):
                message_id = await send_text(
                    self.bot,
                    int(user_id),
                    outgoing.text,
                    outgoing.markup,
                    parse_mode=ParseMode.HTML,
                )
        except RetryAfter as exc:
            with warnings.catch_warnings():
                # PTB 22 warns that the type will become timedelta; _seconds takes both.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                wait = _seconds(exc.retry_after)
            return RetryLater(after=wait, reason="flood control (429)")
        except Forbidden as exc:
            return Blocked(reason=f"forbidden (403): {exc.message}")
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                return Blocked(reason="chat not found")
            # Not transient, but dropping a reminder is worse than retrying it hourly.
            log.error("Telegram refused a reminder message: %s", exc.message)
            return RetryLater(reason=f"bad request: {exc.message}")
        except TimedOut as exc:
            return Uncertain(reason=f"no answer: {exc.message}")
        except NetworkError as exc:  # 5xx answers, refused connections
            return RetryLater(reason=f"network: {exc.message}")
        except TelegramError as exc:
            return RetryLater(reason=f"telegram: {exc.message}")
        return Delivered(message_id)


async def start_reminders(application: CoachApplication) -> None:
    """Start delivering reminders through `application`'s bot (call from post_init)."""
    coach = application.bot_data.coach
    assert coach is not None
    service = ReminderService(coach=coach, send=TelegramSender(application.bot), channel=TELEGRAM)
    await service.start()
    application.bot_data.reminders = service


async def stop_reminders(application: CoachApplication) -> None:
    """Stop the reminder service started for `application` (call from post_shutdown)."""
    service, application.bot_data.reminders = application.bot_data.reminders, None
    if service is not None:
        await service.stop()


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
