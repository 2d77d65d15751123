"""Files in Telegram: a contacts file sent as a document is previewed for import.

The file is checked by its declared size before it is downloaded, read in a
worker thread (a 10,000-card vCard takes seconds), and its preview comes
back with Import and Cancel buttons. Long work shows one progress message,
edited as it goes.
"""

from __future__ import annotations

from functools import partial

from telegram import Update

from bot.channels.telegram.context import CoachContext
from bot.channels.telegram.handlers import engine_user_id, send_replies
from bot.channels.telegram.progress import run_with_progress
from bot.engine.data import preview_upload
from bot.engine.replies import Reply


async def on_document(update: Update, context: CoachContext) -> None:
    """Preview importing a file sent in a private chat; nothing is saved until Import."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    from bot.transfer.upload import MAX_BYTES  # only when a file comes: chat start-up skips it

    document = message.document
    name = document.file_name or "your file"
    if document.file_size is not None and document.file_size > MAX_BYTES:
        # Refused on its declared size: a huge file is never downloaded.
        problem = (
            f"is {document.file_size / 1_048_576:.1f} MB; I read files up to "
            f"{MAX_BYTES // 1_048_576} MB. Export without photos, or in parts"
        )
        text = context.templates.render(
            "replies/data/import_bad_file.html.j2", name=name, problem=problem
        )
        await send_replies(context, message.chat_id, [Reply(text)])
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    replies = await run_with_progress(
        context,
        message.chat_id,
        "Reading",
        partial(
            context.coach.handle_turn,
            engine_user_id(user.id),
            lambda turn: preview_upload(turn, name, data),
        ),
    )
    await send_replies(context, message.chat_id, replies)
