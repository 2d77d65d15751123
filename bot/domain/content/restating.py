"""Which remembered details only say an event again, to list each thing once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from bot.domain.model import Fact, FactKind

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Words that add nothing when a detail repeats an event: "wedding is in june".
_FILLER = frozenset(
    {"is", "are", "was", "be", "on", "in", "at", "the", "a", "an", "her", "his", "their", "this"}
)


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def restates(detail: str, events: Iterable[str]) -> bool:
    """True when `detail` says nothing beyond one of `events` (each with its date words).

    "wedding is in june" beside the event "wedding in June" is one thing, not two;
    "has two kids" beside "daughter starts uni in September" is not.
    """
    return _within(detail, [_words(event) for event in events])


def _within(detail: str, event_words: Sequence[frozenset[str]]) -> bool:
    words = _words(detail) - _FILLER
    return any(words <= event for event in event_words)


T = TypeVar("T")


def remembered_once(items: Sequence[T], fact: Callable[[T], Fact]) -> list[T]:
    """`items` without the details that only say one of their events again."""
    # Each event's words found once, not once per detail.
    events = [
        _words(f"{f.text} {f.on:%B %b}" if f.on else f.text)
        for f in map(fact, items)
        if f.kind is FactKind.EVENT
    ]
    if not events:
        return list(items)
    return [
        item
        for item in items
        if (f := fact(item)).kind is FactKind.EVENT or not _within(f.text, events)
    ]
