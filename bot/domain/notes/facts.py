"""Their upcoming events, and personal details worth remembering about them."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.memory.diet import DIET
from bot.domain.model import FactKind
from bot.domain.notes.affiliation import role_and_company
from bot.domain.notes.clauses import Clause, Subject
from bot.domain.notes.phrases import phrase, when
from bot.domain.notes.reading import DatedItem, Detail

# Without a date, only these clearly name an event ("she has an interview soon").
_EVENT = re.compile(
    r"\b(?:interview(?:s|ing)?|launch(?:es|ing)?|going\s+live|goes\s+live|present\w*|talk|"
    r"keynote|speaking|panel|demo\s+day|pitch(?:es|ing)?|race|racing|marathon|triathlon|"
    r"ironman|moving|relocat\w*|move\s+to|trip|flying|vacation|holiday|honeymoon|sabbatical|"
    r"parental\s+leave|maternity|paternity|wedding|getting\s+married|baby|due\s+date|"
    r"graduat\w*|first\s+day|opening|open(?:s)?|off\s+to|leaving|closes|comes\s+out|"
    r"start(?:s|ing)?\s+(?:a\s+|her\s+|his\s+|their\s+)?(?:new\s+)?"
    r"(?:job|role|position)|new\s+job|surgery|operation|birthday|exams?|thesis|defending|"
    r"conference|summit|fundrais\w*|hackathon|recital|ipo|retir\w*)\b",
    re.I,
)
# A dated clause with no subject is about the person discussed only when it
# names their kind of event: "New role starts Oct 1", "Flight to Boston on Aug 20".
_SUBJECTLESS_EVENT = re.compile(
    r"\b(?:new\s+(?:role|job|position)|starts|begins|first\s+day|flight|wedding|"
    r"interview|launch|talk|keynote|graduation|surgery|due\s+date|move|moves|moving|closes|"
    r"opens|comes\s+out|goes\s+live|kicks\s+off)\b",
    re.I,
)
# What just happened to them: a trip, a race, a talk given, retirement. Family and work
# news ("had twins", "got the job") are details, not events.
_PAST_EVENT = re.compile(
    r"\b(?:(?:just\s+)?(?:got|came|been|is|'s)?\s*back\s+from(?!\s+(?:\w+\s+)?leave\b)|"
    r"returned\s+from|home\s+from|"
    r"(?:just\s+)?(?:ran|finished|completed|raced|won|did)\s+(?:the\s+|his\s+|her\s+|their\s+|"
    r"a\s+|an\s+|my\s+)?(?:[\w'\-]+\s+){0,3}?(?:marathon|half|race|triathlon|ironman|ultra|10k|5k|"
    r"trek|climb|hike|relay)\b|retired\b|(?:gave|delivered)\s+(?:a|the|his|her|their)\s+"
    r"(?:talk|keynote|presentation|lecture)"
    # News just in: "she got the job!!!", "made it out to kraków", "passed the bar exam" (a
    # team's win stays work news, as the tuned corpus has it).
    r"|\bgot\s+(?:the|a|an|her|his|their)\s+(?:new\s+|dream\s+)?(?:job|role|offer|promotion|visa|"
    r"grant|funding|green\s+card|place|spot)\b(?!\s+interview)"
    # "got the consultant post", "made partner", "made forbes 30 under 30", "just raised 3m":
    # news of standing and money (a baby or a first day at school stay family news, as the
    # tuned corpus has them).
    r"|\bgot\s+(?:the|a|an|her|his|their)\s+(?:[\w\-]+\s+)?(?:post|position|chair|seat|"
    r"scholarship|fellowship)\b"
    r"|\bmade\s+(?:partner|forbes|the\s+(?:[\w\-]+\s+){0,2}?(?:list|shortlist|finals?|cut))\b"
    r"|\braised\s+[$€£]?\d+(?:\.\d+)?\s*(?:k|m|mn|million|bn)\b"
    # "she's been elected to the royal society", "just got diagnosed", "his work visa
    # finally came thru": news that just came (a promotion stays work news, as the tuned
    # corpus has it).
    r"|\b(?:got|been|just)\s+(?:elected|appointed)\b|\b(?:got|just)\s+diagnosed\b"
    r"|\b(?:permit|visa|green\s+card|citizenship|passport)\s+(?:finally\s+)?"
    r"(?:came\s+(?:thru|through)|arrived|got\s+approved|was\s+approved)\b"
    r"|\bmade\s+it\s+(?:out\s+)?to\b|\bpassed\s+(?:the|her|his|their)\s+[\w\-]+"
    # "just bought a flat in pankow", "had a fall", "got hit by a bike": news behind them
    # (a round closed or a place at oxford stays work or family news, as the tuned corpus has it).
    r"|\bbought\s+(?:a|an|their|his|her)\s+(?:new\s+|first\s+)?(?:flat|house|apartment|home)\b"
    r"|\bhad\s+a\s+(?:bad\s+)?(?:fall|stroke|accident|heart\s+attack|crash)\b|\bgot\s+hit\s+by\b"
    # A move or a degree told after it happened: "moved to amsterdam last month".
    r"|^(?:just\s+|recently\s+|finally\s+)?(?:moved\s+to|relocated\s+to|"
    r"finished\s+(?:his|her|their)\s+(?:mba|phd|degree|masters|studies)))",
    re.I,
)
# "'s opening a pottery studio", "'s off to Berlin": already arranged, so ahead.
_UNDER_WAY = re.compile(
    r"^(?:(?:is|'s|are|'re)\s+)?(?:now\s+|also\s+|finally\s+)?(?:opening|launching|"
    r"(?:moving|relocating)\s+(?:to|back|house|the)|starting|leaving|joining|getting\s+married|"
    r"expecting|flying|heading|off\s+to|"
    r"retiring|taking|going\s+(?:to|on)|having\s+(?:a|her|his|their)\s+baby"
    # "'s prepping their paris launch for march": a launch being readied is ahead.
    r"|(?:prepping|preparing)\s+(?:for\s+)?(?:the|their|her|his)\s+(?:[\w\-]+\s+)?"
    r"(?:launch|opening|move|wedding))\b",
    re.I,
)
# Being in training is an ongoing interest, not a dated event, unless a date is given.
_ONGOING = re.compile(r"\b(?:training|trains|learning|practicing|practising)\b", re.I)
_PAST_MARKERS = re.compile(
    r"\b(?:was|were|went|had|did|ran|got\s+back|came\s+back|just\s+(?:got|came|finished|"
    r"had|moved|launched|returned)|finished|completed|last\s+(?:week|month|year)|ago|"
    r"yesterday|returned|moved|launched|presented|gave\s+a\s+talk|gave\s+her\s+talk|"
    r"passed\s+away|died|lost|turned|got\s+(?:the|a|an|her|his|their)\b)\b",
    re.I,
)
# A body that opens with a past-tense verb tells what already happened: "retired in March".
_STARTS_PAST = re.compile(r"^(?:just\s+)?[a-z]+ed\b", re.I)
_FUTURE_MARKERS = re.compile(
    r"\b(?:soon|upcoming|coming\s+up|will|'ll|going\s+to|about\s+to|next|shortly|"
    r"later\s+this|is\s+due|due\s+to|scheduled|planned|in\s+the\s+works)\b",
    re.I,
)
_FAMILY = re.compile(
    r"\b(?:daughters?|sons?|kids?|children|child|wife|husband|(?<=\s)(?<!business\s)partner(?!\s+at)|"
    r"spouse|baby|babies|twins|mom|mum|mam|mammy|mother|father|dad|parents|sister|brother|siblings?|"
    r"grandkids?|granddaughter|grandson|grandma|grandpa|grandmother|grandfather|fianc[ée]e?|"
    r"(?<!with\s)(?<!with\s(?:his|her)\s)family|newborn|toddler|\d+\s*(?:yo|y/o|year-old|"
    r"month-old)|teenagers?|stepson|stepdaughter|in-laws|mother-in-law|father-in-law|niece|"
    r"nephew|pregnant|expecting|married|wedding|dog|cat|puppy|engaged|engagement|paternity|"
    r"maternity|parental\s+leave|gf|bf)\b",
    re.I,
)
# A clause with no subject that opens with family: "wife + two kids", "baby due any day".
_FAMILY_FIRST = re.compile(
    r"^(?:a\s+|two\s+|three\s+|\d+\s+)?(?:daughters?|sons?|kids?|children|wife|husband|partner|"
    r"baby|twins|family|mum|mom|dad)\b",
    re.I,
)
_FAMILY_STATE = re.compile(
    r"paternity|maternity|parental\s+leave|married|engaged|engagement|wedding|expecting|pregnant",
    re.I,
)
_CHALLENGE = re.compile(
    r"\b(?:struggl\w+|worried|worries|worry|stress\w*|burn(?:ed|t)[\s-]out|burnout|"
    r"hard\s+time|tough\s+(?:time|year|quarter|month)|rough\s+(?:time|patch|year)|"
    r"laid\s+off|lost\s+(?:her|his|their)\s+job|dealing\s+with|sick|ill\b|injur\w+|"
    r"frustrat\w+|overwhelm\w*|challeng\w+|difficult|can't\s+find|cannot\s+find|"
    r"short[\s-]staffed|understaffed|churn|pressure|grieving|passed\s+away|hard\s+to\s+"
    r"hire|hiring\s+is\s+(?:hard|tough|slow)|behind\s+schedule|visa\s+issues?|"
    r"problem|problems|issue|issues|blocked|stuck|anxious|nervous|exhausted|not\s+sleeping|"
    r"knackered|shattered|wiped\s+out|run\s+down|dragging\s+on|(?:got|was|been)\s+halved|"
    r"cuts|cutting|layoffs|downsiz\w+|funding\s+is\s+tight|runway|recover\w*|hospital|"
    r"at\s+risk|paperwork|restructuring|cut|finding\s+[\w\s]{0,30}?(?:hard|tough|difficult)|"
    r"(?:is|'s|are)\s+(?:hard|tough)\s+(?:on|for)|divorce|separat(?:ed|ion)|break-?up|"
    r"dementia|cancer|illness|grief|bereave\w*|redundan\w*|let\s+go|(?:role|job|position)\s+"
    r"(?:goes\s+away|is\s+going|is\s+being\s+cut|might\s+go)|losing\s+(?:her|his|their)\s+job|"
    r"caring\s+for|chaos|closing|migraines?)\b",
    re.I,
)
_GOAL = re.compile(
    # "wants to see our deck" asks the user for something; it is no goal of theirs.
    # Nor does "wants to try our card readers": what they would do with ours is no goal.
    r"\b(?:wants?\s+to\s+(?!chat|talk|meet|catch|grab|have|get\s+coffee|see|hear|read|look\s+at|check\s+out"
    r"|[\w\-]+\s+our\b)"
    r"|would\s+(?:like|love)"
    r"\s+to|hop(?:es|ing)\s+(?:to|for)|goal|plans?\s+to|planning\s+to|dreams?\s+of|aim(?:s|ing)\s+to|"
    r"interested\s+in\s+(?:moving|joining|switching|starting|getting|becoming)|"
    r"saving\s+(?:up\s+)?for|aspir\w+|ambition|"
    # "thinking abt quitting to do a phd": a plan being weighed is a goal too.
    r"thinking\s+(?:abt|about|of)\s+(?:quitting|leaving|moving|starting|switching|doing|"
    r"applying|becoming|taking|going\s+back)"
    # "'s doing a part-time phd on wknds": a degree under way is what they work towards.
    r"|(?:doing|studying\s+for|working\s+towards?)\s+(?:an?\s+|her\s+|his\s+|their\s+)?"
    r"(?:[\w\-]+\s+)?(?:mba|phd|masters|master's|degree|diploma|doctorate))\b",
    re.I,
)
_PLAN = re.compile(r"\b(?:thinking\s+(?:of|about)|considering|exploring)\b", re.I)
_WEAK_GOAL = re.compile(
    r"\b(?:looking\s+to|looking\s+for|trying\s+to|thinking\s+(?:of|about)|considering|"
    r"keen\s+to|eager\s+to|open\s+to\s+(?:new|a)|exploring)\b",
    re.I,
)
_INTEREST = re.compile(
    r"\b(?:training\s+for|trains\s+for|loves?|(?<!got\s)(?<!gets\s)into\s+(?!the\s+office)|big\s+fan|"
    r"fan\s+of|"
    r"plays|playing|hobby|passionate|obsessed|enjoys?|collects|learning|climb\w*|"
    r"cycl\w+|surf\w*|hik\w+|cook\w*|bak(?:es|ing)|photograph\w*|chess|guitar|piano|"
    r"podcast|yoga|sail\w*|ski(?:s|ing)?|golf|tennis|football|soccer|running|runs\s+"
    r"(?:marathons|ultras|every)|marathon|triathlon|garden\w*|paint\w*|volunteer\w*|"
    r"knit\w*|birdwatch\w*|reads|reading|books?|jazz|music|sings|choir|brew\w*|wine|"
    r"board\s+games|video\s+games|gaming|crossfit|bouldering|swim\w*|diving|padel|"
    r"woodwork\w*|pottery|fishing|cricket|rugby|basketball|baseball|hockey|anime|"
    r"travels\s+a\s+lot|big\s+on|sourdough|tomatoes|plants|fan"
    # "a keen waka ama paddler", "an avid birder": someone who does it for love.
    r"|(?:keen|avid)\s+(?:[\w\-]+\s+){0,3}?[\w\-]+(?:er|ist)s?)\b",
    re.I,
)
_WORK = re.compile(
    r"\b(?:works?\s+(?:at|for|on|in)|working\s+(?:at|for|on)|joined|just\s+joined|"
    r"is\s+joining|new\s+(?:job|role|position)|promoted|promotion|leads|heads|manages|"
    r"runs\s+(?:the|a|their|her|his)\b|runs\s+\w+(?:\s+\w+)?\s+(?:at|for)\b|in\s+charge\s+of|"
    r"(?:is|'s)\s+(?:now\s+)?(?:a|an|the)\s+\w+|ceo|cto|cfo|coo|vp|founder|co-?founder|"
    r"engineer|designer|product\s+manager|recruiter|hiring|their\s+team|team\s+is|"
    r"switched\s+to|started\s+at|startup|consultant|freelanc\w*|contract|reports\s+to|"
    r"moved\s+(?:into|to)\s+(?:the\s+)?\w+\s+team|building|built|company|clients?|"
    r"customers?|quarter|revenue|headcount|reorg|role|team|offer|acquired|maintains|raising|"
    r"ran|led|headed|managed|worked\s+(?:at|for)|consults|freelances|"
    r"seed|series\s+[a-d]|fundrais\w*)\b",
    re.I,
)
_HAS_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|'s|'re|'ll|can|could|just|got|made|start|starts|"
    r"love|loves|play|plays|run|runs|live|lives|work|works|go|goes|\w+ed|\w+ing|\w+es)\b",
    re.I,
)
_SMALL_TALK = re.compile(
    r"^(?:wants?|would\s+like)\s+to\s+(?:chat|talk|meet|catch\s+up|grab|get\s+coffee|say)\b",
    re.I,
)
_UNEASY_ABOUT = re.compile(
    r"^(?:'s\s+|is\s+)?(?:really\s+|super\s+|kinda\s+|a\s+bit\s+|so\s+|quite\s+)?"
    r"(?:nervous|anxious|stressed|worried|scared|terrified|dreading)\s+(?:abt|about|for|of)\b",
    re.I,
)
# "huge ajax fan", "big arsenal fan": a fan of something, said with no subject.
_FAN = re.compile(
    r"^(?:a\s+)?(?:huge|big|massive|die-?hard|lifelong)?\s*[\w\-]+(?:\s+[\w\-]+)?\s+fan\b", re.I
)
# Checked in this order: the most specific kind of detail wins.
_DETAIL_RULES: list[tuple[FactKind, re.Pattern[str]]] = [
    (FactKind.CHALLENGE, _CHALLENGE),
    (FactKind.GOAL, _GOAL),
    (FactKind.OTHER, DIET),
    (FactKind.INTEREST, _INTEREST),
    (FactKind.GOAL, _WEAK_GOAL),
    (FactKind.WORK, _WORK),
]


# "texted seo-yeon happy 29th 🎉": an age wished happy is a birthday (an anniversary is not).
# "her 40th", "happy 29th": years said as an ordinal, not of a work anniversary or a year.
_AN_AGE = r"[1-9]\d(?:st|nd|rd|th)\b(?!\s+(?:work\s+)?(?:anniversary|year|wedding))"
_HAPPY_AGE = r"happy\s+" + _AN_AGE
# "abt her 40th on the 28th": a round of years said of someone is their birthday.
_THEIR_AGE = r"(?:her|his|their)\s+" + _AN_AGE
_AGE_OWNED = re.compile(_AN_AGE, re.I)
_BIRTHDAY = re.compile(r"\b(?:birthday|b-?day|hbd)\b|\b" + _HAPPY_AGE + r"|\b" + _THEIR_AGE, re.I)
# Whose birthday: "her birthday", "Grace's birthday", "happy birthday" said to them.
_OWN_BIRTHDAY = re.compile(r"(?:^|\b(?:her|his|their)\s+)(?:birthday|b-?day)\b", re.I)
# "belated hbd to june", "sent her a bday video msg": a wish however it went.
_WISH = re.compile(
    r"\b(?:happy|early|belated)\s+(?:birthday|b-?day)\b|\bhbd\b"
    r"|\b(?:birthday|b-?day)\s+(?:voice\s+|video\s+)?(?:wishes|msg|message|text|note|call)\b"
    r"|\b" + _HAPPY_AGE,
    re.I,
)
# "texted ricardo early bday wishes, it's tmrw": the day is said in the next clause.
_EARLY_WISH = re.compile(r"\bearly\s+(?:birthday|b-?day)\b", re.I)
IT_IS = re.compile(r"^(?:it'?s|it\s+is|it\s+was|which\s+is|that'?s)\b", re.I)


# "she turns 35 tmrw", "he's 40 today", "turning 30 on the 19th": an age said with a day.
_AGE = re.compile(
    r"^(?:'s\s+|is\s+|will\s+be\s+|'ll\s+be\s+)?(?:turns\s+|turning\s+)?(?P<age>\d{1,3})"
    r"(?:\s*(?:years?\s+old|yo))?(?=\s|$|[!.,])(?!\s*(?:%|k\b|mins?|hours?|people|kids|days|"
    r"weeks|months|years?\s+(?:in|at|of|ago)))",
    re.I,
)


# "finn mentioned at standup he turns 30 next wed": an age told in reported speech.
_REPORTED_AGE = re.compile(
    r"^(?:mentioned|said|told\s+(?:me|us)|says)\b[^.!?]{0,30}?\b(?:that\s+)?(?:she|he|they)"
    r"(?:\s+|'s\s+|\s+is\s+)(?:turns|turning|will\s+be|'ll\s+be)\s+\d{1,3}\b",
    re.I,
)


def said_age(clause: Clause) -> bool:
    """True for a clause that gives someone's age ("she turns 35 tmrw"): never an event."""
    return (
        clause.subject is Subject.PERSON and not clause.possessive and bool(_AGE.match(clause.body))
    )


