"""A contact's remembered details, typed, at the moment a message is written.

`remember` is what saving a note calls: it words each detail once and says
where it belongs (a fact with its phrase, the contact's role and company, or
nowhere for a birthday). `recall` reads a contact's facts back as typed
details with their timing now; facts saved before typed memory existed have
no phrase, and facts saved by older wording rules carry an older version:
both are worded from their text here (migration on read), so old data files
load and read as well as new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.memory.morphology import lemma
from bot.domain.memory.phrase import Phrase, Timing, Told, timing_of
from bot.domain.memory.wording import (
    WORDING_VERSION,
    Birthday,
    RoleAt,
    settled_kind,
    word_detail,
)
from bot.domain.model import Contact, Fact, FactKind


@dataclass(frozen=True)
class Remembered:
    """One detail as a draft may use it: its kind, words, timing and where it came from."""

    kind: FactKind
    phrase: Phrase
    timing: Timing
    learned_at: datetime | None
    key: str  # the card's words, to tell one detail from another
    on: date | None = None
    interaction_id: str | None = None  # the meeting it was told at


def remember(
    kind: FactKind,
    text: str,
    *,
    names: tuple[str, ...] = (),
    past: bool = False,
) -> Phrase | RoleAt | Birthday:
    """Word a detail the note reader found; `past` says the note told it as already done."""
    return word_detail(kind, text, names=names, told=Told.BEHIND if past else None)


def phrase_of(fact: Fact, names: tuple[str, ...] = ()) -> Phrase:
    """The fact's phrase; worded again from its text when saved without one or by older rules."""
    stored = fact.phrase
    if stored is not None and stored.version >= WORDING_VERSION:
        return stored
    # A detail the note told as done stays done ("moved to Toronto"), whatever the new rules.
    told = Told.BEHIND if stored is not None and stored.told is Told.BEHIND else None
    worded = word_detail(fact.kind, fact.text, names=names, told=told)
    if isinstance(worded, RoleAt):
        return worded.news or Phrase()  # a role is not a detail to bring up
    if isinstance(worded, Birthday):
        return Phrase()
    return worded


def recall(contact: Contact, *, now: datetime, today: date) -> list[Remembered]:
    """Every usable detail about `contact`, newest first, with its timing now."""
    names = tuple(n for n in (contact.company, *contact.name.split()) if n)
    found = []
    for fact in sorted(contact.facts, key=lambda f: f.learned_at, reverse=True):
        phrase = phrase_of(fact, names)
        if phrase.empty:
            continue
        timing = timing_of(phrase, on=fact.on, learned_at=fact.learned_at, now=now, today=today)
        kind = settled_kind(fact.kind, fact.text, names)
        found.append(
            Remembered(
                kind, phrase, timing, fact.learned_at, fact.text, fact.on, fact.interaction_id
            )
        )
    return found


def promised(text: str, *, to: str = "") -> Phrase:
    """Your promise to `to`, worded ("introduce her to Zoë" -> "an intro to Zoë").

    A note may name the person the promise is made to ("introduce Aisha to
    Maria"): said to Aisha, that is "introduce you to Maria".
    """
    if to:
        text = re.sub(rf"\b{re.escape(to)}\b(?=\s+(?:to|with)\b)", "you", text)
    worded = word_detail(FactKind.PROMISE, text)
    return worded if isinstance(worded, Phrase) else Phrase()


def is_intro(phrase: Phrase) -> bool:
    """Tell whether a promise is an introduction (kept by making it, not by sending something)."""
    return phrase.noun.startswith("an intro to ")


# Verbs of someone on the way in: "learning the cello", "getting into woodworking".
_LEARNING = frozenset(["learn", "train", "try", "practise", "practice", "start", "begin", "get"])


def still_learning(phrase: Phrase) -> bool:
    """Tell whether the detail is something they are taking up, not something they know."""
    for words in (phrase.gerund, phrase.noun, phrase.clause.removeprefix("you're ")):
        first = words.split(" ", 1)[0] if words else ""
        if first.endswith("ing") and lemma(first) in _LEARNING:
            return True
    return False
