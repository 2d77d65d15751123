"""An event said back as a question: "moving to Lisbon" -> "how the move to Lisbon went"."""

from __future__ import annotations

import re

from bot.domain.memory import morphology
from bot.domain.memory.phrase import Phrase
from bot.domain.memory.wording import word_detail
from bot.domain.model import FactKind

# The memory words a noun phrase for a message to them ("your KubeCon talk"); this one
# is said to the user about them.
_YOUR = re.compile(r"\byour\b")
_DETERMINERS = frozenset({"the", "their", "a", "an"})


def how_it_went(event: str) -> str:
    """ "how the Berlin half went", or plain "how it went" when the event won't read as one."""
    worded = word_detail(FactKind.EVENT, event) if event.strip() else None
    if isinstance(worded, Phrase):
        noun = _YOUR.sub(_whose(event), worded.noun)
        if noun and _stands_alone(noun):
            return f"how {noun} went"
        if worded.gerund:
            return f"how {worded.gerund} went"
    return "how it went"


def _whose(event: str) -> str:
    """The note's own possessive for "your" ("w her wife" stays her wife), else "their"."""
    said = {word.lower() for word in _POSSESSIVE.findall(event)}
    return said.pop() if len(said) == 1 else "their"


_POSSESSIVE = re.compile(r"\b(her|his|their)\b(?=\s+[^\W\d_])", re.I)


def _stands_alone(noun: str) -> bool:
    """ "their out" (from "she's out") is no event: one word after "the" must be only a noun."""
    words = noun.split()
    if len(words) != 2 or words[0].lower() not in _DETERMINERS:
        return True
    readings = morphology.readings(words[1])
    return not readings.keys() & {"ADV", "ADP", "ADJ"}