def birthday_from(clause: Clause, met_on: date) -> DatedItem | None:
    """Someone's birthday: "Her birthday is December 3", "texted Priya happy birthday".

    A wish without a date says the birthday is the day of the interaction.
    A relative's birthday ("her son's birthday") is not the person's.
    """
    found = _BIRTHDAY.search(clause.body) or (
        _AGE_OWNED.match(clause.body) if clause.possessive else None  # "her [40th] is on…"
    )
    reported = clause.subject is Subject.PERSON and _REPORTED_AGE.search(clause.body)
    if found is None and (
        reported or (said_age(clause) and re.search(r"\b(?:turn|be\b|'ll)", clause.body))
    ):
        # "she turns 35 tmrw": that day is her birthday ("he's 40" alone says no day).
        on = next((d.on for d in clause.dates if d.on is not None and not d.past), None)
        return DatedItem(text="birthday", person=clause.person, on=on) if on else None
    wish = _WISH.search(clause.body) if found is not None else None
    person = clause.person
    if not person and wish is not None and len({n for _, _, n in clause.names}) == 1:
        person = clause.names[0][2]  # "hbd call to khoa": the one the wish went to
    if found is None or not person:
        return None
    owner = clause.possessive and found.start() < 3
    own = _OWN_BIRTHDAY.search(clause.body[: found.end()]) or re.match(_THEIR_AGE, found.group())
    if not (owner or wish or own):
        return None
    on = next((d.on for d in clause.dates if d.on is not None), None)
    if on is None and wish is not None:
        if _EARLY_WISH.search(clause.body):
            return DatedItem(text="birthday", person=person, on=None)  # day said next
        on = met_on
    if on is None:
        return None
    if met_on < on < met_on + timedelta(days=7) and _WAS.search(clause.body):
        on -= timedelta(days=7)  # "his bday was on sunday": the Sunday just gone
    return DatedItem(text="birthday", person=person, on=on)


