"""After a log: one short reflection question tied to a pillar; the answer goes on the contact.

The question rotates through the pillars, so over time the user thinks about
each kind of value a relationship holds. The answer (or a Skip) ends it; a
reply that comes much later is treated as a new message, not an answer.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from jinja2 import TemplateError

from bot.domain.content.pillars import Pillar
from bot.domain.model import InteractionKind
from bot.domain.notes.reading import NoteReading
from bot.engine.card_state import MAYBE_ANSWER_STATE
from bot.engine.content.drafts import safe_render
from bot.engine.journal import SavedLog
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.templates import TemplateMeta

FLOW = "content.reflection"
ROTATION_STATE = "content.reflection"
# After this, text is a new note or question, not an answer to the reflection.
ANSWER_WINDOW = timedelta(hours=2)
MAX_NOTES = 50
MAX_ANSWER_CHARS = 1000
# Typed instead of pressing Skip (the terminal user, or a habit).
SKIP_WORDS = re.compile(
    r"(?:skip|pass|no|nope|nothing|none|n/?a|-|later|not now|no thanks|nah)[.!]?", re.I
)

# A button's label or a nod typed back ("save", "ok", "thanks"): no reflection to keep.
ACK_WORDS = re.compile(
    r"(?:save|saved|ok|okay|k|kk|done|thanks|thank you|thx|ty|cool|great|nice|got it|sure|yes|"
    r"yep|👍|🙏|✅)[.!]*",
    re.I,
)
BUTTON_WORDS = re.compile(r"(?:undo|cancel|edit|delete|remove)[.!]?", re.I)


def register(router: Router) -> None:
    """Register the after-log question, its answer flow and its Skip button."""
    router.after_log.append(ask)

    @router.flow(FLOW, ends_on_command=True)
    def answer(turn: Turn, text: str) -> list[Reply]:
        flow = turn.flow() or {}
        asked = _parse_time(flow.get("asked_at"))
        if asked is None or turn.now - asked > ANSWER_WINDOW or reads_as_a_new_note(turn, text):
            # Not an answer: handle it as if no question were open.
            turn.end_flow()
            if asked is not None and turn.now - asked <= ANSWER_WINDOW:
                # The note card offers one tap to keep it as the answer after all.
                turn.store.set_state(MAYBE_ANSWER_STATE, {"contacts": flow.get("contacts", [])})
            if turn.router.plain_text is not None:
                return turn.router.plain_text(turn, text)
            return [turn.say("plain_text_hint")]
        if SKIP_WORDS.fullmatch(text.strip()) or ACK_WORDS.fullmatch(text.strip()):
            turn.end_flow()
            return [turn.say("content/reflection_skipped")]
        if BUTTON_WORDS.fullmatch(text.strip()):
            # "undo" typed is a button meant, not a thought to keep: point at the button.
            return [turn.say("content/reflection_button_hint", word=text.strip().lower())]
        if len(text) > MAX_ANSWER_CHARS:
            return [turn.say("content/reflection_too_long", limit=MAX_ANSWER_CHARS)]
        turn.end_flow()
        contact_ids = [str(c) for c in flow.get("contacts", [])]
        note, names = save_answer(turn, contact_ids, text)
        not_an_answer: Payload = {
            "op": "content.reflection.undo",
            "contacts": contact_ids,
            "note": note,
            "text": text,
        }
        return [
            turn.say(
                "content/reflection_saved",
                names=names,
                buttons=((Button("That was a new note", payload=not_an_answer),),) if names else (),
            )
        ]

    @router.action("content.reflection.undo")
    def not_an_answer(turn: Turn, payload: Payload) -> list[Reply]:
        """The user meant a new message: take the note back and handle the text afresh."""
        if not remove_note(
            turn, [str(c) for c in payload.get("contacts", [])], str(payload.get("note", ""))
        ):
            return [turn.notice("stale_button")]
        text = str(payload.get("text", ""))
        if turn.router.plain_text is not None:
            return turn.router.plain_text(turn, text)
        return [turn.say("plain_text_hint")]

    @router.action("content.reflection.skip")
    def skip(turn: Turn, payload: Payload) -> list[Reply]:
        flow = turn.flow()
        if flow is not None and flow.get("name") == FLOW:
            turn.end_flow()
        return [turn.notice("content/reflection_skipped")]


def ask(turn: Turn, saved: SavedLog) -> list[Reply]:
    """Ask one reflection question about the (first) person just logged."""
    if not saved.contacts:
        return []
    pillar = next_pillar(turn)
    names = [
        n
        for n in turn.templates.names("reflection")
        if _pillar_of(turn, n) == pillar.value and not _answered(turn, n, saved.reading)
    ]
    if not names:
        return []
    # Within a pillar, vary by interaction so two logs in a row differ.
    name = names[sum(map(ord, saved.interaction.id)) % len(names)]
    # One person, named: the questions read naturally and the answer has one home.
    person = saved.contacts[0]
    question = safe_render(turn.templates, name, first_name=person.first_name)
    if not question:
        return []  # a broken (user-edited) question must not spoil the log itself
    turn.start_flow(
        FLOW,
        contacts=[person.id],
        asked_at=turn.now.isoformat(),
        question=question,
    )
    return [
        turn.say(
            "content/reflection_question",
            question=question,
            pillar=pillar.label,
            buttons=((Button("Skip", payload={"op": "content.reflection.skip"}),),),
        )
    ]


# What a question may say the note already answers (its `answered_by` metadata).
_ANSWERABLE = frozenset({"promises", "offers", "gratitude", "next_steps", "events"})


def _answered(turn: Turn, name: str, reading: NoteReading) -> bool:
    """Whether the note already answers the question: "Did you promise Ana anything?"
    right after a note that promised her something reads as not having listened."""
    meta = _meta(turn, name)
    fields = meta.extra.get("answered_by", ()) if meta is not None else ()
    if not isinstance(fields, list | tuple):
        return False
    return any(f in _ANSWERABLE and getattr(reading, f) for f in fields)


def _pillar_of(turn: Turn, name: str) -> str:
    meta = _meta(turn, name)
    return meta.pillar if meta is not None else ""


def _meta(turn: Turn, name: str) -> TemplateMeta | None:
    try:
        return turn.templates.meta(name)
    except (ValueError, TemplateError):
        return None  # a broken user-edited question is skipped


def next_pillar(turn: Turn) -> Pillar:
    """The pillar after the one asked about last time."""
    state = turn.store.state(ROTATION_STATE) or {}
    pillars = list(Pillar)
    last = state.get("last")
    at = pillars.index(Pillar(last)) + 1 if last in pillars else 0
    following = pillars[at % len(pillars)]
    turn.store.set_state(ROTATION_STATE, {"last": following.value})
    return following


def reads_as_a_new_note(turn: Turn, text: str) -> bool:
    """Tell whether `text` is a meeting note ("Lunch with Tom...") rather than an answer."""
    reading = turn.read_note(text)
    return bool(reading.people) and reading.kind is not InteractionKind.OTHER


def save_answer(turn: Turn, contact_ids: list[str], text: str) -> tuple[str, list[str]]:
    """Add the answer to each contact's notes, dated; return the note and their names."""
    note = f"Reflection {turn.local(turn.now).date().isoformat()}: {' '.join(text.split())}"
    names = []
    for contact_id in contact_ids:
        contact = turn.store.contact(contact_id)
        if contact is None:
            continue
        contact.notes = [*contact.notes, note][-MAX_NOTES:]
        turn.store.save_contact(contact)
        names.append(contact.first_name)
    return note, names


def remove_note(turn: Turn, contact_ids: list[str], note: str) -> bool:
    """Remove `note` from each contact's notes; tell whether any had it."""
    removed = False
    for contact_id in contact_ids:
        contact = turn.store.contact(contact_id)
        if contact is None or note not in contact.notes:
            continue
        kept = list(contact.notes)
        del kept[len(kept) - 1 - kept[::-1].index(note)]
        contact.notes = kept
        turn.store.save_contact(contact)
        removed = True
    return removed


def _parse_time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
