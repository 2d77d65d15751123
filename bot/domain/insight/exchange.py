"""Proposing a note's place on the give-and-ask ledger: did the user give, or ask?

The ledger is about the user: an intro, help, advice, a resource or
recognition the user gave the contact, or something the user asked of them.
Their offers and their thanks are not the user's gives or asks ("She'll
intro me to her CTO" is neither). The proposal is only a proposal: the note
card shows it and the user confirms or changes it.

Notes are short and typed on phones ("intro'd sasha to my friend", "asked
him for a referral"), so the rules read each clause as lower-case words
with every verb in its plain form (lemminflect: "asked" and "asking" are
"ask"), after spelling out common shorthand. A clause is the user's when it
starts with I or with the verb itself; one that starts with he, she, they
or a name followed by a verb ("anna asked...") is theirs, and so is a verb
whose object is me or my ("send me", "review my deck"). A note to self
("need to ask Ben") is not an exchange yet.
"""

from __future__ import annotations

import re

from bot.domain.memory.morphology import lemma
from bot.domain.model import Exchange

MAX_TEXT = 4000
# Where one clause ends and the next begins in a typed note.
# Commas too: a typed note strings clauses together ("Met Eva, she gave a talk").
_CLAUSES = re.compile(
    r"[.!?;,\n]+|\s[-–—]\s|:\s|\s\+\s|\s(?=(?:and|but)\s+(?:i|he|she|they|we)\b)", re.I
)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Shorthand spelled out before reading ("intro'd" is "introduced").
_SHORTHAND = {
    "w/": "with ",
    "thru": "through",
    "abt": "about",
    "intro'd": "introduced",
    "intro’d": "introduced",
    "dm'd": "messaged",
    "dm’d": "messaged",
    "dmed": "messaged",
    "pm'd": "messaged",
    "congrats": "congratulated",
    # "thx rhys for the intro": their give, thanked for (see _THANKED_FOR).
    "thx": "thank",
    "thnx": "thank",
    "thanx": "thank",
    "tysm": "thank",
    "rec": "recommendation",
    "recs": "recommendations",
    "shoutout": "shout out",
    "shout-out": "shout out",
    "shouted": "shout",
    "thank-you": "thank you",
    "i'll": "i will",
    "i’ll": "i will",
    "i'd": "i would",
    "i’d": "i would",
    "i've": "i have",
}
_SHORT = re.compile(r"(?<![\w'’])(" + "|".join(map(re.escape, _SHORTHAND)) + r")(?![\w'’])", re.I)
# "we" too: "we rehearsed it" is done together, not given.
_THIRD = frozenset(
    "he she they he's she's they're he'd she'd they'd he'll she'll they'll his her "  # noqa: SIM905
    "their we".split()
)
# What a named subject does in a clause about them: "anna ask for my notes".
_THEIR_VERBS = frozenset(
    "say will would ask want thank be have offer agree tell mention need give send "  # noqa: SIM905
    "share promise introduce can could owe invite help write review recommend connect "
    "get".split()
)
_NOTE_TO_SELF = re.compile(
    r"^\s*(?:note to self|todo|to do|need to|must|should|remember to|want to|have to)\b"
)
_SELF = r"(?:me|us|my|our|myself)\b"
_OBJ = rf"(?!{_SELF})[a-z0-9'’]+"  # the person a verb is done to: any word but me/my
_STUFF = (
    r"(?:link|article|podcast|book|list|template|note|slide|recording|paper|deck|doc|posting|"
    r"ad|name|contact|video|guide|checklist|copy|report|spreadsheet|playbook|resource)s?"
)