# Said of a birthday gone by: "his bday was on sunday", "sorry for missing her bday on sun".
_HAS_GOT = re.compile(r"(?:'s|\bhas|\bhave|'ve)\s+got\b", re.I)
_WAS = re.compile(r"\b(?:was|were|missed|missing|forgot|forgetting|belated)\b", re.I)


_JUST_JOINED = re.compile(r"^(?:just|recently)\s+joined\s+(?:us|our\s+team)\s+as\b", re.I)


def affiliation_from(
    clause: Clause, companies: frozenset[str] = frozenset()
) -> tuple[str, str, str] | None:
    """A clause that says someone's role or company: "He's CFO at Flutterwave now".

    Returns (role, company, the rest of the clause); `companies` are the contacts' own,
    casefolded, so a lowercase one of several words is known where it ends.
    """
    if clause.subject is Subject.NONE and clause.person and _JUST_JOINED.match(clause.body):
        # "ines berg (ib), just joined us as a data analyst": the one just named joined.
        return role_and_company(clause.body, companies)
    if clause.subject is not Subject.PERSON or clause.possessive:
        return None
    # An apposition is a copula unsaid: "kevin, cindy's brother, pm at shopify".
    return role_and_company(f"is {clause.body}" if clause.apposed else clause.body, companies)


