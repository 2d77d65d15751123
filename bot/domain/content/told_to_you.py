"""The user's own words, said back to them by the coach: "vouch for me" -> "vouch for you"."""

from __future__ import annotations

import re

_SWAPS = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself"}
_FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself)\b", re.IGNORECASE)


def told_to_you(words: str) -> str:
    """Swap the note's first person for the second: the coach is not the one vouched for."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        if word == "I" or word.islower():
            return _SWAPS[word.lower()]
        return word  # "MY" as an acronym, "Me" as a name: left alone

    return _FIRST_PERSON.sub(swap, words)
