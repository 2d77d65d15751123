"""Guided /log: who, what kind, what you talked about, anything to follow up.

A bare /log asks one question at a time, with buttons for the common answers.
The answers live in the user's store as flow state, so a half-finished log
survives a restart. At the end they become one note for the extractor, with
the person and kind the user chose taking precedence over what it guesses,
and are saved like every other log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.ids import new_id
from bot.domain.model import Contact, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.kinds import detect_kind
from bot.domain.notes.matching import rank_contacts, sure_choice
from bot.domain.notes.reading import NoteReading, PersonMention
from bot.domain.notes.text import fold
from bot.engine import note_card
from bot.engine.journal import confirmation, save_reading
from bot.engine.lookup import label
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

FLOW = "guided_log"
RECENT_CONTACTS = 6
MAX_NAME = 80
KIND_CHOICES = (
    InteractionKind.COFFEE,
    InteractionKind.CALL,
    InteractionKind.EVENT,
    InteractionKind.MEETING,
    InteractionKind.MESSAGE,
)
_SAYS_MORE = ("events", "promises", "offers", "gratitude", "next_steps", "details", "birthdays")
WHOLE_NOTE = "That reads like the whole story, so here it is as a note. Save it, or Edit anything."
# The steps in order; each flow button names the step it answers.
WHO, KIND, TALK, FOLLOW_UP = "who", "kind", "talk", "follow_up"

Rows = tuple[tuple[Button, ...], ...]


def start_guided_log(turn: Turn) -> list[Reply]:
    """Start the guided log and ask who it was with."""
    turn.start_flow(FLOW, id=new_id("g"), step=WHO)
    return [_ask_who(turn)]


def register(router: Router) -> None:
    """Register the flow's typed answers and its buttons."""

    @router.flow(FLOW)
    def answer(turn: Turn, text: str) -> list[Reply]:
        state = _state(turn)
        if state is None:  # the router only calls us while the flow runs
            return [turn.say("guided_log/gone")]
        step = state["step"]
        if step == WHO:
            return _typed_name(turn, state, text)
        if step == KIND:
            return _chose_kind(turn, state, *_kind_from_text(text))
        if step == TALK:
            return _next(turn, state, FOLLOW_UP, talked=text)
        return _finish(turn, state, follow_up=text)

    @router.action("guided.who")
    def who(turn: Turn, payload: Payload) -> list[Reply]:
        state = _state(turn, payload, WHO)
        contact = turn.store.contact(str(payload.get("contact", "")))
        if state is None or contact is None:
            return [turn.notice("guided_log/gone")]
        return in_place(_chose_person(turn, state, contact.name, contact.id))

    @router.action("guided.new")
    def someone_new(turn: Turn, payload: Payload) -> list[Reply]:
        state = _state(turn, payload, WHO)
        if state is None:
            return [turn.notice("guided_log/gone")]
        typed = str(state.get("typed", ""))
        if not typed:
            return [turn.notice("guided_log/gone")]
        return in_place(_chose_person(turn, state, typed, None))

    @router.action("guided.kind")
    def kind(turn: Turn, payload: Payload) -> list[Reply]:
        state = _state(turn, payload, KIND)
        if state is None:
            return [turn.notice("guided_log/gone")]
        return in_place(_chose_kind(turn, state, InteractionKind(payload["kind"]), ""))

    @router.action("guided.skip")
    def skip(turn: Turn, payload: Payload) -> list[Reply]:
        state = _state(turn, payload, str(payload.get("step", "")))
        if state is None:
            return [turn.notice("guided_log/gone")]
        if state["step"] == TALK:
            return in_place(_next(turn, state, FOLLOW_UP, talked=""))
        return in_place(_finish(turn, state, follow_up=""))

    @router.action("guided.cancel")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        state = _state(turn, payload)
        if state is None:
            return [turn.notice("guided_log/gone")]
        turn.end_flow()
        return in_place([turn.say("guided_log/cancelled")])


def _state(turn: Turn, payload: Payload | None = None, step: str | None = None) -> Any:
    """Return the running guided log's state, or None if a button belongs to another.

    A button is honoured only while the flow that issued it is still running
    and still at the step it answers: an old button changes nothing.
    """
    state = turn.flow()
    if state is None or state.get("name") != FLOW:
        return None
    if payload is not None and payload.get("flow") != state.get("id"):
        return None
    if step is not None and state.get("step") != step:
        return None
    return state


def _button(state: dict[str, Any], label_text: str, op: str, **data: object) -> Button:
    return Button(label_text, payload={"op": op, "flow": state["id"], **data})


def _cancel_row(state: dict[str, Any]) -> tuple[Button, ...]:
    return (_button(state, "Cancel", "guided.cancel"),)


def _ask_who(turn: Turn) -> Reply:
    state = _state(turn)
    recent = _recent_contacts(turn.store.contacts())
    buttons = [_button(state, label(c), "guided.who", contact=c.id) for c in recent]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return turn.say("guided_log/who", has_recent=bool(recent), buttons=(*rows, _cancel_row(state)))


def _recent_contacts(contacts: list[Contact]) -> list[Contact]:
    def last_seen(contact: Contact) -> datetime:
        return contact.last_interaction_at or contact.created_at

    return sorted(contacts, key=last_seen, reverse=True)[:RECENT_CONTACTS]


