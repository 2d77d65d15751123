"""Finding the contact a user means by a name they typed.

The one matcher of the note reader (bot.domain.notes.matching) serves every
command: a full name, an alias, a first name or another form of it, a title
with the surname ("Mr. Okafor"), an initial ("Sam L"), a surname alone, or a
near spelling ("jurgen webber"). When two people match about equally well,
the user picks from buttons.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.model import Contact
from bot.domain.notes.lexicon import TITLES
from bot.domain.notes.matching import Match, clear_choice, forms, rank_contacts
from bot.domain.notes.text import fold
from bot.engine.pickers import label as label  # re-exported: features import it from here
from bot.engine.pickers import recent_people
from bot.engine.replies import PICKED, Button, Payload, Reply
from bot.engine.turn import Turn

# More than this many matches is a name too common to offer them all.
MAX_CHOICES = 8
# Users whose contacts' names are kept indexed between turns (see ranked()).
INDEXED_USERS = 64


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
    matches = ranked(turn.store.user_id, name, turn.store.contacts())
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


class _NameIndex:
    """Each user's contacts by full name and alias, kept while their records stay the same.

    A store hands out the same record objects turn after turn until one
    changes (the TinyDB store does; PostgreSQL decodes afresh, and just
    misses), so holding the list is enough to tell that nothing changed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, tuple[list[Contact], dict[str, list[Contact]] | None]] = (
            OrderedDict()
        )

    def exact(self, user_id: str, wanted: str, contacts: Sequence[Contact]) -> list[Contact] | None:
        """The contacts named `wanted` (folded) exactly, or None when not indexed yet."""
        with self._lock:
            seen = self._seen.get(user_id)
            same = (
                seen is not None
                and len(seen[0]) == len(contacts)
                and all(map(operator.is_, seen[0], contacts))
            )
            if not same:
                # Indexed only on a second look at the same records: a store that decodes
                # afresh each turn never pays for the index.
                self._seen[user_id] = (list(contacts), None)
                self._trim()
                return None
            assert seen is not None
            held, index = seen
            if index is None:
                index = {}
                for contact in held:
                    found = forms(contact)
                    for key in {found.full, *found.aliases}:
                        index.setdefault(key, []).append(contact)
                self._seen[user_id] = (held, index)
            self._seen.move_to_end(user_id)
            return index.get(wanted, [])

    def _trim(self) -> None:
        while len(self._seen) > INDEXED_USERS:
            self._seen.popitem(last=False)


_INDEX = _NameIndex()


def ranked(user_id: str, name: str, contacts: Sequence[Contact]) -> list[Match]:
    """`rank_contacts(name, contacts)`, a full name or alias found without a look at everyone."""
    first = name.split(maxsplit=1)[0].rstrip(".").casefold() if name.strip() else ""
    wanted = fold(name)
    if wanted and first not in TITLES:
        exact = _INDEX.exact(user_id, wanted, contacts)
        if exact:
            return [Match(c, "exact", 1.0) for c in exact]
    return rank_contacts(name, contacts)
