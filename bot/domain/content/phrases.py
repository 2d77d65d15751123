"""Turning a remembered detail into words that fit inside a message to that person.

Facts are written about someone ("She is training for the Berlin marathon");
a draft speaks to them ("How is training for the Berlin marathon going?").
"""

from __future__ import annotations

import re

# Long details make clumsy drafts; beyond this the phrase is cut at a word.
MAX_PHRASE_CHARS = 90

_SUBJECT = r"(?:she|he|they|{name})"
_LEAD_VERB = re.compile(
    r"^(?:(?:is|are|was|were|'s|'re|has been|have been|has|have|"
    r"really|also|just|recently|currently|now)\s+)*"
    r"(?:(?:loves|likes|enjoys|is into|is really into|adores|plays|does|mentioned|said|"
    r"talked about|told me about|is excited about|is passionate about)\s+)?",
    re.I,
)
_WANTS_TO = re.compile(
    r"^(?:wants|hopes|plans|is planning|is hoping|is trying|would like|aims|is aiming|"
    r"intends|is about|is going)\s+to\s+(\w+)",
    re.I,
)
# "runs the Berlin marathon" -> "the Berlin marathon": the verb only gets in a draft's way.
_DOES_THING = re.compile(
    r"^(?:runs|does|plays|organi[sz]es|hosts|leads|heads|manages|coaches|is running|is doing)\s+"
    r"(?=(?:the|a|an|her|his|their|your)\b)",
    re.I,
)
# "introduced me to Sam" -> "introducing me to Sam", to follow "thank you for".
_PAST_TO_GERUND = {
    "introduced": "introducing",
    "helped": "helping",
    "shared": "sharing",
    "recommended": "recommending",
    "sent": "sending",
    "gave": "giving",
    "offered": "offering",
    "connected": "connecting",
    "invited": "inviting",
    "referred": "referring",
    "reviewed": "reviewing",
    "explained": "explaining",
    "showed": "showing",
    "taught": "teaching",
    "told": "telling",
    "made": "making",
    "took": "taking",
    "spent": "spending",
    "lent": "lending",
    "found": "finding",
    "hosted": "hosting",
    "mentored": "mentoring",
    "coached": "coaching",
    "vouched": "vouching",
    "covered": "covering",
    "walked": "walking",
    "listened": "listening",
    "encouraged": "encouraging",
    "pointed": "pointing",
}
# ", so helpful" and the like judge the detail; the draft says that in its own words.
_AFTERTHOUGHT = re.compile(r",\s*(?:so|really|very|super|which|what|such)\b.*$", re.I)
_SWAPS = {
    "her": "your",
    "his": "your",
    "their": "your",
    "him": "you",
    "them": "you",
    "she": "you",
    "he": "you",
    "they": "you",
    "she's": "you're",
    "he's": "you're",
    "they're": "you're",
    "herself": "yourself",
    "himself": "yourself",
    "themselves": "yourself",
}
_SWAP_WORD = re.compile(r"\b(" + "|".join(map(re.escape, _SWAPS)) + r")\b", re.I)
# Capitalised words that only start a sentence; a name or place keeps its capital.
_COMMON_STARTS = frozenset(
    {"the", "a", "an", "new", "first", "second", "big", "next", "her", "his", "their", "your"}
)


def second_person(text: str, name: str = "") -> str:
    """Return `text` as a short phrase addressed to its subject.

    "She is training for the Berlin marathon." -> "training for the Berlin marathon";
    "wants to move into product" -> "moving into product"; "her daughter's school play"
    -> "your daughter's school play".
    """
    phrase = " ".join(text.split()).strip(" .!?;:,")
    phrase = re.split(r"(?<=[.!?])\s", phrase, maxsplit=1)[0].strip(" .!?;:,")
    names = "|".join(re.escape(part) for part in {name, name.split()[0] if name else ""} if part)
    subject = _SUBJECT.format(name=names) if names else r"(?:she|he|they)"
    stripped = re.sub(rf"^{subject}(?='s|'re|\b)\s*", "", phrase, flags=re.I)
    if stripped != phrase:
        stripped = _LEAD_VERB.sub("", stripped, count=1)
    wants = _WANTS_TO.match(stripped)
    if wants:
        stripped = gerund(wants.group(1)) + stripped[wants.end() :]
    stripped = _DOES_THING.sub("", _AFTERTHOUGHT.sub("", stripped), count=1)
    first_word, _, others = stripped.partition(" ")
    if first_word.lower() in _PAST_TO_GERUND:
        stripped = " ".join(w for w in (_PAST_TO_GERUND[first_word.lower()], others) if w)
    phrase = _SWAP_WORD.sub(lambda m: _match_case(_SWAPS[m.group(1).lower()], m.group(1)), stripped)
    first, _, rest = phrase.partition(" ")
    if first.lower() in _COMMON_STARTS or first.lower().endswith("ing"):
        phrase = " ".join(part for part in (first.lower(), rest) if part)
    return _cut(phrase.strip(" .!?;:,"))


# An event reads better as a thing than as an activity ("the interview at Stripe").
_EVENT_NOUNS = tuple(
    (re.compile(pattern, re.I), replacement)
    for pattern, replacement in (
        (r"^interviewing\s+(at|with|for)\s+", r"the interview \1 "),
        (r"^(?:presenting|speaking|giving\s+a\s+talk)\s+(at|to)\s+", r"the talk \1 "),
        (r"^pitching\s+(to|at)\s+", r"the pitch \1 "),
        (r"^moving\s+to\s+", "the move to "),
        (r"^starting\s+(at|with)\s+", r"your first weeks \1 "),
        (r"^(?:running|doing)\s+(the|a|an)\s+", r"\1 "),
        (r"^launching\s+", "the launch of "),
        (r"^(?:flying|travelling|traveling|going)\s+to\s+", "the trip to "),
        (r"^getting\s+married\b", "the wedding"),
        (r"^(?:hosting|organi[sz]ing)\s+(the|a|an)\s+", r"\1 "),
    )
)


def as_event(phrase: str) -> str:
    """Word an event as a thing ("interviewing at Stripe" -> "the interview at Stripe")."""
    for pattern, replacement in _EVENT_NOUNS:
        renamed = pattern.sub(replacement, phrase, count=1)
        if renamed != phrase:
            return renamed
    return phrase


def gerund(verb: str) -> str:
    """Return the -ing form of a plain English verb ("move" -> "moving", "run" -> "running")."""
    word = verb.lower()
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(word) <= 4
        and len(word) >= 3
        and word[-1] not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
    ):
        return word + word[-1] + "ing"
    return word + "ing"


def _match_case(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement


def _cut(phrase: str) -> str:
    if len(phrase) <= MAX_PHRASE_CHARS:
        return phrase
    return phrase[:MAX_PHRASE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:")


def meeting_phrase(kind: str) -> str:
    """Name a logged interaction the way a thank-you would ("the coffee", "our call")."""
    return {
        "coffee": "the coffee",
        "lunch": "lunch",
        "call": "the call",
        "video call": "the call",
        "event": "the chat at the event",
        "meeting": "the meeting",
        "message": "your message",
    }.get(kind, "our chat")


def gap_phrase(days: int) -> str:
    """Say how long it has been, the way a person would."""
    if days < 45:
        return "a few weeks"
    if days < 120:
        return "a couple of months"
    if days < 300:
        return "a few months"
    if days < 540:
        return "about a year"
    return "far too long"
