"""/suggest <name>: drafts the user would actually send, and the buttons around them."""

from __future__ import annotations

from bot.domain.model import Reminder
from bot.engine.content.drafts import (
    FOR_REMINDER,
    SITUATION_LABELS,
    Rows,
    drafts_reply,
    nothing_specific,
    pick_drafts,
    suggest_drafts,
)
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.replies import Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn


def register(router: Router) -> None:
    """Register /suggest and its buttons."""

    @router.command("suggest", "Draft a message to someone", usage="<name>")
    def suggest(turn: Turn, args: str) -> list[Reply]:
        found = find_contact(turn, args, command="suggest", op="content.suggest")
        if found.contact is None:
            return found.replies
        return suggest_drafts(turn, found.contact)

    @router.action("content.suggest")
    def suggest_for(turn: Turn, payload: Payload) -> list[Reply]:
        """Drafts for a chosen contact; from a reminder ping, for that reminder's purpose."""
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("content/gone")]
        reminder = turn.store.reminder(str(payload.get("reminder", "")))
        if reminder is not None and reminder.contact_id == contact.id:
            return suggest_for_reminder(turn, reminder)
        situation = str(payload.get("situation", ""))
        return suggest_drafts(turn, contact, situation if situation in SITUATION_LABELS else None)

    @router.action("content.more")
    def more(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("content/gone")]
        situation = str(payload.get("situation", ""))
        if situation not in SITUATION_LABELS:
            return suggest_drafts(turn, contact)
        picture, drafts = pick_drafts(turn, contact, [situation])
        if not drafts:
            return nothing_specific(turn, contact, picture)
        return [drafts_reply(turn, contact, drafts, situation=situation)]


def suggest_for_reminder(
    turn: Turn, reminder: Reminder, *, extra_buttons: Rows = ()
) -> list[Reply]:
    """Drafts that serve `reminder`'s purpose (a thank-you for gratitude, and so on).

    `extra_buttons` rows (e.g. the reminder's "Sent it") go under the drafts.
    """
    contact = turn.store.contact(reminder.contact_id)
    if contact is None:
        return [turn.notice("content/gone")]
    situations = FOR_REMINDER.get(reminder.kind, ("check-in",))
    return suggest_drafts(
        turn, contact, situations, about=reminder.text, extra_buttons=extra_buttons
    )
