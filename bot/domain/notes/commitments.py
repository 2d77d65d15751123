"""What the user promised, what others offered, and what others did for the user."""

from __future__ import annotations

import re

from bot.domain.notes.clauses import Clause, Subject
from bot.domain.notes.phrases import phrase, when
from bot.domain.notes.reading import DatedItem

_PROMISE = re.compile(
    r"^(?:(?:i|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+are\s+going\s+to|"
    r"'re\s+going\s+to|'m\s+gonna|\s+need\s+to|\s+have\s+to|\s+must|\s+should|"
    r"\s+promised(?:\s+to)?|\s+owe|\s+offered\s+to|\s+agreed\s+to|\s+volunteered\s+to|"
    r"\s+agreed\s+(?:that\s+)?(?:i|we)(?:'d|'ll|\s+would|\s+will)|"
    r"\s+said\s+(?:i|we)(?:'d|\s+would|'ll|\s+will)|\s+told\s+\w+\s+(?:i|we)(?:'d|'ll|\s+would"
    r"|\s+will)|'d\s+(?=send|share|intro)|\s+want\s+to|'m\s+sending|\s+am\s+sending"
    r"|\s+still\s+need\s+to|\s+really\s+need\s+to|\s+gotta|\s+committed\s+to|\s+can)"
    r"|ill|will|need\s+to|must|should|promised(?:\s+to)?|owe|offered\s+to|agreed\s+to"
    r"|said\s+(?:i|we)(?:'d|\s+would|'ll|\s+will)|told\s+\w+\s+(?:i|we)(?:'d|'ll|\s+would|\s+will)"
    r"|todo|to-?do|action(?:\s+items?)?|next\s+steps?|remember\s+to|don'?t\s+forget\s+to|gotta"
    r"|have\s+to|reminder\s*(?:to)?|committed\s+to)[\s:]+(?P<rest>.+)$",
    re.I,
)
# A note's imperative is the user's to-do: "Send her the deck", "Thank him".
# Verbs that also open a report ("Call with Ana", "Email from Tom") are
# imperatives only when followed by whom or what.
_IMPERATIVE = re.compile(
    r"^(?P<rest>(?:(?:send|ask|sponsor|donate|support|visit|pay|sign|reply|respond|thank|intro|introduce|connect|share|forward|follow\s+up|"
    r"book|buy|check\s+in|write|draft|set\s+up|schedule|invite|congratulate|remind|review|"
    r"look\s+into|prepare|prep|mail|post|order|pick\s+up|return|bring|give|lend|find|"
    r"update|put|get\s+back|cheer|wish|recommend|nominate|reach\s+out)\b"
    r"|(?:call|ring|text|ping|message|email|e-mail|dm)\s+(?!with\b|w/|w\b|from\b|about\b|to\b)"
    r"(?:her|him|them|back|[A-Z]\w*)\b).*)$",
    re.I,
)
# "I'll see her at KubeCon" is a plan, not a promise; "owe him one" is thanks.
_NOT_A_PROMISE = re.compile(
    r"^(?:be|see|probably|maybe|think|hear|wait|keep|stay|meet|catch\s+up|have|get\s+coffee|"
    r"grab|go|attend|try\s+to\s+make\s+it|check\s+my|sleep|miss|not|never|no|(?:him|her|them|"
    r"you)\s+one|one|nothing|a\s+lot)\b",
    re.I,
)
# "We should do the walk together" suggests; it does not promise.
_SUGGESTION = re.compile(r"^we\s+(?:should|could|might|can)\b", re.I)
# Promises of these kinds are for someone even when the note does not say whom.
_HAS_RECIPIENT = re.compile(
    r"^(?:visit|send|share|intro|introduce|email|call|text|give|lend|buy|thank|congratulate|"
    r"invite|review|mail|cheer|help|check\s+in|follow\s+up|reply|get\s+back|write|forward)\b",
    re.I,
)
_VAGUE = re.compile(r"^(?:do\s+(?:it|that|so|this)|it|that|this)$", re.I)

_OFFER = re.compile(
    r"^(?:(?:'s|is|was|has|had|kindly|graciously|generously|even|also|just|very\s+kindly|"
    r"immediately|then)\s+)*"
    r"(?P<cue>offered(?:\s+to)?|offers\s+to|volunteered\s+to|agreed\s+to|promised(?:\s+to)?|"
    r"said\s+(?:she|he|they)(?:'d|\s+would|'ll|\s+will|\s+can|\s+could)(?:\s+be\s+happy\s+to)?|"
    r"(?:is\s+|'s\s+|are\s+)?going\s+to|will|'ll|would|'d|can|could|wants\s+to|wants|"
    r"(?:is\s+|'s\s+|would\s+be\s+|'d\s+be\s+)?happy\s+to|would\s+love\s+to|"
    r"(?:is\s+|'s\s+)?(?:keen|willing)\s+to|suggested\s+(?:she|he|they)\s+(?:could|can))\s+"
    r"(?P<rest>.+)$",
    re.I,
)
_FIRM_OFFER = ("offered", "offers", "volunteered", "agreed", "promised", "said")
_FOR_ME = re.compile(r"\b(?:me|my|us|our)\b", re.I)

