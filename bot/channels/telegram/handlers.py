"""Thin handlers: an Update in, engine calls, Bot API calls out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from telegram import CallbackQuery, Chat, ChatMember, InputFile, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.channels.telegram.context import CoachContext
from bot.channels.telegram.progress import run_with_progress
from bot.channels.telegram.render import (
    MAX_CAPTION,
    MAX_MESSAGE,
    keyboard,
    keyboard_json,
    messages,
    telegram_length,
)
from bot.channels.telegram.sending import edit_text, send_text
from bot.engine.replies import Reply

log = logging.getLogger(__name__)

# Message parts a person might send instead of text, named for the reply.
_CONTENT_NAMES = (
    ("voice", "voice message"),
    ("video_note", "video message"),
    ("sticker", "sticker"),
    ("photo", "photo"),
    ("animation", "GIF"),
    ("video", "video"),
    ("audio", "audio file"),
    ("document", "file"),
    ("location", "location"),
    ("venue", "place"),
    ("contact", "contact card"),
    ("poll", "poll"),
    ("dice", "dice"),
)


def engine_user_id(user_id: int) -> str:
    """The engine's id for a Telegram user."""
    return str(user_id)


async def send_replies(context: CoachContext, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send engine replies as HTML messages, split to fit, keyboards on the last piece.

    A photo among the files (the garden) carries the text as its caption when
    it fits Telegram's caption limit; other files follow as documents. A toast
    with no message (say, "that reminder was already done") becomes a short
    message of its own: outside a button press there is nothing to toast on.
    """
    for reply in replies:
        if not reply.is_message:
            if reply.toast and not reply.replaces:
                reply = Reply(reply.toast)
            else:
                continue
        photos = [f for f in reply.files if f.photo]
        documents = [f for f in reply.files if not f.photo]
        captioned = bool(photos) and telegram_length(reply.text) <= MAX_CAPTION
        for n, photo in enumerate(photos):
            first = captioned and n == 0
            await context.bot.send_photo(
                chat_id,
                InputFile(photo.data, filename=photo.name),
                caption=(reply.text or None) if first else None,
                reply_markup=keyboard(reply) if first else None,
            )
        if not captioned and reply.text:
            for outgoing in messages(reply):
                await send_text(context.bot, chat_id, outgoing.text, outgoing.markup)
        for file in documents:
            await context.bot.send_document(chat_id, InputFile(file.data, filename=file.name))


async def say(context: CoachContext, chat_id: int, template: str, **values: object) -> None:
    """Send one of the channel's own replies (prompts/replies/telegram/<template>)."""
    text = context.templates.render(f"replies/telegram/{template}.html.j2", **values)
    await send_replies(context, chat_id, [Reply(text)])


async def on_text(update: Update, context: CoachContext) -> None:
    """Pass a private text message (a command, a flow answer or a note) to the engine."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    replies = await context.in_worker(
        context.coach.handle_text, engine_user_id(user.id), message.text
    )
    await send_replies(context, message.chat_id, replies)


async def on_press(update: Update, context: CoachContext) -> None:
    """Answer a button press: one callback answer (with its toast), then edit in place.

    The engine rejects refs that are not the presser's; a stale or foreign
    press is answered with a toast only. Every query is answered exactly once,
    even when the engine fails.
    """
    query = update.callback_query
    if query is None:
        return
    answer = _OneAnswer(query)
    try:
        chat = update.effective_chat
        if chat is not None and chat.type != Chat.PRIVATE:
            await answer()
            return
        presser = query.from_user.id
        # In a worker thread, with progress shown: the Import button can take seconds.
        replies = await run_with_progress(
            context,
            presser,
            "Importing",
            partial(context.coach.handle_press, engine_user_id(presser), query.data or ""),
        )
        await answer(next((r.toast for r in replies if r.toast), ""))
        await show_press_replies(context, query, presser, replies)
    finally:
        await answer.if_still_open()


class _OneAnswer:
    """answerCallbackQuery at most once per press, whatever happens after."""

    def __init__(self, query: CallbackQuery) -> None:
        self.query = query
        self.done = False

    async def __call__(self, toast: str = "") -> None:
        if self.done:
            return
        self.done = True  # before the call: a failed answer must not be retried as a second one
        try:
            await self.query.answer(toast or None)
        except TelegramError as exc:
            # "Query is too old" after a long import, say: the press itself was handled.
            log.warning("could not answer a button press: %s", exc)

    async def if_still_open(self) -> None:
        await self()


async def show_press_replies(
    context: CoachContext, query: CallbackQuery, presser: int, replies: Sequence[Reply]
) -> None:
    """Edit the pressed message where a reply replaces it; send the rest as new messages."""
    for reply in replies:
        if reply.replaces and await edit_pressed(query, presser, reply):
            continue
        if reply.is_message:
            # Answer in the presser's own private chat (its id is theirs), never another chat.
            await send_replies(
                context, presser, [Reply(reply.text, reply.buttons, placeholder=reply.placeholder)]
            )


async def edit_pressed(query: CallbackQuery, presser: int, reply: Reply) -> bool:
    """Show `reply` in place of the pressed message; False when it must be sent instead.

    "Message is not modified" (the same press twice) counts as done. A
    message too old, gone, or not the presser's own falls back to a new one.
    """
    message = query.message
    if not isinstance(message, Message) or message.chat.id != presser or reply.files:
        return False  # not the presser's own message, or a photo or file to send
    # Without reply_markup an edit removes the keyboard (an empty one would be refused).
    try:
        if not reply.is_message:
            await query.edit_message_reply_markup(reply_markup=keyboard(reply))
        elif reply.placeholder or telegram_length(reply.text) > MAX_MESSAGE:
            return False  # a typed-answer prompt or a long text needs a message of its own
        else:
            bot = query.get_bot()
            await edit_text(bot, presser, message.message_id, reply.text, keyboard_json(reply))
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True
        log.info("could not edit the pressed message (%s); sending a new one", exc.message)
        return not reply.is_message
    return True


async def on_not_text(update: Update, context: CoachContext) -> None:
    """Reply to a photo, sticker, voice message... in private: I read text only."""
    message = update.message
    if message is None:
        return
    await say(context, message.chat_id, "not_text", what=content_name(message))


async def on_edited(update: Update, context: CoachContext) -> None:
    """Explain that editing a sent message changes nothing that was saved."""
    message = update.edited_message
    if message is None:
        return
    await say(context, message.chat_id, "edited")


async def on_group_message(update: Update, context: CoachContext) -> None:
    """Decline politely in a group or channel, then leave: the coach is a private assistant."""
    chat = update.effective_chat
    if chat is None:
        return
    await _decline_and_leave(context, chat)


async def on_my_chat_member(update: Update, context: CoachContext) -> None:
    """Note a user blocking the bot; leave groups the bot is added to."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    if change.chat.type == Chat.PRIVATE:
        # Their data stays: they may unblock and carry on where they left off.
        if status == ChatMember.BANNED:
            log.info("user %s blocked the bot", change.chat.id)
        return
    if status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR):
        await _decline_and_leave(context, change.chat)


async def _decline_and_leave(context: CoachContext, chat: Chat) -> None:
    try:
        if chat.type != Chat.CHANNEL:
            await say(context, chat.id, "group_declined")
        await context.bot.leave_chat(chat.id)
    except Forbidden:
        log.info("could not decline chat %s: already removed", chat.id)


async def on_error(update: object, context: CoachContext) -> None:
    """Log the failure; tell the user something went wrong, without details."""
    if update is None and isinstance(context.error, NetworkError):
        # Polling hiccups: PTB retries by itself.
        log.warning("Telegram unreachable: %s", context.error)
        return
    if isinstance(context.error, Forbidden):
        # They blocked the bot between their message and our answer: nobody to tell.
        log.info("could not answer: %s", context.error)
        return
    log.error("an update could not be handled", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != Chat.PRIVATE:
        return
    try:
        await say(context, update.effective_chat.id, "error")
    except TelegramError as exc:
        log.warning("could not tell the user about the failure: %s", exc)


def content_name(message: Message) -> str:
    """Name what a non-text message holds, for the reply."""
    for attribute, name in _CONTENT_NAMES:
        if getattr(message, attribute):
            return name
    return "message"
