"""Turning what is known about a contact into 2-3 rendered drafts with share buttons.

`suggest_drafts` is the entry point other features use (the reminder ping's
"Suggest a message" button goes through the `content.suggest` action).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from urllib.parse import quote

from jinja2 import TemplateError

from bot.domain.content.details import ALL_SLOTS, ContactPicture, picture_of
from bot.domain.content.history import DraftHistory
from bot.domain.content.pillars import Pillar
from bot.domain.content.selection import GAPS, DraftChoice, DraftTemplate, candidates, choose
from bot.domain.memory.phrase import Form, Timing
from bot.domain.model import Contact, ReminderKind, ReminderStatus
from bot.engine.insight.sent import sent_buttons
from bot.engine.replies import Button, Reply
from bot.engine.turn import Turn
from bot.templates import TemplateLibrary

log = logging.getLogger(__name__)

HISTORY_STATE = "content.drafts"
# Telegram documents share/url?url=…&text=…; desktop clients refuse an empty url, and the
# two parts are sent as "url\ntext", so the draft goes in url, where every client accepts it.
SHARE_URL = "https://t.me/share/url?url="
# What /suggest draws on when the user names no situation.
GENERAL = (
    "congratulations",
    "check-in",
    "follow-up",
    "ask-how-it-went",
    "promise-kept",
    "reconnect",
    "offer-help",
    "thank-you",
)
FOR_REMINDER: dict[ReminderKind, tuple[str, ...]] = {
    ReminderKind.FOLLOW_UP: ("follow-up",),
    ReminderKind.GRATITUDE: ("thank-you",),
    ReminderKind.IMPACT_UPDATE: ("impact-update",),
    ReminderKind.PROMISE: ("promise-kept",),
    ReminderKind.EVENT_FOLLOW_UP: ("ask-how-it-went",),
    ReminderKind.KEEP_IN_TOUCH: ("reconnect", "check-in"),
    ReminderKind.BIRTHDAY: ("birthday",),
    ReminderKind.YEARLY: ("check-in", "reconnect"),
    ReminderKind.CUSTOM: ("check-in",),
}
# The slot a situation's extra words fill ("/thanks Maria for the intro" -> help).
ABOUT_SLOT = {
    "thank-you": "help",
    "impact-update": "help",
    "promise-kept": "promise",
    "ask-how-it-went": "event_past",
    "congratulations": "news",
    "offer-help": "goal",
}
SITUATION_LABELS = {
    "check-in": "check-in",
    "follow-up": "follow-up",
    "thank-you": "thank-you",
    "impact-update": "impact update",
    "ask-how-it-went": "how did it go?",
    "promise-kept": "promise kept",
    "congratulations": "congratulations",
    "reconnect": "reconnect",
    "offer-help": "offer help",
    "ask-for-help": "asking a favour",
    "learn": "a question to learn more",
    "birthday": "birthday",
}
Rows = tuple[tuple[Button, ...], ...]
OPEN_STATUSES = (ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED)
RECENT_INTERACTIONS = 5


@dataclass(frozen=True)
class Draft:
    """A rendered draft and why it was chosen."""

    text: str
    situation: str
    pillar: Pillar
    key: str
    template: str = ""


def draft_templates(
    templates: TemplateLibrary, situations: Iterable[str], *, root: str = "drafts"
) -> list[DraftTemplate]:
    """The templates in `root`/<situation> folders, described by their metadata."""
    # One listing of the folder (a disk walk), then filter: the folder is re-read on
    # every call so templates a user adds or edits apply without a restart.
    everything = templates.names(root)
    found = []
    for situation in situations:
        prefix = f"{root}/{situation}/"
        for name in (n for n in everything if n.startswith(prefix)):
            template = _described(templates, name)
            if template is not None:
                found.append(template)
    return found


def _described(templates: TemplateLibrary, name: str) -> DraftTemplate | None:
    """Read a template's metadata; a user's broken template is skipped, not fatal."""
    try:
        meta = templates.meta(name)
        if meta is None:
            raise ValueError("no TOML front matter")
        unknown = set(meta.needs) - set(ALL_SLOTS)
        if unknown:
            raise ValueError(f"unknown needs {sorted(unknown)}")
        return DraftTemplate(
            name,
            meta.situation,
            Pillar(meta.pillar),
            meta.tone,
            meta.needs,
            forms=_forms(meta.extra.get("forms", {})),
            when=_when(meta.extra.get("when")),
            gap=_gap(meta.extra.get("gap", "any")),
            singular=_slot_names(meta.extra.get("singular", [])),
        )
    except (ValueError, TypeError, TemplateError) as exc:
        log.warning("skipping template %s: %s", name, exc)
        return None


def _forms(raw: object) -> dict[str, tuple[Form, ...]]:
    """`forms = { goal = "gerund", help = ["gerund", "noun"] }`: the shape each slot needs."""
    if not isinstance(raw, dict):
        raise ValueError("forms must be a table")
    out: dict[str, tuple[Form, ...]] = {}
    for slot, value in raw.items():
        names = [value] if isinstance(value, str) else list(value)
        out[str(slot)] = tuple(Form(str(n)) for n in names)
    return out


def _when(raw: object) -> frozenset[Timing] | None:
    """`when = ["ahead"]`: the timing the template's time-bound details must have."""
    if raw is None:
        return None
    names = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else None
    if names is None:
        raise ValueError("when must be a list")
    return frozenset(Timing(str(n)) for n in names)


