"""Finding the contact a user means by a name they typed.

The one matcher of the note reader (bot.domain.notes.matching) serves every
command: a full name, an alias, a first name or another form of it, a title
with the surname ("Mr. Okafor"), an initial ("Sam L"), a surname alone, or a
near spelling ("jurgen webber"). When two people match about equally well,
the user picks from buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Contact
from bot.domain.notes.matching import clear_choice, rank_contacts
from bot.engine.pickers import label as label  # re-exported: features import it from here
from bot.engine.pickers import recent_people
from bot.engine.replies import PICKED, Button, Payload, Reply
from bot.engine.turn import Turn

# More than this many matches is a name too common to offer them all.
MAX_CHOICES = 8


@dataclass(frozen=True)
class Lookup:
    """Either the one contact meant, or replies asking the user to clarify."""

    contact: Contact | None
    replies: list[Reply]


def find_contact(turn: Turn, name: str, *, command: str, op: str, **extra: object) -> Lookup:
    """Resolve `name`; on none or several close matches, reply with help or choice buttons.

    A choice button carries {"op": op, "contact": id, **extra}, so the caller's
    action handler receives the chosen contact id.
    """
    if not name.strip():
        return Lookup(None, [recent_people(turn, command=command, op=op, extra=extra)])
    matches = rank_contacts(name, turn.store.contacts())
    chosen = clear_choice(matches)
    if chosen is not None:
        return Lookup(chosen, [])
    if not matches:
        return Lookup(None, [turn.say("unknown_person", name=name, command=command)])
    buttons = tuple(
        (Button(label(m.contact), payload={"op": op, "contact": m.contact.id, PICKED: 1, **extra}),)
        for m in matches[:MAX_CHOICES]
    )
    return Lookup(None, [turn.say("which_person", name=name, buttons=buttons)])


def chosen_contact(turn: Turn, payload: Payload) -> Contact | None:
    """Return the contact a choice button names, if it is this user's."""
    return turn.store.contact(str(payload.get("contact", "")))
