"""build_application: the one place a Telegram Application is wired to the engine."""

from __future__ import annotations

import gc
import logging
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.bootstrap import build_coach
from bot.channels.telegram import access, admin_reports, documents, handlers
from bot.channels.telegram.context import CONTEXT_TYPES, CoachApplication
from bot.channels.telegram.delivery import start_reminders, stop_reminders
from bot.channels.telegram.ordering import PerUserOrder
from bot.channels.telegram.profile import publish_profile
from bot.config import Settings
from bot.domain.clock import Clock
from bot.storage.due import TELEGRAM

log = logging.getLogger(__name__)

# A 429 is retried after the wait Telegram asks for, instead of failing the reply.
RATE_LIMIT_RETRIES = 3

_PRIVATE = filters.ChatType.PRIVATE
_NEW_MESSAGE = filters.UpdateType.MESSAGE


def build_application(
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any],
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> CoachApplication:
    """Return an Application running the coach, from a builder with token/request/URL set.

    With `settings` None they are read from the environment (RAPPORT_DATA_DIR,
    default data/). `clock` is for tests; the system clock otherwise.
    `rate_limiter` replaces the per-process AIORateLimiter (webhook workers share one).
    """
    settings = settings or Settings.from_env()
    coach = build_coach(settings, clock=clock, channel=TELEGRAM)
    application: CoachApplication = (
        builder.context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerUserOrder())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.settings = settings
    application.bot_data.coach = coach
    add_handlers(application)
    return application


def add_handlers(application: CoachApplication) -> None:
    """Register every update handler and the error handler."""
    # First of all: a private deployment refuses strangers before anything is stored.
    application.add_handler(TypeHandler(Update, access.only_allowed), group=-1)
    application.add_handlers(
        [
            ChatMemberHandler(handlers.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
            CallbackQueryHandler(handlers.on_press),
            MessageHandler(
                filters.UpdateType.CHANNEL_POSTS | (_NEW_MESSAGE & filters.ChatType.GROUPS),
                handlers.on_group_message,
            ),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE & _PRIVATE, handlers.on_edited),
            MessageHandler(_NEW_MESSAGE & _PRIVATE & filters.TEXT, handlers.on_text),
            MessageHandler(_NEW_MESSAGE & _PRIVATE & filters.Document.ALL, documents.on_document),
            MessageHandler(
                _NEW_MESSAGE & _PRIVATE & ~filters.StatusUpdate.ALL, handlers.on_not_text
            ),
        ]
    )
    application.add_error_handler(handlers.on_error)
    settings = application.bot_data.settings
    if settings is not None and settings.admin_id is not None:
        application.add_error_handler(admin_reports.reporter(settings.admin_id))


async def post_init(application: CoachApplication) -> None:
    """Run once the bot is initialised: publish the menu and description, start reminders."""
    await publish_profile(application)
    await start_reminders(application)
    if application.bot_data.coach is not None:
        application.bot_data.coach.warm_up()
    # Everything loaded so far (modules, templates, the schedule) lives as long as the
    # process: out of the collector's sight, a full collection no longer walks it all.
    gc.collect()
    gc.freeze()


async def post_shutdown(application: CoachApplication) -> None:
    """Run once the bot has stopped."""
    await stop_reminders(application)
    application.bot_data.workers.shutdown(wait=True)
    if application.bot_data.coach is not None:
        application.bot_data.coach.repository.close()
    log.info("coach stopped")