# Being in town or off sick until a day is where they are, not an event to ask about (being
# away or on leave until a day still is one: the older corpora ask how it went).
_AWAY_UNTIL = re.compile(
    r"^(?:'s|is|are|'re|'ll\s+be|will\s+be)?\s*(?:in\s+town|around|here|out\s+(?:w/?|with)\s+\w+|"
    r"off\s+sick|sick|ill)\b[^.;!?]*\b(?:till|until|til|through|thru)\b"
    # "he's in lisbon for the wknd": a short visit is where they are too.
    r"|^(?:'s|is|are|'re)\s+in\s+[\w\-]+\s+for\s+(?:the\s+|a\s+)?(?:wknd|weekend|week|day|night)\b",
    re.I,
)
_NOT_DONE = re.compile(
    r"^(?:(?:really|just|also|even|still|definitely)\s+)*(?:didn'?t|did\s+not|doesn'?t|does\s+not|"
    r"don'?t|never|won'?t|wasn'?t|isn'?t|hasn'?t|haven'?t|can'?t|couldn'?t|shouldn'?t|wouldn'?t)\b",
    re.I,
)
_HEARSAY = re.compile(
    r"^(?:says|said|thinks|reckons|heard|mentioned)\s+(?:that\s+)?"
    r"(?!(?:she|he|they|she's|he's|they're|her|his|their|i|we|it)\b)\w",
    re.I,
)
_LUCK_FOR = re.compile(
    r"\b(?:good\s+luck|best\s+of\s+luck|luck)\s+(?:for|with|on|at)\s+(?:his|her|their)?\s*"
    r"(?P<what>(?<=his\s|her\s)\S.+|(?<=their\s)\S.+|the\s+.+)$",
    re.I,
)


