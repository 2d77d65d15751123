"""A picker of recent people, for commands that need someone and were given no name."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.cadence import last_touch
from bot.domain.model import Contact
from bot.engine.replies import PICKED, Button, Reply, Rows
from bot.engine.turn import Turn

SHOWN = 8


def label(contact: Contact) -> str:
    """A short button label that tells two namesakes apart."""
    return f"{contact.name} ({contact.company})" if contact.company else contact.name


def recent_people(
    turn: Turn,
    *,
    command: str,
    op: str,
    extra: Mapping[str, object] | None = None,
    extra_rows: Rows = (),
) -> Reply:
    """Ask who, with a button for each of the people met most recently.

    A button carries {"op": op, "contact": id, **extra}; the choice replaces
    the picker. With nobody logged yet, the reply says how to start.
    """
    extra = extra or {}
    people = sorted(turn.store.contacts(), key=last_touch, reverse=True)[:SHOWN]
    rows = tuple(
        tuple(
            Button(label(c), payload={"op": op, "contact": c.id, PICKED: 1, **extra})
            for c in people[i : i + 2]
        )
        for i in range(0, len(people), 2)
    )
    return turn.say(
        "pick_person", command=command, anyone=bool(people), buttons=(*rows, *extra_rows)
    )
