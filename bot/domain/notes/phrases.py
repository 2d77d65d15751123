"""Turning a clause into the short phrase shown on the confirmation card."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.notes.clauses import Clause
from bot.domain.notes.text import EMOJI

MAX_PHRASE = 90

_AUXILIARIES = re.compile(
    r"^(?:(?:is|are|was|'s|'re|will|'ll|would|has|have|had|'ve|got|just|also|still|really|been|"
    r"actually|now|recently|apparently|currently|finally|soon|definitely|be|being|going\s+to|"
    r"gonna|about\s+to|to|and|so|then|that|,|-)\s+)+",
    re.I,
)


def when(clause: Clause, *, after: int = 0) -> tuple[date | None, str]:
    """The clause's first forward-looking date at or after `after`: (date or None, words).

    Dates before a promise's verb say when it was made ("today he offered
    to..."), not when it is due, hence `after`.
    """
    for mention in clause.dates:
        if not mention.past and mention.start >= after:
            return mention.on, mention.text
    return None, ""


def phrase(text: str, clause: Clause, *, drop: str = "", keep_dates: bool = False) -> str:
    """Make a short phrase: no date words, no leading auxiliaries, no trailing junk.

    `drop` is a person's name to leave out when it opens the phrase or directly
    follows its verb ("owe Priya feedback" becomes "feedback"), since the card
    shows the person.
    """
    if not keep_dates:
        for mention in clause.dates:
            text = text.replace(mention.text, " ")
    text = _EMOJI.sub(" ", text).strip()
    if drop:
        text = _drop_name(text, drop)
    # "send her the deck" and "owe her feedback": the card already shows whom.
    text = _OBJECT_PRONOUN.sub(lambda m: m.group(1) or m.group(2) or "", text, count=1)
    text = _AUXILIARIES.sub("", text.strip())
    text = _SPACES.sub(" ", text).strip(" ,.;:!?-–—&\"'")
    text = _CHAT_TAIL.sub("", text)  # "running for the board lol": the aside is no part of it
    if not _PHRASAL_END.search(text):
        text = _DANGLING.sub("", text)
    if len(text) > MAX_PHRASE:
        text = text[:MAX_PHRASE].rsplit(" ", 1)[0] + "…"
    return text


def _drop_name(text: str, name: str) -> str:
    """Remove `name` (or its first word) as the phrase's first or second word."""
    words = text.split(" ")
    for form in (name.split(), name.split()[:1]):
        for at in (0, 1):
            candidate = [w.removesuffix("'s").casefold() for w in words[at : at + len(form)]]
            if candidate == [w.casefold() for w in form]:
                return " ".join(words[:at] + words[at + len(form) :]).strip()
    return text


def without_recipient(text: str, name: str) -> str:
    """ "send our deck to Haruka", said of Haruka: "send our deck" (the card shows whom)."""
    for form in (name, name.split()[0] if name else ""):
        if form and len(text) > len(form) + 4:
            cut = re.sub(rf"\s+to\s+{re.escape(form)}$", "", text, flags=re.I)
            if cut != text:
                return cut
    return text


# "send her the deck" drops "her"; "review her board deck" keeps it (hers, not to her).
_OBJECT_PRONOUN = re.compile(
    # "add her to the group" keeps her (she is what is added); "intro her to Ana" reads as
    # "intro to Ana".
    r"^(?:(intro\s+)(?:him|them|her)(?=\s+(?:to|with|w)\b)|(\w+\s+)?(?:him|them|"
    r"her(?=\s+(?:the|a|an|my|our|some|this|that|these|those|\d|(?-i:[A-Z]))))"
    r"(?!\s+(?:to|with|w)\b))\s+(?=\w)",
    re.I,
)
# "check in", "drop in": the particle belongs to the verb.
_PHRASAL_END = re.compile(
    r"\b(?:check|drop|log|sign|pop|fill|hand|join|chip|call|stop)\s+in$", re.I
)
_SPACES = re.compile(r"\s+")
_CHAT_TAIL = re.compile(
    r"(?:[\s,]+(?:lol|lmao|haha\w*|hehe|tbh|omg|fyi|imo|ngl|btw|rofl|xd|yay|fwiw|ha))+[\s.!?]*$",
    re.I,
)
_EMOJI = re.compile(EMOJI + "+")
# Words left hanging at the end once a date is cut out: "leaving drinks are (on Friday)".
_DANGLING = re.compile(
    r"(?:\s+(?:by|on|before|until|till|due|for|at|in|from|to|are|is|was|were|will\s+be|be))+$", re.I
)