def event_from(clause: Clause, today: date) -> DatedItem | None:
    """An event of theirs: ahead (an interview, a launch, a move) or just behind (a trip, a race).

    An event behind the note is marked `past`: "just got back from a month in
    Peru", "ran the Amsterdam marathon", "retired in the summer".
    """
    if not clause.person:
        return None
    luck = _LUCK_FOR.search(clause.body)
    if luck is not None and clause.subject is not Subject.PERSON:
        # "texted marek good luck for his demo day tmrw": the day is theirs.
        on, date_text = when(clause, after=clause.body_start + luck.start("what"))
        text = phrase(luck.group("what"), clause)
        return DatedItem(text, clause.person, on, date_text) if text and on else None
    if clause.subject is Subject.USER:
        return None
    body = clause.body
    if _HEARSAY.match(body):
        return None  # "carmen says BBVA is freezing hiring till Q2": news of others, not hers
    if _NOT_DONE.match(body):
        return None  # "he didnt have to do that on a sunday": what did not happen is no event
    if _AWAY_UNTIL.match(body):
        return None  # "he's out w the flu till mon", "in town till sat": where they are, no event
    if clause.subject is Subject.NONE and not _SUBJECTLESS_EVENT.search(body):
        return None
    if _GOAL.search(body) or _PLAN.search(body):
        return None  # "wants to start a consultancy next year" is a goal
    if DIET.search(body):
        return None  # "he's lactose intolerant, remember for the dinner in jan": how he eats
    behind = _PAST_EVENT.search(body)
    if behind is not None and clause.subject is not Subject.NONE:
        return _past_event(clause, today)
    future = [d for d in clause.dates if not d.past and (d.on is None or d.on >= today)]
    pinned = any(d.on is not None for d in future)
    past = _PAST_MARKERS.search(body) or _STARTS_PAST.match(body)
    # "for the Tokyo marathon in March", "for ironman hamburg in june": a race named or
    # given a month is an event; "training for a race next summer" is not.
    named = bool(re.search(r"\b(?-i:[A-Z])\w+", body)) or any(
        d.on is not None or d.month is not None for d in future
    )
    told_past = past and _PAST_MARKERS.search(_HAS_GOT.sub(" ", body))  # "'s got" is present
    if told_past and future and all(d.before is not None for d in future):
        # "her dad passed away on monday": told in the past, a bare weekday is the last one.
        text = phrase(body, clause)
        said = future[0]
        return DatedItem(text, clause.person, said.before, said.text, past=True) if text else None
    if not pinned and past:
        return None  # "her mum passed away in December"
    if not pinned and _ONGOING.search(body) and not (future and named and _EVENT.search(body)):
        return None  # "training for a race next summer"; but "for the Tokyo marathon in March"
    if not future or (clause.subject is Subject.NONE and not pinned):
        if clause.dates or clause.subject is Subject.NONE:
            return None
        ahead = _FUTURE_MARKERS.search(body) or _UNDER_WAY.match(body)
        if not (_EVENT.search(body) and ahead):
            return None  # without a date, only clearly upcoming events count
    on, date_text = when(clause)
    text = phrase(body, clause)
    if not text:
        return None
    month = next((d.month for d in clause.dates if d.text == date_text and d.month), None)
    if on is None and month is not None:
        # "starts at google in jan": that month, flagged approximate, not a made-up day.
        return DatedItem(text, clause.person, month, date_text, approximate=True)
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text)


