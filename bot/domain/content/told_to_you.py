"""The user's own words, said back to them by the coach: "vouch for me" -> "vouch for you"."""

from __future__ import annotations

import re

from bot.domain.memory.wording import spelled_out

_SWAPS = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself"}
# Only "be" agrees with "I" differently from "you" in English ("I am" / "you are",
# "I was" / "you were"); every other verb after "I" already fits "you".
_BE = {"am": "are", "was": "were", "'m": "'re", "’m": "’re"}
_FIRST_PERSON = re.compile(
    r"\b(I|me|my|mine|myself)\b(?:(\s+)(am|was)\b|(['’]m)\b)?", re.IGNORECASE
)


def told_to_you(words: str) -> str:
    """Swap the note's first person for the second: the coach is not the one vouched for.

    Phone shorthand is written out too ("w Ruben" is "with Ruben"): the coach writes.
    """
    words = spelled_out(words)

    def swap(match: re.Match[str]) -> str:
        word, space, verb, contraction = match.groups()
        if not (word == "I" or word.islower()):
            return match.group(0)  # "MY" as an acronym, "Me" as a name: left alone
        said = _SWAPS[word.lower()]
        if word.lower() != "i":
            return said + (space or "") + (verb or "") + (contraction or "")
        if verb:
            return f"{said}{space}{_BE[verb.lower()]}"
        if contraction:
            return said + _BE[contraction.lower()]
        return said

    return _FIRST_PERSON.sub(swap, words)
