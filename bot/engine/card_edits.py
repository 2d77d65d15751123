"""Fixing the note card: nothing wrong stays.

From the card's Edit menu the user can change when it happened and what kind
of contact it was; for each person, who they are, their company and role,
and whether they were met or only mentioned; the date of any plan or promise;
and add, edit or drop any item or detail. Typed answers (a name, a date, a
role, a detail) go through one short flow that any command ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain.humanize import day, moment
from bot.domain.model import Exchange, FactKind, InteractionKind
from bot.domain.notes.affiliation import corrected_affiliation
from bot.domain.notes.dates import find_dates
from bot.domain.notes.extractor import settle_items
from bot.domain.notes.facts import detail_kind
from bot.domain.notes.kinds import meeting_time
from bot.domain.notes.matching import rank_contacts, sure_choice
from bot.domain.notes.reading import DatedItem, Detail, NoteReading, PersonMention
from bot.engine.card_state import bump, current, p, rows, short
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

ANSWER_FLOW = "card.answer"
DATED_FIELDS = ("events", "promises", "offers", "next_steps", "gratitude")
ITEM_FIELDS = (*DATED_FIELDS, "details", "birthdays")
MAX_DETAIL = 200
# What to type, shown in the reply field (Telegram's ForceReply placeholder).
_HINTS = {
    "date": "e.g. next Tuesday",
    "person": "e.g. Maria Lopez",
    "when": "e.g. yesterday 9am",
    "affil": "e.g. Head of Design at Miro",
    "detail": "e.g. loves bouldering",
}
Render = Callable[..., Reply]


def register(router: Router, render: Render) -> None:
    """Register the card's fixes; `render` shows the card again after each one."""

    def changed(turn: Turn, reading: NoteReading, note: str = "") -> list[Reply]:
        bump(turn, reading)
        # Redrawn in place of the pressed message (after a typed answer, as a new one).
        return in_place([render(turn, note=note, reading=reading)])

    def gone(turn: Turn) -> list[Reply]:
        return [turn.notice("card/gone")]

    @router.action("card.edit")
    def edit(turn: Turn, payload: Payload) -> list[Reply]:
        reading = current(turn, payload)
        return in_place([_edit_menu(turn, reading, payload["rev"])]) if reading else gone(turn)

    @router.action("card.back")
    def back(turn: Turn, payload: Payload) -> list[Reply]:
        return in_place([render(turn)]) if current(turn, payload) else gone(turn)

    @router.action("card.drop")
    def drop(turn: Turn, payload: Payload) -> list[Reply]:
        reading = current(turn, payload)
        items = _items(reading, payload)
        if reading is None or items is None:
            return gone(turn)
        del items[payload["index"]]
        return changed(turn, reading)

    @router.action("card.kind")
    def kind(turn: Turn, payload: Payload) -> list[Reply]:
        reading = current(turn, payload)
        if reading is None:
            return gone(turn)
        kinds = list(InteractionKind)
        if "kind" not in payload:
            rev = payload["rev"]
            # The kind travels as its number: "video call" has a space no token may carry.
            choices = [
                Button(k.value, payload=p("card.kind", rev, kind=n)) for n, k in enumerate(kinds)
            ]
            return in_place([Reply("What kind of contact was it?", rows(choices, per_row=4))])
        chosen = payload["kind"]
        if not isinstance(chosen, int) or not 0 <= chosen < len(kinds):
            return gone(turn)
        reading.kind = kinds[chosen]
        return changed(turn, reading)

    @router.action("card.exch")
    def exchange(turn: Turn, payload: Payload) -> list[Reply]:
        """The give-and-ask choice: what the user gave, an ask, or neither."""
        reading = current(turn, payload)
        if reading is None:
            return gone(turn)
        if "choice" not in payload:
            rev = payload["rev"]
            choices = [*(e.value for e in Exchange), ""]
            labels = [f"gave {c}" if c not in ("ask", "") else c or "neither" for c in choices]
            buttons = [
                Button(label, payload=p("card.exch", rev, choice=c))
                for label, c in zip(labels, choices, strict=True)
            ]
            return in_place(
                [Reply("Was this a give, an ask, or neither?", rows(buttons, per_row=3))]
            )
        choice = str(payload["choice"])
        reading.exchange = Exchange(choice) if choice in {e.value for e in Exchange} else None
        return changed(turn, reading)

    @router.action("card.person")
    def person(turn: Turn, payload: Payload) -> list[Reply]:
        """What can change about one person: who they are, affiliation, met or mentioned."""
        found = _indexed(turn, payload, "people")
        if found is None:
            return gone(turn)
        reading, index = found
        return in_place([_person_menu(turn, reading, index, payload["rev"])])

    @router.action("card.pick")
    def pick(turn: Turn, payload: Payload) -> list[Reply]:
        found = _indexed(turn, payload, "people")
        if found is None:
            return gone(turn)
        reading, index = found
        mention = reading.people[index]
        choice = payload["contact"]
        if choice == "remove":
            _rename(reading, mention.name, "")
            del reading.people[index]
            return changed(turn, reading)
        contact = turn.store.contact(choice) if choice else None
        new_name = contact.name if contact else mention.name
        _rename(reading, mention.name, new_name)
        mention.name, mention.contact_id, mention.candidates = new_name, choice or None, []
        return changed(turn, reading)

    @router.action("card.present")
    def present(turn: Turn, payload: Payload) -> list[Reply]:
        """Move someone between "met" and "only mentioned"."""
        reading = current(turn, payload)
        index = payload.get("index")
        met = bool(payload.get("value"))
        source = (reading.mentioned if met else reading.people) if reading else []
        if reading is None or not isinstance(index, int) or index >= len(source):
            return gone(turn)
        mention = source.pop(index)
        (reading.people if met else reading.mentioned).append(mention)
        reading.unsure = [n for n in reading.unsure if n != mention.name]
        if not met:
            settle_items(reading)  # what they do is not kept; promises go to who was met
        return changed(turn, reading)

    @router.action("card.unmention")
    def unmention(turn: Turn, payload: Payload) -> list[Reply]:
        found = _indexed(turn, payload, "mentioned")
        if found is None:
            return gone(turn)
        reading, index = found
        del reading.mentioned[index]
        return changed(turn, reading)

    @router.action("card.mentioned")
    def mentioned(turn: Turn, payload: Payload) -> list[Reply]:
        found = _indexed(turn, payload, "mentioned")
        if found is None:
            return gone(turn)
        reading, index = found
        rev = payload["rev"]
        name = reading.mentioned[index].name
        buttons = (
            (Button("They were there too", payload=p("card.present", rev, index=index, value=1)),),
            (Button("Not in this note", payload=p("card.unmention", rev, index=index)),),
            (Button("Back to the card", payload=p("card.back", rev)),),
        )
        return in_place([turn.say("card/mentioned", name=name, buttons=buttons)])

    @router.action("card.about")
    def about(turn: Turn, payload: Payload) -> list[Reply]:
        """Add a detail: first whom it is about, when the note has several people."""
        reading = current(turn, payload)
        if reading is None:
            return gone(turn)
        rev = payload["rev"]
        if len(reading.people) > 1 and "person" not in payload:
            choices = [
                Button(short(m.name), payload=p("card.about", rev, person=i))
                for i, m in enumerate(reading.people)
            ]
            return in_place([Reply("Whom is the detail about?", rows(choices, per_row=2))])
        return ask(turn, {**payload, "what": "detail", "index": None})

    @router.action("card.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        """Ask the user to type a name, a date, a role, a time or a detail for the card."""
        reading = current(turn, payload)
        if reading is None:
            return gone(turn)
        what = payload["what"]
        turn.start_flow(ANSWER_FLOW, **{k: v for k, v in payload.items() if k != "op"})
        context: dict[str, Any] = {"what": what, "name": "", "text": ""}
        index = payload.get("index")
        if what == "affil" and isinstance(index, int) and index < len(reading.people):
            context["name"] = reading.people[index].name
        if what == "detail" and isinstance(index, int) and index < len(reading.details):
            context["text"] = reading.details[index].text
        hint = _HINTS.get(what, "")
        return [replace(turn.say("card/ask", **context), placeholder=hint)]

    @router.flow(ANSWER_FLOW, ends_on_command=True)
    def answer(turn: Turn, text: str) -> list[Reply]:
        flow = turn.flow() or {}
        turn.end_flow()
        reading = current(turn, flow)
        if reading is None:
            return gone(turn)
        what = flow.get("what")
        if what == "date":
            return _set_item_date(turn, reading, flow, text, changed)
        if what == "when":
            return _set_when(turn, reading, flow, text, changed)
        if what == "affil":
            return _set_affiliation(turn, reading, flow, text, changed)
        if what == "detail":
            return _set_detail(turn, reading, flow, text, changed)
        return _set_person(turn, reading, flow.get("index"), text, changed)


Changed = Callable[..., list[Reply]]


def _indexed(turn: Turn, payload: Payload, field: str) -> tuple[NoteReading, int] | None:
    """The open card's reading and the index a button names into `field`, if still valid."""
    reading = current(turn, payload)
    index = payload.get("index")
    items = getattr(reading, field) if reading is not None else []
    if reading is None or not isinstance(index, int) or not 0 <= index < len(items):
        return None
    return reading, index


def _items(reading: NoteReading | None, payload: Payload) -> list[Any] | None:
    field = payload.get("field")
    index = payload.get("index")
    if reading is None or field not in ITEM_FIELDS or not isinstance(index, int):
        return None
    items: list[Any] = getattr(reading, field)
    return items if 0 <= index < len(items) else None


def _again(turn: Turn, flow: dict[str, Any], template: str, text: str) -> list[Reply]:
    """Keep the card as it was and ask again rather than guess."""
    turn.start_flow(ANSWER_FLOW, **{k: v for k, v in flow.items() if k != "name"})
    return [turn.say(template, text=text)]


def _set_item_date(
    turn: Turn, reading: NoteReading, flow: dict[str, Any], text: str, changed: Changed
) -> list[Reply]:
    items = _items(reading, flow)
    if items is None:
        return [turn.say("card/gone")]
    item: DatedItem = items[flow["index"]]
    today = turn.local(turn.now).date()
    on = next((m.on for m in find_dates(text, today) if m.on), None)
    if on is None:
        return _again(turn, flow, "card/bad_date", text)
    item.on, item.date_text = on, text
    item.approximate = False  # the user named the day
    item.past = on < today if flow.get("field") == "events" else item.past
    return changed(turn, reading)


def _set_when(
    turn: Turn, reading: NoteReading, flow: dict[str, Any], text: str, changed: Changed
) -> list[Reply]:
    found = meeting_time(text, now=turn.now, zone=turn.zone)
    if found is None:
        return _again(turn, flow, "card/bad_when", text)
    reading.occurred_at, reading.time_said = found
    reading.planned = False  # a time that has passed: it happened, so it is logged
    return changed(turn, reading)


def _set_affiliation(
    turn: Turn, reading: NoteReading, flow: dict[str, Any], text: str, changed: Changed
) -> list[Reply]:
    index = flow.get("index")
    if not isinstance(index, int) or index >= len(reading.people):
        return [turn.say("card/gone")]
    mention = reading.people[index]
    mention.role, mention.company = corrected_affiliation(mention.role, mention.company, text)
    return changed(turn, reading)


def _set_detail(
    turn: Turn, reading: NoteReading, flow: dict[str, Any], text: str, changed: Changed
) -> list[Reply]:
    words = " ".join(text.split())
    if not words or len(words) > MAX_DETAIL:
        return _again(turn, flow, "card/bad_detail", words[:40])
    index = flow.get("index")
    if isinstance(index, int):
        if index >= len(reading.details):
            return [turn.say("card/gone")]
        old = reading.details[index]
        reading.details[index] = replace(old, text=words, kind=detail_kind(words, old.kind))
        return changed(turn, reading)
    person = flow.get("person")
    owner = (
        reading.people[person].name
        if isinstance(person, int) and person < len(reading.people)
        else (reading.people[0].name if reading.people else "")
    )
    reading.details.append(
        Detail(kind=detail_kind(words, FactKind.OTHER), text=words, person=owner)
    )
    return changed(turn, reading)


def _set_person(
    turn: Turn, reading: NoteReading, index: int | None, name: str, changed: Changed
) -> list[Reply]:
    name = " ".join(name.split())[:80]
    ranked = rank_contacts(name, turn.store.contacts())
    chosen = sure_choice(ranked)
    mention = PersonMention(name=name)
    if chosen is not None:
        mention = PersonMention(name=chosen.name, contact_id=chosen.id)
    elif ranked:
        mention.candidates = [m.contact.id for m in ranked]
    if index is None:
        reading.people.append(mention)
    elif index < len(reading.people):
        _rename(reading, reading.people[index].name, mention.name)
        old = reading.people[index]
        mention.company, mention.role = old.company, old.role
        reading.people[index] = mention
    else:
        return [turn.say("card/gone")]
    return changed(turn, reading)


def _rename(reading: NoteReading, old: str, new: str) -> None:
    for field in ITEM_FIELDS:
        for item in getattr(reading, field):
            if item.person == old:
                item.person = new


def _edit_menu(turn: Turn, reading: NoteReading, rev: int) -> Reply:
    when = turn.local(reading.occurred_at or turn.now)
    buttons = [
        Button(f"When: {said_when(when, reading)}", payload=p("card.ask", rev, what="when")),
        Button(f"Kind: {reading.kind.value}", payload=p("card.kind", rev)),
        Button(
            f"Give/ask: {reading.exchange.value if reading.exchange else 'neither'}",
            payload=p("card.exch", rev),
        ),
    ]
    buttons += [
        Button(f"Person: {short(m.name)}", payload=p("card.person", rev, index=i))
        for i, m in enumerate(reading.people)
    ]
    buttons += [
        Button(f"Mentioned: {short(m.name)}", payload=p("card.mentioned", rev, index=i))
        for i, m in enumerate(reading.mentioned)
    ]
    buttons.append(Button("Add a person", payload=p("card.ask", rev, what="person", index=None)))
    for field in DATED_FIELDS:
        for i, item in enumerate(getattr(reading, field)):
            ask = p("card.ask", rev, what="date", field=field, index=i)
            buttons.append(Button(f"Date: {short(item.text)}", payload=ask))
    for i, detail in enumerate(reading.details):
        ask = p("card.ask", rev, what="detail", index=i)
        buttons.append(Button(f"Edit: {short(detail.text)}", payload=ask))
    for field in ITEM_FIELDS:
        for i, item in enumerate(getattr(reading, field)):
            drop = p("card.drop", rev, field=field, index=i)
            buttons.append(Button(f"Drop: {short(item.text)}", payload=drop))
    if reading.people:
        buttons.append(Button("Add a detail", payload=p("card.about", rev)))
    menu = (*rows(buttons, per_row=2), (Button("Back to the card", payload=p("card.back", rev)),))
    return Reply("What should I fix?", menu)


def _person_menu(turn: Turn, reading: NoteReading, index: int, rev: int) -> Reply:
    """Who the person is (a contact, someone new, another name), their work, met or not."""
    mention = reading.people[index]
    known = turn.store.contacts()
    by_id = {c.id: c for c in known}
    options = [by_id[c] for c in mention.candidates if c in by_id]
    options += [m.contact for m in rank_contacts(mention.name, known)]
    recent = sorted(known, key=lambda c: c.last_interaction_at or c.created_at, reverse=True)
    seen: set[str] = set()
    buttons = []
    for contact in [*options, *recent]:
        if contact.id in seen or len(seen) >= 6:
            continue
        seen.add(contact.id)
        label = f"{contact.name} ({contact.company})" if contact.company else contact.name
        buttons.append(
            Button(short(label), payload=p("card.pick", rev, index=index, contact=contact.id))
        )
    if mention.contact_id is not None or mention.candidates:
        buttons.append(
            Button(
                f"New: {short(mention.name)}", payload=p("card.pick", rev, index=index, contact="")
            )
        )
    buttons += [
        Button("Type another name", payload=p("card.ask", rev, what="person", index=index)),
        Button("Company / role", payload=p("card.ask", rev, what="affil", index=index)),
        Button("Only mentioned, not met", payload=p("card.present", rev, index=index, value=0)),
        Button("Not there: remove", payload=p("card.pick", rev, index=index, contact="remove")),
        Button("Back to the card", payload=p("card.back", rev)),
    ]
    about = [mention.role, mention.company]
    return turn.say(
        "card/which",
        name=mention.name,
        about=" at ".join(a for a in about if a),
        buttons=rows(buttons, per_row=1),
    )


def said_when(when: datetime, reading: NoteReading) -> str:
    """When the meeting was, with the time of day only if the note gave one."""
    return moment(when) if reading.time_said else day(when.date())