def _past_event(clause: Clause, today: date) -> DatedItem | None:
    behind = [d for d in clause.dates if d.past or (d.on is not None and d.on < today)]
    vague = [d for d in clause.dates if d.on is None]
    mention = next(iter(behind or vague), None)
    on = mention.on if mention is not None and mention.on and mention.on <= today else None
    date_text = mention.text if mention is not None else ""
    if re.search(r"\b(?:month|year)\b", date_text, re.I):
        on = None  # "last month" names no day
    text = phrase(clause.body, clause)
    if not text:
        return None
    return DatedItem(text=text, person=clause.person, on=on, date_text=date_text, past=True)


def details_from(clause: Clause, *, is_event: bool) -> list[Detail]:
    """The details a clause gives, a list of interests split: "into trail running and BBQ"."""
    detail = detail_from(clause, is_event=is_event)
    if detail is None:
        return []
    if detail.kind is not FactKind.INTEREST:
        return [detail]
    parts = _interest_list(detail.text)
    return [Detail(kind=detail.kind, text=part, person=detail.person) for part in parts]


_LIKES = re.compile(
    r"^(?P<verb>(?:(?:is|'s|been|has\s+been)\s+)?(?:(?:getting|got)\s+)?(?:into|loves?|likes?|"
    r"enjoys?|a\s+big\s+fan\s+of|big\s+on|fan\s+of|obsessed\s+with|passionate\s+about)\s+)"
    r"(?P<things>.+)$",
    re.I,
)


