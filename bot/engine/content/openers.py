"""/openers <name or context>: what to say when you meet them.

For a person: open loops from past notes first (their event, your promise),
then questions that suit how you usually meet. For a context (conference,
coffee, reunion, online call, first meeting, someone you know well): good
questions for that setting.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bot.domain.content.selection import DraftChoice, candidates
from bot.domain.memory.phrase import Timing
from bot.domain.model import Contact, InteractionKind, Tier
from bot.engine.content.drafts import (
    contact_picture,
    draft_templates,
    render_draft,
    safe_render,
)
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.pickers import recent_people
from bot.engine.replies import PICKED, Button, Payload, Reply, Rows
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.templates import TemplateLibrary

# Words a user may type for each opener context.
CONTEXTS: dict[str, tuple[str, ...]] = {
    "conference": ("conference", "conf", "event", "summit", "meetup", "expo", "festival"),
    "coffee": ("coffee", "a coffee", "tea"),
    "meal": ("lunch", "dinner", "drinks", "breakfast", "brunch", "meal", "a meal"),
    "reunion": ("reunion", "alumni", "old friends", "catch-up", "catch up"),
    "online-call": ("online", "call", "video", "zoom", "online call", "video call", "teams"),
    "first-meeting": ("first", "first meeting", "new", "intro", "introduction", "stranger"),
    "know-well": ("know well", "friend", "close", "old friend", "someone i know well"),
}
CONTEXT_LABELS = {
    "conference": "a conference",
    "coffee": "a coffee",
    "meal": "a meal",
    "reunion": "a reunion",
    "online-call": "an online call",
    "first-meeting": "a first meeting",
    "know-well": "someone you know well",
}
MEALS = (
    InteractionKind.BREAKFAST,
    InteractionKind.LUNCH,
    InteractionKind.DINNER,
    InteractionKind.DRINKS,
)
LOOPS = 3
QUESTIONS = 4


def register(router: Router) -> None:
    """Register /openers."""

    @router.command("openers", "Conversation openers for a meeting", usage="<name or context>")
    def openers(turn: Turn, args: str) -> list[Reply]:
        context = context_named(args)
        if context is not None:
            return [for_context(turn, context)]
        if not args.strip():
            # Bare /openers: tap a person met lately or a kind of meeting.
            picker = recent_people(
                turn, command="openers", op="content.openers", extra_rows=_context_rows()
            )
            usage = turn.say("content/openers_usage", contexts=list(CONTEXT_LABELS.values()))
            return [replace(picker, text=usage.text)]
        found = find_contact(turn, args, command="openers", op="content.openers")
        if found.contact is None:
            return found.replies
        return [for_contact(turn, found.contact)]

    @router.action("content.openers")
    def openers_for(turn: Turn, payload: Payload) -> list[Reply]:
        if str(payload.get("ctx")) in CONTEXT_LABELS:
            return [for_context(turn, str(payload["ctx"]))]
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("content/gone")]
        return [for_contact(turn, contact)]


def _context_rows() -> Rows:
    buttons = [
        Button(label.split(" ", 1)[-1], payload={"op": "content.openers", "ctx": key, PICKED: 1})
        for key, label in CONTEXT_LABELS.items()
    ]
    return tuple(tuple(buttons[i : i + 4]) for i in range(0, len(buttons), 4))


def context_named(words: str) -> str | None:
    """Return the opener context the words name, if any."""
    wanted = " ".join(words.lower().split())
    # "a reunion", "someone you know well": the words the help itself lists.
    wanted = {label: key for key, label in CONTEXT_LABELS.items()}.get(wanted, wanted)
    wanted = re.sub(r"^(?:a|an|the|my)\s+", "", wanted)
    for context, names in CONTEXTS.items():
        if wanted == context or wanted in names:
            return context
    return None


def context_questions(templates: TemplateLibrary, context: str, seed: str, count: int) -> list[str]:
    """`count` questions for `context`, varied from day to day."""
    names = templates.names(f"openers/{context}")
    # Seeded by user and day: the same list all day, a different one tomorrow.
    chosen = random.Random(seed).sample(names, min(count, len(names)))
    return [text for name in sorted(chosen) if (text := safe_render(templates, name))]


def for_context(turn: Turn, context: str) -> Reply:
    """Openers for a kind of meeting."""
    seed = f"{turn.store.user_id}:{turn.now.date()}:{context}"
    return turn.say(
        "content/openers",
        name="",
        setting=CONTEXT_LABELS[context],
        loops=[],
        questions=context_questions(turn.templates, context, seed, QUESTIONS + 1),
    )


def for_contact(turn: Turn, contact: Contact) -> Reply:
    """Open loops with `contact` first, then questions for how you usually meet."""
    picture = contact_picture(turn, contact)
    loop_templates = draft_templates(turn.templates, ["loops"], root="openers")
    # Their event first, then what you owe them, then the rest.
    loops_pool = sorted(candidates(loop_templates, picture, turn.now), key=_loop_rank)
    loops: list[str] = []
    seen_templates: set[str] = set()
    seen_subjects: set[str] = set()
    for choice in loops_pool:
        if choice.template.name in seen_templates or choice.subject in seen_subjects:
            continue
        seen_templates.add(choice.template.name)
        seen_subjects.add(choice.subject)
        text = render_draft(turn.templates, choice, contact.first_name)
        if text:
            loops.append(text)
        if len(loops) == LOOPS:
            break
    context = usual_context(turn, contact)
    seed = f"{turn.store.user_id}:{turn.now.date()}:{contact.id}"
    return turn.say(
        "content/openers",
        name=contact.first_name,
        setting=CONTEXT_LABELS[context],
        loops=loops,
        questions=context_questions(turn.templates, context, seed, QUESTIONS),
    )


LOOP_ORDER = (
    "event",
    "promise",
    "intro",
    "offer",
    "goal",
    "challenge",
    "help",
    "interest",
    "detail",
)


def _loop_rank(choice: DraftChoice) -> tuple[int, int]:
    """Their event first (one that just happened before one ahead), then what you owe them."""
    slots = [f.slot for f in choice.filled]
    ranks = [LOOP_ORDER.index(slot) for slot in slots if slot in LOOP_ORDER]
    just_happened = any(f.detail.timing is Timing.JUST_HAPPENED for f in choice.filled)
    return min(ranks, default=len(LOOP_ORDER)), 0 if just_happened else 1


def usual_context(turn: Turn, contact: Contact) -> str:
    """The setting that fits: how you know them and how you last met."""
    latest = next(turn.store.interactions(contact_id=contact.id), None)
    if latest is None:
        return "first-meeting"
    if contact.tier in (Tier.INNER, Tier.CLOSE):
        return "know-well"
    if latest.kind in (InteractionKind.CALL, InteractionKind.VIDEO_CALL):
        return "online-call"
    if latest.kind in (InteractionKind.EVENT, InteractionKind.CONFERENCE):
        return "conference"
    if latest.kind in MEALS:
        return "meal"
    if turn.now - latest.occurred_at > contact.cadence * 2:
        return "reunion"
    return "coffee"
