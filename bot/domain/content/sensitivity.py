"""What is too personal to bring up with someone the user is not close to.

One set of rules serves both directions: details the coach may put in a
draft for a distant contact, and lines /review flags in a draft the user
wrote (health, family, hard times, watching their profile).
"""

from __future__ import annotations

import re

_SENSITIVE = re.compile(
    r"\b(?:sick|ill|illness|hospital|surgery|cancer|chemo\w*|diagnos\w*|therapy|pregnan\w*|"
    r"miscarriage|divorc\w*|separat\w*|funeral|passed\s+away|died|death|grief|griev\w*|"
    r"depress\w*|anxiety|burn-?out|burn(?:ed|t)\s+out|rehab|laid\s+off|layoffs?|fired|debt|"
    r"custody|injur\w*|health|recover\w*|doctor|medical|hip|knee|operation|chemo|"
    r"let\s+(?:\w+\s+){0,2}go|ran\s+out\s+of\s+(?:runway|money|cash)|runway|redundan\w*|"
    r"hard\s+time|rough\s+(?:time|patch))\b",
    re.I,
)
_FAMILY = re.compile(
    r"\b(?:wife|husband|partner|spouse|girlfriend|boyfriend|fianc[ée]e?|kids?|children|"
    r"daughters?|sons?|baby|mum|mom|mother|dad|father|parents?|sister|brother|family)\b",
    re.I,
)
_WATCHING = re.compile(
    r"\b(?:(?:looked|viewed|checked|visited|stalk\w*)\s+(?:at\s+)?(?:my|your)\s+"
    r"(?:profile|page|linkedin|instagram|posts?|stories)|(?:saw|noticed)\s+(?:on\s+\w+\s+)?"
    r"(?:that\s+)?you\s+(?:looked|viewed|checked|visited|liked|were\s+looking)"
    r"|profile\s+views?|who\s+viewed|\d+\s+times\s+this\s+week)\b",
    re.I,
)


def is_sensitive(text: str) -> bool:
    """Health, loss and hard times: only for people the user is close to."""
    return bool(_SENSITIVE.search(text))


def mentions_family(text: str) -> bool:
    """A partner, child or parent is named: as personal as health to a distant contact."""
    return bool(_FAMILY.search(text))


def personal_topics(text: str) -> list[str]:
    """Which personal lines a message crosses: "health", "family", "profile-watching"."""
    found = []
    if _SENSITIVE.search(text):
        found.append("health")
    if _FAMILY.search(text):
        found.append("family")
    if _WATCHING.search(text):
        found.append("profile-watching")
    return found