def _typed_name(turn: Turn, state: dict[str, Any], text: str) -> list[Reply]:
    name = " ".join(text.split())
    whole = _as_note(turn, name)
    if whole is not None:
        # "coffee with Li Na yesterday" answers every question at once: read it as a note.
        turn.end_flow()
        return note_card.show(turn, whole, note=WHOLE_NOTE)
    if len(name) > MAX_NAME:
        return [turn.say("guided_log/name_too_long", limit=MAX_NAME)]
    ranked = rank_contacts(name, turn.store.contacts())
    chosen = sure_choice(ranked)  # a near spelling or another form ("Jon") is asked
    if chosen is not None:
        return _chose_person(turn, state, chosen.name, chosen.id)
    matches = [m.contact for m in ranked]
    if not matches:
        return _chose_person(turn, state, name, None)
    # Several people, or only a near spelling: let the user say which (or someone new).
    rows = tuple((_button(state, label(c), "guided.who", contact=c.id),) for c in matches[:6])
    # The typed name waits in the flow: a button carries no free text.
    state = {**state, "typed": name}
    turn.start_flow(FLOW, **{k: v for k, v in state.items() if k != "name"})
    new = (_button(state, f"Someone new: {name}", "guided.new"),)
    return [turn.say("guided_log/which", name=name, buttons=(*rows, new, _cancel_row(state)))]


def _as_note(turn: Turn, text: str) -> NoteReading | None:
    """The reading of an answer that is a whole note rather than a name, else None.

    It is a note when it names someone and says more than who: a kind of
    meeting ("coffee with Li Na"), a company, or something worth keeping.
    """
    if len(text.split()) < 3:
        return None  # "Li Na", "Dr. Okafor": a name, however it reads
    reading = read_note(
        text, now=turn.now, timezone=turn.profile.timezone, contacts=turn.store.contacts()
    )
    if not reading.people:
        return None
    says_more = (
        reading.kind is not InteractionKind.OTHER
        or reading.occasion
        or any(p.company or p.role for p in reading.people)
        or any(getattr(reading, name) for name in _SAYS_MORE)
    )
    return reading if says_more else None


def _chose_person(
    turn: Turn, state: dict[str, Any], name: str, contact_id: str | None
) -> list[Reply]:
    return _next(turn, state, KIND, person={"name": name, "contact_id": contact_id})


def _kind_from_text(text: str) -> tuple[InteractionKind, str]:
    """Read a typed answer to "where or what kind": a kind, a place, or both."""
    words = " ".join(text.split())
    for kind in InteractionKind:
        if fold(words) == kind.value:
            return kind, ""
    return detect_kind(words), words


def _chose_kind(
    turn: Turn, state: dict[str, Any], kind: InteractionKind, place: str
) -> list[Reply]:
    return _next(turn, state, TALK, kind=kind.value, place=place)


def _next(turn: Turn, state: dict[str, Any], step: str, **answers: Any) -> list[Reply]:
    """Record answers, move to `step` and ask its question."""
    state = {**state, **answers, "step": step}
    turn.start_flow(FLOW, **{k: v for k, v in state.items() if k != "name"})
    person = state["person"]
    first_name = person["name"].split()[0]
    if step == KIND:
        buttons = [
            _button(state, k.value.capitalize(), "guided.kind", kind=k.value) for k in KIND_CHOICES
        ]
        rows: Rows = (tuple(buttons[:3]), tuple(buttons[3:]), _cancel_row(state))
        return [
            turn.say(
                "guided_log/kind",
                person=person["name"],
                first_name=first_name,
                new=person["contact_id"] is None,
                buttons=rows,
            )
        ]
    skip_label = "Skip" if step == TALK else "Nothing to follow up"
    rows = ((_button(state, skip_label, "guided.skip", step=step), *_cancel_row(state)),)
    return [turn.say(f"guided_log/{step}", first_name=first_name, buttons=rows)]


def _finish(turn: Turn, state: dict[str, Any], *, follow_up: str) -> list[Reply]:
    """Save the answers as a log and end the flow."""
    reading = guided_reading(
        turn,
        person=PersonMention(state["person"]["name"], contact_id=state["person"]["contact_id"]),
        kind=InteractionKind(state["kind"]),
        place=state.get("place", ""),
        talked=state.get("talked", ""),
        follow_up=follow_up,
    )
    turn.end_flow()
    return confirmation(turn, save_reading(turn, reading))


def guided_reading(
    turn: Turn,
    *,
    person: PersonMention,
    kind: InteractionKind,
    place: str,
    talked: str,
    follow_up: str,
) -> NoteReading:
    """Read the answers with the extractor, then impose the chosen person and kind."""
    how = "Met" if kind is InteractionKind.OTHER else kind.value.capitalize()
    opening = f"{how} with {person.name}"
    if place and fold(place) != kind.value:
        opening += f" ({place})"
    # One paragraph of sentences: the note is shown on one line under the person later.
    parts = (part.strip() for part in (opening, talked, follow_up))
    text = " ".join(p if p[-1] in ".!?…" else p + "." for p in parts if p)
    reading = read_note(
        text, now=turn.now, timezone=turn.profile.timezone, contacts=turn.store.contacts()
    )
    _keep_what_extractor_knew(person, reading.people)
    reading.people = [person]
    reading.kind = kind
    # Everything in a one-person log is about that person, whoever the extractor credited.
    for items in (reading.events, reading.promises, reading.offers, reading.gratitude):
        for item in items:
            item.person = person.name
    for detail in reading.details:
        detail.person = person.name
    return reading


def _keep_what_extractor_knew(person: PersonMention, found: list[PersonMention]) -> None:
    """Copy a company or role the note gave for the chosen person."""
    wanted = {fold(person.name), fold(person.name.split()[0]) if person.name.split() else ""}
    for mention in found:
        if (mention.contact_id and mention.contact_id == person.contact_id) or fold(
            mention.name
        ) in wanted:
            person.company = person.company or mention.company
            person.role = person.role or mention.role
