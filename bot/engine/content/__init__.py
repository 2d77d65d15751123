"""Coach content: /suggest, /openers, /thanks, /review and the after-log reflection.

`suggest_drafts(turn, contact, situation, about=)` and `suggest_for_reminder(turn,
reminder)` are the entry points for other features; a reminder ping can also
carry Button("Suggest a message", payload={"op": "content.suggest",
"contact": <id>, "reminder": <id>}).
"""

from __future__ import annotations

from bot.engine.content import openers, reflection, review, suggest, thanks
from bot.engine.content.drafts import FOR_REMINDER, suggest_drafts
from bot.engine.content.suggest import suggest_for_reminder
from bot.engine.router import Router

__all__ = ["FOR_REMINDER", "register", "suggest_drafts", "suggest_for_reminder"]


def register(router: Router) -> None:
    """Register every content command, button and hook."""
    for feature in (suggest, openers, thanks, review, reflection):
        feature.register(router)
