"""/forget: delete a person and everything about them, after a confirmation."""

from __future__ import annotations

from bot.domain.model import Contact
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.reminders import replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn


def register(router: Router) -> None:
    """Register /forget and its confirmation buttons."""

    @router.command("forget", "Delete someone and everything about them", usage="<name>")
    def forget(turn: Turn, args: str) -> list[Reply]:
        found = find_contact(turn, args, command="forget", op="person.forget")
        if found.contact is None:
            return found.replies
        return [_confirm_forget(turn, found.contact)]

    @router.action("person.forget")
    def ask_forget(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        return [_confirm_forget(turn, contact)] if contact else [turn.notice("stale_button")]

    @router.action("person.forget.yes")
    def forget_yes(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        turn.store.forget_contact(contact.id)
        replan_reminders(turn)  # the freed keep-in-touch slots go to others
        return in_place([turn.say("forgotten", contact=contact)])

    @router.action("person.forget.keep")
    def keep(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        return in_place([turn.say("forget_kept", contact=contact)])


def _confirm_forget(turn: Turn, contact: Contact) -> Reply:
    return turn.say(
        "forget_confirm",
        contact=contact,
        buttons=(
            (
                Button(
                    f"Yes, forget {contact.first_name}",
                    payload={"op": "person.forget.yes", "contact": contact.id},
                ),
                Button(
                    f"Keep {contact.first_name}",
                    payload={"op": "person.forget.keep", "contact": contact.id},
                ),
            ),
        ),
    )