_GRATITUDE_ACT = re.compile(
    r"^(?:(?:'s|has|had|just|also|kindly|generously|really|actually|even|totally|already)\s+)*"
    r"(?P<act>(?:introduced|intro'?d|connected|helped|referred|recommended|mentored|coached|"
    r"endorsed|sponsored|invited|hired|showed|bought|lent)\s+(?:me|us)\b.*"
    r"|(?:made|gave\s+(?:me|us))\s+(?:an?\s+|the\s+|a\s+warm\s+)?intro(?:duction)?\b.*"
    r"|put\s+(?:me|us)\s+in\s+touch\b.*|vouched\s+for\s+(?:me|us)\b.*"
    r"|put\s+in\s+a\s+(?:good|kind)\s+word\b.*"
    r"|gave\s+(?:me|us)\s+(?!(?:his|her|their|a)\s+(?:business\s+)?(?:card|number|email)).*"
    r"|got\s+(?:me|us)\s+.*"
    r"|shared\s+.*\bwith\s+(?:me|us)\b.*|reviewed\s+(?:my|our)\b.*|covered\s+for\s+(?:me|us)\b.*"
    r"|hooked\s+(?:me|us)\s+up\b.*|took\s+the\s+time\b.*|walked\s+(?:me|us)\s+through\b.*"
    r"|saved\s+(?:me|us|my|our)\b.*|passed\s+(?:my|our)\b.*|forwarded\s+(?:my|our)\b.*"
    r"|set\s+(?:me|us)\s+up\s+with\b.*|paid\s+for\b.*|picked\s+up\s+the\s+(?:bill|tab|check)\b.*"
    r"|pointed\s+(?:me|us)\s+to\b.*|answered\s+all\s+(?:my|our)\b.*"
    r"|put\s+(?:me|us)\s+forward\b.*|(?:nominated|suggested|backed|championed)\s+(?:me|us)\b.*"
    r"|spoke\s+up\s+for\s+(?:me|us)\b.*|stood\s+up\s+for\s+(?:me|us)\b.*)$",
    re.I,
)
_THANKS_TO = re.compile(
    r"\b(?i:thanks\s+to|grateful\s+to|thankful\s+to|kudos\s+to|shout-?out\s+to|thank|thanked|"
    r"thanking)\s+(?P<who>[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*)?|(?i:her|him|them))"
    r"(?:\s+(?i:for|so\s+much\s+for)\s+(?P<what>.+)|[\s,]+(?P<then>.+))?"
)


def promise_from(clause: Clause, single: str) -> DatedItem | None:
    """A thing the user said they would do ("I'll send", "I owe", "promised to")."""
    if clause.subject is Subject.PERSON:
        return None
    match = _PROMISE.match(clause.body)
    if match is None and clause.subject is Subject.NONE:
        match = _IMPERATIVE.match(clause.body)
    if match is None:
        return None
    rest = match.group("rest")
    if _NOT_A_PROMISE.match(rest) or _someone_offered(clause) or _SUGGESTION.match(clause.body):
        return None
    rest_start = clause.body_start + match.start("rest")
    person = _recipient(clause, rest, rest_start, single)
    on, date_text = when(clause, after=clause.body_start + match.start())
    text = phrase(rest, clause, drop=person)
    if not text:
        return None
    return DatedItem(text=text, person=person, on=on, date_text=date_text)


def is_vague(promise: DatedItem) -> bool:
    """True for "do it"-style promises that only restate an earlier one."""
    return bool(_VAGUE.match(promise.text))


def _someone_offered(clause: Clause) -> bool:
    """ "Offered to send me the doc" with no subject: the person just named offered."""
    return (
        clause.subject is Subject.NONE
        and bool(clause.person)
        and bool(
            re.match(
                r"(?:offered|volunteered|promised)\s+to\b.*\b(?:me|my|us|our)\b", clause.body, re.I
            )
        )
    )


def offer_from(clause: Clause) -> DatedItem | None:
    """A thing someone else offered to do for the user."""
    if clause.possessive or not (clause.subject is Subject.PERSON or _someone_offered(clause)):
        return None
    match = _OFFER.match(clause.body)
    if match is None:
        return None
    rest = match.group("rest")
    firm = match.group("cue").lower().startswith(_FIRM_OFFER)
    if not firm and not _FOR_ME.search(rest):
        return None  # "Tom will move to Lisbon" is their plan, not an offer
    if re.match(r"^(?:not|never|no)\b", rest, re.I):
        return None
    on, date_text = when(clause, after=clause.body_start + match.start("cue"))
    text = phrase(rest, clause)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text) if text else None


def gratitude_from(clause: Clause) -> DatedItem | None:
    """Something someone did for the user that deserves thanks."""
    if clause.subject is Subject.PERSON and not clause.possessive:
        match = _GRATITUDE_ACT.match(clause.body)
        if match is not None:
            return DatedItem(text=phrase(match.group("act"), clause), person=clause.person)
    thanks = _THANKS_TO.search(clause.body)
    if thanks is None:
        return None
    who_start = clause.body_start + thanks.start("who")
    who = next((name for start, _, name in clause.names if start == who_start), "")
    if not who and thanks.group("who").lower() in ("her", "him", "them"):
        who = clause.pronoun_person(thanks.group("who"))
    if not who:
        return None
    what = thanks.group("what") or thanks.group("then") or ""
    return DatedItem(text=phrase(what, clause) or "thanks", person=who)


def _recipient(clause: Clause, rest: str, rest_start: int, single: str) -> str:
    """Whom a promise is for: an object pronoun or name after the verb, else a good guess."""
    early = re.match(r"(?:[\w'\-]+\s+){0,2}?(her|him|them)\b", rest, re.I)
    if early is not None:
        return clause.pronoun_person(early.group(1))
    named = next((name for start, _, name in clause.names if start >= rest_start), "")
    if named:
        return named
    pronoun = re.search(r"\b(her|him|them|his|their)\b", rest, re.I)
    if pronoun is not None:
        return clause.pronoun_person(pronoun.group(1))
    if single:
        return single
    return clause.person if _HAS_RECIPIENT.match(rest) else ""
