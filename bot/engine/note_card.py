"""The confirmation card: what the coach understood from a note, fixable in a tap or two.

A plain message (or a /log the coach can't save without asking) becomes an
unsaved card in the user's store. Nothing is saved until Save. Every button
carries the card's revision, so a button from an older version of the card
can't drop or change the wrong item. The fixes themselves live in
bot/engine/card_edits.py; this module shows, saves and discards the card.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.content.restating import restates
from bot.domain.model import Contact, InteractionKind
from bot.domain.notes.reading import NoteReading
from bot.engine import card_edits, planned_meeting
from bot.engine.card_state import CARD_STATE, MAYBE_ANSWER_STATE, current, p, put, short
from bot.engine.content.reflection import save_answer
from bot.engine.journal import confirmation, save_reading, unresolved_people
from bot.engine.planned_meeting import save_plan
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.storage.records import from_record

_BARE_NUMBER = re.compile(r"\d{1,3}")
_THANKS = re.compile(r"\b(?:thanks?|thx|ty|cheers|merci|danke|gracias)\b", re.I)
_GREETING = re.compile(r"^\W*(?:hi|hey|hello|hiya|yo|good\s+(?:morning|afternoon|evening))\b", re.I)
# Everything a note can say beyond a kind and a time: any of it makes the text a note.
_ITEM_FIELDS = (
    "people",
    "mentioned",
    "events",
    "promises",
    "offers",
    "gratitude",
    "next_steps",
    "details",
    "birthdays",
)


def show(turn: Turn, reading: NoteReading, *, note: str = "") -> list[Reply]:
    """Store `reading` as the unsaved card (replacing any older one) and show it."""
    old = turn.store.state(CARD_STATE)
    answer_to = turn.store.state(MAYBE_ANSWER_STATE)
    if answer_to is not None:
        turn.store.set_state(MAYBE_ANSWER_STATE, None)
    put(turn, reading, rev=(old["rev"] + 1) if old else 1, answer_to=answer_to)
    if old is not None:
        # Say so: the user may not have noticed the earlier card was never saved.
        earlier = short(card_reading(old).text)
        note = f"This replaces your unsaved note: “{earlier}”" + (f"\n{note}" if note else "")
    return [render(turn, note=note, reading=reading)]


def discard(turn: Turn) -> bool:
    """Throw the open card away (for /cancel); tell whether there was one."""
    if turn.store.state(CARD_STATE) is None:
        return False
    turn.store.set_state(CARD_STATE, None)
    flow = turn.flow() or {}
    if flow.get("name") == card_edits.ANSWER_FLOW:
        turn.end_flow()
    return True


def is_small_talk(reading: NoteReading) -> bool:
    """True when the text names no one, no kind of meeting and nothing worth keeping."""
    if reading.kind is not InteractionKind.OTHER or reading.occasion:
        return False  # "had lunch" is a note whose person is still to say
    return not any(getattr(reading, name) for name in _ITEM_FIELDS)


def needs_a_look(reading: NoteReading) -> str:
    """Why /log can't save this reading without the card ("" when it can)."""
    if not reading.people:
        return "Tell me who it was with first."
    unresolved = unresolved_people(reading)
    if unresolved and all(len(p.candidates) == 1 for p in unresolved):
        # A guess ("Mara" for Maria): nothing goes under anyone until the user says.
        return "Tell me which one you mean first: the person I guessed, or someone new."
    if unresolved:
        return "Tell me which one you mean first."
    if reading.unsure:
        names = ", ".join(reading.unsure)
        return f"I wasn't sure who was there ({names}): check Who and Mentioned, then Save."
    return ""


