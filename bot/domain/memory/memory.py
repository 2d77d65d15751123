"""A contact's remembered details, typed, at the moment a message is written.

`remember` is what saving a note calls: it words each detail once and says
where it belongs (a fact with its phrase, the contact's role and company, or
nowhere for a birthday). `recall` reads a contact's facts back as typed
details with their timing now; facts saved before typed memory existed have
no phrase and are worded from their text here (migration on read), so old
data files load and read as well as new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.memory.phrase import Phrase, Timing, Told, timing_of
from bot.domain.memory.wording import Birthday, RoleAt, word_detail
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
    """The fact's phrase, worded from its text when it was saved without one."""
    if fact.phrase is not None:
        return fact.phrase
    worded = word_detail(fact.kind, fact.text, names=names)
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
        found.append(Remembered(fact.kind, phrase, timing, fact.learned_at, fact.text, fact.on))
    return found


def promised(text: str) -> Phrase:
    """Your promise, worded ("introduce her to Zoë" -> "an intro to Zoë")."""
    worded = word_detail(FactKind.PROMISE, text)
    return worded if isinstance(worded, Phrase) else Phrase()
