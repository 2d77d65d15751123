"""Coaching a message the user wrote: what weakens it, and a better version.

Pure text rules, deliberately simple and explainable: each flag names one
habit that makes a message easy to ignore (filler openings, nothing
specific, all about the sender, an ask with nothing offered, too long, no
question to answer). The improved version keeps the user's own sentences and
only removes filler or adds what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.content.sensitivity import personal_topics


class Weakness(StrEnum):
    """One thing that makes a message weaker."""

    GENERIC_OPENING = "generic-opening"
    NO_SPECIFICS = "no-specifics"
    ALL_ABOUT_ME = "all-about-me"
    ASK_WITHOUT_GIVE = "ask-without-give"
    TOO_LONG = "too-long"
    NO_QUESTION = "no-question"
    HEDGING = "hedging"
    PICK_YOUR_BRAIN = "pick-your-brain"
    TOO_PERSONAL = "too-personal"


# Beyond this a message on a phone is a wall of text.
MAX_WORDS = 120
TRIMMED_WORDS = 100

_GENERIC = re.compile(
    r"\b(?:(?:i\s+)?(?:just\s+)?(?:wanted\s+to\s+)?(?:check(?:ing)?\s+in|touch(?:ing)?\s+base|"
    r"circl(?:e|ing)\s+back|reach(?:ing)?\s+out|follow(?:ing)?\s+up)"
    r"|(?:i\s+)?hope\s+(?:this|my)\s+(?:e-?mail\s+|message\s+|note\s+)?finds\s+you\s+well"
    r"|(?:i\s+)?hope\s+(?:you\s+are|you're|you\s+have\s+been|you've\s+been|all\s+is|all's|"
    r"everything\s+is)\s+(?:doing\s+)?(?:well|good|great|ok|okay)"
    r"|long\s+time\s+no\s+(?:see|talk|speak)|quick\s+question)\b",
    re.I,
)
_REFERENCE = re.compile(
    r"\b(?:you\s+(?:mentioned|said|told\s+me|were\s+saying|shared|recommended|suggested)"
    r"|when\s+we\s+(?:met|spoke|talked)|we\s+(?:talked|spoke)\s+about|last\s+(?:week|month|time)"
    r"|your\s+(?:talk|post|article|book|podcast|launch|project|team|new|trip|race|move|interview)"
    r"|our\s+(?:chat|coffee|call|conversation|lunch|meeting)|congrat\w*)\b",
    re.I,
)
_ASK = re.compile(
    r"\b(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:help|introduce|intro|refer|recommend|"
    r"connect|review|look|take|share|send|forward|put|give|pass|mentor|advise|spare|find|check|"
    r"sign|vote|support|endorse|hop|jump|make|do\s+me)"
    r"|would\s+you\s+mind|any\s+chance\s+you|do\s+you\s+know\s+(?:anyone|someone|somebody)"
    r"|introduce\s+me|refer\s+me|put\s+in\s+a\s+(?:good\s+)?word|pick\s+your\s+brain"
    r"|i\s+need\s+(?:you|your|a|an|some|help)|help\s+me|a\s+favou?r"
    r"|need\s+(?:an?\s+)?(?:intro|introduction|referral|reference|favou?r)"
    r"|(?:an\s+)?intro\s+to\s+your)\b",
    re.I,
)
_GIVE = re.compile(
    r"\b(?:happy\s+to|glad\s+to|in\s+return|return\s+the\s+favou?r|if\s+i\s+can\s+help|"
    r"anything\s+i\s+can\s+do|i\s+can\s+(?:help|introduce|share|send)|i\s+could\s+help|"
    r"i'd\s+love\s+to\s+help|here's|here\s+is|i\s+thought\s+you|for\s+you|attached|"
    r"thank|congrat\w*|on\s+me|my\s+treat|i'd\s+be\s+happy)\b",
    re.I,
)
_ME = re.compile(r"\b(?:i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
_YOU = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b", re.I)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|morning)\b"
    r"(?:\s+(?:mr|mrs|ms|mx|dr|prof)\.?)?[^,!.\n]{0,40}[,!.]?\s*",
    re.I,
)
# "I am writing to" and friends only announce the filler that follows them.
_ANNOUNCE = re.compile(
    r"\b(?:i\s+am|i'm|i\s+was|i)\s+(?:just\s+)?(?:writing|emailing|messaging|contacting\s+you)"
    r"\s+(?:to\s+)?",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:sorry\s+(?:to\s+bother\s+you|for\s+(?:the\s+)?(?:late\s+reply|delay|bothering\s+you|"
    r"the\s+random\s+message))|i\s+know\s+you(?:'re|\s+are)\s+(?:super\s+|really\s+|very\s+)?busy"
    r"|i\s+hate\s+to\s+ask|this\s+(?:might|may)\s+be\s+a\s+(?:silly|stupid|dumb)\s+question"
    r"|i\s+was\s+(?:just\s+)?wondering\s+if\s+(?:maybe\s+)?|if\s+it's\s+not\s+too\s+much\s+trouble"
    r"|apologies\s+for\s+[^.,!?]+)[,.!]?\s*(?:but\s+)?",
    re.I,
)
_BRAIN = re.compile(r"\bpick\s+your\s+brain(?:\s+(?:about|on))?", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_WORDS = re.compile(r"[A-Za-z0-9']+")
_LEADING_JOINER = re.compile(
    r"^(?:and|but|so|,|to\s+see|to\s+ask|on|about|regarding|with\s+you)\b\s*", re.I
)
_QUOTED = re.compile(r"[\"“][^\"”]{3,}[\"”]")
# Words that start a sentence but not a name, so they may follow "Hi Maria," in lower case.
_SENTENCE_STARTERS = frozenset(
    {
        "could",
        "can",
        "would",
        "will",
        "how",
        "how's",
        "what",
        "what's",
        "when",
        "where",
        "why",
        "who",
        "thanks",
        "thank",
        "hope",
        "so",
        "congratulations",
        "congrats",
        "great",
        "good",
        "it",
        "it's",
        "this",
        "that",
        "the",
        "a",
        "do",
        "did",
        "are",
        "is",
        "have",
        "has",
        "let",
        "here",
        "here's",
        "sending",
        "we",
        "our",
        "your",
        "you",
        "any",
        "quick",
        "just",
    }
)
GIVE = "And if I can ever return the favour, just say."
# Capitalised words that say nothing particular.
_PLAIN_CAPITALS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "ps", "ok", "hi", "thanks", "best"})


@dataclass(frozen=True)
class Review:
    """What weakens a draft, and an improved version of it."""

    weaknesses: tuple[Weakness, ...]
    improved: str


def weaknesses(
    draft: str, *, close: bool = False, known: tuple[str, ...] = ()
) -> tuple[Weakness, ...]:
    """Return the weaknesses of `draft`, in a stable order.

    `close` says the recipient is someone the user is close to: health and
    family are then fair to ask about; watching their profile never is.
    `known` holds words the coach knows about them: naming one is specific.
    """
    text = " ".join(draft.split())
    found: list[Weakness] = []
    if _GENERIC.search(text):
        found.append(Weakness.GENERIC_OPENING)
    if not has_specifics(text) and not any(k.casefold() in text.casefold() for k in known if k):
        found.append(Weakness.NO_SPECIFICS)
    me, you = len(_ME.findall(text)), len(_YOU.findall(text))
    if me >= 4 and you * 2 < me:
        found.append(Weakness.ALL_ABOUT_ME)
    if _ASK.search(text) and not _GIVE.search(text):
        found.append(Weakness.ASK_WITHOUT_GIVE)
    if len(_WORDS.findall(text)) > MAX_WORDS:
        found.append(Weakness.TOO_LONG)
    if "?" not in text:
        found.append(Weakness.NO_QUESTION)
    if _HEDGE.search(text):
        found.append(Weakness.HEDGING)
    if _BRAIN.search(text):
        found.append(Weakness.PICK_YOUR_BRAIN)
    if too_personal(text, close=close):
        found.append(Weakness.TOO_PERSONAL)
    return tuple(found)


def too_personal(text: str, *, close: bool) -> list[str]:
    """The personal lines a message crosses for this recipient (the drafts' own rules)."""
    return [t for t in personal_topics(text) if t == "profile-watching" or not close]


def filler_phrases(draft: str) -> list[str]:
    """The filler phrases in `draft`, as written, first occurrence of each."""
    found: list[str] = []
    for match in _GENERIC.finditer(" ".join(draft.split())):
        phrase = match.group().strip()
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found


def has_specifics(text: str) -> bool:
    """Tell whether `text` names anything particular: a name, a number, a shared moment."""
    if re.search(r"\d", text) or _REFERENCE.search(text) or _QUOTED.search(text):
        return True
    body = _GREETING.sub("", text, count=1)
    for sentence in _SENTENCE.findall(body):
        words = _WORDS.findall(sentence)
        for word in words[1:]:
            if word[0].isupper() and word.lower() not in _PLAIN_CAPITALS:
                return True
    return False


def review(
    draft: str, *, specific_question: str = "", close: bool = False, known: tuple[str, ...] = ()
) -> Review:
    """Review `draft`; `specific_question` (about the recipient) fills what is missing."""
    found = weaknesses(draft, close=close, known=known)
    return Review(found, improve(draft, found, specific_question=specific_question, close=close))


def improve(
    draft: str, found: tuple[Weakness, ...], *, specific_question: str = "", close: bool = False
) -> str:
    """Return `draft` with its weaknesses fixed, keeping the user's own sentences.

    Only whole filler sentences or clauses go, never half a sentence; a
    sentence that crosses a personal line goes; a message all about the
    sender starts with them (the specific question); a missing question or
    give is added at the end; a long message loses its most self-centred
    lines. Nothing is ever left for the user to fill in.
    """
    text = " ".join(draft.split())
    greeting_match = _GREETING.match(text)
    greeting = greeting_match.group().strip() if greeting_match else ""
    body_start = greeting_match.end() if greeting_match else 0
    sentences = [s.strip() for s in _SENTENCE.findall(text[body_start:]) if s.strip()]
    flags = set(found)
    if Weakness.GENERIC_OPENING in flags:
        sentences = [s for s in (_without_filler(s) for s in sentences) if s]
    if Weakness.HEDGING in flags:
        sentences = [s for s in (_without_hedge(s) for s in sentences) if s]
    if Weakness.PICK_YOUR_BRAIN in flags:
        sentences = [_BRAIN.sub(_ask_advice, s) for s in sentences]
    if Weakness.TOO_PERSONAL in flags:
        sentences = [s for s in sentences if not too_personal(s, close=close)]
    if Weakness.TOO_LONG in flags:
        sentences = _trimmed(sentences)
    question = specific_question
    if Weakness.ALL_ABOUT_ME in flags and question:
        sentences.insert(0, question)
        question = ""  # asked once is enough
    if Weakness.ASK_WITHOUT_GIVE in flags:
        sentences.append(GIVE)
    missing_question = Weakness.NO_QUESTION in flags or not any("?" in s for s in sentences)
    if missing_question or (Weakness.NO_SPECIFICS in flags and question):
        sentences.append(question or _closing_question(text))
    body = " ".join(sentences)
    if greeting.endswith(",") and body.split(" ", 1)[0].lower() in _SENTENCE_STARTERS:
        body = body[0].lower() + body[1:]  # "Hi Maria, could you..." reads on from the comma
    elif greeting and not greeting.endswith((",", "!", ".")) and body:
        greeting += ","
    return " ".join(part for part in (greeting, body) if part).strip()


def _ask_advice(match: re.Match[str]) -> str:
    about = match.group().lower().endswith(("about", "on"))
    return "ask your advice on" if about else "ask your advice"


def _without_hedge(sentence: str) -> str:
    """Drop an apology or hedge; keep what the sentence asks ("Could you...")."""
    rest = _HEDGE.sub("", sentence).strip(" ,;-")
    if len(_WORDS.findall(rest)) < 3:
        return ""
    rest = re.sub(r"^you\s+could\b", "could you", rest, flags=re.I)
    return rest[0].upper() + rest[1:]


def _closing_question(text: str) -> str:
    """A question that fits what the message is doing."""
    lowered = text.lower()
    if "congrat" in lowered:
        return "How are you celebrating?"
    if re.search(r"\b(?:here's|here is|attached|link|article)\b", lowered):
        return "Does it match what you're seeing?"
    if "thank" in lowered:
        return "How are things on your side?"
    return "What are you most focused on at the moment?"


def _without_filler(sentence: str) -> str:
    """Remove a filler sentence or clause whole; keep what the sentence still says."""
    if not _GENERIC.search(sentence):
        return sentence
    rest = _GENERIC.sub("", _ANNOUNCE.sub("", sentence)).strip(" ,;-")
    joiner = _LEADING_JOINER.match(rest)
    rest = rest[joiner.end() :].strip(" ,;-") if joiner else rest
    if len(_WORDS.findall(rest)) < 3 or re.match(r"(?:to|of|with|for|and|or|but)\b", rest, re.I):
        return ""
    if re.match(r"(?:how|what|whether|if|when|where|why)\b", rest, re.I):
        # "checking in to see how the launch went." -> "I'd love to hear how the launch went."
        return "I'd love to hear " + rest[0].lower() + rest[1:]
    if joiner and re.match(r"(?:on|about|regarding)\b", joiner.group(), re.I):
        # "touching base about the workshop." -> "I've been thinking about the workshop."
        return "I've been thinking about " + rest
    return rest[0].upper() + rest[1:]


def _trimmed(sentences: list[str]) -> list[str]:
    """Drop the sentences most about the sender until the message is short enough."""
    kept = list(sentences)

    def words() -> int:
        return sum(len(_WORDS.findall(s)) for s in kept)

    # Never drop the first sentence, a question or an ask: they carry the message.
    droppable = sorted(
        (s for s in kept[1:] if "?" not in s and not _ASK.search(s)),
        key=lambda s: len(_YOU.findall(s)) - len(_ME.findall(s)),
    )
    for sentence in droppable:
        if words() <= TRIMMED_WORDS:
            break
        kept.remove(sentence)
    return kept
