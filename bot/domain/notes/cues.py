"""Recognising promises, offers, gratitude, events and personal details in clauses."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.model import FactKind
from bot.domain.notes.clauses import Clause, Subject
from bot.domain.notes.reading import DatedItem, Detail

MAX_PHRASE = 90

_PROMISE = re.compile(
    r"^(?:(?:i|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+are\s+going\s+to|"
    r"'re\s+going\s+to|'m\s+gonna|\s+need\s+to|\s+have\s+to|\s+must|\s+should|\s+promised(?:\s+to)?"
    r"|\s+owe|\s+offered\s+to|\s+agreed\s+to|\s+volunteered\s+to|\s+said\s+(?:i|we)(?:'d|\s+would"
    r"|'ll|\s+will)|\s+told\s+\w+\s+(?:i|we)(?:'d|'ll|\s+would|\s+will)|'d\s+(?=send|share|intro)"
    r"|\s+want\s+to|'m\s+sending|\s+am\s+sending|\s+still\s+need\s+to|\s+really\s+need\s+to"
    r"|\s+gotta|\s+committed\s+to|\s+can)|ill|will|need\s+to|must|should|promised(?:\s+to)?|owe"
    r"|todo|to-?do|action(?:\s+items?)?|next\s+steps?|remember\s+to|don'?t\s+forget\s+to|gotta"
    r"|have\s+to|follow\s+up\s+(?=with|on)|reminder\s*(?:to)?|committed\s+to)[\s:]+(?P<rest>.+)$",
    re.I,
)
# "I'll see her at KubeCon" is a plan, not a promise.
_NOT_A_PROMISE = re.compile(
    r"^(?:be|see|probably|maybe|think|hear|wait|keep|stay|meet|catch\s+up|have|get\s+coffee|"
    r"grab|go|attend|try\s+to\s+make\s+it|check\s+my|sleep|miss)\b",
    re.I,
)
_OFFER = re.compile(
    r"^(?:(?:'s|is|was|has|had|kindly|graciously|generously|even|also|just|very\s+kindly|"
    r"immediately|then)\s+)*"
    r"(?P<cue>offered(?:\s+to)?|offers\s+to|volunteered\s+to|agreed\s+to|promised(?:\s+to)?|"
    r"said\s+(?:she|he|they)(?:'d|\s+would|'ll|\s+will|\s+can|\s+could)(?:\s+be\s+happy\s+to)?|"
    r"(?:is\s+|'s\s+|are\s+)?going\s+to|will|'ll|would|'d|can|could|wants\s+to|"
    r"(?:is\s+|'s\s+|would\s+be\s+|'d\s+be\s+)?happy\s+to|would\s+love\s+to|"
    r"(?:is\s+|'s\s+)?(?:keen|willing)\s+to|suggested\s+(?:she|he|they)\s+(?:could|can))\s+"
    r"(?P<rest>.+)$",
    re.I,
)
_FOR_ME = re.compile(r"\b(?:me|my|us|our|i)\b", re.I)
_GRATITUDE_ACT = re.compile(
    r"^(?:(?:'s|has|had|just|also|kindly|generously|really|actually|even|totally|already)\s+)*"
    r"(?P<act>introduced\s+(?:me|us)\b.*|intro'?d\s+(?:me|us)\b.*|(?:made|gave\s+(?:me|us))\s+"
    r"(?:an?\s+|the\s+|a\s+warm\s+)?intro(?:duction)?\b.*|connected\s+(?:me|us)\b.*|put\s+(?:me|us)"
    r"\s+in\s+touch\b.*|helped\s+(?:me|us)\b.*|referred\s+(?:me|us)\b.*|recommended\s+(?:me|us)\b.*"
    r"|vouched\s+for\s+(?:me|us)\b.*|put\s+in\s+a\s+(?:good|kind)\s+word\b.*|gave\s+(?:me|us)\s+.*"
    r"|got\s+(?:me|us)\s+.*|shared\s+.*\bwith\s+(?:me|us)\b.*|reviewed\s+(?:my|our)\b.*"
    r"|mentored\s+(?:me|us)\b.*|coached\s+(?:me|us)\b.*|covered\s+for\s+(?:me|us)\b.*"
    r"|hooked\s+(?:me|us)\s+up\b.*|took\s+the\s+time\b.*|walked\s+(?:me|us)\s+through\b.*"
    r"|showed\s+(?:me|us)\b.*|invited\s+(?:me|us)\b.*|hired\s+(?:me|us)\b.*"
    r"|saved\s+(?:me|us|my|our)\b.*|lent\s+(?:me|us)\b.*|passed\s+(?:my|our)\b.*"
    r"|forwarded\s+(?:my|our)\b.*|endorsed\s+(?:me|us)\b.*|sponsored\s+(?:me|us)\b.*"
    r"|set\s+(?:me|us)\s+up\s+with\b.*|paid\s+for\b.*|picked\s+up\s+the\s+(?:bill|tab|check)\b.*"
    r"|bought\s+(?:me|us)\b.*|pointed\s+(?:me|us)\s+to\b.*|answered\s+all\s+my\b.*)$",
    re.I,
)
_THANKS_TO = re.compile(
    r"\b(?:thanks\s+to|grateful\s+to|thankful\s+to|kudos\s+to|shout-?out\s+to|thank|thanked|"
    r"thanking|owe\s+(?:a\s+(?:big\s+)?(?:thank[\s-]?you|one)\s+to))\s+(?P<who>\S+(?:\s+\S+)?)"
    r"(?:\s+(?:for|so\s+much\s+for)\s+(?P<what>.+))?",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:interview(?:s|ing)?|launch(?:es|ing)?|going\s+live|goes\s+live|release|"
    r"present(?:s|ing)?|talk|keynote|speaking|speaks|panel|demo(?:\s+day)?|pitch(?:es|ing)?|"
    r"race|marathon|half[\s-]marathon|triathlon|ironman|10k|5k|ultra|moving|moves|relocat\w*|"
    r"move\s+to|trip|travel\w*|flying|flies|vacation|holiday|honeymoon|sabbatical|"
    r"parental\s+leave|maternity|paternity|wedding|getting\s+married|gets\s+married|baby|"
    r"due\s+date|due\s+in|expecting|graduat\w*|college|uni|university|school|first\s+day|"
    r"start(?:s|ing)?\s+(?:a\s+|her\s+|his\s+|their\s+)?(?:new\s+)?(?:job|role|position|"
    r"gig)\b|new\s+job|surgery|operation|birthday|anniversary|exam|exams|thesis|defen[cs]e|"
    r"defending|conference|summit|offsite|retreat|fundrais\w*|closing\s+(?:a|the|their)"
    r"\s+round|hackathon|recital|tournament|concert|exhibition|opening|retir\w*|review|"
    r"board\s+meeting|ipo|competition|match|game|show|premiere|book\s+comes\s+out|"
    r"leaving|last\s+day|joins|joining|starts\s+at|starting\s+at|visa|citizenship|"
    r"certification|bar\s+exam|residency|hearing)\b",
    re.I,
)
_PAST_MARKERS = re.compile(
    r"\b(?:was|were|went|had|did|ran|got\s+back|came\s+back|just\s+(?:got|came|finished|"
    r"had|moved|launched|returned)|finished|completed|last\s+(?:week|month|year)|ago|"
    r"yesterday|returned|moved|launched|presented|gave\s+a\s+talk|gave\s+her\s+talk)\b",
    re.I,
)
_FUTURE_MARKERS = re.compile(
    r"\b(?:soon|upcoming|coming\s+up|will|'ll|going\s+to|about\s+to|next|shortly|"
    r"later\s+this|is\s+due|due\s+to|scheduled|planned|in\s+the\s+works)\b",
    re.I,
)
_AUXILIARIES = re.compile(
    r"^(?:(?:is|are|was|'s|'re|will|'ll|would|has|have|had|'ve|got|just|also|still|really|"
    r"actually|now|recently|apparently|currently|finally|soon|definitely|be|being|going\s+to|"
    r"gonna|about\s+to|to|and|so|then|that|,|-)\s+)+",
    re.I,
)
_FAMILY = re.compile(
    r"\b(?:daughters?|sons?|kids?|children|child|wife|husband|partner|spouse|baby|babies|twins|"
    r"mom|mum|mother|father|dad|parents|sister|brother|siblings?|grandkids?|granddaughter|"
    r"grandson|grandma|grandpa|grandmother|grandfather|fianc[ée]e?|family|newborn|toddler|"
    r"teenagers?|stepson|stepdaughter|in-laws|niece|nephew|pregnant|expecting|married|"
    r"wedding|dog|cat|puppy)\b",
    re.I,
)
_DETAIL_RULES: list[tuple[FactKind, re.Pattern[str]]] = [
    (
        FactKind.CHALLENGE,
        re.compile(
            r"\b(?:struggl\w+|worried|worries|worry|stress\w*|burn(?:ed|t)[\s-]out|burnout|"
            r"hard\s+time|tough\s+(?:time|year|quarter|month)|rough\s+(?:time|patch|year)|"
            r"laid\s+off|lost\s+(?:her|his|their)\s+job|dealing\s+with|sick|ill\b|injur\w+|"
            r"frustrat\w+|overwhelm\w*|challeng\w+|difficult|can't\s+find|cannot\s+find|"
            r"short[\s-]staffed|understaffed|churn|pressure|grieving|passed\s+away|hard\s+to\s+"
            r"hire|hiring\s+is\s+(?:hard|tough|slow)|behind\s+schedule|visa\s+issues?|"
            r"problem|problems|issue|issues|blocked|stuck|anxious|exhausted|not\s+sleeping|"
            r"cuts|layoffs|downsiz\w+|funding\s+is\s+tight|runway|recover\w*|hospital)\b",
            re.I,
        ),
    ),
    (
        FactKind.GOAL,
        re.compile(
            r"\b(?:wants?\s+to|would\s+(?:like|love)\s+to|hop(?:es|ing)\s+to|goal|plans?\s+to|"
            r"planning\s+to|dreams?\s+of|aim(?:s|ing)\s+to|looking\s+to|looking\s+for|"
            r"trying\s+to|thinking\s+(?:of|about)|considering|keen\s+to|eager\s+to|"
            r"interested\s+in\s+(?:moving|joining|switching|starting|getting|becoming)|"
            r"saving\s+(?:up\s+)?for|raising\s+(?:a|their|her|his)\s+(?:seed|series|round)|"
            r"aspir\w+|ambition|open\s+to\s+(?:new|a)|exploring)\b",
            re.I,
        ),
    ),
    (
        FactKind.INTEREST,
        re.compile(
            r"\b(?:training\s+for|trains\s+for|loves?|into\s+(?!the\s+office)|big\s+fan|fan\s+of|"
            r"plays|playing|hobby|passionate|obsessed|enjoys?|collects|learning|climb\w*|"
            r"cycl\w+|surf\w*|hik\w+|cook\w*|bak(?:es|ing)|photograph\w*|chess|guitar|piano|"
            r"podcast|yoga|sail\w*|ski(?:s|ing)?|golf|tennis|football|soccer|running|runs\s+"
            r"(?:marathons|ultras|every)|marathon|triathlon|garden\w*|paint\w*|volunteer\w*|"
            r"knit\w*|birdwatch\w*|reads|reading|books?|jazz|music|sings|choir|brew\w*|wine|"
            r"board\s+games|video\s+games|gaming|crossfit|bouldering|swim\w*|diving|"
            r"woodwork\w*|pottery|fishing|cricket|rugby|basketball|baseball|hockey|anime|"
            r"travels\s+a\s+lot|big\s+on)\b",
            re.I,
        ),
    ),
    (
        FactKind.WORK,
        re.compile(
            r"\b(?:works?\s+(?:at|for|on|in)|working\s+(?:at|for|on)|joined|just\s+joined|"
            r"is\s+joining|new\s+(?:job|role|position)|promoted|promotion|leads|heads|manages|"
            r"runs\s+(?:the|a|their|her|his)\b|in\s+charge\s+of|(?:is|'s)\s+(?:now\s+)?(?:a|an|the)"
            r"\s+\w+|ceo|cto|cfo|coo|vp|founder|co-?founder|engineer|designer|product\s+manager|"
            r"recruiter|hiring|their\s+team|team\s+is|switched\s+to|started\s+at|startup|"
            r"consultant|freelanc\w*|contract|reports\s+to|moved\s+(?:into|to)\s+(?:the\s+)?\w+"
            r"\s+team|building|built|company|clients?|customers?|quarter|revenue|headcount|"
            r"reorg|role|team)\b",
            re.I,
        ),
    ),
]


def promise_from(clause: Clause, single: str) -> DatedItem | None:
    """A thing the user said they would do ("I'll send", "I owe", "promised to")."""
    if clause.subject is Subject.PERSON:
        return None
    match = _PROMISE.match(clause.body)
    if match is None:
        return None
    rest = match.group("rest")
    if _NOT_A_PROMISE.match(rest) or re.match(r"^(?:not|never|no)\b", rest, re.I):
        return None
    person = _object_person(clause, rest, single)
    on, date_text = _when(clause)
    text = _phrase(rest, clause, drop=person)
    if not text:
        return None
    return DatedItem(text=text, person=person, on=on, date_text=date_text)


def offer_from(clause: Clause) -> DatedItem | None:
    """A thing someone else offered to do for the user."""
    if clause.subject is not Subject.PERSON or clause.possessive:
        return None
    match = _OFFER.match(clause.body)
    if match is None:
        return None
    cue = match.group("cue").lower()
    rest = match.group("rest")
    firm = cue.startswith(("offered", "offers", "volunteered", "agreed", "promised", "said"))
    if not firm and not _FOR_ME.search(rest):
        return None  # "Tom will move to Lisbon" is their plan, not an offer
    if re.match(r"^(?:not|never|no)\b", rest, re.I):
        return None
    on, date_text = _when(clause)
    text = _phrase(rest, clause)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text) if text else None


def gratitude_from(clause: Clause) -> DatedItem | None:
    """Something someone did for the user that deserves thanks."""
    if clause.subject is Subject.PERSON and not clause.possessive:
        match = _GRATITUDE_ACT.match(clause.body)
        if match is not None:
            return DatedItem(text=_phrase(match.group("act"), clause), person=clause.person)
    thanks = _THANKS_TO.search(clause.body)
    if thanks is None:
        return None
    who = next(
        (
            name
            for start, _, name in clause.names
            if start >= clause.body_start + thanks.start("who")
        ),
        "",
    )
    if not who and re.match(r"(?:her|him|them)\b", thanks.group("who"), re.I):
        who = clause.person
    if not who:
        return None
    what = thanks.group("what") or ""
    return DatedItem(text=_phrase(what, clause) or "thanks", person=who)


def event_from(clause: Clause, today: date) -> DatedItem | None:
    """An upcoming event of theirs: an interview, a launch, a talk, a move..."""
    if clause.subject is Subject.USER or not clause.person:
        return None
    keyword = _EVENT.search(clause.body)
    if keyword is None:
        return None
    future = [d for d in clause.dates if not d.past and (d.on is None or d.on >= today)]
    if any(d.past or (d.on is not None and d.on < today) for d in clause.dates) and not future:
        return None
    if not future and (
        clause.subject is Subject.NONE
        or _PAST_MARKERS.search(clause.body)
        or not _FUTURE_MARKERS.search(clause.body)
    ):
        return None  # an event needs a date, or at least words that put it ahead
    on, date_text = _when(clause)
    text = _phrase(clause.body, clause)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text) if text else None


def detail_from(clause: Clause) -> Detail | None:
    """A personal detail about someone: family, interests, goals, challenges, work."""
    if clause.subject is Subject.USER or not clause.person:
        return None
    body = clause.body
    text = _phrase(body, clause, keep_dates=True)
    if not text or (len(text.split()) < 2 and not clause.possessive):
        return None
    family = _FAMILY.search(body)
    if family is not None and (clause.possessive or family.start() < 25):
        return Detail(kind=FactKind.FAMILY, text=text, person=clause.person)
    if clause.subject is Subject.NONE:
        return None  # without a subject, only family words are clear enough
    for kind, pattern in _DETAIL_RULES:
        if pattern.search(body):
            return Detail(kind=kind, text=text, person=clause.person)
    return None


def _object_person(clause: Clause, rest: str, single: str) -> str:
    """Whom a promise is to: a name in it, an object pronoun, or the only person."""
    rest_start = clause.body_start + clause.body.find(rest)
    named = next((name for start, _, name in clause.names if start >= rest_start), "")
    if named:
        return named
    if re.search(r"\b(?:her|him|them|she|he|they|his)\b", rest, re.I) and clause.person:
        return clause.person
    return single


def _when(clause: Clause) -> tuple[date | None, str]:
    for mention in clause.dates:
        if not mention.past:
            return mention.on, mention.text
    return None, ""


def _phrase(text: str, clause: Clause, *, drop: str = "", keep_dates: bool = False) -> str:
    """Make a short phrase: no date words, no leading auxiliaries, no trailing junk."""
    if not keep_dates:
        for mention in clause.dates:
            text = text.replace(mention.text, " ")
    if drop:
        for form in (drop, drop.split()[0]):
            pattern = r"^((?:\w+\s+)?)" + re.escape(form) + r"(?:'s)?\b"
            text = re.sub(pattern, r"\1", text.strip(), count=1, flags=re.I)
    text = re.sub(r"^(\w+)\s+(?:her|him|them)\s+(?=\w)", r"\1 ", text.strip(), count=1, flags=re.I)
    text = _AUXILIARIES.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" ,.;:!?-–—&\"'")
    text = re.sub(r"\s+(?:by|on|before|until|till|due|for|at|in)$", "", text, flags=re.I)
    if len(text) > MAX_PHRASE:
        text = text[:MAX_PHRASE].rsplit(" ", 1)[0] + "…"
    return text
