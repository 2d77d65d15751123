"""Short error reports to the operator (RAPPORT_ADMIN_ID), with no user content.

A report names the exception type, where in the coach's code it happened and
what kind of update it was: never the exception's message (it may quote what
the user wrote), never the update, never the token.
"""

from __future__ import annotations

import html
import logging
import time
import traceback
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.channels.telegram.context import CoachContext

log = logging.getLogger(__name__)

# The same failure is reported at most once in this many seconds.
QUIET_SECONDS = 600.0
_PACKAGE = Path(__file__).resolve().parents[2]

ErrorHandler = Callable[[object, CoachContext], Coroutine[Any, Any, None]]


def reporter(admin_id: int) -> ErrorHandler:
    """Return an error handler that tells `admin_id` about failures, briefly."""
    last_sent: dict[tuple[str, str], float] = {}

    async def report_to_admin(update: object, context: CoachContext) -> None:
        error = context.error
        if error is None or isinstance(error, Forbidden):
            return
        if update is None and isinstance(error, NetworkError):
            return  # polling hiccups: PTB retries by itself
        where = code_location(error)
        key = (type(error).__name__, where)
        now = time.monotonic()
        if now - last_sent.get(key, -QUIET_SECONDS) < QUIET_SECONDS:
            return
        last_sent[key] = now
        text = (
            f"⚠️ Rapport Coach: {html.escape(type(error).__name__)} while handling "
            f"{update_kind(update)}, at <code>{html.escape(where)}</code>. "
            "Details are in the log."
        )
        try:
            await context.bot.send_message(admin_id, text)
        except TelegramError as exc:
            log.warning("could not report an error to the admin: %s", type(exc).__name__)

    return report_to_admin


def code_location(error: BaseException) -> str:
    """Return "bot/engine/x.py:12 in fn" for the innermost frame in the coach's code."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(_PACKAGE / "bot"):
            return f"{path.relative_to(_PACKAGE)}:{frame.lineno} in {frame.name}"
    if frames:
        return f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}"
    return "unknown place"


def update_kind(update: object) -> str:
    """Name the kind of update, never its content."""
    if not isinstance(update, Update):
        return "a background job"
    if update.callback_query is not None:
        return "a button press"
    message = update.effective_message
    if message is not None and message.document is not None:
        return "a file"
    if message is not None and message.text is not None:
        return "a command" if message.text.startswith("/") else "a message"
    return "an update"
