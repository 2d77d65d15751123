"""The list of feature modules; each registers its commands and buttons."""

from __future__ import annotations

from bot.engine import (
    basics,
    content,
    data,
    due,
    forget,
    guided_log,
    log_command,
    note_card,
    onboarding,
    people,
    person_edit,
    reminders,
    settings,
)
from bot.engine.insight import feature as insight
from bot.engine.router import Router

FEATURES = (
    basics,
    onboarding,
    log_command,
    note_card,
    guided_log,
    people,
    person_edit,
    forget,
    data,
    due,
    insight,
    reminders,
    settings,
    content,
)


def build_router() -> Router:
    """Return a router with every feature registered."""
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    return router
