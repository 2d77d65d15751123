"""Choosing which draft templates to offer for a contact.

Pure rules: a template is usable when every detail it needs is known; each
usable (template, details) pair is a candidate draft with a stable key; keys
suggested to the same contact in the last 90 days are skipped; the best
candidates are picked so that the drafts differ in pillar, tone and subject.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.content.details import (
    FIRST_NAME,
    MAX_AGE,
    SPECIFIC_SLOTS,
    ContactPicture,
    KnownDetail,
)
from bot.domain.content.pillars import Pillar

# Time-bound situations matter more than a general check-in.
SITUATION_WEIGHT: dict[str, float] = {
    "promise-kept": 5.0,
    "ask-how-it-went": 5.0,
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


@dataclass(frozen=True)
class DraftTemplate:
    """A draft template's metadata, free of any template engine."""

    name: str
    situation: str
    pillar: Pillar
    tone: str
    needs: tuple[str, ...]

    @property
    def specific(self) -> bool:
        """True when the draft names something particular about the person."""
        return any(slot in SPECIFIC_SLOTS for slot in self.needs)


@dataclass(frozen=True)
class DraftChoice:
    """A template with the details that will fill it."""

    template: DraftTemplate
    details: tuple[KnownDetail, ...]
    key: str
    score: float

    def context(self, first_name: str) -> dict[str, str]:
        """The template variables: the first name and one value per needed slot."""
        values = {FIRST_NAME: first_name}
        values.update({d.slot: d.text for d in self.details})
        return values

    @property
    def subject(self) -> str:
        """The main thing this draft talks about (to avoid two drafts on one subject)."""
        specific = [d.text for d in self.details if d.slot in SPECIFIC_SLOTS]
        return specific[0].casefold() if specific else ""


def candidates(
    templates: Iterable[DraftTemplate], picture: ContactPicture, now: datetime
) -> list[DraftChoice]:
    """Every usable (template, details) pair for `picture`, best first."""
    max_age = MAX_AGE[picture.tier]
    found: list[DraftChoice] = []
    keys: set[str] = set()
    for template in templates:
        slots = [s for s in template.needs if s != FIRST_NAME]
        if not all(picture.has(s) for s in slots):
            continue
        options = [picture.slots[s][:PER_SLOT] for s in slots]
        for combo in itertools.product(*options):
            if len({d.text.casefold() for d in combo}) < len(combo):
                continue  # one detail filling two slots reads oddly
            score = SITUATION_WEIGHT.get(template.situation, 1.0) + sum(
                d.freshness(now, max_age) * SLOT_WEIGHT.get(d.slot, 1.0) for d in combo
            )
            key = draft_key(template.name, combo)
            if key not in keys:
                keys.add(key)
                found.append(DraftChoice(template, combo, key, score))
    found.sort(key=lambda c: (-c.score, c.template.name, c.key))
    return found


def draft_key(template_name: str, details: Sequence[KnownDetail]) -> str:
    """A short stable id for one draft: the same template with the same details."""
    raw = "\x1f".join([template_name, *(d.text.casefold() for d in details)])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def choose(
    pool: Sequence[DraftChoice], *, exclude: set[str], count: int = DEFAULT_COUNT
) -> list[DraftChoice]:
    """Pick up to `count` drafts, not in `exclude`, as varied as the pool allows.

    Each pick is the best remaining candidate after rewarding a pillar, tone,
    subject and situation not yet used; a pillar counts most, because the
    drafts should offer genuinely different reasons to write.
    """
    remaining = [c for c in pool if c.key not in exclude]
    picked: list[DraftChoice] = []
    while remaining and len(picked) < count:
        best = max(remaining, key=lambda c: _variety_value(c, picked))
        picked.append(best)
        remaining.remove(best)
    return picked


def _variety_value(candidate: DraftChoice, picked: Sequence[DraftChoice]) -> float:
    template = candidate.template
    return (
        candidate.score
        + 10.0 * all(template.pillar != p.template.pillar for p in picked)
        + 5.0 * all(candidate.subject != p.subject for p in picked)
        + 3.0 * all(template.tone != p.template.tone for p in picked)
        + 2.0 * all(template.situation != p.template.situation for p in picked)
        - 20.0 * any(template.name == p.template.name for p in picked)
    )
