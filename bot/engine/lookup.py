"""Finding the contact a user means by a name they typed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Contact
from bot.domain.notes.people import match_contacts
from bot.engine.pickers import label as label  # re-exported: features import it from here
from bot.engine.pickers import recent_people
from bot.engine.replies import PICKED, Button, Payload, Reply
from bot.engine.turn import Turn


@dataclass(frozen=True)
class Lookup:
    """Either the one contact meant, or replies asking the user to clarify."""

    contact: Contact | None
    replies: list[Reply]


def find_contact(turn: Turn, name: str, *, command: str, op: str, **extra: object) -> Lookup:
    """Resolve `name`; on none or several matches, reply with help or choice buttons.

    A choice button carries {"op": op, "contact": id, **extra}, so the caller's
    action handler receives the chosen contact id.
    """
    if not name.strip():
        return Lookup(None, [recent_people(turn, command=command, op=op, extra=extra)])
    matches = match_contacts(name, turn.store.contacts())
    if len(matches) == 1:
        return Lookup(matches[0], [])
    if not matches:
        return Lookup(None, [turn.say("unknown_person", name=name, command=command)])
    buttons = tuple(
        (Button(label(c), payload={"op": op, "contact": c.id, PICKED: 1, **extra}),)
        for c in matches[:8]
    )
    return Lookup(None, [turn.say("which_person", name=name, buttons=buttons)])


def chosen_contact(turn: Turn, payload: Payload) -> Contact | None:
    """Return the contact a choice button names, if it is this user's."""
    return turn.store.contact(str(payload.get("contact", "")))
