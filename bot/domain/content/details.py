"""What the coach may mention about a contact: fresh, fitting and never creepy.

Every detail becomes a named slot a draft template can ask for in its
`needs` metadata. A detail too old for the relationship's tier is left out
(a 9-month-old fact about an acquaintance reads like surveillance), and
personal matters (family, health, hard times) are only used with people the
user is close to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.content.phrases import as_event, gap_phrase, meeting_phrase, second_person
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind, Tier

# Slots a template may need; FIRST_NAME is always known, the rest only sometimes.
FIRST_NAME = "first_name"
SPECIFIC_SLOTS = (
    "interest",
    "goal",
    "challenge",
    "work",
    "family",
    "detail",
    "topic",
    "event_ahead",
    "event_past",
    "help",
    "promise",
    "news",
    "company",
)
# Context slots say when or how, not what: a draft needs a specific slot too.
CONTEXT_SLOTS = ("meeting", "since")
ALL_SLOTS = (FIRST_NAME, *SPECIFIC_SLOTS, *CONTEXT_SLOTS)

# How long a fact stays mentionable, by how close the relationship is.
MAX_AGE: dict[Tier, timedelta] = {
    Tier.INNER: timedelta(days=730),
    Tier.CLOSE: timedelta(days=365),
    Tier.NETWORK: timedelta(days=180),
    Tier.ACQUAINTANCE: timedelta(days=120),
}
# Interests last; challenges and plans move on faster.
_AGE_FACTOR: dict[FactKind, float] = {
    FactKind.INTEREST: 2.0,
    FactKind.WORK: 1.0,
    FactKind.GOAL: 1.0,
    FactKind.CHALLENGE: 0.5,
    FactKind.FAMILY: 1.0,
    FactKind.HELPED_ME: 1.0,
    FactKind.EVENT: 1.0,
    FactKind.OTHER: 1.0,
}
_SLOT_OF: dict[FactKind, str] = {
    FactKind.INTEREST: "interest",
    FactKind.GOAL: "goal",
    FactKind.CHALLENGE: "challenge",
    FactKind.WORK: "work",
    FactKind.FAMILY: "family",
    FactKind.HELPED_ME: "help",
    FactKind.OTHER: "detail",
}
# Slots whose details also serve the broad "topic" slot ("saw this and thought of you").
_TOPIC_SOURCES = frozenset({"interest", "goal", "work", "detail"})
TIGHT_TIERS = frozenset({Tier.INNER, Tier.CLOSE})
EVENT_AHEAD_WINDOW = timedelta(days=90)
EVENT_PAST_WINDOW = timedelta(days=30)
RECENT_MEETING = timedelta(days=10)
FACTS_PER_KIND = 8
_SENSITIVE = re.compile(
    r"\b(?:sick|ill|illness|hospital|surgery|cancer|diagnos\w*|therapy|pregnan\w*|miscarriage|"
    r"divorc\w*|separat\w*|funeral|passed away|died|death|grief|griev\w*|depress\w*|anxiety|"
    r"burn-?out|rehab|laid off|layoffs?|fired|debt|custody|chemo|injur\w*|health)\b",
    re.I,
)


@dataclass(frozen=True)
class KnownDetail:
    """One mentionable thing, worded for a message to the contact."""

    slot: str
    text: str
    learned_at: datetime | None = None
    sensitive: bool = False

    def freshness(self, now: datetime, max_age: timedelta) -> float:
        """1.0 for just learned, falling towards 0 at the age limit; timeless details 0.3."""
        if self.learned_at is None:
            return 0.3
        age = max(now - self.learned_at, timedelta(0))
        return max(0.0, 1.0 - age / max_age)


@dataclass
class ContactPicture:
    """Everything a draft may use about one contact, freshest first in each slot."""

    contact_id: str
    first_name: str
    tier: Tier
    slots: dict[str, list[KnownDetail]] = field(default_factory=dict)

    def has(self, slot: str) -> bool:
        """Tell whether anything is known for `slot`."""
        return slot == FIRST_NAME or bool(self.slots.get(slot))

    def knows_something_specific(self) -> bool:
        """Tell whether a draft could name anything particular about them."""
        return any(self.slots.get(slot) for slot in SPECIFIC_SLOTS)

    def specific_texts(self) -> list[str]:
        """All specific detail texts (tests and reviews check drafts against them)."""
        return [d.text for slot in SPECIFIC_SLOTS for d in self.slots.get(slot, [])]


def picture_of(
    contact: Contact,
    *,
    now: datetime,
    interactions: Sequence[Interaction] = (),
    open_promises: Iterable[str] = (),
    told: Mapping[str, str] | None = None,
) -> ContactPicture:
    """Gather what may be mentioned to `contact` now.

    `interactions` are theirs, newest first; `open_promises` are the texts of
    promises the user has not kept yet; `told` holds details the user just
    gave for this message (slot -> text, e.g. {"help": "the intro to Sam"}),
    which come first in their slots.
    """
    picture = ContactPicture(contact.id, contact.first_name, contact.tier)
    limit = MAX_AGE[contact.tier]
    details: list[KnownDetail] = []
    for slot, text in (told or {}).items():
        if text.strip():
            phrase = second_person(text, contact.name)
            if slot == "promise":
                phrase = promised_thing(text)
            elif slot.startswith("event_"):
                phrase = as_event(phrase)
            details.append(KnownDetail(slot, phrase, now))
    per_kind: dict[FactKind, int] = {}
    for fact in sorted(contact.facts, key=lambda f: f.learned_at, reverse=True):
        # Only the freshest few of a kind can be used; wording the rest is wasted work.
        if per_kind.get(fact.kind, 0) >= FACTS_PER_KIND:
            continue
        per_kind[fact.kind] = per_kind.get(fact.kind, 0) + 1
        details.extend(_from_fact(fact, contact, now, limit))
    details += [KnownDetail("interest", second_person(i, contact.name)) for i in contact.interests]
    details += _from_latest_note(contact, interactions, now, limit)
    for promise in open_promises:
        details.append(KnownDetail("promise", promised_thing(promise), now))
    if contact.company:
        details.append(KnownDetail("company", contact.company))
    details += _context(contact, interactions, now)
    seen: list[str] = []
    for detail in details:
        if not detail.text or (detail.sensitive and contact.tier not in TIGHT_TIERS):
            continue
        folded = detail.text.casefold()
        in_slot = picture.slots.setdefault(detail.slot, [])
        if any(d.text.casefold() == folded for d in in_slot):
            continue
        if detail.slot in SPECIFIC_SLOTS and detail.slot not in {"company", "promise"}:
            if any(folded in s or s in folded for s in seen):
                continue  # the same thing said twice (a fact and the note it came from)
            seen.append(folded)
        in_slot.append(detail)
        if detail.slot in _TOPIC_SOURCES and not detail.sensitive:
            picture.slots.setdefault("topic", []).append(
                KnownDetail("topic", detail.text, detail.learned_at)
            )
    picture.slots = {slot: found for slot, found in picture.slots.items() if found}
    return picture


def _from_fact(fact: Fact, contact: Contact, now: datetime, limit: timedelta) -> list[KnownDetail]:
    text = second_person(fact.text, contact.name)
    sensitive = fact.kind in {FactKind.FAMILY, FactKind.CHALLENGE} or bool(
        _SENSITIVE.search(fact.text)
    )
    if fact.kind is FactKind.EVENT:
        slot = _event_slot(fact, now, limit)
        return [KnownDetail(slot, as_event(text), fact.learned_at, sensitive)] if slot else []
    if now - fact.learned_at > limit * _AGE_FACTOR[fact.kind]:
        return []
    return [KnownDetail(_SLOT_OF[fact.kind], text, fact.learned_at, sensitive)]


def _event_slot(fact: Fact, now: datetime, limit: timedelta) -> str:
    """Upcoming, just past, far off (a plain detail), or too old to bring up ("")."""
    today = now.date()
    if fact.on is not None:
        if today <= fact.on <= today + EVENT_AHEAD_WINDOW:
            return "event_ahead"
        if today - EVENT_PAST_WINDOW <= fact.on < today:
            return "event_past"
        if fact.on > today and now - fact.learned_at <= limit:
            return "detail"  # months away: worth a mention, too early for good luck
        return ""
    # No date: soon after hearing of it, it is still ahead; a while later it has
    # probably happened and is worth asking about.
    age = now - fact.learned_at
    if age <= timedelta(days=14):
        return "event_ahead"
    if age <= timedelta(days=45):
        return "event_past"
    return ""


_PRONOUN_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s))((?:She|He|They)\b[^.!?\n]{6,160})", re.M)


def _from_latest_note(
    contact: Contact, interactions: Sequence[Interaction], now: datetime, limit: timedelta
) -> list[KnownDetail]:
    """Sentences about the contact in their latest one-to-one note ("She is training for...").

    Facts normally carry these; the note is read too so nothing the user wrote
    is missed when the note reader did not file it as a fact.
    """
    latest = next(iter(interactions), None)
    if latest is None or len(latest.contact_ids) != 1 or now - latest.occurred_at > limit:
        return []
    # Anything a fact already covers (even one too old or too far off to use) is left alone.
    covered = [second_person(f.text, contact.name).casefold() for f in contact.facts]
    found = []
    for match in _PRONOUN_SENTENCE.finditer(latest.note[:4000]):
        # The first clause only: "She runs X and is interviewing at Y" is two details.
        sentence = re.split(r",|\s+(?:and|but|so|because|while)\s+", match.group(1))[0]
        if re.match(r"(?:She|He|They)\s+(?:said|told me|asked|thanked)\b", sentence):
            continue  # what they said to the user is not a detail about them
        text = second_person(sentence, contact.name)
        folded = text.casefold()
        if len(text.split()) < 2 or any(c and (c in folded or folded in c) for c in covered):
            continue
        found.append(
            KnownDetail("detail", text, latest.occurred_at, bool(_SENSITIVE.search(sentence)))
        )
    return found[:3]


def _context(
    contact: Contact, interactions: Sequence[Interaction], now: datetime
) -> list[KnownDetail]:
    """When they last met (for follow-ups) and how long it has been (for reconnecting)."""
    latest = next(iter(interactions), None)
    out: list[KnownDetail] = []
    last = contact.last_interaction_at or (latest.occurred_at if latest else None)
    if last is not None and now - last <= RECENT_MEETING:
        # Without the logged interaction (say, "talked already") the kind is unknown.
        same = latest is not None and abs(latest.occurred_at - last) < timedelta(hours=12)
        kind = latest.kind.value if latest is not None and same else "other"
        if kind != InteractionKind.MESSAGE.value:
            out.append(KnownDetail("meeting", meeting_phrase(kind), last))
    since = now - (last or contact.created_at)
    if since > contact.cadence:
        out.append(KnownDetail("since", gap_phrase(since.days), last))
    return out


_PROMISE_LEAD = re.compile(
    r"^(?:i\s+)?(?:promised\s+(?:to\s+)?|will\s+|owe\s+(?:her|him|them|you)?\s*|to\s+)?"
    r"(?:send|share|forward|email|get|find|dig out|bring|pass on|give)\s+"
    r"(?:(?:her|him|them|you)\s+)?",
    re.I,
)
_INTRODUCE = re.compile(
    r"^(?:i\s+)?(?:promised\s+)?(?:to\s+)?introduce\s+(?:her|him|them|you)\s+(?=to\b)", re.I
)
# Only a date ends a promise: "feedback on her talk" keeps its "on her talk".
_DATE_START = (
    r"(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|\d|the\s+(?:\d|end)|end|tomorrow|tonight|today|next|this|week|month)"
)
_PROMISE_TAIL = re.compile(
    rf"\s+(?:by|before|on|until|next|this)\s+{_DATE_START}\S*(?:\s+\S+){{0,3}}$"
    r"|\s+(?:tomorrow|today|tonight|soon)$",
    re.I,
)


def promised_thing(text: str) -> str:
    """Return what was promised ("send her the podcast link by Friday" -> "the podcast link")."""
    thing = " ".join(text.split()).strip(" .!?")
    thing = _INTRODUCE.sub("an intro ", thing, count=1)
    thing = _PROMISE_LEAD.sub("", thing, count=1)
    thing = _PROMISE_TAIL.sub("", thing)
    return second_person(thing)
