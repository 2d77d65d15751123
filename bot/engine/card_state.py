"""The open note card in the user's store: its reading and revision.

Shared by the card (bot/engine/note_card.py), its fixes (card_edits.py) and
the reflection question, which marks text it handed over as a possible
answer.
"""

from __future__ import annotations

from typing import Any

from bot.domain.notes.reading import NoteReading
from bot.engine.replies import Button, Payload
from bot.engine.turn import Turn
from bot.storage.records import from_record, to_record

CARD_STATE = "card"
# Set by the reflection question when the text it got reads as a note; the card
# then offers to keep the text as the answer ({"contacts": [...]}).
MAYBE_ANSWER_STATE = "card.maybe_answer"
LABEL_WIDTH = 28


def current(turn: Turn, payload: dict[str, Any]) -> NoteReading | None:
    """Return the card's reading if `payload` belongs to its current revision."""
    state = turn.store.state(CARD_STATE)
    if state is None or state["rev"] != payload.get("rev"):
        return None
    return from_record(NoteReading, state["reading"])


def put(turn: Turn, reading: NoteReading, rev: int, answer_to: Any = None) -> None:
    """Store `reading` as the card at revision `rev`."""
    state: dict[str, Any] = {"rev": rev, "reading": to_record(reading)}
    if answer_to:
        state["answer_to"] = answer_to
    turn.store.set_state(CARD_STATE, state)


def bump(turn: Turn, reading: NoteReading) -> None:
    """Store a changed reading under the next revision, so older buttons go stale."""
    state = turn.store.state(CARD_STATE) or {}
    put(turn, reading, rev=state.get("rev", 0) + 1, answer_to=state.get("answer_to"))


def p(op: str, rev: int, **extra: Any) -> Payload:
    """A card button's payload: an op, the card's revision and a few short values."""
    return {"op": op, "rev": rev, **extra}


def rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def short(text: str) -> str:
    """A button label that fits: long texts end in an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1].rstrip() + "…"