def register(router: Router) -> None:
    """Register the card's plain-text entry, Save, Cancel and the reflection recovery."""

    def read_plain(turn: Turn, text: str) -> list[Reply]:
        if _BARE_NUMBER.fullmatch(text.strip()):
            # A number only presses a button in the terminal, where one is on screen.
            turn.store.set_state(MAYBE_ANSWER_STATE, None)
            return [turn.say("card/nothing_to_press", number=text.strip())]
        reading = turn.read_note(text)
        if is_small_talk(reading):
            # "thanks!", "ok 👍", "good morning": a word back, not a card to dismiss.
            return [
                turn.say(
                    "card/small_talk",
                    thanks=bool(_THANKS.search(text)),
                    greeting=bool(_GREETING.match(text)),
                )
            ]
        return show(turn, reading, note=needs_a_look(reading) if reading.unsure else "")

    router.plain_text = read_plain
    card_edits.register(router, render)
    planned_meeting.register(router)

    @router.action("card.save")
    def save(turn: Turn, payload: Payload) -> list[Reply]:
        reading = current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        if not reading.people or unresolved_people(reading):
            return in_place([render(turn, note=needs_a_look(reading))])
        turn.store.set_state(CARD_STATE, None)
        if reading.planned:
            return in_place([save_plan(turn, reading)])  # still ahead: nothing is logged
        # The card becomes the receipt: what was saved, with Undo, in one message.
        return confirmation(turn, save_reading(turn, reading), receipt=True)

    @router.action("card.cancel")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        if current(turn, payload) is None:
            return [turn.notice("card/gone")]
        discard(turn)
        return in_place([turn.say("card/cancelled")])

    @router.action("card.answer")
    def keep_as_answer(turn: Turn, payload: Payload) -> list[Reply]:
        """The text was an answer to the reflection question after all: keep it as one."""
        state = turn.store.state(CARD_STATE)
        reading = current(turn, payload)
        if reading is None or state is None or not state.get("answer_to"):
            return [turn.notice("card/gone")]
        contact_ids = [str(c) for c in state["answer_to"].get("contacts", [])]
        discard(turn)
        _, names = save_answer(turn, contact_ids, reading.text)
        return in_place([turn.say("card/kept_as_answer", names=names)])


def _which(
    name: str, candidates: list[str], contacts: dict[str, Contact], rev: int, index: int
) -> tuple[Button, ...]:
    """One guess ("Dan" for Dana): that person or someone new, in one tap; several: a menu."""
    guess = contacts.get(candidates[0]) if len(candidates) == 1 else None
    if guess is None:
        return (Button(f"Which {name}?", payload=p("card.person", rev, index=index)),)
    return (
        Button(short(guess.name), payload=p("card.pick", rev, index=index, contact=guess.id)),
        Button(short(f"Someone new: {name}"), payload=p("card.pick", rev, index=index, contact="")),
    )


def card_reading(state: dict[str, Any]) -> NoteReading:
    return from_record(NoteReading, state["reading"])


def render(turn: Turn, note: str = "", reading: NoteReading | None = None) -> Reply:
    """The open card with its buttons (the card must be open).

    `reading` is the card's own when the caller just stored it: not read back.
    """
    state = turn.store.state(CARD_STATE)
    assert state is not None
    if reading is None:
        reading = card_reading(state)
    rev = state["rev"]
    buttons: list[tuple[Button, ...]] = []
    # The card names only the people a mention may be (not every contact: 1,000 of them).
    guesses = dict.fromkeys(c for mention in reading.people for c in mention.candidates)
    contacts = {c.id: c for cid in guesses if (c := turn.store.contact(cid)) is not None}
    for index, mention in enumerate(reading.people):
        if mention.contact_id is None and mention.candidates:
            buttons.append(_which(mention.name, mention.candidates, contacts, rev, index))
    if not reading.people:
        ask = p("card.ask", rev, what="person", index=None)
        buttons.append((Button("Who was it with?", payload=ask),))
    buttons.append(
        (
            Button("Save", payload=p("card.save", rev)),
            Button("Edit", payload=p("card.edit", rev)),
            Button("Cancel", payload=p("card.cancel", rev)),
        )
    )
    if state.get("answer_to"):
        buttons.append((Button("It was my answer", payload=p("card.answer", rev)),))
    events = [f"{e.text} {e.date_text}" for e in reading.events]
    return turn.say(
        "card/card",
        reading=reading,
        # A detail that only says a listed plan again ("wedding is in june") is listed once.
        details=[d for d in reading.details if not restates(d.text, events)],
        contacts=contacts,
        when=turn.local(reading.occurred_at or turn.now),
        note=note,
        buttons=tuple(buttons),
    )
