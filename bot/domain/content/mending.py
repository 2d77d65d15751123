"""Mending a draft with what the coach knows about its recipient.

A draft the user pastes into /review often carries words copied from notes
("more about loves bouldering", "here's introduce to José", "thanks for
lunch" after a dinner, "your take on the talk" before the talk). The coach
knows the typed phrase for each detail, the real kind of their last meeting
and which of their events still lie ahead, so it can put those words the
way a person would say them, and keep every other word the user wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_MEAL = re.compile(
    r"\b(?P<frame>(?:for|after|over)\s+(?:the\s+|our\s+)?)"
    r"(?P<meal>lunch|dinner|breakfast|brunch|coffee|drinks)\b",
    re.I,
)
_GENERIC_MEETING = re.compile(r"\b(?:the|our)\s+chat\s+at\s+the\s+(?:event|conference)\b", re.I)
_PAST_FRAMES = re.compile(
    r"\b(?:your\s+take\s+on|how\s+did|how\s+was|went|turned?\s+out|what\s+you\s+took\s+away|"
    r"since\s+your|after\s+your|hope\s+\S+(?:\s+\S+){0,6}\s+went)\b",
    re.I,
)
_LONG_GAP_CLOSERS = re.compile(
    r"\b(?:let's\s+not\s+leave\s+it\s+so\s+long|it's\s+been\s+(?:ages|too\s+long|a\s+while)|"
    r"long\s+time\s+no\s+(?:see|talk|speak)|far\s+too\s+long)\b",
    re.I,
)
_MEALS = frozenset({"lunch", "dinner", "breakfast", "brunch", "coffee", "drinks"})
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear)\b(?:\s+(?:mr|mrs|ms|mx|dr|prof)\.?)?[^,!.\n]{0,40}[,!]\s*",
    re.I,
)
# Where a noun phrase belongs: the words a note's raw fragment is mended after.
_FRAMES = (
    r"about|with|on|for|of|here's|here\s+is|approaching|forget|forgotten|owe\s+you|into|at|"
    r"to|luck\s+with|feeling\s+about"
)
_REFERS_BACK = re.compile(r"\b(?:it|that)\b", re.I)


@dataclass(frozen=True)
class Known:
    """What the coach knows that can mend a draft to one person.

    `words` maps raw words from a note to how a message says them ("loves
    bouldering" -> "bouldering"); `not_details` are raw words that are no
    detail at all ("birthday is"); `meal` is their last meeting's meal ("" if
    it was not one); `meeting` names it ("our chat at ProductCon"); `ahead`
    holds words that name their events still to come; `recent` says they
    talked in the last weeks; `line` is a warm, specific question to offer.
    """

    words: tuple[tuple[str, str], ...] = ()
    not_details: tuple[str, ...] = ()
    meal: str = ""
    meeting: str = ""
    ahead: tuple[str, ...] = ()
    recent: bool = False
    line: str = ""


def mend(draft: str, known: Known) -> tuple[str, list[str]]:
    """The draft with broken or wrong words mended, and what was mended (tip keys)."""
    text = " ".join(draft.split())
    fixed: list[str] = []
    for raw, better in sorted(known.words, key=lambda kv: -len(kv[0])):
        pattern = re.compile(rf"\b(?P<frame>{_FRAMES})\s+" + _loose(raw).pattern, re.I)
        if raw.casefold() != better.casefold() and pattern.search(text):
            text = pattern.sub(_put(better), text)
            fixed.append("note-words")
    greeting_match = _GREETING.match(text)
    greeting = greeting_match.group().strip() if greeting_match else ""
    body = text[greeting_match.end() :] if greeting_match else text
    sentences = [s.strip() for s in _SENTENCE.findall(body) if s.strip()]
    kept: list[str] = []
    replaced_event = False
    for sentence in sentences:
        if any(_loose(raw).search(sentence) for raw in known.not_details):
            fixed.append("not-a-detail")
            continue
        if known.ahead and _PAST_FRAMES.search(sentence) and _names_any(sentence, known.ahead):
            fixed.append("tense")
            replaced_event = True
            if known.line and known.line not in kept:
                kept.append(known.line)
            continue
        if replaced_event and _REFERS_BACK.search(sentence):
            continue  # "Would you ever write it up?" spoke of what has not happened yet
        if known.recent and _LONG_GAP_CLOSERS.search(sentence):
            fixed.append("gap")
            continue
        kept.append(_mend_meeting(sentence, known, fixed))
    if not fixed:
        return text, []
    if not kept and known.line:
        kept = [known.line]
    if greeting and kept and greeting.endswith(","):
        kept[0] = kept[0][0].lower() + kept[0][1:] if _reads_on(kept[0]) else kept[0]
    mended = " ".join(part for part in (greeting, *kept) if part)
    return mended, sorted(set(fixed), key=fixed.index)


def _put(better: str) -> Callable[[re.Match[str]], str]:
    """Keep the frame word the user wrote, then the better words."""

    def replace(match: re.Match[str]) -> str:
        return f"{match.group('frame')} {better}"

    return replace


def _reads_on(sentence: str) -> bool:
    """After "Hi Lars," a question word reads on in lower case; a name does not."""
    return sentence.split(" ", 1)[0].lower() in {"how", "how's", "what", "what's", "when", "where"}


def _mend_meeting(sentence: str, known: Known, fixed: list[str]) -> str:
    if known.meeting and _GENERIC_MEETING.search(sentence):
        fixed.append("meeting")
        sentence = _GENERIC_MEETING.sub(known.meeting, sentence)
    meal = _MEAL.search(sentence)
    if meal is not None and known.meal and meal.group("meal").lower() != known.meal:
        fixed.append("meeting")
        start, end = meal.span("meal")
        sentence = sentence[:start] + known.meal + sentence[end:]
    return sentence


def _loose(words: str) -> re.Pattern[str]:
    """Match `words` however the draft spaced or capitalised them."""
    parts = [re.escape(w) for w in words.split()]
    return re.compile(r"\b" + r"\s+".join(parts) + r"\b", re.I)


def _names_any(sentence: str, names: tuple[str, ...]) -> bool:
    lowered = sentence.casefold()
    return any(name.casefold() in lowered for name in names if len(name) > 3)


def is_meal(kind_word: str) -> bool:
    """Whether a meeting word is a meal or drink a thank-you would name."""
    return kind_word in _MEALS
