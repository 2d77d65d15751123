"""Choosing which draft templates to offer for a contact.

Pure rules. A template declares what it needs: each slot, the form the slot's
words must have (a noun phrase by default), when it applies (an event ahead,
just happened, past, or ongoing) and what gap since the last contact it suits.
A template is usable only when the contact's details can fill every slot in
that form and timing; each usable (template, details) pair is a candidate
with a stable key; keys suggested to the same contact in the last 90 days are
skipped, and templates just used for someone else in this sitting are
avoided; the best candidates are picked so the drafts differ in pillar, tone
and subject.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.content.details import (
    FIRST_NAME,
    MAX_AGE,
    RECENT_MEETING,
    SPECIFIC_SLOTS,
    TIMED_ALIASES,
    ContactPicture,
    KnownDetail,
)
from bot.domain.content.pillars import Pillar
from bot.domain.memory.morphology import plural
from bot.domain.memory.phrase import Form, Timing

# Time-bound situations matter more than a general check-in.
SITUATION_WEIGHT: dict[str, float] = {
    "promise-kept": 5.0,
    "ask-how-it-went": 5.0,
    "birthday": 5.0,
    "follow-up": 4.0,
    "congratulations": 4.0,
    "thank-you": 3.0,
    "impact-update": 3.0,
    "reconnect": 3.0,
    "check-in": 2.0,
    "offer-help": 2.0,
}
# A broad detail reads as less personal than one they told you themselves.
SLOT_WEIGHT: dict[str, float] = {"company": 0.3, "topic": 0.8}
# Details tried per slot: the freshest few are enough to vary the drafts.
PER_SLOT = 4
DEFAULT_COUNT = 3
# Unless a template says otherwise, a detail is used while it is ongoing or ahead:
# "how's it going" never lands on something finished.
DEFAULT_WHEN = frozenset({Timing.ONGOING, Timing.AHEAD})
GAPS = ("any", "recent", "long", "not-long")


@dataclass(frozen=True)
class DraftTemplate:
    """A draft template's metadata, free of any template engine.

    `forms` maps a slot to the forms its words may take (the first the detail
    has wins); `when` is the timing the time-bound details must have; `gap`
    says which time since the last contact the wording suits ("recent" for
    a thank-you after meeting, "long" for a reconnect, "not-long" for a
    casual check-in); `singular` names slots the wording refers back to as
    "it" ("here it is"), which a plural thing ("my notes") cannot fill.
    """

    name: str
    situation: str
    pillar: Pillar
    tone: str
    needs: tuple[str, ...]
    forms: Mapping[str, tuple[Form, ...]] = field(default_factory=dict)
    when: frozenset[Timing] | None = None
    gap: str = "any"
    singular: frozenset[str] = frozenset()

    @property
    def specific(self) -> bool:
        """True when the draft names something particular about the person."""
        return self.situation == "birthday" or any(slot in SPECIFIC_SLOTS for slot in self.needs)

    def forms_for(self, slot: str) -> tuple[Form, ...]:
        """The forms `slot` may take here (a noun phrase unless the template says otherwise)."""
        return self.forms.get(slot, (Form.NOUN,))

    def timings_for(self, slot: str) -> frozenset[Timing]:
        """The timings a detail for `slot` may have."""
        if slot in TIMED_ALIASES:
            return TIMED_ALIASES[slot][1]
        return self.when if self.when is not None else DEFAULT_WHEN

    def suits_gap(self, picture: ContactPicture) -> bool:
        """Whether the wording fits how long it has been since they last talked."""
        days = picture.days_since
        if self.gap == "recent":
            return days is not None and days <= RECENT_MEETING.days
        if self.gap == "long":
            return picture.long_gap
        if self.gap == "not-long":
            return not picture.long_gap
        return True


@dataclass(frozen=True)
class Filled:
    """One slot's detail and the words it fills the slot with."""

    slot: str
    detail: KnownDetail
    words: str


@dataclass(frozen=True)
class DraftChoice:
    """A template with the details that will fill it."""

    template: DraftTemplate
    filled: tuple[Filled, ...]
    key: str
    score: float

    @property
    def details(self) -> tuple[KnownDetail, ...]:
        return tuple(f.detail for f in self.filled)

    def context(self, first_name: str) -> dict[str, str]:
        """The template variables: the first name and one value per needed slot."""
        values = {FIRST_NAME: first_name}
        values.update({f.slot: f.words for f in self.filled})
        return values

    @property
    def subject(self) -> str:
        """The main thing this draft talks about (to avoid two drafts on one subject)."""
        specific = [f.detail.identity for f in self.filled if f.slot in SPECIFIC_SLOTS]
        return specific[0] if specific else ""