def _interest_list(text: str) -> list[str]:
    """ "into vinyl and jazz" gives "into vinyl" and "into jazz"; a longer phrase stays whole."""
    match = _LIKES.match(text)
    if match is None:
        return [text]
    things = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", match.group("things"))
    if len(things) < 2 or any(len(t.split()) > 3 or not t for t in things):
        return [text]
    verb = match.group("verb")
    return [f"{verb}{thing}".strip() for thing in things]


# A clause that tells the meeting itself ("dinner at trish's w…", "coffee w gosia…").
_THE_MEETING = re.compile(
    r"^(?:(?:long|quick|late|early|big|lovely|great|nice)\s+)?(?:dinner|lunch|breakfast|brunch|"
    r"coffee|drinks|beers|call|video\s+call|zoom|walk|fika|1:1|sync|meeting|mtg)\s+"
    r"(?:at|w/?|with|in|on|near)\b",
    re.I,
)


def detail_from(clause: Clause, *, is_event: bool) -> Detail | None:
    """A personal detail about someone: family, interests, goals, challenges, work.

    A clause that already gave an event only adds a family detail (a family
    milestone is worth remembering beyond its date).
    """
    if clause.subject is Subject.USER or not clause.person:
        return None
    body = clause.body
    text = phrase(body, clause, keep_dates=True)
    if not text:
        return None
    if clause.possessive and not _HAS_VERB.search(body):
        return None  # "his kids", "her husband Mark": a mention, not a detail
    family = _FAMILY.search(body)
    if clause.subject is Subject.NONE and family is not None and not _FAMILY_FIRST.match(body):
        family = None  # "the partner program"; but "wife + two kids" is theirs
    near = family is not None and (clause.possessive or family.start() < (12 if is_event else 25))
    if family is not None and near:
        # "worried about her mum's health" is family; "back from parental leave and a bit
        # overwhelmed" is a challenge: a family state gives way to a hardship.
        state = _FAMILY_STATE.fullmatch(family.group())
        if not (state and _CHALLENGE.search(body)):
            return Detail(kind=FactKind.FAMILY, text=text, person=clause.person)
    if _SMALL_TALK.match(body):
        return None
    if is_event and _UNEASY_ABOUT.match(body):
        # "hes nervous abt his first conference talk": the talk is an event, the nerves a
        # challenge worth remembering too.
        return Detail(kind=FactKind.CHALLENGE, text=text, person=clause.person)
    if is_event:
        # "Training for the Paris marathon in April" is an interest besides its date.
        ongoing = _ONGOING.search(body) and _INTEREST.search(body)
        return Detail(kind=FactKind.INTEREST, text=text, person=clause.person) if ongoing else None
    if clause.subject is Subject.NONE:
        if _THE_MEETING.match(body):
            return None  # "dinner at trish's w her husband jun…, total chaos": the evening
        # Without a subject only clear words count: "Recovery is slow", "huge ajax fan".
        if _CHALLENGE.search(body):
            return Detail(kind=FactKind.CHALLENGE, text=text, person=clause.person)
        if _FAN.match(body):
            return Detail(kind=FactKind.INTEREST, text=text, person=clause.person)
        if DIET.match(body):
            return Detail(kind=FactKind.OTHER, text=text, person=clause.person)
        return None
    for kind, pattern in _DETAIL_RULES:
        if pattern.search(body):
            if kind is not FactKind.CHALLENGE and _ABOUT_THE_USER.search(_REPORTED.sub("", body)):
                return None  # "thinks i should take the offer", "loves my idea": about me
            return Detail(kind=kind, text=text, person=clause.person)
    return None


_ABOUT_THE_USER = re.compile(r"\b(?:i|i'm|i'd|i've|i'll|me|my|mine|myself)\b", re.I)
# "told me he's going through…": how it was said, not what it is about.
_REPORTED = re.compile(
    r"^(?:told|tells|texted|emailed|messaged|wrote)\s+(?:me|us)\s+(?:that\s+)?", re.I
)


def detail_kind(text: str, default: FactKind) -> FactKind:
    """What kind of detail a typed text is ("has two kids" is family); `default` if unclear."""
    if _FAMILY.search(text):
        return FactKind.FAMILY
    for kind, pattern in _DETAIL_RULES:
        if pattern.search(text):
            return kind
    return default