def _slot_names(raw: object) -> frozenset[str]:
    """`singular = ["promise"]`: slots named in a list."""
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise ValueError("singular must be a list of slot names")
    return frozenset(raw)


def _gap(raw: object) -> str:
    if raw not in GAPS:
        raise ValueError(f"gap must be one of {GAPS}")
    return str(raw)


def safe_render(templates: TemplateLibrary, name: str, **context: str) -> str:
    """Render a content template as tidy plain text, or "" if a (user-edited) one is broken."""
    try:
        text = templates.render(name, **context)
    except TemplateError as exc:
        log.warning("template %s failed: %s", name, exc)
        return ""
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def contact_picture(
    turn: Turn, contact: Contact, told: Mapping[str, str] | None = None
) -> ContactPicture:
    """What may be mentioned to `contact` now, from their record, notes and open promises."""
    interactions = list(islice(turn.store.interactions(contact_id=contact.id), RECENT_INTERACTIONS))
    promises = [
        r.text
        for r in turn.store.reminders(OPEN_STATUSES, contact_id=contact.id)
        if r.kind is ReminderKind.PROMISE and r.text
    ]
    return picture_of(
        contact,
        now=turn.now,
        today=turn.local(turn.now).date(),
        interactions=interactions,
        open_promises=promises,
        told=told,
    )


def render_draft(templates: TemplateLibrary, choice: DraftChoice, first_name: str) -> str:
    """Render one chosen draft as plain text ("" if the template is broken)."""
    return safe_render(templates, choice.template.name, **choice.context(first_name))


def share_button(number: int, text: str) -> Button:
    """A Telegram share link that opens the draft ready to send to anyone."""
    # Broken Unicode (a lone surrogate from a terminal) must not break the button.
    data = text.encode("utf-8", "replace")
    return Button(f"Share {number}", url=SHARE_URL + quote(data, safe=""))


def copy_button(number: int, text: str) -> Button:
    """Telegram's copy-text button: a tap puts the draft on the clipboard."""
    clean = text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates either
    return Button(f"Copy {number}", copy=clean)


def share_and_copy(number: int, text: str) -> tuple[Button, Button]:
    """Share the draft, or copy it to the clipboard (to paste anywhere, edited first)."""
    return share_button(number, text), copy_button(number, text)


def pick_drafts(
    turn: Turn,
    contact: Contact,
    situations: Iterable[str],
    *,
    told: Mapping[str, str] | None = None,
    count: int = 3,
    allow_repeats: bool = False,
) -> tuple[ContactPicture, list[Draft]]:
    """Choose and render up to `count` fresh drafts, and remember them as suggested.

    `allow_repeats` lets an explicit request reuse wording once the fresh drafts
    are used up (the user asked for exactly this message, so something beats nothing).
    """
    picture = contact_picture(turn, contact, told)
    pool = [
        c
        for c in candidates(draft_templates(turn.templates, situations), picture, turn.now)
        if c.template.specific
    ]
    if told:
        # "/thanks maria for the intro to sam": every draft is about the intro, not some
        # earlier coffee, when any can be.
        said = {" ".join(v.split()) for v in told.values()} - {""}
        pool = [c for c in pool if any(f.detail.key in said for f in c.filled)] or pool
    history = DraftHistory.from_state(turn.store.state(HISTORY_STATE))
    elsewhere = history.templates_used_for_others(contact.id, turn.now)
    recent = history.recent_keys(contact.id, turn.now)
    chosen = choose(pool, exclude=recent, count=count, used_elsewhere=elsewhere)
    if not chosen and allow_repeats:
        chosen = choose(pool, exclude=set(), count=count, used_elsewhere=elsewhere)
    drafts = [
        Draft(text, c.template.situation, c.template.pillar, c.key, c.template.name)
        for c in chosen
        if (text := render_draft(turn.templates, c, picture.first_name))
    ]
    remember(turn, contact.id, [d.key for d in drafts], [d.template for d in drafts])
    return picture, drafts


def remember(turn: Turn, contact_id: str, keys: list[str], templates: list[str]) -> None:
    """Record `keys` (from `templates`) as suggested to `contact_id` (pruning the old ones)."""
    if not keys:
        return
    history = DraftHistory.from_state(turn.store.state(HISTORY_STATE))
    history.record(contact_id, keys, turn.now, templates)
    turn.store.set_state(HISTORY_STATE, history.to_state())


