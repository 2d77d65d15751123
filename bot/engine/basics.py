"""/start, /help and /cancel, and the replies every channel shares."""

from __future__ import annotations

from bot.engine import note_card
from bot.engine.onboarding import ask_timezone
from bot.engine.replies import Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# The menu by use: logging and the people first, housekeeping last.
MENU_ORDER = (
    "log",
    "people",
    "person",
    "due",
    "suggest",
    "openers",
    "thanks",
    "remind",
    "reminders",
    "find",
    "week",
    "review",
    "garden",
    "settings",
    "export",
    "import",
    "forget",
    "help",
    "start",
    "cancel",
)


def register(router: Router) -> None:
    """Register /start, /help and /cancel, and the menu's order."""
    router.menu_order[:] = MENU_ORDER

    @router.command("start", "Meet the coach")
    def start(turn: Turn, args: str) -> list[Reply]:
        replies = [turn.say("start", commands=_menu(router))]
        if not turn.profile.timezone_confirmed:
            replies.append(ask_timezone(turn))
        return replies

    @router.command("help", "What I can do")
    def help_(turn: Turn, args: str) -> list[Reply]:
        return [turn.say("help", commands=_menu(router))]

    @router.command("cancel", "Stop what we're doing", handles_flow=True)
    def cancel(turn: Turn, args: str) -> list[Reply]:
        running = turn.flow()
        turn.end_flow()
        had_card = note_card.discard(turn)  # an unsaved note card is thrown away too
        return [turn.say("cancelled", had_flow=running is not None, had_card=had_card)]


def _menu(router: Router) -> list[tuple[str, str, str]]:
    return [(c.name, c.usage, c.summary) for c in router.menu()]
