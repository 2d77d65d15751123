"""Telling a courtesy ("the coffee", "your time", "hosting me") from help ("the intro to Sam").

Both are thanked for, but not alike: "it made a real difference, and I won't
forget it" suits an introduction and overdoes a coffee, and a coffee has no
outcome to report back three weeks later. A thing thanked for is a courtesy
when each part of it ("the coffee and the intro" has two) is hospitality or
time, whatever adjectives and times of day come with it.
"""

from __future__ import annotations

import re

from bot.domain.memory.phrase import Phrase

_COURTESIES = frozenset(
    "coffee coffees lunch lunches dinner dinners breakfast brunch drinks drink beer beers "  # noqa: SIM905
    "wine tea meal meals chat call catch-up catchup time hospitality invite invitation tour "
    "ride lift welcome visit evening afternoon morning night company walk cake".split()
)
# Doing the user a courtesy, as a gerund: "hosting me", "having us over".
_COURTESY_DOINGS = frozenset(
    "hosting having inviting welcoming meeting driving showing making taking feeding "  # noqa: SIM905
    "treating buying getting".split()
)
# Of those, a host's own doing ("hosting me"); the rest need time or a treat given.
_HOSTING = frozenset({"hosting", "having", "inviting", "welcoming", "showing"})
# Words that say which one or when, not what: "the lovely dinner last night".
_ASIDE = frozenset(
    "the a an your our my this that these today's yesterday's last tonight's lovely great "  # noqa: SIM905
    "nice wonderful delicious long quick fun good amazing fantastic kind generous "
    "today yesterday earlier tonight".split()
)
# Where the thing ends and what it was about begins: "the intro to Sam", "advice on pricing".
_AFTER = re.compile(r"\s(?:to|with|for|about|on|over|at|in|from|of|re)\s.*$")
_PARTS = re.compile(r"\s(?:and|&|\+)\s|,\s*")
_WORD = re.compile(r"[a-z][a-z'’-]*")
# "making time for me", "taking the time", "buying me lunch": a courtesy done.
_TIME_OR_TREAT = frozenset({"time", "lunch", "dinner", "coffee", "drinks", "breakfast", "round"})


def is_courtesy(phrase: Phrase) -> bool:
    """Whether what `phrase` thanks for is hospitality or time, not help."""
    said = phrase.noun or phrase.gerund
    parts = [p for p in _PARTS.split(said.lower()) if p.strip()]
    return bool(parts) and all(_is_courtesy_part(p) for p in parts)


def _is_courtesy_part(part: str) -> bool:
    """ "the lovely dinner", "for hosting me at their office", "making time for me"."""
    words = _WORD.findall(part)
    if words[:1] == ["for"]:  # "the coffee and for hosting me"
        words = words[1:]
    if words and words[0] in _COURTESY_DOINGS:
        # A host's own doing ("hosting me"), or time or a treat given ("buying me lunch").
        return words[0] in _HOSTING or bool(_TIME_OR_TREAT & set(words[1:]))
    words = _WORD.findall(_AFTER.sub("", " " + " ".join(words) + " "))
    content = [w for w in words if w not in _ASIDE] or words[-1:]
    return bool(content) and all(w in _COURTESIES for w in content)
