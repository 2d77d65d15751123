"""What the coach may mention about a contact: fresh, fitting and never creepy.

Every remembered detail (bot.domain.memory) becomes a named slot a draft
template can ask for, in the form the template needs and with its timing
now. Only facts are used: what the card showed and the user kept. A detail
too old for the relationship's tier is left out (a 9-month-old fact about an
acquaintance reads like surveillance), and personal matters (family, health,
hard times) are only used with people the user is close to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.domain.content.courtesy import is_courtesy
from bot.domain.content.sensitivity import is_sensitive, mentions_family
from bot.domain.memory.memory import Remembered, is_intro, promised, recall, still_learning
from bot.domain.memory.phrase import Form, Phrase, Timing, Told
from bot.domain.memory.wording import Birthday, RoleAt, word_detail
from bot.domain.model import Contact, FactKind, Interaction, InteractionKind, Tier

# Slots a template may need; FIRST_NAME is always known, the rest only sometimes.
FIRST_NAME = "first_name"
SPECIFIC_SLOTS = (
    "interest",
    "expertise",
    "goal",
    "challenge",
    "work",
    "family",
    "detail",
    "topic",
    "event",
    "event_ahead",
    "event_past",
    "help",
    # Help that is hospitality or time ("the coffee", "your time"): thanked more lightly.
    "courtesy",
    "promise",
    "intro",
    "offer",
    "news",
    "company",
)
# Context slots say when or how, not what: a draft needs a specific slot too.
CONTEXT_SLOTS = ("meeting", "occasion", "since")
ALL_SLOTS = (FIRST_NAME, *SPECIFIC_SLOTS, *CONTEXT_SLOTS)
# Older templates name an event's timing in the slot; new ones say `when`.
TIMED_ALIASES: dict[str, tuple[str, frozenset[Timing]]] = {
    "event_ahead": ("event", frozenset({Timing.AHEAD})),
    "event_past": ("event", frozenset({Timing.JUST_HAPPENED})),
}

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
    FactKind.CHALLENGE: 0.5,
}
_SLOT_OF: dict[FactKind, str] = {
    FactKind.INTEREST: "interest",
    FactKind.GOAL: "goal",
    FactKind.CHALLENGE: "challenge",
    FactKind.WORK: "work",
    FactKind.FAMILY: "family",
    FactKind.HELPED_ME: "help",
    FactKind.EVENT: "event",
    FactKind.PROMISE: "promise",
    FactKind.OFFER: "offer",
    FactKind.OTHER: "detail",
}
# Slots whose details also serve the broad "topic" slot ("saw this and thought of you").
_TOPIC_SOURCES = frozenset({"interest", "goal", "work", "detail"})
# What they may know more about than you: a lasting interest, never a plan, an event, a
# hard time or something they are only taking up. Work is left out too: its words name a
# project ("the search for a designer", "the ML team at Zalando"), not a field.
_EXPERTISE_SOURCES = frozenset({"interest"})
TIGHT_TIERS = frozenset({Tier.INNER, Tier.CLOSE})
RECENT_MEETING = timedelta(days=10)
NEWS_WINDOW = timedelta(days=21)
# Slots a detail may fill beside another: recent work news is both "work" and "news".
_SECOND_SLOTS = frozenset({"company", "promise", "intro", "news"})
FACTS_PER_KIND = 8
# What a situation's extra words are ("/thanks Maria for the intro" is help).
TOLD_KINDS: dict[str, FactKind] = {
    "help": FactKind.HELPED_ME,
    "promise": FactKind.PROMISE,
    "event_past": FactKind.EVENT,
    "event": FactKind.EVENT,
    "news": FactKind.WORK,
    "goal": FactKind.GOAL,
    "detail": FactKind.OTHER,
}


@dataclass(frozen=True)
class KnownDetail:
    """One mentionable thing: its slot, its typed words and where it stands in time."""

    slot: str
    phrase: Phrase
    timing: Timing = Timing.ONGOING
    learned_at: datetime | None = None
    sensitive: bool = False
    key: str = ""
    # The logged meeting it came from (for "meeting", the meeting itself), if known.
    met_in: str = ""

    def words(self, form: Form) -> str:
        """The words for `form` ("" when this detail cannot fill it)."""
        return self.phrase.words(form, self.timing)

    @property
    def text(self) -> str:
        """Its plainest words (for tests, reviews and telling details apart)."""
        for form in (Form.NOUN, Form.GERUND, Form.VERB, Form.CLAUSE):
            if words := self.words(form):
                return words
        return ""

    @property
    def identity(self) -> str:
        """What makes two details the same thing, whatever their words."""
        return (self.key or self.text).casefold()

    def freshness(self, now: datetime, max_age: timedelta) -> float:
        """1.0 for just learned, falling towards 0 at the age limit; timeless details 0.3."""
        if self.learned_at is None:
            return 0.3
        age = max(now - self.learned_at, timedelta(0))
        return max(0.0, 1.0 - age / max_age)


def plain(
    slot: str, words: str, *, learned_at: datetime | None = None, met_in: str = ""
) -> KnownDetail:
    """A detail that is already a noun phrase (a company, "a few months")."""
    return KnownDetail(
        slot, Phrase(noun=words), Timing.ONGOING, learned_at, key=words, met_in=met_in
    )


@dataclass
class ContactPicture:
    """Everything a draft may use about one contact, freshest first in each slot.

    `days_since` is how long since the user last talked to them; `long_gap`
    says it is past their keep-in-touch cadence.
    """

    contact_id: str
    first_name: str
    tier: Tier
    slots: dict[str, list[KnownDetail]] = field(default_factory=dict)
    days_since: int | None = None
    long_gap: bool = False

    def has(self, slot: str) -> bool:
        """Tell whether anything is known for `slot`."""
        return slot == FIRST_NAME or bool(self.slots.get(slot))

    def knows_something_specific(self) -> bool:
        """Tell whether a draft could name anything particular about them."""
        return any(self.slots.get(slot) for slot in SPECIFIC_SLOTS if slot != "company")

    def specific_texts(self) -> list[str]:
        """All specific detail texts (tests and reviews check drafts against them)."""
        return [d.text for slot in SPECIFIC_SLOTS for d in self.slots.get(slot, [])]


def picture_of(
    contact: Contact,
    *,
    now: datetime,
    today: date | None = None,
    interactions: Sequence[Interaction] = (),
    open_promises: Iterable[str] = (),
    told: Mapping[str, str] | None = None,
) -> ContactPicture:
    """Gather what may be mentioned to `contact` now.

    `interactions` are theirs, newest first (only the latest is read, for
    its kind and occasion, never its note); `open_promises` are the texts of
    promises the user has not kept yet; `told` holds details the user just
    gave for this message (slot -> their words, e.g. {"help": "the intro to
    Sam"}), which come first in their slots.
    """
    day = today or now.date()
    picture = ContactPicture(contact.id, contact.first_name, contact.tier)
    limit = MAX_AGE[contact.tier]
    details: list[KnownDetail] = []
    for slot, text in (told or {}).items():
        if text.strip():
            details.extend(
                d for d in _told(slot, text, now) if not _names(d.phrase, contact.first_name)
            )
    per_kind: dict[FactKind, int] = {}
    for item in recall(contact, now=now, today=day):
        # Only the freshest few of a kind can be used; wording the rest is wasted work.
        if per_kind.get(item.kind, 0) >= FACTS_PER_KIND:
            continue
        per_kind[item.kind] = per_kind.get(item.kind, 0) + 1
        details.extend(_from_memory(item, now, limit))
    for interest in contact.interests:
        # Interests kept on the contact itself (an imported address book, say).
        worded = word_detail(FactKind.INTEREST, interest)
        if isinstance(worded, Phrase) and not worded.empty:
            details.append(KnownDetail("interest", worded, key=interest))
    for promise in open_promises:
        phrase = promised(promise, to=contact.first_name)
        if not phrase.empty and not _names(phrase, contact.first_name):
            # An intro is kept by making it, not by sending something: its own slot.
            slot = "intro" if is_intro(phrase) else "promise"
            details.append(KnownDetail(slot, phrase, Timing.AHEAD, now, key=promise))
    if contact.company:
        details.append(plain("company", contact.company))
    details += _context(contact, interactions, now, picture)
    seen: set[str] = set()
    for detail in details:
        if detail.sensitive and contact.tier not in TIGHT_TIERS:
            continue
        if detail.slot == "help" and is_courtesy(detail.phrase):
            detail = replace(detail, slot="courtesy")
        in_slot = picture.slots.setdefault(detail.slot, [])
        if any(d.identity == detail.identity for d in in_slot):
            continue
        if detail.slot in SPECIFIC_SLOTS and detail.slot not in _SECOND_SLOTS:
            if detail.identity in seen:
                continue  # the same thing twice (a fact and the card line it came from)
            seen.add(detail.identity)
        in_slot.append(detail)
        if detail.slot in _TOPIC_SOURCES and not detail.sensitive:
            picture.slots.setdefault("topic", []).append(_as(detail, "topic"))
        if (
            detail.slot in _EXPERTISE_SOURCES
            and detail.timing is Timing.ONGOING
            and not detail.sensitive
            and not still_learning(detail.phrase)
        ):
            picture.slots.setdefault("expertise", []).append(_as(detail, "expertise"))
    picture.slots = {slot: found for slot, found in picture.slots.items() if found}
    return picture


def _as(detail: KnownDetail, slot: str) -> KnownDetail:
    """The same detail serving a broader slot."""
    return replace(detail, slot=slot, sensitive=False)


def _names(phrase: Phrase, first_name: str) -> bool:
    """An intro "to Olivia" is never a promise made to Olivia herself."""
    pattern = re.compile(rf"\b{re.escape(first_name)}\b", re.I)
    return any(pattern.search(words) for words in (phrase.noun, phrase.verb))


def _told(slot: str, text: str, now: datetime) -> list[KnownDetail]:
    """What the user just said this message is about, worded like any other detail."""
    base, timings = TIMED_ALIASES.get(slot, (slot, frozenset()))
    kind = TOLD_KINDS.get(slot, FactKind.OTHER)
    worded = word_detail(kind, text)
    if isinstance(worded, RoleAt):
        worded = worded.news or Phrase()
    if isinstance(worded, Birthday) or worded.empty:
        return []
    if slot == "news" and not worded.noun:
        worded = Phrase(noun=" ".join(text.split()), told=Told.BEHIND)
    timing = next(
        iter(timings), Timing.JUST_HAPPENED if kind is FactKind.HELPED_ME else Timing.ONGOING
    )
    if base == "event" and slot == "event_past":
        timing = Timing.JUST_HAPPENED
    if base == "promise" and is_intro(worded):
        base = "intro"
    return [KnownDetail(base, worded, timing, now, key=" ".join(text.split()))]


def _from_memory(item: Remembered, now: datetime, limit: timedelta) -> list[KnownDetail]:
    # The same line /review draws for the user's own drafts: no family or health talk
    # with someone not close ("good luck with your son starting uni" to a club runner).
    sensitive = (
        item.kind in {FactKind.FAMILY, FactKind.CHALLENGE}
        or is_sensitive(item.key)
        or (item.kind is not FactKind.WORK and mentions_family(item.key))
    )
    slot = _SLOT_OF[item.kind]
    age = now - item.learned_at if item.learned_at is not None else timedelta(0)
    if item.kind is FactKind.EVENT:
        # A dated event is worth a mention while it is ahead (however far) or just
        # happened; an undated one only while it is fresh.
        if item.timing is Timing.PAST or (item.on is None and age > limit):
            return []
    elif age > limit * _AGE_FACTOR.get(item.kind, 1.0):
        return []
    met_in = item.interaction_id or ""
    found = [
        KnownDetail(slot, item.phrase, item.timing, item.learned_at, sensitive, item.key, met_in)
    ]
    if item.kind is FactKind.WORK and item.phrase.told is Told.BEHIND and age <= NEWS_WINDOW:
        found.append(
            KnownDetail("news", item.phrase, Timing.JUST_HAPPENED, item.learned_at, key=item.key)
        )
    return found


def _context(
    contact: Contact, interactions: Sequence[Interaction], now: datetime, picture: ContactPicture
) -> list[KnownDetail]:
    """When and how they last met (for follow-ups), and how long it has been (for reconnecting)."""
    latest = next(iter(interactions), None)
    out: list[KnownDetail] = []
    last = contact.last_interaction_at or (latest.occurred_at if latest else None)
    if last is not None:
        picture.days_since = max((now - last).days, 0)
    if last is not None and now - last <= RECENT_MEETING:
        # Without the logged interaction (say, "talked already") the kind is unknown.
        same = latest is not None and abs(latest.occurred_at - last) < timedelta(hours=12)
        kind = latest.kind if latest is not None and same else InteractionKind.OTHER
        occasion = latest.occasion if latest is not None and same else ""
        if kind is not InteractionKind.MESSAGE:
            brunch = latest is not None and same and _BRUNCH.search(latest.note[:80])
            named = (
                "brunch"
                if kind is InteractionKind.LUNCH and brunch
                else meeting_phrase(kind, occasion)
            )
            met_in = latest.id if latest is not None and same else ""
            out.append(plain("meeting", named, learned_at=last, met_in=met_in))
        if occasion:
            out.append(plain("occasion", occasion_name(occasion), learned_at=last))
    since = now - (last or contact.created_at)
    if since > contact.cadence:
        picture.long_gap = True
        out.append(plain("since", gap_phrase(since.days), learned_at=last))
    return out


# Brunch is filed as lunch (there is no brunch kind), but a thank-you says brunch.
_BRUNCH = re.compile(r"\bbrunch\b", re.I)


def meeting_phrase(kind: InteractionKind, occasion: str = "") -> str:
    """Name a logged meeting the way a thank-you would ("the coffee", "our chat at ProductCon")."""
    if occasion and kind in (
        InteractionKind.CONFERENCE,
        InteractionKind.EVENT,
        InteractionKind.MEETING,
        InteractionKind.OTHER,
    ):
        return f"our chat at {occasion_name(occasion)}"
    return {
        InteractionKind.COFFEE: "the coffee",
        InteractionKind.BREAKFAST: "breakfast",
        InteractionKind.LUNCH: "lunch",
        InteractionKind.DINNER: "dinner",
        InteractionKind.DRINKS: "the drinks",
        InteractionKind.CALL: "the call",
        InteractionKind.VIDEO_CALL: "the call",
        InteractionKind.ONE_ON_ONE: "our 1:1",
        InteractionKind.MEETING: "the meeting",
        InteractionKind.CONFERENCE: "our chat at the conference",
    }.get(kind, "our chat")


# A gathering named by what it is takes "the": "the UX Week mixer", not "ProductCon".
_GATHERINGS = frozenset({
    "meetup", "mixer", "summit", "conference", "festival", "fair", "expo", "forum", "workshop",
    "hackathon", "party", "gala", "retreat", "offsite", "symposium", "congress", "convention",
    "seminar", "reception", "awards", "social",
})  # fmt: skip


def occasion_name(occasion: str) -> str:
    """The gathering as it reads after "at": "the Lagos Fintech Meetup", "ProductCon"."""
    words = occasion.split()
    if not words or words[0].lower() == "the" or words[-1].lower() not in _GATHERINGS:
        return occasion
    return f"the {occasion}"


def gap_phrase(days: int) -> str:
    """Say how long it has been, the way a person would."""
    if days < 45:
        return "a few weeks"
    if days < 120:
        return "a couple of months"
    if days < 300:
        return "a few months"
    if days < 540:
        return "about a year"
    return "far too long"
