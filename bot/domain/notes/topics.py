"""Short keywords worth remembering from a note ("marathon", "kubecon")."""

from __future__ import annotations

import re

from bot.domain.notes.dates import MONTHS, WEEKDAYS
from bot.domain.notes.reading import DatedItem, Detail, NoteReading
from bot.domain.notes.text import fold, word_set

MAX_TOPICS = 8

# Everyday subjects people come back to in later conversations.
_VOCABULARY = word_set(
    """
    marathon triathlon running cycling climbing bouldering hiking surfing sailing skiing yoga
    chess guitar piano photography cooking baking gardening golf tennis football soccer
    basketball podcast books reading jazz music wine travel college university school
    wedding baby kids daughter son interview launch talk keynote conference hiring fundraising
    startup promotion move relocation kubernetes ai ml python rust design product marketing
    sales security data cloud devops leadership mentoring burnout sabbatical retirement
    thesis exam visa
    """
)
_NOT_TOPICS = word_set(
    "i i'm the a an and or but so she he they we it this that my our his her their"
)


def topics_of(text: str, reading: NoteReading, names: list[str]) -> list[str]:
    """Return lowercase keywords from the note's events, details and vocabulary."""
    person_words = {fold(word) for name in names for word in name.split()}
    topics: list[str] = []
    items: list[DatedItem | Detail] = [*reading.events, *reading.details]
    phrases = [item.text for item in items]
    for phrase in phrases:
        # Capitalised words inside a phrase name things: "KubeCon", "Personio".
        for match in re.finditer(r"[A-Z][\w\-]+", phrase):
            if match.start() > 0:
                _add(topics, match.group(), person_words)
    for word in re.findall(r"[^\W\d_]+", text.lower()[:4000]):
        if word in _VOCABULARY:
            _add(topics, word, person_words)
    return topics[:MAX_TOPICS]


def _add(topics: list[str], word: str, person_words: set[str]) -> None:
    low = word.lower()
    if fold(low) in person_words or low in _NOT_TOPICS or low in MONTHS or low in WEEKDAYS:
        return
    if len(low) < 2 or low in topics:
        return
    topics.append(low)
