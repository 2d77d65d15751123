"""Whose commitment a clause states: the user's promises, their offers, the next steps agreed
together, what they asked of the user, and what they did for the user.

Attribution follows the clause's subject: "I'll send" is mine, "Jonas will
share the template" is theirs, "we agreed to have a call" is ours. A request
("she needs the Q1 numbers by Monday", "Arjun asked me to review the deck")
becomes the user's promise when it has a deadline or the user takes it on
("I'll do that"); "that", "those", "them" refer back to it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain.notes.clauses import Clause, Subject
from bot.domain.notes.phrases import phrase, when
from bot.domain.notes.reading import DatedItem
from bot.domain.notes.text import MEETING_NOUN, fold, word_set

_PROMISE = re.compile(
    # "(i) promised chi i'd review her board deck", "told him i'll send it": first, so that
    # "promised" alone does not take the name for the task.
    r"^(?:(?:(?:i|we)\s+)?(?:told|promised)\s+(?:(?!(?:that|i|i'd|i'll|we|we'd)\b)(?P<to>[\w\-']+)\s+)?"
    # "told him on whatsapp i'm sending a sauna hat": how it was said, then the promise.
    r"(?:(?:on|over|via|by)\s+[\w\-]+\s+)?"
    r"(?:that\s+)?(?:i|we)(?:'d|'ll|\s+would|\s+will|'m(?=\s+\w+ing\b)|\s+am(?=\s+\w+ing\b))|(?:told|promised)\s+(?P<to2>him|her|them)\s+(?:id|ill)"
    r"|(?:i|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+are\s+going\s+to|"
    r"'re\s+going\s+to|'m\s+gonna|\s+need\s+to|\s+have\s+to|\s+must|\s+should|"
    r"\s+promised(?:\s+to)?|\s+owe|\s+offered\s+to|(?<=i)\s+agreed\s+to|\s+volunteered\s+to|"
    r"\s+agreed\s+(?:that\s+)?i(?:'d|'ll|\s+would|\s+will)|"
    r"\s+said\s+(?:i|we)(?:'d|\s+would|'ll|\s+will)|'d\s+(?=send|share|intro)|\s+want\s+to|"
    r"'m\s+sending|\s+am\s+sending"
    r"|\s+still\s+need\s+to|\s+really\s+need\s+to|\s+gotta|\s+committed\s+to|\s+can)"
    r"|ill|will|need\s+to|must|should|promised(?:\s+to)?|owe|offered\s+to"
    r"|said\s+(?:i|we)(?:'d|\s+would|'ll|\s+will)"
    r"|(?:if|once|as\s+soon\s+as)\s+(?:i|we)(?:\s+can)?(?=\s+(?:send|share|get|deliver|submit|"
    r"provide|pay|sign|finish|do|make|hand|give|bring)\b)"
    r"|todo|to-?do|action(?:\s+items?)?|next\s+steps?|remember\s+to|don'?t\s+forget\s+to|gotta"
    r"|have\s+to|reminder\s*(?:to)?|committed\s+to)[\s:]+(?P<rest>.+)$",
    re.I,
)
# A note's imperative is the user's to-do: "Send her the deck", "Thank him".
# Verbs that also open a report ("Call with Ana", "Email from Tom") are
# imperatives only when followed by whom or what.
_IMPERATIVE = re.compile(
    r"^(?P<rest>(?:(?:send|ask|sponsor|donate|support|visit|pay|sign|reply|respond|"
    r"thank(?![- ]?you\s+(?:lunch|dinner|drinks?|coffee|breakfast|call)\b)|intro|introduce|"
    r"connect|share|forward|follow\s+up|"
    r"book|buy|check\s+in|write|draft|set\s+up|schedule|invite|congratulate|remind|review|"
    r"look\s+into|prepare|prep|mail|post|order|pick\s+up|return|bring|give|lend|find|"
    r"update|put|get\s+back|cheer|wish|recommend|nominate|reach\s+out)\b"
    r"|(?:call|ring|text|ping|message|email|e-mail|dm)\s+(?!with\b|w/|w\b|from\b|about\b|to\b)"
    r"(?:her|him|them|back|[A-Z]\w*)\b).*)$",
    re.I,
)
# "Sending her revised terms Mon.": with no subject, what the user is about to do.
_DOING_NEXT = re.compile(
    r"^(?P<doing>sending|emailing|sharing|forwarding|drafting|writing)\s+(?P<rest>(?:her|him|them|"
    r"over|across|out|up)\b.+)$",
    re.I,
)
# "I'll see her at KubeCon" is a plan, not a promise; "owe him one" is thanks.
_NOT_A_PROMISE = re.compile(
    r"^(?:be|see|probably|maybe|think|hear|wait|keep|stay|meet|catch\s+up|have|get\s+coffee|"
    r"grab|go|attend|try\s+to\s+make\s+it|check\s+my|sleep|miss|not|never|no|"
    # "ask around" is a plan; "ask around abt roles at n26 for her" a task taken on.
    r"ask\s+around(?!\s+(?:abt|about|for)\b)|"
    r"look\s+around|think\s+about|see\s+(?:what|if|how)|(?:him|her|them|"
    r"you|u|ya)\s+(?:one|big|a\s+lot|so\s+much|hugely)|one|big|nothing|a\s+lot|"
    # "owe kavya one for setting it up", "owe tina a bubble tea for this": thanks owed.
    r"[^\W\d_][\w\-']*\s+(?:one|big|a\s+lot|so\s+much)\s+for"
    # "owe her for watering our plants": what she did, owed thanks and nothing more.
    r"|(?:him|her|them)\s+for\b|[^\W\d_][\w\-']*\s+for\s+[\w\-]+ing\b"
    r"|[^\W\d_][\w\-']*\s+an?\s+[\w\-]+(?:\s+[\w\-]+)?\s+for\s+(?:this|that|it)\b)\b",
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
# What is left of a promise that only points back ("I'll do that first thing", "will do",
# "I'll write them up and share them", "email them both", "said yes").
_POINTING = word_set(
    "it that this those these them so both all first thing up over out off asap and right away "
    "now then yes too as well"
)
_DOING = word_set(
    "do send share write email handle sort get take care look into finish deliver forward "
    "draft prepare pass on said dig find"
)

# Someone asking something of the user: "needs the Q1 numbers", "asked me to review the deck".
_REQUEST = re.compile(
    r"^(?:(?:'s|is|was|has|had|also|just|really|then|kindly)\s+)*"
    r"(?:(?P<need>needs?|needed|wants?|wanted|would\s+like|'d\s+like|is\s+waiting\s+(?:on|for)|"
    r"asked\s+(?:me\s+|us\s+)?for|requested)\s+"
    # "wants feedback on her pitch deck by Friday": what only the user can give.
    r"(?P<thing>(?:the|a|an|my|our|some|your|\d|feedback|input|advice|comments|thoughts)\b.+)"
    r"|asked\s+(?:me|us)\s+to\s+(?P<task>.+)"
    # "asked if i could send her the survey": the same ask, as typed.
    r"|asked\s+(?:me\s+)?(?:if|whether)\s+(?:(?:i|we)\s+(?:could|can|would|might)|i'd|we'd)\s+"
    r"(?P<could>.+))$",
    re.I,
)
_DEADLINE = re.compile(r"(?:by|before|b4|until|till|due|eod|end\s+of|asap)\b", re.I)
# "we agreed to have a call next Tuesday", "agreed w/ pedro to reconvene", "set up weekly 1:1s".
_NEXT_STEP = re.compile(
    r"^(?:(?:we|we've|we\s+have|both\s+of\s+us)\s+(?:agreed|decided)\s+(?:to|that\s+we(?:'d|\s+would|'ll))"
    r"|we(?:'ll|\s+will|'re|\s+are|\s+should|'d|\s+(?:need|want|plan)\s+to|\s+(?:might|could|may))"
    r"\s+(?:(?:definitely|probably|try\s+to|def|prob|finally|actually)\s+)*"
    # "we'll call after new yr": a call together is a meeting too.
    r"(?P<verb>(?:meeting|meet|catching\s+up|catch\s+up|speaking|talking|speak|talk|reconvene|"
    r"call|chat|zoom|video\s+call|"
    r"regroup|reconnect|follow\s+up|circle\s+back|touch\s+base|check\s+in|sync|meet\s+up)"
    r"(?=\s|$))?"
    r"(?(verb)|(?:having|getting|grabbing|doing|have|get|grab|do"
    # "we'll demo it to their team on the 16th", "we're hitting the boulder gym sun": something
    # done together, a step only with its day.
    r"|(?P<outing>demo|demoing|present|presenting|pitch|pitching|hit|hitting|go|going|head|"
    r"heading|play|playing|visit|visiting|try|trying))(?=\s))|let's|lets"
    r"|agreed\s+(?:w/|with)\s+(?P<who>[^\W\d_][\w\-']*(?:\s+[A-Z][\w\-']*)?)\s+(?:to|that)"
    r"|(?:agreed|decided)\s+(?:to|that\s+we(?:'d|'ll|\s+would))"
    # "we said coffee in jan": a meeting both named.
    r"|we\s+(?:both\s+)?(?:said|agreed\s+on|pencil+ed\s+in)\s+(?P<agreed>(?:a\s+|an\s+)?"
    + MEETING_NOUN
    + r")(?=\s|$)"
    # "we said we'd grab lunch in jan": what both said they would do together.
    r"|(?:we\s+(?:both\s+)?)?(?:said|promised\s+each\s+other|planned|figured)\s+(?:that\s+)?"
    r"we(?:'d|'ll|\s+would|\s+will|\s+should)(?:\s+(?:try\s+to|definitely|probably))?"
    # "rescheduled our planning to next thurs": what is moved to a date is a meeting.
    r"|(?:re-?scheduled|moved|pushed|postponed)\s+"
    r"(?P<moved>(?:our|the)\s+[\w\-:]+(?:\s+" + MEETING_NOUN + r")?)(?=\s+(?:to|till|until)\b)"
    # "next sync dec 15", "next call in jan": a date for the next meeting, no verb needed.
    r"|(?P<upcoming>(?:our\s+)?next\s+" + MEETING_NOUN + r")(?=\s+(?:is\s+)?(?:on\s+|in\s+)?\w)"
    r"|(?P<booked>(?:set\s+up|booked|scheduled|arranged|pencil+ed\s+in|planned)\s+"
    r"(?:(?:a|an|the|our|weekly|regular|monthly|biweekly|fortnightly|another|follow-?up)\s+)*"
    + MEETING_NOUN
    + r"\b)"
    # "follow up call set for feb 2", "next sync booked for tues": the meeting named first.
    r"|(?P<named>(?:(?:a|the|our|next|another|follow[- ]?up)\s+)*" + MEETING_NOUN + r")"
    r"\s+(?:is\s+|now\s+)?(?:set|booked|scheduled|planned|pencil+ed\s+in)(?=\s+(?:for|on)\b))"
    r"\s*(?P<rest>.*)$",
    re.I,
)
# "Wants to chat abt a director role next Tuesday": their proposal of the next meeting.
_PROPOSES = re.compile(
    r"^(?:(?:'s|is|also|really)\s+)*(?:wants|would\s+like|'d\s+like|is\s+keen|suggested|"
    r"proposed|asked)\s+(?:to|if\s+we\s+could|that\s+we)\s+(?P<rest>(?:chat|meet|talk|catch\s+up|"
    r"(?:grab|have|get|do)\s+(?:a\s+|an\s+|some\s+)?(?:lunch|coffee|drinks?|dinner|breakfast|"
    r"call|chat|together|catch-?up)|hop\s+on)\b.*)$"
    # "wants drinks thurs": the meeting itself, dated.
    # "wants weekly syncs from jan 11": a regular meeting.
    r"|^(?:(?:'s|is|also|really)\s+)*(?:wants|would\s+like|'d\s+like)\s+(?P<meal>(?:a\s+|an\s+|some\s+)?"
    r"(?:(?:weekly|regular|monthly|biweekly|fortnightly)\s+)?" + MEETING_NOUN + r"\b.*)$",
    re.I,
)

# What someone lets the user do with what is theirs.
_LEAVE_TO = (
    r"(?:borrow|use|stay|crash|tag\s+along|join|come\s+along|sit\s+in|shadow|drop\s+by|"
    r"keep|have\s+(?:his|her|their))\b"
)
_OFFER = re.compile(
    r"^(?:(?:'s|is|was|has|had|kindly|graciously|generously|even|also|just|very\s+kindly|"
    r"immediately|then)\s+)*"
    r"(?P<cue>offered(?:\s+to)?|offers\s+to|volunteered\s+to|agreed\s+to|promised(?:\s+to)?|"
    r"said\s+(?:she|he|they)(?:'d|\s+would|'ll|\s+will|\s+can|\s+could)(?:\s+be\s+happy\s+to)?|"
    # "said i can borrow his van": leave to use what is theirs is an offer of it.
    r"said\s+(?P<lets>i|we)\s+(?:can|could)(?=\s+" + _LEAVE_TO + r")|"
    r"(?:is\s+|'s\s+|are\s+)?going\s+to|will|'ll|would|'d|can|could|wants\s+to|wants|"
    r"(?:is\s+|'s\s+|would\s+be\s+|'d\s+be\s+)?happy\s+to|would\s+love\s+to|"
    r"(?:is\s+|'s\s+)?(?:keen|willing)\s+to|suggested\s+(?:she|he|they)\s+(?:could|can)|"
    r"owes\s+(?:me|us)|"
    # "she's sending me the rubric": under way for the user, so an offer in all but name.
    r"(?P<doing>(?:send|gett|introduc|connect|shar|forward|pass|lend|bring|giv|email|text)ing)"
    r"(?=\s+(?:me|us)\b)"
    # "lea's sending the api keys by wed": a thing sent by a day is sent to the user.
    r"|(?P<sending>(?:send|shar|forward)ing)(?=\s+(?:the|over)\b[^.!?]*\b(?:by|on|tmrw|tomorrow)\b)"
    # "hamid's sorting the venue": a shared thing taken on is an offer too.
    # "she's taking it to their credit cttee on thurs": our case carried on for us.
    r"|(?P<taking>(?:sort|handl|book|arrang|organi[sz]|draft|writ|prepar|fix|updat)ing"
    r"(?=\s+(?:the|our|my)\b)|taking(?=\s+it\s+to\b)))\s+"
    r"(?:(?:happily|gladly|definitely|certainly|kindly|also|still|probably)\s+)?"
    r"(?P<rest>.+)$",
    re.I,
)
_FIRM_OFFER = ("offered", "offers", "volunteered", "promised", "said", "owes")
_FOR_ME = re.compile(r"\b(?:me|my|us|our)\b", re.I)
# What people do for someone else: "Jonas will share the template" is an offer even
# without "me"; "Tom will move to Lisbon" is his plan.
_SERVICE = re.compile(
    r"^(?:send|share|forward|email|e-mail|mail|dm|text|ping|intro|introduce|connect|review|"
    r"look\s+(?:at|into|over)|check|get\s+back|follow\s+up|set\s+up|arrange|organi[sz]e|book|"
    r"invite|help|lend|give|pass|write|draft|put\s+together|prepare|make|fund|sponsor|cover|"
    r"recommend|refer|vouch|mentor|coach|host|be\s+(?:a|my|our)\s+(?:reference|mentor|referee|"
    r"sounding\s+board|guest|speaker)|talk\s+to|ask|find|dig\s+out|put\s+(?:me|us)\s+in\s+touch|"
    r"loop\s+(?:(?:me|us)\s+)?in|bring|drop\s+off|show|sort(?:\s+out)?|handle|"
    r"take\s+care\s+of|"
    # "oleg will fix the flaky build by mon": shared work taken on (not "finish his phd").
    r"(?:fix|debug|finish|update|chase|confirm|sign\s+off\s+on|approve|investigate)"
    r"(?=\s+(?:the|our|my|it|that|this|those|these)\b))\b",
    re.I,
)

_GRATITUDE_ACT = re.compile(
    r"^(?:(?:'s|has|had|just|also|kindly|generously|really|actually|even|totally|already)\s+)*"
    r"(?P<act>(?:introduced|intro'?d|connected|helped|referred|recommended|mentored|coached|"
    r"endorsed|sponsored|hired|showed|bought|lent)\s+(?:me|us)\b.*"
    r"|(?:made|gave\s+(?:me|us))\s+(?:an?\s+|the\s+|a\s+warm\s+)?intro(?:duction)?\b.*"
    r"|put\s+(?:me|us)\s+in\s+touch\b.*|vouched\s+for\s+(?:me|us)\b.*"
    r"|put\s+in\s+a\s+(?:good|kind)\s+word\b.*"
    r"|gave\s+(?:me|us)\s+(?!(?:his|her|their|a)\s+(?:business\s+)?(?:card|number|email)).*"
    r"|got\s+(?:me|us)\s+.*"
    r"|shared\s+.*\bwith\s+(?:me|us)\b.*|reviewed\s+(?:my|our)\b.*|covered\s+for\s+(?:me|us)\b.*"
    r"|hooked\s+(?:me|us)\s+up\b.*|took\s+the\s+time\b.*|walked\s+(?:me|us)\s+(?:through|thru)\b.*"
    r"|saved\s+(?:me|us|my|our)\b.*|passed\s+(?:my|our)\b.*|forwarded\s+(?:my|our)\b.*"
    r"|set\s+(?:me|us)\s+up\s+with\b.*|paid\s+for\b.*|picked\s+up\s+the\s+(?:bill|tab|check)\b.*"
    r"|pointed\s+(?:me|us)\s+to\b.*|answered\s+all\s+(?:my|our)\b.*"
    r"|put\s+(?:me|us)\s+forward\b.*|(?:nominated|suggested|backed|championed)\s+(?:me|us)\b.*"
    r"|spoke\s+up\s+for\s+(?:me|us)\b.*|stood\s+up\s+for\s+(?:me|us)\b.*"
    # "inês set it up 🙏": she arranged the meeting (a thanks only if the note says so, see
    # ARRANGED).
    r"|(?:(?:set|lined)\s+(?:it|this|that|the\s+whole\s+thing)\s+(?:all\s+)?up|arranged\s+(?:it|this))\b.*)$",
    re.I,
)
_THANKS_TO = re.compile(
    # "thx note to anne sophie for…", "ty ty ty to emeka for…": a thank-you sent to someone.
    # "merci to léa for ...", "danke to jan": thanks said in another language.
    r"\b(?i:(?:thx|thnx|thanks|thank[- ]?you|ty|merci|danke|gracias|grazie|obrigad[oa]|salamat|"
    r"tack|takk|dziękuję|dziekuje)(?:\s+(?:ty|thx|thanks))*"
    r"(?:\s+(?:note|card|msg|message|email|e-mail|text|dm))?\s+to|"
    r"grateful\s+to|thankful\s+to|kudos\s+to|"
    r"shout-?out\s+to|thank|thanked|thanking|thanks|thx'?d|thx|ty|appreciated|owe)\s+"
    # A name as typed ("thanked emma"): gratitude_from keeps it only if it is a person's.
    r"(?P<who>[^\W\d_][\w'\-]*(?:\s+(?!I\b)[A-Z][\w'\-]*)?)"
    # "owe her one for covering", "owe her big for getting legal to sign off".
    # "owe tina a bubble tea for this": the treat owed is the thanks.
    r"(?:(?i:\s+(?:one|big|a\s+lot|so\s+much|a\s+ton|hugely|(?P<treat>an?\s+[\w\-]+(?:\s+[\w\-]+)?)))?"
    r"\s+(?i:for|so\s+much\s+for)\s+(?P<what>.+)|[\s,]+(?P<then>.+))?"
)
# "thx for the book rec" said to someone: no "whom" after the word itself.
_SAID_THANKS_FOR = re.compile(
    r"\b(?:thanks|thx|thnx|ty|thank\s+you)\s+(?:so\s+much\s+|again\s+)?for\s+(?P<what>[^,.;!?]+)",
    re.I,
)
# "so grateful for his help with the visa", "really grateful she reviewed my slides".
_GRATEFUL = re.compile(
    r"\b(?:grateful|thankful|appreciative)\s+(?:for\s+(?P<whose>his|her|their)|"
    r"(?:that\s+)?(?P<who>she|he|they))\s+(?P<what>.+)",
    re.I,
)


def promise_from(clause: Clause, single: str) -> DatedItem | None:
    """A thing the user said they would do ("I'll send", "I owe", "promised to")."""
    if clause.subject is Subject.PERSON:
        return None
    match = _PROMISE.match(clause.body)
    if match is None and clause.subject is Subject.NONE:
        match = _IMPERATIVE.match(clause.body) or _DOING_NEXT.match(clause.body)
    if match is None:
        return None
    rest = match.group("rest")
    if match.re is _DOING_NEXT:
        from bot.domain.memory.morphology import plain  # lemminflect loads on first use

        rest = f"{plain(match.group('doing'))} {rest}"  # "sending her X mon": "send her X"
    if _NOT_A_PROMISE.match(rest) or _someone_offered(clause) or _SUGGESTION.match(clause.body):
        return None
    rest_start = clause.body_start + match.start("rest")
    person = _told(clause, match) or _recipient(clause, rest, rest_start, single)
    on, date_text = when(clause, after=clause.body_start + match.start())
    text = phrase(rest, clause, drop=_as_typed(clause, person, rest_start))
    if not text or text.casefold() in _ONLY_WHOM:
        return None  # "owe her": to whom, with nothing to do
    return DatedItem(text=text, person=person, on=on, date_text=date_text)


def _as_typed(clause: Clause, person: str, after: int) -> str:
    """The name as the clause typed it: "owe pj the model" drops "pj", who is Pieter-Jan."""
    for start, end, name in clause.names:
        if name == person and start >= after:
            typed = clause.span.text[start - clause.span.start : end - clause.span.start]
            return typed if typed.casefold() != name.split()[0].casefold() else name
    return person


_ONLY_WHOM = frozenset({"him", "her", "them", "you", "u", "me", "us", "it", "one", "big"})


def _told(clause: Clause, match: re.Match[str]) -> str:
    """ "promised Zoë I'd visit": the one promised to, named or "him"/"her"."""
    groups = match.groupdict()  # an imperative match has no such group
    key = "to" if groups.get("to") else "to2"
    to = groups.get(key)
    if to is None:
        return ""
    at = clause.body_start + match.start(key)
    named = next((name for start, _, name in clause.names if start == at), "")
    return named or clause.pronoun_person(to.lower())


def is_vague(promise: DatedItem) -> bool:
    """True for promises that only point back at an earlier one ("I'll do that by Friday")."""
    words = [w for w in re.findall(r"[\w']+", promise.text.lower()) if w not in _POINTING]
    return len(words) <= 2 and all(w in _DOING for w in words)


# A yes said in the same breath as the ask: "asked me to water his plants, of course".
ACCEPTED_TAIL = re.compile(
    r",\s*(?:i\s+)?(?:said\s+yes|of\s+course|sure|happy\s+to|will\s+do|obvs|absolutely|"
    r"no\s+problem|gladly)\W*$",
    re.I,
)


def request_from(clause: Clause) -> DatedItem | None:
    """Something someone asked of the user: "needs the q1 numbers by EOD monday"."""
    if clause.subject is not Subject.PERSON or clause.possessive:
        return None
    match = _REQUEST.match(clause.body)
    if match is None:
        return None
    asked = match.group("thing") or match.group("task") or match.group("could")
    asked = ACCEPTED_TAIL.sub("", asked)  # "water his plants, of course": the yes is no task
    on, date_text = when(clause, after=clause.body_start + match.start())
    if not _DEADLINE.match(date_text):
        on, date_text = None, ""  # "asked me to give a lecture next month": when, not a deadline
    text = phrase(asked, clause)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text) if text else None


# "msg from tincho: can i review his deck b4 thurs?": their question, in their words.
_CAN_I = re.compile(r"^(?:can|could|would)\s+(?:i|you|u)\s+(?:please\s+)?(?P<ask>.+)$", re.I)


def question_from(clause: Clause, text: str) -> DatedItem | None:
    """A favour asked as a question quoted from their message: "can i review his deck?"."""
    if clause.subject is not Subject.NONE or not clause.person:
        return None
    asked = _CAN_I.match(clause.body)
    if asked is None or not text[clause.span.end :].lstrip().startswith("?"):
        return None
    on, date_text = when(clause, after=clause.body_start + asked.start("ask"))
    if not _DEADLINE.match(date_text):
        on, date_text = None, ""
    words = phrase(asked.group("ask"), clause)
    return (
        DatedItem(text=words, person=clause.person, on=on, date_text=date_text) if words else None
    )


_RESCHEDULED = re.compile(
    r"^(?:re-?scheduled|moved|pushed|postponed)(?:\s+(?:it|that))?\s+(?:to|for|till|until)\b", re.I
)
# "our call", "the weekly sync": a meeting named, which a later "rescheduled for fri" moves.
A_MEETING = re.compile(
    r"\b(?:our|the|my|his|her|their)\s+(?:[\w\-]+\s+)?" + MEETING_NOUN + r"\b", re.I
)


def rescheduled(clause: Clause, before: Clause | None, single: str) -> DatedItem | None:
    """ "he cancelled our call, …, rescheduled for fri": the meeting named, on its new day."""
    if before is None or not _RESCHEDULED.match(clause.body):
        return None
    meeting = A_MEETING.search(before.body)
    on, date_text = when(clause)
    if meeting is None or on is None:
        return None
    person = single or before.person
    return DatedItem(text=meeting.group(), person=person, on=on, date_text=date_text)


def next_step_from(clause: Clause, single: str) -> DatedItem | None:
    """A next step agreed together: "we agreed to have a call next Tuesday"."""
    body = clause.body
    match = _NEXT_STEP.match(body)
    if match is None and clause.subject is Subject.NONE:
        # "slack from anastasia, moved our 1:1 to nxt wed": the step after the header.
        comma = next(
            (c for c in re.finditer(r",\s+", body) if _NEXT_STEP.match(body[c.end() :])), None
        )
        if comma is not None:
            body = body[comma.end() :]
            clause = replace(clause, body=body, body_start=clause.body_start + comma.end())
            match = _NEXT_STEP.match(body)
    proposal = None
    if match is None and clause.subject is Subject.PERSON and not clause.possessive:
        proposal = _PROPOSES.match(body)
    if match is None and proposal is None:
        return _next_meeting_after_comma(clause, single)
    if match is not None and clause.subject is Subject.PERSON:
        return None  # "Tom agreed to review it" is his offer
    if match is not None and match.group("outing") and not clause.dates:
        return None  # "we'll go from there": no day, no step
    found = match or proposal
    assert found is not None
    meal = proposal is not None and proposal.group("meal") is not None
    if meal and not clause.dates:
        return None  # "wants coffee" with no day is a wish, not a step
    rest = found.group("meal") if meal else found.group("rest")
    groups = ("booked", "named", "moved", "upcoming", "agreed", "verb", "outing")
    said = next((match.group(g) for g in groups if match and match.group(g)), None)
    if match is not None and said:
        if match.group("upcoming") and not clause.dates:
            return None  # "next call is the big one": no date, no step
        rest = f"{said} {rest}".strip()
    person = clause.person if clause.subject is Subject.PERSON else single or clause.person
    who = match.group("who") if match is not None else None
    if who:
        person = next(
            (
                name
                for _, _, name in clause.names
                if name.split()[0].casefold() == who.split()[0].casefold()
            ),
            person,
        )
    start = found.start("meal") if meal else found.start("rest")
    on, date_text = when(clause, after=clause.body_start + start)
    text = _at_its_time(phrase(rest, clause, drop=person))
    if not text:
        return None
    month = next((d.month for d in clause.dates if d.text == date_text and d.month), None)
    if on is None and month is not None:
        # "next call in jan": that month, flagged approximate, never a made-up day.
        return DatedItem(text, person, month, date_text, approximate=True)
    return DatedItem(text=text, person=person, on=on, date_text=date_text)


_CLOCK_TIME = re.compile(r"(?<!\bat\s)\b(\d{1,2}(?::\d\d)?\s*(?:am|pm)|[012]?\d:[0-5]\d)\b", re.I)
_REASON_TAIL = re.compile(r"[\s,]+(?:bc|b/c|bcs|cuz|coz|because)\s+.*$", re.I)
_MOVED_TO = re.compile(r"\s+(?:to|till|until)(?=\s+(?:at\s+)?\d|\s*$)", re.I)


def _at_its_time(text: str) -> str:
    """ "next call 3pm" reads "next call at 3pm", "our 1:1 to [tues] 10am" "our 1:1 at 10am"."""
    text = _REASON_TAIL.sub("", text)  # "moved our 1:1 to wed bc of her trip": why, not when
    text = _CLOCK_TIME.sub(r"at \1", _MOVED_TO.sub("", text)).strip()
    return re.sub(r"\s+every(?:\s+other)?$", "", text)  # "1:1s every other [fri]"


# "they'll send the sow by wed, next check-in dec 16": a dated next meeting tacked on.
_NEXT_MEETING_TAIL = re.compile(
    r",\s*(?P<upcoming>next\s+"
    + MEETING_NOUN
    + r"|"
    # "she's here from the 14th, dinner on the 15th": a meeting and its day end the clause.
    + MEETING_NOUN
    + r"(?=\s+on\s+[\w ]{1,20}\W*$))\s+(?:is\s+)?(?:on\s+|in\s+)?(?=\w)",
    re.I,
)


def before_next_meeting(clause: Clause) -> Clause | None:
    """ "she'll loop in angela, next call in 2 wks": the clause up to the tacked-on meeting."""
    tail = _NEXT_MEETING_TAIL.search(clause.body)
    if tail is None or not tail.start():
        return None
    cut = clause.body_start + tail.start()
    return replace(
        clause, body=clause.body[: tail.start()], dates=[d for d in clause.dates if d.start < cut]
    )


def _next_meeting_after_comma(clause: Clause, single: str) -> DatedItem | None:
    tail = _NEXT_MEETING_TAIL.search(clause.body)
    if tail is None:
        return None
    # From the end of "next call": "in 2 wks" is the date, "in" and all.
    on, date_text = when(clause, after=clause.body_start + tail.end("upcoming"))
    if not date_text:
        return None
    person = clause.person if clause.subject is Subject.PERSON else single or clause.person
    return DatedItem(text=tail.group("upcoming"), person=person, on=on, date_text=date_text)


def _someone_offered(clause: Clause) -> bool:
    """ "Offered to send me the doc" with no subject: the person just named offered."""
    return (
        clause.subject is Subject.NONE
        and bool(clause.person)
        and bool(
            re.match(
                # "promised to send her our deck": she is who it is for, so it was the user.
                r"(?:offered|volunteered|promised)\s+to\b(?:(?!\b(?:her|him|them)\b).)*"
                r"\b(?:me|my|us|our)\b"
                r"|said\s+(?:she|he|they)(?:'d|'ll|\s+would|\s+will)\b|owes\s+(?:me|us)\b"
                r"|said\s+(?:i|we)\s+(?:can|could)\s+" + _LEAVE_TO,
                clause.body,
                re.I,
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
    doing = match.group("doing") or match.group("taking") or match.group("sending")
    if match.group("lets"):
        rest = f"let {'us' if match.group('lets').lower() == 'we' else 'me'} {rest}"
    if doing:
        from bot.domain.memory.morphology import plain  # lemminflect loads on first use

        rest = f"{plain(doing)} {rest}"  # "sending me X" is "send me X"
    firm = match.group("cue").lower().startswith(_FIRM_OFFER) or bool(
        match.group("taking") or match.group("sending")
    )
    wish = match.group("cue").lower().startswith(("wants", "would love", "keen", "willing"))
    if not firm and not _FOR_ME.search(rest) and (wish or not _SERVICE.match(rest)):
        return None  # "Tom will move to Lisbon" is their plan; "wants to mentor" a goal
    if wish and _TAKING_IN.match(rest):
        return None  # "wants to see our deck" asks of the user; it offers nothing
    if re.match(r"^(?:not|never|no|nothing|anything)\b", rest, re.I):
        return None
    on, date_text = when(clause, after=clause.body_start + match.start("cue"))
    text = phrase(rest, clause)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text) if text else None


# What someone wants to receive, not give: "see our deck", "hear more", "try the beta".
_TAKING_IN = re.compile(
    r"^(?:see|hear|read|know|learn|look\s+at|check\s+out|try|get|have|use|borrow|join|visit|"
    # "wants to pilot our app on his ward": our product, taken up.
    r"pilot|test|trial|buy|license|licence|adopt|integrate|white-?label"
    # "wants us as the design partner": the user asked to be something, no favour.
    r"|(?:us|me)\s+as)\b",
    re.I,
)
_THANK_YOU_FOR = re.compile(
    r"\bthank[- ]?you\s+(?:(?:gift|note|card|email|e-mail|message|present|flowers|lunch|dinner|"
    r"drinks?|bottle|text)s?\s+)?for\s+(?P<what>.+)$",
    re.I,
)


# How a thank-you was said, not what it was for.
_MANNER = re.compile(
    r"(?:again|in\s+person|so\s+much|profusely|a\s+lot|(?:by|over|via)\s+(?:email|text|phone|"
    r"whatsapp|slack)|properly|already|today|tonight|yesterday)?",
    re.I,
)


def gratitude_from(clause: Clause) -> DatedItem | None:
    """Something someone did for the user that deserves thanks."""
    if clause.subject is Subject.PERSON and not clause.possessive:
        match = _GRATITUDE_ACT.match(clause.body)
        if match is not None:
            act = match.group("act")
            got = re.match(r"got\s+", act, re.I)  # "got me the contract": "got" is the deed here
            text = phrase(act[got.end() :], clause) if got else phrase(act, clause)
            return DatedItem(text=f"got {text}" if got else text, person=clause.person)
    token = _THANK_YOU_FOR.search(clause.body)
    # "Thank-you lunch for Tom": for whom, not for what.
    named_only = token is not None and fold(token.group("what").strip(" .!,")) in {
        form for _, _, name in clause.names for form in (fold(name), fold(name.split()[0]))
    }
    if token is not None and clause.subject is not Subject.PERSON and not named_only:
        # "get her a thank-you gift for the Siemens referral": thanks for the referral.
        pronoun = re.search(r"\b(her|him|them)\b", clause.body[: token.start()], re.I)
        who = clause.pronoun_person(pronoun.group(1)) if pronoun else ""
        named = next((name for start, _, name in clause.names), "")
        who = named or who or clause.person
        if who:
            return DatedItem(text=phrase(token.group("what"), clause), person=who)
    grateful = _GRATEFUL.search(clause.body)
    if grateful is not None:
        who = clause.pronoun_person(grateful.group("whose") or grateful.group("who"))
        if who:
            return DatedItem(text=phrase(grateful.group("what"), clause), person=who)
    said = _SAID_THANKS_FOR.search(clause.body)
    if said is not None and clause.subject is not Subject.PERSON:
        # "texted elif thx for the book rec": thanks said to the one just named.
        named = next((name for start, _, name in clause.names), "") or clause.person
        if named:
            return DatedItem(text=phrase(said.group("what"), clause), person=named)
    thanks = _THANKS_TO.search(clause.body)
    if thanks is None:
        return None
    if clause.subject is Subject.PERSON and not clause.possessive and thanks.start() == 0:
        return None  # "Diego thanked Raj for the intro": their thanks, not the user's
    if thanks.group(0).lower().startswith("owe") and not thanks.group("what"):
        return None  # "owe him a beer" is a promise; "owe her one for covering" is thanks
    who_start = clause.body_start + thanks.start("who")
    spans = [(end, name) for start, end, name in clause.names if start == who_start]
    who = spans[0][1] if spans else ""
    what_after = (
        _FOR_AFTER_NAME.match(clause.body, spans[0][0] - clause.body_start) if spans else None
    )
    if not who and thanks.group("who").lower() in ("her", "him", "them"):
        # "call w/ lukas, really appreciated him ...": he is the person just named.
        who = clause.pronoun_person(thanks.group("who")) or clause.person
    if not who:
        return None
    # The name as found, which may be longer than the regex took ("anne sophie for …").
    what = (
        (what_after and what_after.group("what"))
        or thanks.group("what")
        or thanks.group("then")
        or ""
    )
    if _MANNER.fullmatch(what.strip(" .!")):
        return None  # "thanked her in person" says how, not for what
    treat = thanks.group("treat")
    if treat and what.strip(" .!🙏").casefold() in ("this", "that", "it", "all this", "all that"):
        what = f"{treat} for {what}"  # "owe tina a bubble tea for this": what is owed says it
    return DatedItem(text=phrase(what, clause) or "thanks", person=who)


# Arranging the meeting deserves thanks only where the note is grateful for it: "inês set
# it up 🙏"; "ingrid set it up" only says how it came about.
ARRANGED = re.compile(r"^(?:(?:set|lined)\s+\w+(?:\s+\w+)?\s+up|arranged)\b", re.I)
THANKFUL_AFTER = re.compile(r"\s*(?:🙏|❤️|🙌|so\s+kind|bless\s+(?:her|him|them)|legend)", re.I)
_FOR_AFTER_NAME = re.compile(
    r"(?:'s)?(?:\s+(?:one|big|a\s+lot|so\s+much|a\s+ton|hugely))?\s+(?:so\s+much\s+)?for\s+(?P<what>.+)",
    re.I,
)
# "owe her one", "owe him a dinner": thanks owed for what the clause before said they did.
_OWE_FOR_THAT = re.compile(
    # "anand set it up, owe him 🙏": a bare "owe him" after a deed is thanks too.
    r"^(?:owe\s+(?P<who>her|him|them|u|you)(?:\s+(?:one|big(?:\s+time)?|a\s+lot|so\s+much|"
    r"a\s+(?:big\s+one|dinner|drink|beer|coffee|lunch|round)))?"
    # "left a cake on my doorstep, texted her a huge thank you", "thx'd him profusely".
    r"|(?:texted|sent|messaged|dm'?d|whatsapped)\s+(?P<to>her|him|them)\s+(?:a\s+)?"
    r"(?:huge\s+|big\s+|massive\s+)?(?:thank[- ]?you|thanks|thx|ty)"
    r"|(?:thx'?d|thanked)\s+(?P<thanked>her|him|them)(?:\s+(?:profusely|again|so\s+much|a\s+lot))?"
    r")\b[\s!.🙏]*(?:lol|haha)?[\s!.🙏]*$",
    re.I,
)
# A deed is done: "gosia set it all up", not "she's moving" or "he'll send it".
_NOT_A_DEED = re.compile(r"^(?:'s|is|are|was\s+going|will|'ll|wants|needs|might|may)\b", re.I)


# "owe tomas big": thanks owed, and what for is said next.
_OWE_BIG = re.compile(
    r"^owe\s+(?:[^\W\d_][\w\-']*\s+){1,3}?(?:big(?:\s+time)?|one|a\s+lot|hugely|so\s+much)\W*$",
    re.I,
)


def owed_for_theirs(clause: Clause, before: Clause | None) -> DatedItem | None:
    """ "owe tomas big, his intro to the zalando buyers turned into an order": thanks to
    Tomas for what of his the clause after names."""
    if before is None or not _OWE_BIG.match(before.body.strip()) or not clause.possessive:
        return None
    if clause.person != before.person or clause.sentence != before.sentence:
        return None
    text = phrase(clause.body, clause)
    return DatedItem(text=text, person=clause.person) if text else None


def owed_for_deed(clause: Clause, deed: Clause | None) -> DatedItem | None:
    """ "zeynep referred him, owe her one": thanks to Zeynep for the referral."""
    owed = _OWE_FOR_THAT.match(clause.body.strip())
    if owed is None or deed is None:
        return None
    # A thank-you sent may follow the deed's sentence ("left a cake 🍰 texted her a thank you").
    sentences = {clause.sentence} if owed.group("who") else {clause.sentence, clause.sentence - 1}
    if deed.sentence not in sentences:
        return None
    if deed.subject is not Subject.PERSON or deed.possessive or _NOT_A_DEED.match(deed.body):
        return None
    who = (owed.group("who") or owed.group("to") or owed.group("thanked")).lower()
    if who in ("her", "him", "them") and clause.pronoun_person(who) not in ("", deed.person):
        return None  # owed to someone else than the doer
    text = phrase(deed.body, clause)
    return DatedItem(text=text, person=deed.person) if text else None


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