def fillings(template: DraftTemplate, slot: str, picture: ContactPicture) -> list[Filled]:
    """The details that can fill `slot` of `template`, in the words it needs."""
    source = TIMED_ALIASES.get(slot, (slot, frozenset()))[0]
    timings = template.timings_for(slot)
    out: list[Filled] = []
    for detail in picture.slots.get(source, []):
        if slot in SPECIFIC_SLOTS and detail.timing not in timings:
            continue
        words = next((w for form in template.forms_for(slot) if (w := detail.words(form))), "")
        if words and not (slot in template.singular and plural(words)):
            out.append(Filled(slot, detail, words))
        if len(out) == PER_SLOT:
            break
    return out


def candidates(
    templates: Iterable[DraftTemplate], picture: ContactPicture, now: datetime
) -> list[DraftChoice]:
    """Every usable (template, details) pair for `picture`, best first."""
    max_age = MAX_AGE[picture.tier]
    found: list[DraftChoice] = []
    keys: set[str] = set()
    for template in templates:
        if not template.suits_gap(picture):
            continue
        slots = [s for s in template.needs if s != FIRST_NAME]
        options = [fillings(template, s, picture) for s in slots]
        if not all(options):
            continue
        for combo in itertools.product(*options):
            if len({f.detail.identity for f in combo}) < len(combo):
                continue  # one detail filling two slots reads oddly
            if not _same_meeting(combo):
                continue
            score = SITUATION_WEIGHT.get(template.situation, 1.0) + sum(
                f.detail.freshness(now, max_age) * SLOT_WEIGHT.get(f.slot, 1.0) for f in combo
            )
            key = draft_key(template.name, combo)
            if key not in keys:
                keys.add(key)
                found.append(DraftChoice(template, combo, key, score))
    found.sort(key=lambda c: (-c.score, c.template.name, c.key))
    return found


# What someone did or offered is thanked with the meeting it came from: "thank you for the
# coffee, and especially for setting it up" is wrong when the setting up was told elsewhere.
_SAID_AT_A_MEETING = frozenset({"help", "courtesy", "offer"})


def _same_meeting(combo: Sequence[Filled]) -> bool:
    meeting = next((f.detail.met_in for f in combo if f.slot == "meeting"), "")
    return not meeting or all(
        f.detail.met_in in ("", meeting) for f in combo if f.slot in _SAID_AT_A_MEETING
    )


def draft_key(template_name: str, filled: Sequence[Filled]) -> str:
    """A short stable id for one draft: the same template with the same details."""
    raw = "\x1f".join([template_name, *(f.words.casefold() for f in filled)])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def choose(
    pool: Sequence[DraftChoice],
    *,
    exclude: set[str],
    count: int = DEFAULT_COUNT,
    used_elsewhere: frozenset[str] = frozenset(),
) -> list[DraftChoice]:
    """Pick up to `count` drafts, not in `exclude`, as varied as the pool allows.

    Each pick is the best remaining candidate after rewarding a pillar, tone,
    subject and situation not yet used; a pillar counts most, because the
    drafts should offer genuinely different reasons to write. Templates in
    `used_elsewhere` (just offered for someone else) come last, so two people
    in one sitting do not get the same message.
    """
    remaining = [c for c in pool if c.key not in exclude]
    picked: list[DraftChoice] = []
    while remaining and len(picked) < count:
        best = max(remaining, key=lambda c: _variety_value(c, picked, used_elsewhere))
        picked.append(best)
        remaining = [c for c in remaining if c is not best]
    return picked


def _variety_value(
    candidate: DraftChoice, picked: Sequence[DraftChoice], used_elsewhere: frozenset[str]
) -> float:
    template = candidate.template
    return (
        candidate.score
        + 10.0 * all(template.pillar != p.template.pillar for p in picked)
        + 5.0 * all(candidate.subject != p.subject for p in picked)
        + 3.0 * all(template.tone != p.template.tone for p in picked)
        + 2.0 * all(template.situation != p.template.situation for p in picked)
        - 20.0 * any(template.name == p.template.name for p in picked)
        - 30.0 * (template.name in used_elsewhere)
    )
