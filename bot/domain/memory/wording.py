"""Wording what a note said about someone as a typed phrase, once, when it is read.

The note reader finds a detail and whose it is ("loves bouldering", "interviewing
at Stripe", "introduce her to Zoë"); this module turns those words into the
forms a message to that person can use, with lemminflect for the verb forms:

    "loves bouldering"         interest: noun "bouldering", clause "you love bouldering"
    "interviewing at Stripe"   event: noun "the interview at Stripe", gerund, two clauses
    "introduce her to Zoë"     promise: noun "an intro to Zoë", verb "introduce you to Zoë"
    "her birthday is ..."      a birthday: never a detail
    "Head of Design at Miro"   a role and company: they belong on the contact

Anything it cannot word safely gets no form at all: it stays on the card and
out of every draft, which beats a broken sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.domain.memory import morphology as m
from bot.domain.memory.diet import DIET
from bot.domain.memory.phrase import Phrase, Told
from bot.domain.model import FactKind

# Beyond this a slot reads like a pasted note, not a phrase.
MAX_WORDS = 10
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class RoleAt:
    """A job title and where (the contact's role and company), and any news in it."""

    role: str
    company: str = ""
    news: Phrase | None = None  # "your promotion to VP of Engineering"


@dataclass(frozen=True)
class Birthday:
    """The detail is only their birthday: it goes on the contact, never into a draft."""


Worded = Phrase | RoleAt | Birthday

# -- cleaning --------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
_UNIT = r"(?:days?|weeks?|months?|years?|fortnight|quarter|weekend|time)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_DATE = re.compile(
    r"\b(?:(?:on|by|from|until|till|before|after|in|since|this|next|last|early|late|mid|"
    r"starting|at\s+the|by\s+the|the)\s+)*"
    r"(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"\b(?:\s+\d{4})?"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|(?<=\s)(?:in|on|by|from|until|since|next|this|last|early|late|mid)\s+" + _MONTH + r"\b"
    r"|" + _WEEKDAY + r"\b(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d\d-\d\d|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b"
    r"|tomorrow|tmrw|today|tonight|yesterday|eod|asap"
    r"|(?:next|this|last|coming)\s+" + _UNIT + r"\b|" + _SEASON + r"\b(?:\s+\d{4})?"
    r"|(?:in|for|within)\s+(?:a|an|one|two|three|four|five|six|\d+)\s+(?:days?|weeks?|months?|years?)"
    r"(?:\s+time)?\b|a\s+fortnight|q[1-4]\b|(?:the\s+)?end\s+of\s+(?:the\s+|next\s+)?"
    r"(?:month|year|week|quarter)|(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)\b"
    r"|later\s+this\s+" + _UNIT + r"|eventually|soon|for\s+now|lately|these\s+days)",
    re.I,
)
# What ends the phrase: a new clause, an aside or an afterthought.
_CUT = re.compile(
    r"\s*(?:[,;:!?(]|\s[-–—]\s|\.(?:\s|$))"
    r"|\s+(?:but|so|because|though|although|while|whereas|which|whom|who)\b"
    r"|\s+(?:and|before|after|when|until|till|once|if)\s+(?=(?:i|you|he|she|they|it|we|his|her|"
    r"their|the\s+\w+\s+(?:is|was|are|were))\b)"
    r"|\s+and\s+(?=(?:is|are|was|were|has|had|got|just|also|\w+ed)\b)"
    r"|\s+(?:before|after|by|until)\s+(?:then|that|it|this)\b",
    re.I,
)
_LEAD = re.compile(
    r"^(?:(?:is|are|am|was|were|'s|'re|has|have|had|been|being|also|just|still|now|really|"
    r"recently|currently|finally|apparently|actually|already|totally|kindly|even|basically|"
    r"definitely|probably|then)\s+)+",
    re.I,
)
_FUTURE_LEAD = re.compile(r"^(?:(?:will|'ll|is\s+going\s+to|going\s+to|about\s+to)\s+)", re.I)
_PAST_WORDS = re.compile(r"^(?:just|recently|finally|already)\b|^(?:was|were|had)\b", re.I)
_TAIL = re.compile(
    r"(?:\s+(?:too|anyway|though|apparently|again|now|lately|for\s+now|either|as\s+well|"
    r"eventually|like\s+crazy|a\s+lot|really|properly))+$",
    re.I,
)
_DANGLING = re.compile(
    r"(?:\s+(?:by|on|before|after|then|until|till|due|for|at|in|from|to|with|and|or|the|a|an|of|"
    r"is|are|was|were|starting|about|your|my))+$",
    re.I,
)
_SWAPS = {
    "her": "your",
    "his": "your",
    "their": "your",
    "its": "your",
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
_SWAP = re.compile(
    r"\b(" + "|".join(map(re.escape, sorted(_SWAPS, key=len, reverse=True))) + r")\b", re.I
)
# "her" is "you" as an object ("send her the list", "check in with her"), else "your".
_HER_OBJECT = re.compile(
    r"\bher\b(?=\s*$|\s+(?:to|for|with|about|at|on|in|by|from|and|the|a|an|my|our|some|two|"
    r"before|after|when|next|this|tomorrow|today)\b)",
    re.I,
)
_SUBJECT_PRONOUN = re.compile(r"^(?:she|he|they)(?:'s|'re|'ll|'d)?\s+", re.I)
# How much, said of help or liking ("helped me a ton with", "so much"): the note's voice.
_INTENSIFIER = re.compile(
    r"\s+(?:a\s+ton|tons|so\s+much|a\s+lot|loads|heaps|big\s+time|massively|hugely|"
    r"enormously|immensely|greatly|no\s+end)\b(?!\s+of\b)",
    re.I,
)
# How often or over what ("on weekends", "every Sunday", "over lunch"): true, but it
# reads like a diary in a message to them.
_HABIT = re.compile(
    r"\s+(?:(?:on|at|over)\s+(?:the\s+)?weekends?|every\s+(?:day|week|weekend|morning|evening|"
    r"night|month|year|" + _WEEKDAY + r")|over\s+(?:a\s+)?(?:lunch|coffee|dinner|drinks?|"
    r"breakfast|beers?|zoom|the\s+phone))\b",
    re.I,
)
_SYMBOLS = re.compile(r"[^\w\s'&/.,:;!?()+%\-–—]")
# Phone shorthand spelled out, and chat laughter dropped: a draft is written, not texted.
_SHORTHAND = {
    "w/": "with",
    "w/o": "without",
    "b/c": "because",
    "abt": "about",
    "thx": "thanks",
    "thru": "through",
}
_SHORTHAND_WORD = re.compile(r"(?<![\w/])(w/o|w/|b/c|abt|thx|thru)(?=\s|$)", re.I)
# A lone "w" between words is "with" on a phone ("moving to munich w his wife").
_BARE_W = re.compile(r"(?<=\w\s)w(?=\s+[^\W\d_])")
_LAUGHTER = re.compile(r"\s*\b(?:lol|lmao|haha+|hehe+|rofl)\b[!.]*", re.I)
_STRETCHED_SO = re.compile(r"\b(s)(o)o+\b", re.I)  # "sooo much" is "so much"
_ACRONYMS = re.compile(
    r"\b(ceo|cto|cfo|coo|cpo|cmo|ciso|cio|vp|svp|evp|api|sdk|ipo|ai|ml|ux|cv|mba|phd|msc|bsc)\b"
)
# Those never an ordinary word, given their capitals even where the note's other words have
# theirs ("promoted to coo at Yoco": the reader capitalised the company only).
_TITLE_ACRONYMS = re.compile(
    r"\b(ceo|cto|cfo|coo|cpo|cmo|ciso|cio|svp|evp|sdk|ipo|mba|phd|msc|bsc)\b"
)
# Acronyms not written all in capitals.
_MIXED_CASE = {"phd": "PhD", "msc": "MSc", "bsc": "BSc"}


# How long it took is no part of the thing: "walked me thru the playbook for an hr".
_HOW_LONG = re.compile(
    r"\s+for\s+(?:an?|one|two|three|\d+|half\s+an|a\s+couple\s+of|a\s+few)\s+"
    r"(?:hrs?|hours?|mins?|minutes?)\b",
    re.I,
)


def spelled_out(text: str) -> str:
    """Phone shorthand written out: "moving w her wife" -> "moving with her wife"."""
    words = _SHORTHAND_WORD.sub(lambda match: _SHORTHAND[match.group(1).lower()], text)
    return _BARE_W.sub("with", words)


def clean(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The detail's own words: no dates, asides, afterthoughts or leading filler."""
    words = spelled_out(text)
    words = _LAUGHTER.sub("", words)
    words = _STRETCHED_SO.sub(r"\1\2", words)
    words = _SYMBOLS.sub(" ", words.replace("’", "'"))
    words = " ".join(words.split())
    words = _HABIT.sub("", _INTENSIFIER.sub("", words))
    cut = _CUT.search(words)
    words = words[: cut.start()] if cut else words
    words = _DATE.sub(" ", words)
    words = _HOW_LONG.sub("", words)
    words = " ".join(words.split())
    words = _TAIL.sub("", words)
    words = _DANGLING.sub("", words)
    first = words.split(" ", 1)[0] if words else ""
    if first[:1].isupper() and first[1:].islower() and m.readings(first):
        words = first.lower() + words[len(first) :]  # "Struggling with..." mid-sentence
    if words == words.lower():
        # A phone-typed note: give known names and acronyms their capitals back.
        for name in names:
            if name:
                words = re.sub(rf"\b{re.escape(name)}\b", name, words, flags=re.I)
        words = _ACRONYMS.sub(_capitals, words)
    else:
        words = _TITLE_ACRONYMS.sub(_capitals, words)
    return words.strip(" .,;:-")


def _capitals(match: re.Match[str]) -> str:
    return _MIXED_CASE.get(match.group(1), match.group(1).upper())


def second_person(words: str) -> str:
    """ "her talk" -> "your talk", "send him" -> "send you": the draft speaks to them."""
    swapped = _HER_OBJECT.sub("you", _SUBJECT_PRONOUN.sub("", words))
    swapped = _SWAP.sub(lambda match: _SWAPS[match.group(1).lower()], swapped)
    # "you" takes the plain verb: "before you goes" never reaches a draft.
    return re.sub(
        r"\byou\s+(\w+)",
        lambda match: (
            "you " + (m.plain(match.group(1)) if _finite(match.group(1)) else match.group(1))
        ),
        swapped,
    )


def _finite(word: str) -> bool:
    return "VBZ" in m.verb_tags(word) and not m.is_noun(word)


# -- shapes ------------------------------------------------------------------------------

_ROLE = (
    r"(?:ceo|cto|cfo|coo|cpo|cmo|ciso|cio|vp|svp|evp|head|director|principal|manager|lead|"
    r"engineer|designer|recruiter|founder|co-?founder|cardiologist|doctor|consultant|analyst|"
    r"scientist|researcher|architect|professor|lawyer|teacher|owner|partner|chair|president|"
    r"officer|editor|writer|investor|advisor|adviser|developer|programmer|nurse|surgeon)"
)
_ROLE_AT = re.compile(
    rf"^(?:(?:a|an|the|now|our|your|new)\s+)*(?P<role>(?:[\w-]+\s+){{0,3}}?{_ROLE}s?"
    rf"(?:\s+(?:of|for)\s+[\w&-]+(?:\s+[\w&-]+)?)?)"
    rf"(?:\s+(?:at|of|for|with|in)\s+(?P<company>(?-i:[A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9][\w&.'-]*)*)))?$",
    re.I,
)
_PROMOTED = re.compile(r"^(?:got\s+|just\s+got\s+|was\s+)?promoted\s+to\s+(?P<rest>.+)$", re.I)
_SHORT_TITLE = 4
_PRONOUN = re.compile(r"\b(?:she|he|her|him|his|hers|they|them|their|it)\b", re.I)
_BIRTHDAY = re.compile(r"\bbirthday\b|\bbday\b", re.I)
_INTEREST_VERB = re.compile(
    r"^(?:loves?|likes?|enjoys?|adores?|is\s+into|into|(?:a\s+)?(?:huge|big|massive)?\s*fan\s+of|"
    r"passionate\s+about|obsessed\s+with|big\s+on|keen\s+on|crazy\s+about|mad\s+about)\s+(?P<rest>.+)$",
    re.I,
)
_PASTIME_IS = re.compile(
    r"^(?:(?:a|her|his|their|your|big|main|great|favou?rite|new|latest)\s+)*"
    r"(?:hobby|hobbies|passion|pastime|thing)\s+(?:is|are)\s+(?P<rest>.+)$",
    re.I,
)
_FAN = re.compile(
    r"^(?:a\s+)?(?:huge|big|massive|die-?hard)?\s*(?P<rest>[A-Z][\w'-]*)\s+fan$", re.I
)
_GET_INTO = re.compile(r"^(?:trying\s+to\s+)?(?:get|gets|getting|got)\s+into\s+(?P<rest>.+)$", re.I)
_GOAL_VERB = re.compile(
    r"^(?P<modal>wants?|hopes?|hoping|plans?|planning|aims?|aiming|intends?|intending|"
    r"would\s+(?:like|love)|'d\s+(?:like|love)|dreams?\s+of|keen|eager|trying|tries|looking)\s+to\s+"
    r"(?P<rest>.+)$",
    re.I,
)
_THINKING = re.compile(
    r"^(?P<modal>thinking\s+(?:about|of)|considering|exploring|weighing|debating)\s+(?P<rest>.+)$",
    re.I,
)
_SEEKING = re.compile(r"^(?P<modal>looking|hoping|searching)\s+for\s+(?P<rest>.+)$", re.I)
_FEELING = re.compile(
    r"^(?P<state>stressed|worried|nervous|anxious|overwhelmed|frustrated|excited|struggling|"
    r"dealing|busy|finding|buried|swamped)(?:\s+(?:out|a\s+bit|quite|so|very))?\s+"
    r"(?P<prep>about|with|by|over)\s+(?P<rest>.+)$",
    re.I,
)
_FAMILY = re.compile(
    r"^(?:(?:my|your|her|his|their)\s+)?(?P<who>(?:(?:little|older|younger|baby|eldest|youngest|"
    r"new|step)\s+)?(?:daughters?|sons?|kids?|children|wife|husband|partner|fianc[ée]e?|mum|mom|"
    r"mother|dad|father|parents|sister|brother|siblings?|baby|twins|grandma|grandpa|"
    r"grandmother|grandfather|family|dog|cat|puppy|in-laws|niece|nephew|toddler)"
    r"(?-i:\s+[A-Z][\w'-]+)?)(?:'s)?\b",
    re.I,
)
# Verbs whose object is the event itself: "running the London marathon" is the marathon.
_LIGHT_VERBS = frozenset(
    [
        "run",
        "race",
        "do",
        "host",
        "organise",
        "organize",
        "take",
        "attend",
        "hold",
        "throw",
        "complete",
        "finish",
        "plan",
        "lead",
        "give",
        "have",
        "enter",
        "play",
        "compete",
        "join",
        "go",
    ]
)
# Verbs with a noun for the event they describe: interviewing at Stripe -> the interview.
_NOUN_FOR: dict[str, tuple[str, str]] = {
    # verb: (noun, possessor) - possessor "your" or "the"
    "interview": ("interview", "the"),
    "present": ("talk", "your"),
    "speak": ("talk", "your"),
    "talk": ("talk", "your"),
    "keynote": ("keynote", "your"),
    "pitch": ("pitch", "the"),
    "move": ("move", "the"),
    "relocate": ("move", "the"),
    "fly": ("trip", "the"),
    "travel": ("trip", "the"),
    "launch": ("launch", "the"),
    "release": ("release", "the"),
    "ship": ("launch", "the"),
    "open": ("opening", "the"),
    "defend": ("defence", "the"),
    "retire": ("retirement", "your"),
    "graduate": ("graduation", "your"),
    "marry": ("wedding", "the"),
    "wed": ("wedding", "the"),
    "visit": ("visit", "the"),
    "review": ("review", "the"),
    "pivot": ("pivot", "the"),
    "fundraise": ("fundraise", "the"),
    "hire": ("search", "the"),
    "apply": ("application", "your"),
    "start": ("start", "your"),
    "leave": ("move", "the"),
    "campaign": ("campaign", "your"),
}
# Verbs for what the user hands over; the thing handed over is the promise's noun.
_GIVE_VERBS = frozenset(
    [
        "send",
        "share",
        "forward",
        "email",
        "mail",
        "bring",
        "get",
        "give",
        "lend",
        "pass",
        "dig",
        "find",
        "post",
        "drop",
    ]
)
# What a message cannot carry: a promise of these is kept another way.
_NOT_SENDABLE = re.compile(
    r"\b(?:flowers?|gifts?|cards?|dinner|lunch|breakfast|coffee|drinks?|beers?|thank[- ]?you|"
    r"thanks|note|poles|gear|cake|wine|present|hug|visit|call|meeting|one)\b",
    re.I,
)
_TO_YOU = frozenset(
    ["send", "give", "lend", "bring", "email", "mail", "get", "find", "forward", "buy", "pass"]
)
# "post" is mailing ("post you a card") unless it says where it goes up ("on linkedin").
_POSTED_UP = re.compile(r"\b(?:on|in|to|online|up)\b", re.I)
_MASS = frozenset(
    [
        "feedback",
        "advice",
        "help",
        "information",
        "info",
        "news",
        "support",
        "research",
        "data",
        "code",
        "content",
        "access",
        "guidance",
        "input",
        "money",
        "time",
        "work",
        "homework",
        "notes",
        "slides",
        "names",
        "numbers",
        "details",
    ]
)
_ACTIVITY_PROMISE = frozenset(
    [
        "do",
        "have",
        "grab",
        "meet",
        "call",
        "visit",
        "cheer",
        "help",
        "check",
        "follow",
        "ask",
        "apply",
        "buy",
        "cover",
        "cook",
        "host",
        "take",
        "thank",
        "congratulate",
        "reply",
        "respond",
        "text",
        "ping",
        "sponsor",
        "donate",
        "pay",
        "sign",
        "remind",
        "invite",
        "book",
        "schedule",
        "set",
        "prepare",
        "prep",
        "look",
        "catch",
        "write",
        "draft",
        "update",
        "think",
    ]
)
_PROMISE_VERBS = (
    _GIVE_VERBS
    | _ACTIVITY_PROMISE
    | frozenset(
        [
            "review",
            "read",
            "look",
            "intro",
            "connect",
            "make",
            "write",
            "draft",
            "update",
            "edit",
            "proofread",
        ]
    )
)
_DETERMINERS = frozenset(["the", "a", "an", "your", "my", "our", "this", "that", "these", "those"])
_CLOSED_CLASS = frozenset(
    [
        "me",
        "my",
        "i",
        "you",
        "it",
        "that",
        "this",
        "nothing",
        "something",
        "from",
        "with",
        "and",
        "or",
        "but",
        "so",
        "to",
        "of",
        "by",
        "for",
        "as",
        "if",
        "than",
        "then",
        "because",
        "while",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "since",
    ]
)
_PREPOSITIONS = frozenset(
    ["at", "to", "for", "with", "in", "on", "from", "into", "about", "of", "by"]
)


# Raised whenever the wording rules change what a stored phrase would say: a fact
# saved with an older phrase is worded again from its text when it is read.
# 8: "post you a card"; 7: "thru", and no "for an hr"; 6: title acronyms in capitals
WORDING_VERSION = 8


def word_detail(
    kind: FactKind, text: str, *, names: tuple[str, ...] = (), told: Told | None = None
) -> Worded:
    """Word one detail of `kind`; `names` are known names whose capitals a lowercase note lost."""
    worded = _word(kind, text, names, told)
    if isinstance(worded, Phrase):
        return replace(worded, version=WORDING_VERSION)
    if isinstance(worded, RoleAt) and worded.news is not None:
        return replace(worded, news=replace(worded.news, version=WORDING_VERSION))
    return worded


@lru_cache(maxsize=4096)
def _word(kind: FactKind, text: str, names: tuple[str, ...], told: Told | None) -> Worded:
    if _BIRTHDAY.search(text) and kind not in (FactKind.PROMISE, FactKind.HELPED_ME):
        return Birthday()
    words, future, behind = _core(text, names)
    if not words:
        return Phrase()
    role = _role(words, kind)
    if role is not None:
        return role
    if kind is FactKind.OTHER and DIET.search(words):
        return Phrase()  # "vegetarian" is for the card and the table, never quoted in a draft
    when = told or (Told.AHEAD if future else Told.BEHIND if behind else None)
    if kind is FactKind.PROMISE:
        return _checked(_promise(second_person(words)))
    if kind is FactKind.OFFER:
        return _checked(_offer(second_person(words)))
    if kind is FactKind.HELPED_ME:
        return _checked(_help(second_person(words)))
    return _checked(_about_them(kind, second_person(words), when))


def _core(text: str, names: tuple[str, ...]) -> tuple[str, bool, bool]:
    """The detail's own words, and whether the note told it as ahead or as done."""
    words = clean(" ".join(text.split()), names=names)
    words = _SUBJECT_PRONOUN.sub("", words)
    if names and words.split(" ", 1)[0] in names and " " in words:
        words = words.split(" ", 1)[1]  # "Maria loves sourdough": the subject is them
    words = _LEAD.sub("", words).strip()
    future = bool(_FUTURE_LEAD.match(words))
    words = _FUTURE_LEAD.sub("", words)
    behind = bool(_PAST_WORDS.match(words))
    return _LEAD.sub("", words).strip(), future, behind


# Kinds the note reader may give a detail whose words say what it really is.
_RETYPED = frozenset([FactKind.INTEREST, FactKind.OTHER, FactKind.WORK])
# Training for something, or learning something for a purpose: working towards it.
_TRAINING = re.compile(
    r"^(?:training\s+(?:for|towards?)\s+\S"
    r"|(?:learning|studying|practi[sc]ing)\s+\S+(?:\s+\S+)?\s+(?:for|before)\s+(?:a|an|the|your|my)\b)",
    re.I,
)


@lru_cache(maxsize=4096)
def settled_kind(kind: FactKind, text: str, names: tuple[str, ...] = ()) -> FactKind:
    """The kind a detail's words show, where the note reader's guess was off.

    "considering a move into product" or "training for the Berlin marathon",
    read as an interest, is something they are working towards (a goal):
    it has progress to ask about, and it is no field they know better than you.
    """
    if kind not in _RETYPED:
        return kind
    words = second_person(_core(text, names)[0])
    if not words:
        return kind
    if _interest(words) is not None:
        return FactKind.INTEREST if kind is FactKind.OTHER else kind
    if _goal(words) is not None or _TRAINING.match(words):
        return FactKind.GOAL
    return kind


_JOINED = re.compile(
    r"^(?P<verb>joined|joining|moved\s+to|moving\s+to|started\s+at|starting\s+at)\s+"
    r"(?P<company>(?-i:[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*))\s+as\s+(?:an?\s+|the\s+)?(?P<role>.+)$",
    re.I,
)


def _role(words: str, kind: FactKind) -> RoleAt | None:
    joined = _JOINED.match(words)
    if joined is not None:
        company = joined.group("company")
        told = Told.AHEAD if joined.group("verb").lower().endswith("ing") else Told.BEHIND
        return RoleAt(
            joined.group("role"), company, Phrase(noun=f"your new role at {company}", told=told)
        )
    promoted = _PROMOTED.match(words)
    if promoted is not None:
        role = _ROLE_AT.match(promoted.group("rest"))
        if role is not None:
            title = role.group("role")
            news = Phrase(noun=f"your promotion to {title}", told=Told.BEHIND)
            return RoleAt(title, role.group("company") or "", news)
        title = promoted.group("rest").strip(" .,!;:")
        if 0 < len(title.split()) <= _SHORT_TITLE and not _PRONOUN.search(title):
            # A title the role table doesn't know ("VP eng", "partner track"): still news.
            return RoleAt(title, "", Phrase(noun=f"your promotion to {title}", told=Told.BEHIND))
    if kind not in (FactKind.WORK, FactKind.OTHER):
        return None
    match = _ROLE_AT.match(words)
    if any(m.only_verb(w) or "VBD" in m.verb_tags(w) for w in words.split()[:3]):
        return None
    if match is None:
        if _TITLE_OF.match(words) and not any(_finite(w) for w in words.split()):
            return RoleAt(words, "")  # a job, never a topic ("about head of data at bbva")
        return None
    return RoleAt(match.group("role"), match.group("company") or "")


# A job said as a title and what it is of or at, where the role table's shape does not fit
# (a lowercase firm, a long "of"): "head of data at bbva", "founder of an invoicing app".
# Only titles that are never a relation or a hobby ("partner of ten years", "owner of a dog").
_TITLE_OF = re.compile(
    r"^(?:(?:a|an|the|now|our|new|former|interim|acting|deputy|senior|global|regional|"
    r"founding|associate|assistant)\s+)*"
    r"(?:ceo|cto|cfo|coo|cpo|cmo|ciso|cio|vp|svp|evp|head|director|founder|co-?founder|"
    r"chief|principal|president)s?\s+(?:of|at)\s+\S",
    re.I,
)


def _checked(phrase: Phrase) -> Phrase:
    """Drop any form that is too long or still carries a note's leftovers."""

    def fit(words: str) -> str:
        words = " ".join(words.split()).strip(" ,.;:")
        bad = (
            len(_WORD.findall(words)) > MAX_WORDS
            or re.search(r"\b(?:she|he|her|him|his|hers)\b|[,;…]", words, re.I)
            or _DANGLING.search(words)
        )
        return "" if bad else words

    return Phrase(
        noun=fit(phrase.noun),
        gerund=fit(phrase.gerund),
        verb=fit(phrase.verb),
        clause=fit(phrase.clause),
        clause_past=fit(phrase.clause_past),
        told=phrase.told,
    )


# -- their own things: interests, goals, work, events, family, challenges -------------------


def _about_them(kind: FactKind, words: str, told: Told | None) -> Phrase:
    for shape in (_interest, _goal, _feeling):
        found = shape(words)
        if found is not None:
            return found
    family = _FAMILY.match(words)
    if family is not None and family.end() < len(words):
        rest = words[family.end() :].strip()
        if rest and (m.verb_tags(rest.split()[0]) or rest.split()[0].lower() == "'s"):
            return _with_subject(f"your {family.group('who')}", rest, kind, told)
    tokens = words.split()
    head = tokens[0].lower()
    if _starts_a_verb(words):
        return _verb_first(kind, words, told)
    subject_end = _finite_verb_at(tokens)
    if subject_end is not None:
        subject = " ".join(tokens[:subject_end])
        return _with_subject(_owned(subject), " ".join(tokens[subject_end:]), kind, told)
    return _noun_phrase(kind, words, head, told)


def _interest(words: str) -> Phrase | None:
    fan = _FAN.match(words)
    if fan is not None:
        return Phrase(noun=fan.group("rest"), clause=f"you're a big {fan.group('rest')} fan")
    pastime = _PASTIME_IS.match(words)
    if pastime is not None:
        return _interest(f"loves {pastime.group('rest')}")
    loves = _INTEREST_VERB.match(words)
    into = _GET_INTO.match(words)
    match = loves or into
    if match is None:
        return None
    thing = match.group("rest")
    thing = re.sub(r"^to\s+(\w+)", lambda v: m.gerund(v.group(1)), thing)
    if not thing or (
        thing.split()[0].lower() in _DETERMINERS - {"the"} and len(thing.split()) == 1
    ):
        return None
    verb_words = words.split()[0].lower()
    if into is not None:
        clause = f"you're getting into {thing}"
    elif verb_words in ("into", "is"):
        clause = f"you're into {thing}"
    elif "fan" in words.lower():
        clause = f"you're a big fan of {thing}"
    elif m.readings(verb_words).get("VERB"):
        clause = f"you {m.plain(verb_words)} {thing}"
    else:
        clause = f"you're {words.split(' ', 1)[0].lower()} {thing}"
    gerund = thing if "VBG" in m.verb_tags(thing.split()[0]) else ""
    return Phrase(noun=thing, gerund=gerund, clause=clause)


def _goal(words: str) -> Phrase | None:
    aim = _GOAL_VERB.match(words)
    if aim is not None:
        rest = aim.group("rest")
        verb = rest.split()[0]
        if not m.readings(verb).get("VERB"):
            return None
        modal = aim.group("modal").lower()
        gerund = " ".join([m.gerund(verb), *rest.split()[1:]])
        if modal.startswith(("would", "'d")):
            clause = f"you'd {modal.split()[-1]} to {rest}"
        elif modal.endswith("ing"):
            clause = f"you're {modal} to {rest}"
        else:
            clause = f"you {m.plain(modal.split()[0])} to {rest}"
        noun = (
            f"your plan to {rest}" if not modal.startswith(("trying", "tries", "looking")) else ""
        )
        return Phrase(noun=noun, gerund=gerund, verb=rest, clause=clause, told=Told.AHEAD)
    thinking = _THINKING.match(words)
    if thinking is not None:
        rest = thinking.group("rest")
        first = rest.split()[0]
        if "VBG" not in m.verb_tags(first):
            return Phrase(noun=_your(rest), clause=f"you're {thinking.group('modal')} {rest}")
        verb = " ".join([m.lemma(first), *rest.split()[1:]])
        return Phrase(
            gerund=rest,
            verb=verb,
            clause=f"you're {thinking.group('modal')} {rest}",
            told=Told.AHEAD,
        )
    seeking = _SEEKING.match(words)
    if seeking is not None:
        rest = seeking.group("rest")
        noun = f"the search for {rest}" if seeking.group("modal") != "hoping" else _the(rest)
        return Phrase(noun=noun, gerund=words, clause=f"you're {words}")
    return None


def _feeling(words: str) -> Phrase | None:
    match = _FEELING.match(words)
    if match is None:
        return None
    thing = match.group("rest")
    state = match.group("state").lower()
    if state == "finding":
        return Phrase(noun=thing.rsplit(" ", 1)[0], clause=f"you're {words}")
    if state == "struggling" and match.group("prep").lower() == "with":
        return Phrase(noun=thing, gerund=words, clause=f"you're {words}")
    return Phrase(noun=thing, clause=f"you're {words}")


def _starts_a_verb(words: str) -> bool:
    head = words.split()[0]
    if head.lower() in _DETERMINERS:
        return False
    tags = m.verb_tags(head)
    following = words.split()[1].lower() if len(words.split()) > 1 else ""
    if not tags or following in ("is", "are", "was", "were", "has", "'s"):
        return False  # "wedding is in May": the -ing word is the subject
    if not following and m.is_noun(head):
        return False  # "wedding" on its own is a thing
    if not m.readings(head) and following in _PREPOSITIONS:
        return False
    if "VBG" in tags or m.only_verb(head):
        return True
    # "runs ultras", "leads the ML team": a verb form that is also a noun, then an object.
    second = words.split()[1].lower() if len(words.split()) > 1 else ""
    return bool(tags & {"VBZ", "VBD"}) and bool(second) and second not in ("of", "and")


def _finite_verb_at(tokens: list[str]) -> int | None:
    """Where the verb after a subject noun phrase starts ("product launch | is", "team | ships")."""
    for i, token in enumerate(tokens[1:6], start=1):
        lower = token.lower()
        if lower in ("is", "are", "was", "were", "has", "had", "'s"):
            return i
        tags = m.verb_tags(lower)
        if (tags & {"VBZ", "VBD"} and not (lower.endswith("s") and m.is_noun(tokens[i - 1]))) or (
            "VBZ" in tags and m.is_noun(tokens[i - 1]) and not m.is_noun(lower)
        ):
            return i
        if tags & {"VBZ", "VBD"} and m.is_noun(tokens[i - 1]):
            return i
    return None


def _owned(subject: str) -> str:
    """ "daughter" -> "your daughter"; "Globex" and "your team" stay as they are."""
    first = subject.split()[0]
    if first.lower() in _DETERMINERS or first[0].isupper():
        return subject
    return f"your {subject}"


def _verb_parts(words: str) -> tuple[str, str, set[str]]:
    head, _, rest = words.partition(" ")
    return m.lemma(head), rest, set(m.verb_tags(head))


def _verb_first(kind: FactKind, words: str, told: Told | None) -> Phrase:
    verb, rest, tags = _verb_parts(words)
    progressive = "VBG" in tags
    behind = told is Told.BEHIND or (
        not progressive and bool(tags & {"VBD", "VBN"}) and not tags & {"VBZ", "VBP", "VB"}
    )
    when = (
        Told.BEHIND if behind else told or (Told.AHEAD if kind is FactKind.EVENT else Told.ONGOING)
    )
    tail = f" {rest}" if rest else ""
    if verb == "be":
        return Phrase(clause=f"you're{tail}", clause_past=f"you were{tail}", told=when)
    gerund = f"{m.gerund(verb)}{tail}"
    if when is Told.BEHIND:
        clause = f"you {m.past(verb)}{tail}"
    elif progressive:
        clause = f"you're {gerund}"
    else:
        clause = f"you {m.plain(verb)}{tail}"
    noun = (
        _event_noun(verb, rest) if kind in (FactKind.EVENT, FactKind.OTHER, FactKind.WORK) else ""
    )
    if not noun and kind in (FactKind.INTEREST, FactKind.GOAL, FactKind.WORK, FactKind.CHALLENGE):
        noun = gerund if when is not Told.BEHIND and kind is not FactKind.CHALLENGE else ""
    return Phrase(
        noun=noun,
        gerund=gerund if when is not Told.BEHIND else "",
        verb=f"{verb}{tail}",
        clause=clause,
        clause_past=f"you {m.past(verb)}{tail}",
        told=when,
    )


def _event_noun(verb: str, rest: str) -> str:
    """The event as a thing: "interview at Stripe" -> "the interview at Stripe"."""
    tokens = rest.split()
    first = tokens[0].lower() if tokens else ""
    if verb in _LIGHT_VERBS and tokens and first in _DETERMINERS | {"her", "his"}:
        target = _your(rest)
        if verb == "give" and re.match(r"^your\s+(?:talk|keynote|presentation|workshop)\b", target):
            return target
        return target if verb != "go" else ""
    if verb == "run" and first == "for" and len(tokens) > 1:
        return f"your campaign for {' '.join(tokens[1:])}"
    entry = _NOUN_FOR.get(verb)
    if entry is None:
        return ""
    noun, owner = entry
    if not tokens:
        return f"{owner} {noun}"
    if verb == "start" and first in ("at", "with"):
        return f"the new job {rest}"
    if verb == "leave" and first == "for":
        return f"the move to {' '.join(tokens[1:])}"
    if verb == "leave" and (first in _DETERMINERS or tokens[0][0].isupper()):
        return f"your move from {rest}"  # "leaving Typeform in jan": not "the move of Typeform"
    if verb == "hire":
        return f"the search for {rest}"  # "the search for a first engineer"
    if first in ("at", "to", "with", "for", "in", "on", "from", "into"):
        where = re.sub(r"\s+for\s+(?:a|an|one|two|three|\d+)\s+\w+$", "", rest)
        return f"{owner} {noun} {where}"
    if first in _DETERMINERS or tokens[0][0].isupper():
        if verb in ("present", "speak", "talk", "keynote"):
            at = re.search(r"\b(?:at|in)\s+.+$", rest)
            if verb == "keynote" and not at:
                return f"your keynote at {rest}"
            return f"{owner} {noun} {at.group()}" if at else ""
        return f"the {noun} of {_your(rest)}"
    return ""


def _your(noun_phrase: str) -> str:
    """ "a fundraiser" -> "your fundraiser": their own event, said to them."""
    return re.sub(r"^(?:a|an)\s+", "your ", noun_phrase, count=1, flags=re.I)


def _the(noun_phrase: str) -> str:
    return re.sub(r"^(?:a|an)\s+", "the ", noun_phrase, count=1, flags=re.I)


def _with_subject(subject: str, rest: str, kind: FactKind, told: Told | None) -> Phrase:
    """ "your daughter" + "starts college" -> clause "your daughter starts college"."""
    head, _, tail_words = rest.partition(" ")
    lower = head.lower()
    tail = f" {tail_words}" if tail_words else ""
    plural = subject.endswith("s") and not subject.endswith("'s")
    if lower in ("is", "are", "was", "were", "'s"):
        be_past = "were" if plural else "was"
        be_now = "are" if plural else "is"
        if not tail_words:
            return Phrase(
                noun=subject if kind in (FactKind.EVENT, FactKind.FAMILY) else "", told=Told.AHEAD
            )
        second, _, after = tail_words.partition(" ")
        if "VBG" in m.verb_tags(second):
            verb = m.lemma(second)
            gerund_tail = f" {after}" if after else ""
            noun = _possessed_event(subject, verb, after)
            owned = kind in (FactKind.EVENT, FactKind.FAMILY)
            return Phrase(
                noun=noun or (f"{subject} {second}{gerund_tail}" if owned else ""),
                clause=f"{subject} {be_now} {second}{gerund_tail}",
                clause_past=f"{subject} {m.inflect(verb, 'VBD')}{gerund_tail}",
                told=told or Told.AHEAD,
            )
        state = f"{subject} {be_now}{tail}"
        return Phrase(
            clause=state, clause_past=f"{subject} {be_past}{tail}", told=told or Told.ONGOING
        )
    if lower in ("has", "had", "have"):
        thing = tail_words
        if kind is FactKind.EVENT and thing.split()[0].lower() in ("a", "an", "the", "her", "his"):
            owner = subject if subject.startswith("your") else f"{subject}'s"
            noun = re.sub(r"^(?:a|an|the|her|his)\s+", "", thing)
            possessive = f"{owner}'s" if subject.startswith("your") else owner
            return Phrase(noun=f"{possessive} {noun}", told=told or Told.AHEAD)
        return Phrase(clause=f"{subject} {head.lower()}{tail}", told=told or Told.ONGOING)
    verb = m.lemma(lower)
    tags = m.verb_tags(lower)
    behind = told is Told.BEHIND or (bool(tags & {"VBD"}) and not tags & {"VBZ", "VBP"})
    when = (
        Told.BEHIND if behind else told or (Told.AHEAD if kind is FactKind.EVENT else Told.ONGOING)
    )
    present = f"{subject} {m.third_person(verb) if not plural else m.plain(verb)}{tail}"
    past = f"{subject} {m.past(verb) if verb != 'be' else 'was'}{tail}"
    gerund_form = f"{subject} {m.gerund(verb)}{tail}"
    noun = _possessed_event(subject, verb, tail_words) if kind is not FactKind.CHALLENGE else ""
    if not noun and kind is FactKind.FAMILY:
        noun = gerund_form
    return Phrase(noun=noun, clause=past if behind else present, clause_past=past, told=when)


def _possessed_event(subject: str, verb: str, rest: str) -> str:
    """ "your sister" + getting married -> "your sister's wedding"."""
    if verb == "get" and rest.lower().startswith("married"):
        noun, after = "wedding", rest[len("married") :].strip()
    elif verb in ("open", "launch", "start", "come"):
        noun = {"open": "opening", "launch": "launch", "start": "start", "come": "launch"}[verb]
        after = re.sub(r"^out\b\s*", "", rest)
        if verb == "come" and not rest.lower().startswith("out"):
            return ""
        if verb == "start" and not after.lower().startswith(("at ", "in ")):
            return ""
    elif verb in ("visit",):
        noun, after = "visit", rest
    else:
        return ""
    owner = (
        f"{subject}'" if subject.endswith("s") and not subject.endswith("'s") else f"{subject}'s"
    )
    where = (
        after
        if after.split()[:1] and after.split()[0].lower() in ("in", "at", "to", "from")
        else ""
    )
    return " ".join(w for w in (owner, noun, where) if w)


def _noun_phrase(kind: FactKind, words: str, head: str, told: Told | None) -> Phrase:
    """A detail that is already a thing: "a job interview at Google", "the Atlassian offer"."""
    if head in ("on", "off", "away", "back", "in", "up", "at") and kind is FactKind.EVENT:
        rest = words.split(" ", 1)[1] if " " in words else ""
        leave = re.match(
            r"^(?:a\s+|an\s+)?((?:maternity|paternity|parental|sick)\s+leave|vacation|holiday|"
            r"sabbatical|leave|spring\s+break|a\s+trip.*)$",
            rest,
            re.I,
        )
        if leave is not None:
            return Phrase(noun=f"your {leave.group(1)}", told=told or Told.AHEAD)
        to = re.match(r"^to\s+(.+?)(?:\s+for\s+.+)?$", rest)
        if head == "off" and to is not None:
            return Phrase(noun=f"the trip to {to.group(1)}", told=told or Told.AHEAD)
        at = re.match(r"^(?:at|for)\s+(.+)$", rest)
        if at is not None and head in ("away", "in", "at"):
            return Phrase(noun=_the(at.group(1)), told=told or Told.AHEAD)
        return Phrase()
    if not m.is_noun(head) and head not in _DETERMINERS and not m.readings(head).get("ADJ"):
        return Phrase()
    if head in _CLOSED_CLASS:
        return Phrase()  # "from Insider and Li Na": a leftover, not a thing
    tokens = words.split()
    if len(tokens) == 1 and m.verb_tags(head) and not m.is_noun(head):
        return Phrase()  # "due", "starts": a verb left alone
    if len(tokens) == 1 and head.endswith("s") and "VBZ" in m.verb_tags(head):
        return Phrase()
    if not m.readings(head) and len(tokens) > 1 and tokens[1].lower() in _PREPOSITIONS:
        return Phrase()  # "presentng at pycon": a misspelt verb, not a thing
    noun = words
    if kind in (FactKind.EVENT, FactKind.FAMILY):
        noun = _your(noun)
        if noun.split()[0].lower() not in _DETERMINERS and not noun[0].isupper():
            noun = f"your {noun}"
    return Phrase(noun=noun, told=told or (Told.AHEAD if kind is FactKind.EVENT else Told.ONGOING))


# -- what passed between you: promises, offers, help --------------------------------------


# Ways to promise an introduction; the note reader often drops the "her" in the middle.
_INTRO = re.compile(
    r"^(?:make\s+|do\s+)?(?:an?\s+)?(?:"
    r"(?P<introduce>intro(?:duce|duction)?s?)\s+(?:you\s+)?(?:to|with)"
    r"|(?P<connect>connect)\s+(?:you\s+)?(?:to|with)"
    r"|(?P<touch>put|get)\s+(?:you\s+)?in\s+touch\s+with"
    r"|(?P<up>set|hook|link)\s+(?:you\s+)?up\s+with"
    r")\s+(?P<who>.+)$",
    re.I,
)
# What the intro is for, after who it is to: "Maria about a guest slot on the podcast".
_INTRO_PURPOSE = re.compile(r"^(?P<who>.+?)(?P<why>\s+(?:about|re|regarding|for|on)\s+.+)?$", re.I)


def _introduction(words: str) -> Phrase | None:
    """ "put (her) in touch with Maria": noun "an intro to Maria", verb "put you in touch ..."."""
    intro = _INTRO.match(words)
    if intro is None:
        return None
    parts = _INTRO_PURPOSE.match(intro.group("who"))
    who, why = (parts.group("who"), parts.group("why") or "") if parts else (intro.group("who"), "")
    if intro.group("touch"):
        verb, link = intro.group("touch").lower(), f"you in touch with {who}"
    elif intro.group("up"):
        # "set you up with" and "hook you up with" also mean a date: said to them, an intro.
        verb, link = "introduce", f"you to {who}"
    elif intro.group("connect"):
        verb, link = "connect", f"you with {who}"
    else:
        verb, link = "introduce", f"you to {who}"
    # The purpose stays while the phrase stays short; the intro itself matters more.
    short = len(_WORD.findall(f"{verb} {link}{why}")) <= MAX_WORDS
    tail = f"{link}{why}" if short else link
    return Phrase(
        noun=f"an intro to {who}",
        gerund=f"{m.gerund(verb)} {tail}",
        verb=f"{verb} {tail}",
        told=Told.AHEAD,
    )


# Verbs that need the person as their object: "take (her) to lunch" -> "take you to lunch".
_NEEDS_YOU = frozenset(["take", "invite", "show", "walk", "treat", "drive", "bring", "join"])
_AFTER_OBJECT = frozenset(["to", "around", "out", "for", "through", "along", "over", "on", "in"])


def _promise(words: str) -> Phrase:
    """Your promise: "an intro to Zoë" to hand over, "introduce you to Zoë" to do."""
    introduction = _introduction(words)
    if introduction is not None:
        return introduction
    tokens = words.split()
    head = tokens[0].lower()
    if m.verb_tags(head) and (m.only_verb(head) or head in _PROMISE_VERBS):
        verb = m.lemma(head)
        rest = " ".join(tokens[1:])
        had_you = bool(re.match(r"^you\s+", rest, re.I))
        rest = re.sub(r"^you\s+", "", rest, flags=re.I)
        if not rest or re.match(r"^(?:both|them|everyone|all)\b", rest, re.I):
            return Phrase()  # "do", "send both a note": nothing for this person to hear
        if verb in _GIVE_VERBS:
            rest = re.sub(r"^(?:on|over|out)\s+", "", rest)
            thing = _sendable(rest)
            if verb == "post":
                done = rest if _POSTED_UP.search(rest) else f"you {thing or rest}"
            elif verb in _TO_YOU:
                done = f"you {thing or rest}"
            else:
                done = f"{thing or rest} with you"
            return Phrase(
                noun=thing,
                gerund=f"{m.gerund(verb)} {done}",
                verb=f"{verb} {done}",
                told=Told.AHEAD,
            )
        if verb == "help" and m.readings(tokens[1]).get("VERB") and tokens[1].lower() != "with":
            rest = f"you {rest}"
        if had_you or verb == "buy" or (verb in _NEEDS_YOU and tokens[1].lower() in _AFTER_OBJECT):
            rest = f"you {rest}"
        if verb in ("review", "read") and rest:
            if rest.lower() in ("you", "it", "that", "this", "those", "these"):
                return Phrase()  # "review them": the note named the thing before
            # The note reader drops "her" from "review her CV": what they review is theirs.
            thing = rest if rest.split()[0].lower() in _DETERMINERS else f"your {rest}"
            return Phrase(
                noun=f"my feedback on {thing}",
                gerund=f"{m.gerund(verb)} {thing}",
                verb=f"{verb} {thing}",
                told=Told.AHEAD,
            )
        if verb in ("thank", "congratulate", "reply", "respond", "text", "ping", "remind", "think"):
            return Phrase()  # the message itself keeps this promise
        with_you = re.sub(r"\bwith\s+you\b", "with you", rest)
        return Phrase(
            gerund=f"{m.gerund(verb)} {with_you}".strip(),
            verb=f"{verb} {with_you}".strip(),
            told=Told.AHEAD,
        )
    if head in ("me", "my", "i"):
        return Phrase()
    thing = _sendable(words)
    return Phrase(noun=thing, verb=f"send you {thing}" if thing else "", told=Told.AHEAD)


# "that vinyl he keeps talking [abt]", "the job post around": what follows the thing itself.
_AFTER_THE_THING = re.compile(
    r"\s+(?:(?:that|which)\s+)?(?:he|she|they|you|i|we)\b.*$|\s+(?:around|along|over|out)$", re.I
)


def _sendable(thing: str) -> str:
    """The thing, if a message can carry it ("the podcast link", not "flowers")."""
    thing = _AFTER_THE_THING.sub("", thing)
    if not thing or _NOT_SENDABLE.search(thing):
        return ""
    if thing.lower() in ("it", "that", "this", "them", "those", "one", "both", "these"):
        return ""
    return _bare(thing)


def _bare(thing: str) -> str:
    """ "deck" -> "the deck": a lone singular noun needs its article back."""
    first = thing.split()[0]
    lower = first.lower()
    before_preposition = re.split(r"\s+(?:on|for|of|about|from|with|to|at|in)\s+", thing)[0]
    head = before_preposition.split()[-1].lower()
    if lower in _DETERMINERS or first[0].isupper() or first[0].isdigit():
        return thing
    if head in _MASS:
        return thing
    if lower in ("two", "three", "some", "both", "all", "any", "more", "our", "my"):
        return thing
    if head.endswith("s") and not head.endswith("ss"):
        return thing  # "names", "notes"
    return f"the {thing}"


def _offer(words: str) -> Phrase:
    """What they offered to do for you: "review my case study"."""
    words = re.sub(r"^intro\b", "introduce", words, flags=re.I)
    head = words.split()[0].lower()
    if not m.verb_tags(head) or head in ("me", "my"):
        return Phrase(noun=_the(words)) if head in ("a", "an", "the") else Phrase()
    verb = m.lemma(head)
    rest = words.split(" ", 1)[1] if " " in words else ""
    base = f"{verb} {rest}".strip()
    return Phrase(
        noun=f"your offer to {base}",
        gerund=f"offering to {base}",
        verb=base,
        told=Told.AHEAD,
    )


def _help(words: str) -> Phrase:
    """What they did for you, in forms that say it was theirs.

    "helped me prep for my board presentation": noun "your help preparing for my
    board presentation", clause "you helped me prep for ...", and the gerund
    "helping me prep for ...", which only reads as theirs after "thank you for".
    """
    words = re.sub(r"^i\s+got\s+", "", words, flags=re.I)
    head = words.split()[0].lower()
    tags = m.verb_tags(head)
    if not tags or head in _DETERMINERS or (m.is_noun(head) and not tags & {"VBD", "VBN", "VBG"}):
        if head in ("thanks", "thank", "me", "my", "i", "it", "that"):
            return Phrase()
        return Phrase(noun=words if head in _DETERMINERS else _bare(words), told=Told.BEHIND)
    verb = m.lemma(head)
    rest = words.split(" ", 1)[1] if " " in words else ""
    # "helped me out with the move": the particle only matters when nothing follows.
    rest = re.sub(r"^(me|us)\s+out\s+(?=\S)", r"\1 ", rest, flags=re.I)
    rest = re.sub(r"\b(?:to|with)\s+both$", "to both of them", rest)
    return Phrase(
        noun=_help_noun(verb, rest),
        gerund=f"{m.gerund(verb)} {rest}".strip(),
        clause=f"you {m.past(verb)} {rest}" if rest else "",
        told=Told.BEHIND,
    )


# Clipped verbs a note uses that the word tables do not know as verbs.
_CLIPPED = {"prep": "prepare", "intro": "introduce", "rehab": "rehabilitate"}
_THROUGH_VERBS = frozenset(["walk", "talk", "coach", "take", "guide", "steer", "get", "see"])


def _help_noun(verb: str, rest: str) -> str:
    """Their help as a thing of theirs: "your help with my visa", "the intro to Sam"."""
    to_me = re.match(r"^(?:me|us)\s+(?:to|with)\s+(?P<who>.+)$", rest, re.I)
    if verb in ("introduce", "connect") and to_me is not None:
        return f"the intro to {to_me.group('who')}"
    if verb == "refer" and to_me is not None:
        return f"the referral to {to_me.group('who')}"
    with_thing = re.match(r"^(?:me|us)\s+(?:a\s+hand\s+)?with\s+(?P<thing>.+)$", rest, re.I)
    if verb in ("help", "give") and with_thing is not None:
        return f"your help with {with_thing.group('thing')}"
    if verb == "help":
        task = re.match(r"^(?:me|us)\s+(?:to\s+)?(?P<v>\w+)(?P<rest>.*)$", rest, re.I)
        done = _CLIPPED.get(task.group("v").lower(), task.group("v")) if task else ""
        if task is not None and m.readings(done).get("VERB"):
            return f"your help {m.gerund(done)}{task.group('rest')}"
        return ""
    if verb == "give":
        given = re.match(r"^(?:me|us)\s+(?P<thing>.+)$", rest, re.I)
        if given is None:
            return ""
        noun = _your(given.group("thing"))
        return noun if noun.split()[0].lower() in _DETERMINERS else f"your {noun}"
    through = re.match(r"^(?:me|us)\s+through\s+(?P<thing>.+)$", rest, re.I)
    if verb in _THROUGH_VERBS and through is not None:
        thing = through.group("thing")
        if thing.split()[0].lower() in _DETERMINERS:
            return f"your help with {thing}"  # "coached me through my first board meeting"
        return ""
    if verb == "review" and rest.lower().startswith(("my", "our")):
        return f"your review of {rest}"
    return ""