def every_draft(turn: Turn, contact: Contact) -> list[tuple[str, str, dict[str, str]]]:
    """(situation, template, values) for everything the coach could offer `contact` now.

    The same pools /suggest, /openers and a due reminder's Suggest button draw
    from, unfiltered by history: bench/drafts_audit.py checks every one.
    """
    situations = sorted(
        {n.split("/")[1] for n in turn.templates.names("drafts") if n.count("/") == 2}
    )
    picture = contact_picture(turn, contact)
    pools = [
        candidates(draft_templates(turn.templates, situations), picture, turn.now),
        candidates(draft_templates(turn.templates, ["loops"], root="openers"), picture, turn.now),
    ]
    for reminder in turn.store.reminders(OPEN_STATUSES, contact_id=contact.id):
        if reminder.due_at > turn.now:
            continue  # a reminder's own drafts are offered once it comes up
        wanted = FOR_REMINDER.get(reminder.kind, ("check-in",))
        slot = ABOUT_SLOT.get(wanted[0])
        told = {slot: reminder.text} if slot and reminder.text.strip() else None
        pools.append(
            candidates(
                draft_templates(turn.templates, wanted),
                contact_picture(turn, contact, told),
                turn.now,
            )
        )
    return [
        (c.template.situation, c.template.name, c.context(picture.first_name))
        for pool in pools
        for c in pool
    ]


def learning_question(turn: Turn, contact: Contact) -> Draft | None:
    """A question that would teach the user something about `contact`, not yet asked lately."""
    history = DraftHistory.from_state(turn.store.state(HISTORY_STATE))
    asked = history.recent_keys(contact.id, turn.now)
    picture = picture_of(contact, now=turn.now, today=turn.local(turn.now).date())
    for choice in choose(
        candidates(draft_templates(turn.templates, ["learn"]), picture, turn.now),
        exclude=asked,
        count=1,
    ):
        text = render_draft(turn.templates, choice, contact.first_name)
        if text:
            remember(turn, contact.id, [choice.key], [choice.template.name])
            return Draft(text, "learn", choice.template.pillar, choice.key, choice.template.name)
    return None


def suggest_drafts(
    turn: Turn,
    contact: Contact,
    situation: str | Sequence[str] | None = None,
    *,
    about: str = "",
    extra_buttons: Rows = (),
) -> list[Reply]:
    """Reply with 2-3 drafts for `contact`, each with a share button.

    `situation` narrows the drafts to one or more situations (e.g. "thank-you"
    for a gratitude ping; see FOR_REMINDER); `about` is what the message is
    about in the user's words (what they are thanking for, what was promised),
    and fills the first situation's main slot. If those situations have
    nothing to go on, general drafts follow; if nothing specific is known at
    all, the reply says so and offers a question that would learn something.
    `extra_buttons` rows go under the reply (a reminder's "Sent it", say).
    """
    situations = (situation,) if isinstance(situation, str) else tuple(situation or GENERAL)
    main = situations[0] if situation else ""
    told = {ABOUT_SLOT[main]: about} if main in ABOUT_SLOT and about.strip() else None
    picture, drafts = pick_drafts(turn, contact, situations, told=told)
    fell_back = False
    if not drafts and situation:
        picture, drafts = pick_drafts(turn, contact, GENERAL)
        fell_back = True
    if not drafts:
        return nothing_specific(turn, contact, picture, extra_buttons=extra_buttons)
    reply = drafts_reply(turn, contact, drafts, situation=main or None, fell_back=fell_back)
    return [Reply(reply.text, (*reply.buttons, *extra_buttons))]


def drafts_reply(
    turn: Turn,
    contact: Contact,
    drafts: list[Draft],
    *,
    situation: str | None = None,
    fell_back: bool = False,
    intro: str = "drafts",
) -> Reply:
    """Numbered drafts (for the terminal) with a share button each (for Telegram)."""
    shown = [
        {
            "number": n,
            "text": d.text,
            "pillar": d.pillar.short,
            "situation": SITUATION_LABELS.get(d.situation, d.situation),
        }
        for n, d in enumerate(drafts, 1)
    ]
    buttons = (
        tuple(share_button(n, d.text) for n, d in enumerate(drafts, 1)),
        tuple(copy_button(n, d.text) for n, d in enumerate(drafts, 1)),
        # Telegram can't tell a share happened; the user says so (bot/engine/insight/sent.py).
        sent_buttons(contact, drafts),
        (
            Button("More ideas", payload={"op": "content.more", "contact": contact.id}),
            Button(
                "I need a favour",
                payload={"op": "content.more", "contact": contact.id, "situation": "ask-for-help"},
            ),
        ),
    )
    return turn.say(
        "content/drafts",
        name=contact.first_name,
        drafts=shown,
        situation=SITUATION_LABELS.get(situation or "", ""),
        fell_back=fell_back,
        intro=intro,
        buttons=buttons,
    )


def nothing_specific(
    turn: Turn, contact: Contact, picture: ContactPicture, *, extra_buttons: Rows = ()
) -> list[Reply]:
    """Say honestly that a message now would be filler, and offer a question to learn more."""
    question = learning_question(turn, contact)
    share: Rows = (share_and_copy(1, question.text),) if question else ()
    buttons = (*share, *extra_buttons)
    return [
        turn.say(
            "content/nothing_specific",
            name=contact.first_name,
            knew_something=picture.knows_something_specific(),
            question=question.text if question else "",
            buttons=buttons,
        )
    ]
