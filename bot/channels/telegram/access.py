"""Who may use the bot: RAPPORT_ALLOWED_USERS makes a deployment private.

The check runs before every other handler, so nothing is stored for someone
who is not let in: no folder, no file, not even a button ref.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot.channels.telegram.context import CoachContext


async def only_allowed(update: object, context: CoachContext) -> None:
    """Refuse, politely and without storing anything, anyone not on the allowed list."""
    settings = context.bot_data.settings
    allowed = settings.allowed_users if settings is not None else None
    if allowed is None or not isinstance(update, Update):
        return
    user, chat = update.effective_user, update.effective_chat
    if user is not None and user.id in allowed:
        return
    if chat is not None and chat.type != Chat.PRIVATE and update.callback_query is None:
        return  # the group handlers decline and leave, storing nothing
    text = context.templates.render("replies/telegram/private_bot.html.j2")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif chat is not None and update.effective_message is not None:
        await context.bot.send_message(chat.id, text)
    raise ApplicationHandlerStop
