"""/due: who needs attention, most overdue first."""

from __future__ import annotations

from bot.domain.cadence import overdue_contacts
from bot.engine.lookup import label
from bot.engine.replies import Button, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

SHOWN = 15


def register(router: Router) -> None:
    """Register /due."""

    @router.command("due", "Who it's time to get back to")
    def due(turn: Turn, args: str) -> list[Reply]:
        overdue = overdue_contacts(turn.store.contacts(), turn.now)[:SHOWN]
        buttons = tuple(
            (Button(label(o.contact), payload={"op": "person.show", "contact": o.contact.id}),)
            for o in overdue[:8]
        )
        return [turn.say("due", overdue=overdue, buttons=buttons)]
