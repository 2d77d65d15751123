"""Text messages sent and edited as plain Bot API JSON, on the path of every reply.

PTB's typed send_message builds a TelegramObject per button, serialises them
again, and parses the Message Telegram returns: about 0.15 ms a reply, most of
what the channel adds to a turn. The coach never reads that Message, so the
reply goes through Bot.do_api_request with the keyboard as JSON (reminder pings too:
bot/channels/telegram/delivery.py reads only the message id from the answer). It still
passes PTB's request, rate limiter and error mapping (BadRequest, Forbidden...).
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot
from telegram.warnings import PTBUserWarning

# do_api_request warns when a typed method exists; these two are skipped on purpose.
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.(sendMessage|editMessageText)'",
    category=PTBUserWarning,
)


async def send_text(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: dict[str, Any] | None,
    *,
    parse_mode: str | None = None,
) -> int | None:
    """sendMessage with the bot's defaults (HTML, no link previews); return the message id.

    `parse_mode` overrides the defaults' (a reminder is HTML whatever the bot's defaults say).
    """
    params: dict[str, Any] = {"chat_id": chat_id, "text": text}
    params = _with_defaults(bot, params, markup)
    if parse_mode is not None:
        params["parse_mode"] = parse_mode
    sent = await bot.do_api_request("sendMessage", params)
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    return message_id if isinstance(message_id, int) else None


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: dict[str, Any] | None
) -> None:
    """editMessageText; without `markup` the message's keyboard goes, as Telegram does."""
    params: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text}
    await bot.do_api_request("editMessageText", _with_defaults(bot, params, markup))


def _with_defaults(
    bot: Bot, params: dict[str, Any], markup: dict[str, Any] | None
) -> dict[str, Any]:
    defaults = getattr(bot, "defaults", None)  # an ExtBot's; a plain Bot has none
    if defaults is not None:
        if defaults.parse_mode:
            params["parse_mode"] = defaults.parse_mode
        if defaults.link_preview_options is not None:
            params["link_preview_options"] = defaults.link_preview_options.to_dict()
    if markup is not None:
        params["reply_markup"] = markup
    return params