# Checked in this order inside a clause, so "ask for an intro" is an ask, not an intro.
_PATTERNS: tuple[tuple[Exchange, re.Pattern[str]], ...] = (
    (
        Exchange.ASK,
        re.compile(
            rf"\b(?:ask|beg|request)\s+(?:{_OBJ}\s+)?(?:for|to|if|whether|about)\b"
            rf"|\bping\s+{_OBJ}\s+(?:for|to see|about|if)\b"
            r"|\bneed\s+a\s+favou?r\b|\bpick\s+(?:his|her|their|\w+'s)\s+brains?\b"
            r"|\b(?:could|can)\s+(?:he|she|they)\s+(?!have\b)\w+"
            r"|\b(?:would|will)\s+(?:he|she|they)\s+(?:be|consider|mind|help)\b"
            r"|\bif\s+i\s+could\b|\bwarm\s+intro\b"
        ),
    ),
    (
        Exchange.RECOGNITION,
        re.compile(
            r"\bcongratulat\w*|\bshout\s+out\b|\bnominat\w*|\bendors\w*|\bprais\w*|\bkudos\b"
            r"|\brecommendation\s+(?:for|on)\b|\b(?:write|leave|post)\s+(?:a|an)\s+(?:\w+\s+){0,2}"
            r"(?:recommendation|review|thank\s+you)\b|\bthank\s+you\s+post\b"
            rf"|\brecommend\s+(?!(?:a|an|some|two|three|the|a\s+couple|a\s+few)\b){_OBJ}\s+(?:for|to)\b"
            r"|\btell\s+(?:his|her|their|[a-z]+['’]s)\s+(?:boss|manager|team|ceo|lead)\b"
        ),
    ),
    (
        Exchange.INTRO,
        re.compile(
            rf"\b(?:introduce|intro|connect|refer)\s+{_OBJ}\s+(?:to|with)\b"
            rf"|\b(?:put|get)\s+{_OBJ}\s+in\s+touch\b|\bloop\s+{_OBJ}\s+in\b"
            rf"|\bhook\s+{_OBJ}\s+up\b|\b(?:introduce|intro)\s+{_OBJ}\b"
            r"|\bintro(?:duction)?s?\s+(?:to|for)\b"
        ),
    ),
    (
        Exchange.ADVICE,
        re.compile(
            r"\bgive\s+(?:\w+\s+){0,3}(?:advice|tips?|pointers?)\b|\badvi[cs]e\b"
            rf"|\b(?:walk|talk)\s+{_OBJ}\s+through\b|\btell\s+{_OBJ}\s+(?:what|how)\b"
            r"|\bshare\s+(?:how|what|my\s+experience|(?:a\s+few|some)\s+tips)\b"
            r"|\brecommend\s+(?:a|some|two|three|a\s+couple\s+of|a\s+few)\s+\w+"
            r"|\bsuggest\s+(?:she|he|they|that|\w+\s+(?:try|cut|use|start))\b"
        ),
    ),
    (
        Exchange.HELP,
        re.compile(
            r"\bhelp\b|\brehears\w*|\bmock\b|\bpair\s+program\w*|\bdebug\b|\blend\b|\blent\b"
            r"|\bcover\s+(?:his|her|their|for)\b"
            rf"|\b(?:review|fix|proofread|check|edit)\s+(?!{_SELF})(?:his|her|their|[a-z]+['’]s)\b"
            rf"|\b(?:review|fix|proofread)\s+(?:{_OBJ}\s+)?\w+\s+(?:line\s+by\s+line|for\s+(?:him|her|them))"
            rf"|\bgive\s+(?:{_OBJ}\s+)?(?:\w+\s+)?(?:feedback|comments)\b|\bsend\s+back\s+comments\b"
            r"|\bkeep\s+my\s+(?:word|promise)\b|\bdeliver\b|\bas\s+a\s+favou?r\b"
            r"|\bi\s+will\s+(?:test|review|proofread|look\s+over)\b"
        ),
    ),
    (
        Exchange.RESOURCE,
        re.compile(
            r"\b(?:send|share|forward|email|message|dm|pass\s+on|give)\s+(?:over\s+|along\s+)?"
            rf"(?!(?:me|us)\b)(?:{_OBJ}\s+)?(?:the|a|an|my|some|our|two|a\s+couple\s+of|a\s+few)?\s*"
            rf"(?:[\w'’-]+\s+){{0,3}}?{_STUFF}\b"
        ),
    ),
)


def propose_exchange(text: str) -> Exchange | None:
    """Return the ledger entry a note suggests, or None when it is neither a give nor an ask."""
    for clause in _CLAUSES.split(text[:MAX_TEXT]):
        words = _reading(clause)
        if not words or _theirs(words) or _NOTE_TO_SELF.match(" ".join(words)):
            continue
        line = _THANKED_FOR.sub("", " ".join(words))
        found = [(m.start(), kind) for kind, p in _PATTERNS if (m := p.search(line))]
        if found:
            # An ask inside the clause wins: "asked for an intro" is not an intro.
            if any(kind is Exchange.ASK for _, kind in found):
                return Exchange.ASK
            return min(found, key=lambda f: f[0])[1]
    return None


# "thank him for the intro", "so grateful to ana for the referral", "owe him for the
# intro": their give, which the user is thanking them for.
_THANKED_FOR = re.compile(r"\b(?:thank|grateful|owe)\s+(?:\S+\s+){0,3}?for\b.*")


def _reading(clause: str) -> list[str]:
    """The clause as lower-case words, shorthand spelled out and verbs in their plain form."""
    spelled = _SHORT.sub(lambda m: _SHORTHAND[m.group(1).lower()], clause.lower())
    return [_plain(w) for w in _WORD.findall(spelled)]


def _plain(word: str) -> str:
    # Possessives, contractions and -ing words stay as typed: "recording" and "posting"
    # are more often things than doings in a note.
    if not word.isalpha() or len(word) < 3 or word.endswith("ing"):
        return word
    return lemma(word)


def _theirs(words: list[str]) -> bool:
    """True when the clause's subject is someone else ("she said...", "anna ask for my notes")."""
    first = words[0]
    if first in ("and", "but", "so", "then", "also") and len(words) > 1:
        words = words[1:]
        first = words[0]
    if first in _THIRD:
        return True
    if first in ("i", "we") or first in _THEIR_VERBS:
        return False
    return len(words) > 1 and words[1] in _THEIR_VERBS and not _is_verb_start(first)


def _is_verb_start(word: str) -> bool:
    """A telegraphic clause starts with the verb: "sent", "helped", "congratulated"."""
    return word in _STARTING_VERBS


_STARTING_VERBS = frozenset(
    "send share forward email message dm help review congratulate introduce intro "  # noqa: SIM905
    "connect ask give recommend nominate endorse thank lend cover walk talk tell put "
    "loop hook pass write leave post beg ping deliver keep fix debug reply text call".split()
)
