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
# More records changed than this since the last look: the index is made again.
MAX_CHANGED = 32


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
    """Each user's contacts by full name and alias, kept between turns.

    A store hands out the same record objects turn after turn until one
    changes (the TinyDB store does), so comparing the objects tells which
    few to index again. A store that decodes afresh each turn (PostgreSQL)
    changes them all: it is never indexed, and pays one comparison a turn.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: OrderedDict[str, list[Contact]] = OrderedDict()
        self._index: dict[str, dict[str, list[Contact]]] = {}

    def exact(self, user_id: str, wanted: str, contacts: Sequence[Contact]) -> list[Contact] | None:
        """The one contact named `wanted` (folded) exactly, [] for none; None: not known here."""
        with self._lock:
            held = self._held.get(user_id)
            changed = None
            if held is not None and len(held) == len(contacts):
                changed = (
                    []
                    if all(map(operator.is_, held, contacts))
                    else [n for n, same in enumerate(map(operator.is_, held, contacts)) if not same]
                )
            index = self._index.get(user_id)
            if changed is None or len(changed) > MAX_CHANGED or (index is None and changed):
                # Indexed only once the same records come round again.
                self._held[user_id] = list(contacts)
                self._index.pop(user_id, None)
                self._trim()
                return None
            assert held is not None
            if index is None:
                index = self._index[user_id] = {}
                for contact in held:
                    _add(index, contact)
            for n in changed:
                old, new = held[n], contacts[n]
                for key in _keys(old):
                    others = [c for c in index[key] if c is not old]
                    if others:
                        index[key] = others
                    else:
                        del index[key]
                _add(index, new)
                held[n] = new
            self._held.move_to_end(user_id)
            found = index.get(wanted, [])
            # Several of one name: rank_contacts gives their order.
            return found if len(found) <= 1 else None

    def drop(self, user_id: str) -> None:
        """Forget what is held of the user (after /forget)."""
        with self._lock:
            self._held.pop(user_id, None)
            self._index.pop(user_id, None)

    def _trim(self) -> None:
        while len(self._held) > INDEXED_USERS:
            user_id, _ = self._held.popitem(last=False)
            self._index.pop(user_id, None)


def _keys(contact: Contact) -> set[str]:
    found = forms(contact)
    return {found.full, *found.aliases}


def _add(index: dict[str, list[Contact]], contact: Contact) -> None:
    for key in _keys(contact):
        index.setdefault(key, []).append(contact)


_INDEX = _NameIndex()


def forget_names(user_id: str) -> None:
    """Drop the user's names from the lookup index (a /forget hook)."""
    _INDEX.drop(user_id)


def ranked(user_id: str, name: str, contacts: Sequence[Contact]) -> list[Match]:
    """`rank_contacts(name, contacts)`, a full name or alias found without a look at everyone."""
    first = name.split(maxsplit=1)[0].rstrip(".").casefold() if name.strip() else ""
    wanted = fold(name)
    if wanted and first not in TITLES:
        exact = _INDEX.exact(user_id, wanted, contacts)
        if exact:
            return [Match(c, "exact", 1.0) for c in exact]
    return rank_contacts(name, contacts)
