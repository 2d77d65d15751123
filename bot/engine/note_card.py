"""The confirmation card: what the coach understood from a note, fixable in a tap or two.

A plain message (or a /log the coach can't save without asking) becomes an
unsaved card in the user's store. Nothing is saved until Save. Every button
carries the card's revision, so a button from an older version of the card
can't drop or change the wrong item.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain.model import Exchange, InteractionKind
from bot.domain.notes.dates import find_dates
from bot.domain.notes.extractor import read_note
from bot.domain.notes.people import match_contacts
from bot.domain.notes.reading import DatedItem, NoteReading, PersonMention
from bot.engine.journal import confirmation, save_reading, unresolved_people
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.storage.records import from_record, to_record

CARD_STATE = "card"
ANSWER_FLOW = "card.answer"
DATED_FIELDS = ("events", "promises", "offers", "gratitude")
ITEM_FIELDS = (*DATED_FIELDS, "details")
LABEL_WIDTH = 28


def show(turn: Turn, reading: NoteReading) -> list[Reply]:
    """Store `reading` as the unsaved card (replacing any older one) and show it."""
    old = turn.store.state(CARD_STATE)
    _put(turn, reading, rev=(old["rev"] + 1) if old else 1)
    if old is None:
        return [_render(turn)]
    # Say so: the user may not have noticed the earlier card was never saved.
    earlier = from_record(NoteReading, old["reading"]).text
    return [_render(turn, note=f"This replaces your unsaved note: “{_short(earlier)}”")]


def register(router: Router) -> None:
    """Register the card's plain-text entry, its buttons and its typed answers."""

    def read_plain(turn: Turn, text: str) -> list[Reply]:
        reading = read_note(
            text, now=turn.now, timezone=turn.profile.timezone, contacts=turn.store.contacts()
        )
        return show(turn, reading)

    router.plain_text = read_plain

    @router.action("card.save")
    def save(turn: Turn, payload: Payload) -> list[Reply]:
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        if not reading.people or unresolved_people(reading):
            return in_place([_render(turn, note="Tell me who it was with first.")])
        turn.store.set_state(CARD_STATE, None)
        # The card becomes the receipt: what was saved, with Undo, in one message.
        return confirmation(turn, save_reading(turn, reading), receipt=True)

    @router.action("card.cancel")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        if _current(turn, payload) is None:
            return [turn.notice("card/gone")]
        turn.store.set_state(CARD_STATE, None)
        if (turn.flow() or {}).get("name") == ANSWER_FLOW:
            turn.end_flow()
        return in_place([turn.say("card/cancelled")])

    @router.action("card.edit")
    def edit(turn: Turn, payload: Payload) -> list[Reply]:
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        return in_place([_edit_menu(turn, reading, payload["rev"])])

    @router.action("card.back")
    def back(turn: Turn, payload: Payload) -> list[Reply]:
        return in_place([_render(turn)]) if _current(turn, payload) else [turn.notice("card/gone")]

    @router.action("card.drop")
    def drop(turn: Turn, payload: Payload) -> list[Reply]:
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        items: list[Any] = getattr(reading, payload["field"])
        del items[payload["index"]]
        return _changed(turn, reading)

    @router.action("card.kind")
    def kind(turn: Turn, payload: Payload) -> list[Reply]:
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        if "kind" not in payload:
            rev = payload["rev"]
            rows = _rows(
                [
                    Button(k.value, payload={"op": "card.kind", "rev": rev, "kind": k.value})
                    for k in InteractionKind
                ],
                per_row=4,
            )
            return in_place([Reply("What kind of contact was it?", rows)])
        reading.kind = InteractionKind(payload["kind"])
        return _changed(turn, reading)

    @router.action("card.exch")
    def exchange(turn: Turn, payload: Payload) -> list[Reply]:
        """The give-and-ask choice: what the user gave, an ask, or neither."""
        reading = _current(turn, payload)
        if reading is None:
            return [turn.say("card/gone")]
        if "choice" not in payload:
            rev = payload["rev"]
            choices = [*(e.value for e in Exchange), ""]
            labels = [f"gave {c}" if c not in ("ask", "") else c or "neither" for c in choices]
            buttons = [
                Button(label, payload={"op": "card.exch", "rev": rev, "choice": c})
                for label, c in zip(labels, choices, strict=True)
            ]
            return [Reply("Was this a give, an ask, or neither?", _rows(buttons, per_row=3))]
        choice = str(payload["choice"])
        reading.exchange = Exchange(choice) if choice in {e.value for e in Exchange} else None
        return _changed(turn, reading)

    @router.action("card.person")
    def person(turn: Turn, payload: Payload) -> list[Reply]:
        """Offer who a mention could be: its candidates, recent contacts, someone new."""
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        index = payload["index"]
        mention = reading.people[index]
        return in_place([_person_choices(turn, reading, index, payload["rev"], mention)])

    @router.action("card.pick")
    def pick(turn: Turn, payload: Payload) -> list[Reply]:
        reading = _current(turn, payload)
        if reading is None:
            return [turn.notice("card/gone")]
        mention = reading.people[payload["index"]]
        choice = payload["contact"]
        if choice == "remove":
            _rename(reading, mention.name, "")
            del reading.people[payload["index"]]
            return _changed(turn, reading)
        contact = turn.store.contact(choice) if choice else None
        new_name = contact.name if contact else mention.name
        _rename(reading, mention.name, new_name)
        mention.name, mention.contact_id, mention.candidates = new_name, choice or None, []
        return _changed(turn, reading)

    @router.action("card.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        """Ask the user to type a name or a date for the card."""
        if _current(turn, payload) is None:
            return [turn.notice("card/gone")]
        turn.start_flow(ANSWER_FLOW, **{k: v for k, v in payload.items() if k != "op"})
        hint = "e.g. next Tuesday" if payload["what"] == "date" else "e.g. Maria Lopez"
        return [replace(turn.say("card/ask", what=payload["what"]), placeholder=hint)]

    @router.flow(ANSWER_FLOW, ends_on_command=True)
    def answer(turn: Turn, text: str) -> list[Reply]:
        flow = turn.flow() or {}
        turn.end_flow()
        reading = _current(turn, flow)
        if reading is None:
            return [turn.notice("card/gone")]
        if flow["what"] == "date":
            return _set_date(turn, reading, flow, text)
        return _set_person(turn, reading, flow.get("index"), text)


def _set_date(turn: Turn, reading: NoteReading, flow: dict[str, Any], text: str) -> list[Reply]:
    item: DatedItem = getattr(reading, flow["field"])[flow["index"]]
    on = next((m.on for m in find_dates(text, turn.local(turn.now).date()) if m.on), None)
    if on is None:
        # Keep the card as it was and ask again rather than guess a date.
        turn.start_flow(ANSWER_FLOW, **{k: v for k, v in flow.items() if k != "name"})
        return [turn.say("card/bad_date", text=text)]
    item.on, item.date_text = on, text
    return _changed(turn, reading)


def _set_person(turn: Turn, reading: NoteReading, index: int | None, name: str) -> list[Reply]:
    matches = match_contacts(name, turn.store.contacts())
    mention = PersonMention(name=name.strip())
    if len(matches) == 1:
        mention = PersonMention(name=matches[0].name, contact_id=matches[0].id)
    elif matches:
        mention.candidates = [c.id for c in matches]
    if index is None:
        reading.people.append(mention)
    else:
        _rename(reading, reading.people[index].name, mention.name)
        reading.people[index] = mention
    return _changed(turn, reading)


def _rename(reading: NoteReading, old: str, new: str) -> None:
    for field in ITEM_FIELDS:
        for item in getattr(reading, field):
            if item.person == old:
                item.person = new


def _current(turn: Turn, payload: dict[str, Any]) -> NoteReading | None:
    """Return the card's reading if `payload` belongs to its current revision."""
    state = turn.store.state(CARD_STATE)
    if state is None or state["rev"] != payload.get("rev"):
        return None
    return from_record(NoteReading, state["reading"])


def _put(turn: Turn, reading: NoteReading, rev: int) -> None:
    turn.store.set_state(CARD_STATE, {"rev": rev, "reading": to_record(reading)})


def _changed(turn: Turn, reading: NoteReading) -> list[Reply]:
    """Save the changed card and redraw it (in place of the pressed message, after a press)."""
    state = turn.store.state(CARD_STATE)
    _put(turn, reading, rev=(state["rev"] if state else 0) + 1)
    return in_place([_render(turn)])


def _render(turn: Turn, note: str = "") -> Reply:
    state = turn.store.state(CARD_STATE)
    assert state is not None
    reading = from_record(NoteReading, state["reading"])
    rev = state["rev"]
    rows: list[tuple[Button, ...]] = []
    contacts = {c.id: c for c in turn.store.contacts()}
    for index, mention in enumerate(reading.people):
        if mention.contact_id is None and mention.candidates:
            rows.append(
                (Button(f"Which {mention.name}?", payload=_p("card.person", rev, index=index)),)
            )
    if not reading.people:
        rows.append(
            (Button("Who was it with?", payload=_p("card.ask", rev, what="person", index=None)),)
        )
    rows.append(
        (
            Button("Save", payload=_p("card.save", rev)),
            Button("Edit", payload=_p("card.edit", rev)),
            Button("Cancel", payload=_p("card.cancel", rev)),
        )
    )
    return turn.say(
        "card/card",
        reading=reading,
        contacts=contacts,
        when=turn.local(reading.occurred_at or turn.now),
        note=note,
        buttons=tuple(rows),
    )


def _edit_menu(turn: Turn, reading: NoteReading, rev: int) -> Reply:
    buttons = [
        Button(f"Person: {_short(p.name)}", payload=_p("card.person", rev, index=i))
        for i, p in enumerate(reading.people)
    ]
    buttons.append(Button("Add a person", payload=_p("card.ask", rev, what="person", index=None)))
    buttons.append(Button(f"Kind: {reading.kind.value}", payload=_p("card.kind", rev)))
    ledger = reading.exchange.value if reading.exchange else "neither"
    buttons.append(Button(f"Give/ask: {ledger}", payload=_p("card.exch", rev)))
    for field in DATED_FIELDS:
        for i, item in enumerate(getattr(reading, field)):
            buttons.append(
                Button(
                    f"Date: {_short(item.text)}",
                    payload=_p("card.ask", rev, what="date", field=field, index=i),
                )
            )
    for field in ITEM_FIELDS:
        for i, item in enumerate(getattr(reading, field)):
            buttons.append(
                Button(
                    f"Drop: {_short(item.text)}", payload=_p("card.drop", rev, field=field, index=i)
                )
            )
    rows = [*_rows(buttons, per_row=2), (Button("Back to the card", payload=_p("card.back", rev)),)]
    return Reply("What should I fix?", tuple(rows))


def _person_choices(
    turn: Turn, reading: NoteReading, index: int, rev: int, mention: PersonMention
) -> Reply:
    known = turn.store.contacts()
    by_id = {c.id: c for c in known}
    options = [by_id[c] for c in mention.candidates if c in by_id]
    options += match_contacts(mention.name, known)
    recent = sorted(known, key=lambda c: c.last_interaction_at or c.created_at, reverse=True)
    seen: set[str] = set()
    buttons = []
    for contact in [*options, *recent]:
        if contact.id in seen or len(seen) >= 6:
            continue
        seen.add(contact.id)
        label = f"{contact.name} ({contact.company})" if contact.company else contact.name
        buttons.append(
            Button(_short(label), payload=_p("card.pick", rev, index=index, contact=contact.id))
        )
    buttons.append(
        Button(
            f"New: {_short(mention.name)}", payload=_p("card.pick", rev, index=index, contact="")
        )
    )
    buttons.append(
        Button("Type another name", payload=_p("card.ask", rev, what="person", index=index))
    )
    buttons.append(
        Button("Not there: remove", payload=_p("card.pick", rev, index=index, contact="remove"))
    )
    return turn.say("card/which", name=mention.name, buttons=_rows(buttons, per_row=1))


def _p(op: str, rev: int, **extra: Any) -> Payload:
    return {"op": op, "rev": rev, **extra}


def _rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _short(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1].rstrip() + "…"
