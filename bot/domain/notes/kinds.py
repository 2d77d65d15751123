"""What kind of interaction a note describes, what occasion it was at, and when it happened."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.model import InteractionKind as K
from bot.domain.notes.dates import DateMention, find_dates
from bot.domain.notes.text import EMOJI, MEETING_NOUN, ends_with_abbreviation, word_set


def _words(*alternatives: str, emoji: str = "") -> re.Pattern[str]:
    body = r"\b(?:" + "|".join(alternatives) + r")\b"
    return re.compile(body + (f"|[{emoji}]" if emoji else ""), re.I)


# The vocabulary people use for each kind, typos and apps included. Ordered by
# strength: a "zoom call" is a video call, not a call; a "breakfast mtg" is a
# breakfast. The earliest cue in the note wins among the strong ones, because
# notes open with what happened and go on to other plans later.
_VOCABULARY: list[tuple[K, re.Pattern[str]]] = [
    (
        K.VIDEO_CALL,
        _words(
            r"video[\s-]*(?:call|chat|meeting)s?",
            r"videocall",
            r"zoom(?:ed)?",
            r"google\s+meet",
            r"g?meet\.google",
            r"gmeet",
            r"teams\s+(?:call|meeting|chat)",
            r"ms\s+teams",
            r"on\s+teams",
            r"face\s*time(?:d)?",
            r"skyped?",
            r"webex",
            r"hangouts?",
            r"whereby",
            r"on\s+camera",
            emoji="🎥📹",
        ),
    ),
    (K.ONE_ON_ONE, re.compile(r"(?<![\w:])(?:1:1|1-1|1on1|1-on-1|one[\s-]on[\s-]one)s?\b", re.I)),
    (
        K.BREAKFAST,
        _words(r"breakfast", r"breakfst", r"brekkie", r"brekky", r"b'?fast", emoji="🥞🥐🍳"),
    ),
    (
        K.COFFEE,
        _words(
            r"coffees?",
            r"cofee",
            r"coffe",
            r"cofffee",
            r"kaffee",
            r"espresso",
            r"latte",
            r"cappuccino",
            r"flat\s+white",
            r"fika",  # the Swedish coffee break
            r"tea\s+(?:with|w/)",
            r"caf[eé]",
            emoji="☕",
        ),
    ),
    # The word for the meal in the language around it: "comida w ale", "mittagessen mit".
    (
        K.LUNCH,
        _words(
            r"lunch(?:ed|time)?",
            r"lnch",
            r"luch",
            r"brunch",
            r"comida",
            r"almuerzo",
            r"mittagessen",
            r"d[ée]jeuner",
            r"almo[cç]o",
            emoji="🥗🥪🍱🌮🍔",
        ),
    ),
    (
        K.DINNER,
        _words(
            r"dinner", r"dinnner", r"dinenr", r"supper", r"abendessen", r"asado", emoji="🍽🍝🍕🍣🥘"
        ),
    ),
    (
        K.DRINKS,
        _words(
            r"drinks",
            r"(?:a|one|few|couple\s+of)\s+drinks?",
            r"aperitivo",
            r"ca[ñn]as",  # Spanish small beers
            r"ap[eé]ro",
            r"pub",
            r"beers?",
            r"pints?",
            r"cocktails?",
            r"gl[üu]e?hwein",
            r"happy\s+hour",
            r"wine\s+(?:with|w/)",
            emoji="🍻🍺🍷🍸🥂",
        ),
    ),
    (
        K.CONFERENCE,
        re.compile(
            r"\b(?i:conference|conf|summit|expo|congress|convention|trade\s+show|booth)\b"
            # "KubeCon", "DevOpsDays Amsterdam": a gathering's name says what it is.
            r"|\b[A-Z][a-zA-Z]*(?:Con|Conf)\b|\b[A-Z][a-zA-Z]+Days\b",
        ),
    ),
    (
        K.EVENT,
        _words(
            r"meet-?ups?",
            r"part(?:y|ies)",
            r"after-?party",
            r"fair",
            r"gala",
            r"mixer",
            r"reception",
            r"networking\s+(?:event|night|evening)",
            r"workshop",
            r"webinar",
            r"hackathon",
            r"demo\s+day",
            r"festival",
            r"bbq",
            r"barbecue",
            r"wedding",
            r"launch\s+event",
            # The office Christmas party, as said where it is held.
            r"julebord",
            r"julbord",
            r"weihnachtsfeier",
            r"borrel",
        ),
    ),
    (
        K.CALL,
        _words(
            r"calls?",
            r"called",
            r"calling",
            r"phone(?:d)?",
            r"rang",
            r"ring",
            r"dial(?:l)?ed",
            emoji="📞☎",
        ),
    ),
    (
        K.MESSAGE,
        _words(
            r"text(?:ed)?",
            r"messaged?",
            r"msg",
            r"dm'?d?",
            r"dmed",
            r"e-?mail(?:ed)?",
            r"whats-?app(?:ed)?",
            r"wa",
            r"slack(?:ed)?",
            r"signal",
            r"telegram",
            r"sms",
            r"imessage",
            r"wrote\s+(?:to|me)",
            r"replied",
            r"voice\s+note",
            r"sent\s+(?:me|us)\s+(?:a|an)\s+(?:[\w\-]+\s+){0,3}?(?:video|voice\s+note|card|note|msg|message|email|text)",
            r"(?:thx|thanks|thank[- ]you|ty)\s+(?:note|card|msg|message|email)",
            r"linkedin\s+(?:chat|message|dm|msg|note)",
            # Chat apps of East Asia: "hbd to june on line", "on kakao", "wechat'd him".
            r"on\s+(?:line|kakao(?:talk)?|wechat|viber|zalo)",
            r"kakao(?:talk)?",
            r"wechat",
        ),
    ),
]
# Weak cues lose to any strong cue anywhere in the note.
_WEAK_CUES: list[tuple[K, re.Pattern[str]]] = [
    (
        K.MEETING,
        _words(
            r"meeting",
            r"mtg",
            r"met",
            r"meet",
            r"sync",
            r"stand-?ups?",
            r"retro",
            r"all-?hands",
            r"catch[- ]?up",
            r"caught\s+up",
            r"office",
            r"visited",
            r"chat(?:ted)?",
            r"spoke",
            r"interview(?:ed|ing)?",
        ),
    ),
]
# A walk or a hike together is time spent, no meeting: "walk in the tiergarten w rohan" is
# filed as "other" by every fresh batch's annotator (it beats a later "lunch").
_ACTIVITY = _words(r"walk(?:ed|ing)?", r"hike[ds]?", r"hiking")

# A cue after these words is a future plan or someone else's doing, not this
# interaction ("she's presenting at a conference", "we'll grab lunch", "his
# leaving drinks").
_NOT_THIS_INTERACTION = re.compile(
    # ("we'd", but not "thx'd him on slack": thanks said, on slack.)
    r"(?:\b(?:next|will|'ll|(?:i|we|you|she|he|they)'d|would|going\s+to|gonna|plan(?:ning)?\s+to|should|to\s+grab|another|"
    r"presenting\s+at|speaking\s+at|talk\s+at|at\s+her|at\s+his|their|schedule|set\s+up|book|"
    r"before|after|until|till|hosting|host|his|her|invited\s+(?:me|us)\s+to|"
    r"the\s+day\s+before)\s+(?:[\w'-]+\s+){0,2})$",
    re.I,
)
_NAMED = re.compile(r"\b(?:a|an|the|some)\s+[\w\-]+\s+$", re.I)
_VIDEO_BEFORE_CALL = re.compile(r"\b(?:video|zoom|teams|meet|whatsapp|facetime)\s*$", re.I)


def detect_kind(text: str, *, with_someone: bool = True) -> K:
    """Return the interaction kind named earliest in the note (OTHER if none).

    `with_someone` says the note names someone met; without it a walk or a
    hike is not a meeting.
    """
    best: tuple[int, int, K] | None = None
    strong = [*_VOCABULARY, *([(K.OTHER, _ACTIVITY)] if with_someone else [])]
    cues = [*strong, *_WEAK_CUES]
    opening = first_sentence_end(text)
    for rank, (kind, pattern) in enumerate(cues):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if _NOT_THIS_INTERACTION.search(before):
                continue
            if kind is K.CALL and (
                _VIDEO_BEFORE_CALL.search(before[-12:]) or _NAMED.search(before[-25:])
            ):
                continue  # "a zoom call" is a video call; "a guy called Viktor" no call at all
            weak = rank >= len(strong)
            # Notes open with what happened: a cue in the first sentence, even a weak one
            # ("Catch up w/ Maria"), beats a strong one later ("Wedding is in Lisbon").
            later = match.start() >= opening
            candidate = (match.start() + 10_000 * (2 * later + weak), rank, kind)
            if best is None or candidate < best:
                best = candidate
            break
    return best[2] if best else K.OTHER


@dataclass(frozen=True)
class Occasion:
    """A named gathering the meeting happened at ("ProductCon London")."""

    name: str
    kind: K
    start: int
    end: int


# Words that make a name a gathering, and which kind of gathering.
_CONFERENCE_WORDS = re.compile(
    r"^(?:conference|conf|summit|expo|congress|convention|forum|fest|festival|week|days?|camp|"
    r"world|live|connect|[A-Z]\w*(?:Con|Conf|Days))$",
)
_EVENT_WORDS = re.compile(
    r"^(?:meet-?ups?|party|parties|afterparty|after-party|fair|gala|mixer|reception|"
    r"hackathon|drinks|breakfast|dinner|brunch|bbq|workshop|webinar|demo\s+day|roundtable|"
    r"round-table|panel|salon|showcase)$",
    re.I,
)
_AT = re.compile(r"(?:^|\b)(?:at|@)\s+(?P<the>the\s+)?", re.I)
_AFTER_THE = re.compile(r"\bafter\s+the\s+", re.I)
# "Met Ana and Ben at X": nothing but names between the verb and "at".
_MET_BEFORE = re.compile(r"(?:^\W*|\b(?:met|meeting|spoke|chatted|talked)\b[^(),;:]*)$", re.I)
_GATHERING_BEFORE = re.compile(
    r"^[^,;:()]*\b(?i:conference|conf|summit|expo|booth|congress|convention|meetup|festival)\b"
    # "Second day at Slush", "day 2 at Web Summit": a day of a gathering.
    # ("first day at X" and "last day at X" are as often a job's.)
    r"|^\s*(?i:(?:second|third|fourth)\s+day|day\s+(?:\d+|two|three|four))\s*$",
)
_NAME_WORD = re.compile(r"[A-Z][\w'&.\-]*|&|of|the|and|de|du")
_TAIL_WORD = re.compile(r"[a-z][\w\-]*")


def find_occasion(text: str, *, end: int, companies: frozenset[str]) -> Occasion | None:
    """The named gathering the opening of the note says it was at, if any.

    "At ProductCon London today", "met Ana at the Berlin Product Meetup",
    "after the Data Council meetup": a capitalised name ending in a word for
    a gathering. Right after "met ... at" (or "At" opening the note) a
    capitalised name without "the" that is no known company counts too
    ("Met Dr. Shah at HLTH Europe"); "at the Tate" is a place.
    """
    heading = _heading_gathering(text) or _opening_at(text)
    if heading is not None:
        return heading
    for match in _AT.finditer(text, 0, end):
        before = text[max(0, match.start() - 40) : match.start()]
        if _NOT_THIS_INTERACTION.search(before) or _works_there(before):
            continue
        opening = text[: match.start()]
        # "Met Ana at X", "At X today", "Conference day 2 at X", "Booth chat at X".
        loose = not match.group("the") and bool(
            _MET_BEFORE.search(opening) or _GATHERING_BEFORE.search(opening)
        )
        occasion = _named_gathering(text, match.end(), end, companies, loose=loose)
        if occasion is None and (_MET_BEFORE.search(opening) or _GATHERING_BEFORE.search(opening)):
            # "met ana at the berlin product meetup", "day 2 at the ai engineer summit".
            occasion = _lowercase_gathering(text, match.end(), end)
        if occasion is not None:
            return occasion
    for match in _AFTER_THE.finditer(text, 0, end):
        occasion = _named_gathering(text, match.end(), end, companies, loose=False)
        if occasion is not None:
            return occasion
    return _the_lowercase_gathering(text, end)


# "the fintech xmas mixer last night", "day 1 of the lisbon fintech summit", "antler demo day
# 🚀": a lowercase name ending in a word for a gathering, after "the" or opening the note.
_THE_GATHERING = re.compile(
    # ("nyc: fintech devs meetup at the stripe office": after a heading's colon too.)
    r"(?:^\W*|^[^\W\d_][\w ]{0,20}:\s+|\bthe\s+)(?P<name>(?:[a-z][\w&'\-]*\s+){1,4}?"
    r"(?:meetups?|mixer|party|summit|conference|conf|festival|fest|hackathon|expo|forum|camp|"
    r"retreat|demo\s+day))\b"
)


# Gatherings that a note opening with two words names ("growth meetup", not "summer camp").
_OPENING_KIND = re.compile(r"meetups?|summit|conference|conf|hackathon|expo|forum")


def _the_lowercase_gathering(text: str, end: int) -> Occasion | None:
    for match in _THE_GATHERING.finditer(text, 0, end):
        words = match.group("name").split()
        if words[0] in _NOT_IN_GATHERING_NAMES or any(
            w in _NOT_IN_GATHERING_NAMES - {"in", "of", "and"} for w in words
        ):
            continue  # "the my team party": an ordinary phrase; "women in fintech" is a name
        # "the fintech mixer", "a bbq party" are a kind of gathering, not one's name; a note
        # opening with "growth meetup last night" names it.
        opens = match.start("name") == match.start() and _OPENING_KIND.fullmatch(words[-1])
        if len(words) < (2 if opens else 3):
            continue
        kind = K.EVENT if _EVENT_WORDS.match(words[-1]) or words[-1] == "day" else None
        name = match.group("name")
        return Occasion(name, kind or K.CONFERENCE, match.start("name"), match.end("name"))
    return None


# "at data council berlin all day 🎤", "at pydata berlin this afternoon": the note opens
# where the user spent the day, named without "the".
_OPENING_AT = re.compile(
    r"^\W*at\s+(?P<name>[a-z][\w&'\-]*(?:\s+[a-z][\w&'\-]*){1,3}?)\s+"
    r"(?:all\s+day|today|this\s+(?:morning|afternoon|evening))\b"
)
# Where a day is spent that is no gathering: "at berlin airport all day".
_VENUES = word_set(
    "airport station office home work gym hospital hotel cafe café bar pub restaurant house "
    "park library school uni campus hq studio clinic"
)


def _opening_at(text: str) -> Occasion | None:
    match = _OPENING_AT.match(text)
    if match is None:
        return None
    words = match.group("name").split()
    if any(w in _NOT_IN_GATHERING_NAMES or w in _VENUES for w in words):
        return None
    return Occasion(match.group("name"), K.CONFERENCE, match.start("name"), match.end("name"))


def _works_there(before: str) -> bool:
    """ "who's CFO at Flutterwave", "works at Miro": where someone works, not where we met."""
    from bot.domain.notes.affiliation import is_role  # affiliation reads kinds' words

    if re.search(r"\b(?:works?|working|worked)\s*$", before, re.I):
        return True
    # A job said of someone ("is", "'s"); "met the CTO at ProductCon" is where we met.
    said = re.search(r"(?:\bis|'s|\bwas)\s+(?:(?:an?|the|now)\s+)*(?P<role>[^,.;]+?)\s*$", before)
    return said is not None and is_role(said.group("role"))


# A note headed by the gathering, as typed on the day: "web summit lisbon:", "at kubecon:",
# "ProductCon day 1:".
_HEADING = re.compile(
    r"^\W*(?:at\s+(?:the\s+)?)?(?P<name>[^\W\d_][\w'&\-]*(?:\s+[^\W\d_][\w'&\-]*){0,3}?)"
    # "fintech summit day 2 📈 met ...": a day of a gathering heads the note without a colon.
    r"(?:,?\s+day\s+\d+)?\s*(?::|(?<=\d)(?=\s*(?:[^\w\s]|-|–)))"
)
_CON = re.compile(r"^[^\W\d_]{2,}(?:con|conf)$", re.I)
_DAY_N = re.compile(r"\sday\s+\d+\s*:?$", re.I)


def _heading_gathering(text: str) -> Occasion | None:
    match = _HEADING.match(text)
    if match is None:
        return None
    words = match.group("name").split()
    kinds = [_gathering_kind(w) or _gathering_kind(w.title()) for w in words]
    if (len(words) == 1 and _CON.match(words[0])) or _DAY_N.search(match.group()):
        kinds = [K.CONFERENCE]  # "kubecon", "ProductCon"; "DLD day 1:" is a day of one
    kind = next((k for k in kinds if k is not None), None)
    if kind is None or _a_trip(words):
        return None  # "tokyo day 3", "warsaw trip day 2": a day of a trip, no gathering
    name = match.group("name")
    if name.islower():
        name = " ".join(w[:1].upper() + w[1:] for w in words)
    return Occasion(name, kind, match.start("name"), match.end("name"))


def _a_trip(words: list[str]) -> bool:
    """ "nairobi", "warsaw trip": a place (or a trip to it), not a gathering's name."""
    from bot.domain.notes.places import proper_place  # its lists load on first use

    places = [w for w in words if w.casefold() not in _TRIP_WORDS]
    return bool(places) and all(proper_place(w) for w in places)


# "first day in amsterdam:", "warsaw trip day 2": words of a trip around its place.
_TRIP_WORDS = word_set("trip day first second third last in back to")


def _named_gathering(
    text: str, start: int, limit: int, companies: frozenset[str], *, loose: bool
) -> Occasion | None:
    words: list[re.Match[str]] = []
    tail = False  # lowercase words after the name: "Data Council meetup"
    for word in re.finditer(r"\S+", text[start:limit]):
        token = word.group().rstrip(".,;:!?)")
        named = _NAME_WORD.fullmatch(token) and not (tail and token[:1].isupper())
        tail = tail or not named
        fits = named or (words and _TAIL_WORD.fullmatch(token))
        if not fits or (not words and not token[:1].isupper()):
            break
        words.append(word)
        if token != word.group() or (not token[:1].isupper() and _gathering_kind(token)):
            break  # punctuation, or a lowercase "meetup" after the name, ends it
    while words and not words[-1].group()[:1].isupper() and not _gathering_word(words[-1]):
        words.pop()  # trailing "of", "the" or lowercase words belong to the sentence
    if not words:
        return None
    name = text[start + words[0].start() : start + words[-1].end()].rstrip(".,;:!?)")
    kind = next((k for k in map(_gathering_kind, reversed(name.split())) if k), None)
    if kind is None:
        if not loose or name.casefold() in companies or "'s" in name:
            return None
        kind = K.CONFERENCE
    return Occasion(name, kind, start, start + len(name))


# "at the berlin product meetup", "at the react conf": a name typed in lowercase, then
# the word for the gathering, within four words.
_LOWERCASE_GATHERING = re.compile(r"(?P<name>(?:[a-z][\w&'\-]*\s+){1,3}(?P<kind>[a-z][\w\-]*))\b")


def _lowercase_gathering(text: str, start: int, limit: int) -> Occasion | None:
    match = _LOWERCASE_GATHERING.match(text, start, limit)
    if match is None:
        return None
    words = match.group("name").split()
    for count in range(2, len(words) + 1):
        kind = _gathering_kind(words[count - 1])
        if kind is not None and _NAMED_KIND.fullmatch(words[count - 1]):
            if any(w in _NOT_IN_GATHERING_NAMES for w in words[:count]):
                return None
            name = " ".join(words[:count])
            return Occasion(name, kind, start, start + len(name))
    return None


# A lowercase "investor dinner" or "school fair" is a kind of gathering; a "meetup",
# "conf" or "partner day" typed after words is one gathering's name.
_NAMED_KIND = re.compile(
    r"(?:meetups?|conf|conference|summit|forum|day|expo|hackathon|fest|camp|roundtable|mixer)"
)
# Words that make a phrase an ordinary one, not a gathering's name ("my team's party").
_NOT_IN_GATHERING_NAMES = word_set(
    "a an the my our his her their your its this that and or of for with at in on to all"
)


def _gathering_word(word: re.Match[str]) -> bool:
    return _gathering_kind(word.group().rstrip(".,;:!?)")) is not None


def _gathering_kind(token: str) -> K | None:
    if _EVENT_WORDS.match(token):
        return K.EVENT
    if _CONFERENCE_WORDS.match(token) or _CONFERENCE_WORDS.match(token.lower()):
        return K.CONFERENCE
    return None


_OTHER_SUBJECT = re.compile(r"\b(?:she|he|they)(?:'s|'d)?\b", re.I)


def occurred_at(
    text: str, dates: list[DateMention], *, opening: int, now: datetime, zone: ZoneInfo
) -> tuple[datetime, DateMention | None, bool]:
    """Return when the interaction happened (UTC), the phrase that said so, and whether a
    time of day was said with it ("yesterday at 3pm"; "last night" gives 20:00 unsaid).

    Only the note's first sentence counts: a clearly past phrase there
    ("yesterday", "last night", "this morning"), or a bare weekday in its
    opening clause ("met Ana on Monday"), so that "she starts on Monday" later
    on is not read as the meeting's day.
    """
    local_now = now.astimezone(zone)
    first_end = first_sentence_end(text)
    for mention in dates:
        if mention.end > first_end:
            break
        if mention.start > opening and _OTHER_SUBJECT.search(text, opening, mention.start):
            continue  # "drinks w/ Mia, she moved to amsterdam last month": her move's date
        if _someone_elses_day(text, mention):
            continue  # "hamid's bday was sun", "thx for covering the booth yesterday"
        day: date | None = None
        if mention.past and mention.on is not None:
            day = mention.on
        elif mention.on == local_now.date() and _TODAY.search(mention.text):
            day = mention.on  # "today": only a time said with it moves it from now
        elif mention.before is not None and mention.end <= opening and _sounds_past(text, opening):
            day = mention.before
        if day is None or day > local_now.date():
            continue
        said = clock_near(text, mention.start, mention.end)
        if said is not None:
            moment = datetime.combine(day, said, tzinfo=zone)
        elif mention.hour is not None:
            moment = datetime.combine(day, time(mention.hour), tzinfo=zone)
        elif day == local_now.date():
            moment = local_now
        else:
            moment = datetime.combine(day, time(12), tzinfo=zone)
        if moment > local_now:
            # A time still ahead today is no meeting time (a zone not set yet, say): now,
            # shown as the day only, not as a time the user never said.
            return now.astimezone(UTC), mention, False
        return moment.astimezone(UTC), mention, said is not None
    # No day: a time of day in the opening clause is today's ("coffee with Ben at 10:30").
    # A time said with another day is that day's ("moved our 1:1 to nxt wed 10am").
    other_days = [d for d in dates if d.on != local_now.date()]
    said = next(
        (
            _clock_of(m)
            for m in _CLOCK.finditer(text, 0, opening)
            if _is_clock(m) and not any(_beside(m, d) for d in other_days)
        ),
        None,
    )
    if said is not None:
        moment = datetime.combine(local_now.date(), said, tzinfo=zone)
        if moment <= local_now:
            return moment.astimezone(UTC), None, True
    return now.astimezone(UTC), None, False


def _beside(clock: re.Match[str], mention: DateMention) -> bool:
    """A time of day said right after or before a date ("wed 10am", "10am wed")."""
    return (
        mention.end <= clock.start() <= mention.end + 4
        or clock.end() <= mention.start <= clock.end() + 4
    )


# "thx for covering the booth yesterday", "good luck for his demo day tmrw": the day of
# what they are thanked or wished luck for.
_THANKED_FOR = re.compile(
    r"\b(?:(?:thanks?|thx|ty|thank\s+(?:you|u))\s+(?:(?:so\s+much|a\s+lot|again)\s+)?for|"
    r"good\s+luck\s+(?:for|with|on|at)|congrats\s+(?:on|for)|congratulations\s+(?:on|for))\b[^.!?;:]*$",
    re.I,
)
_BIRTHDAY_NEAR = re.compile(
    r"\b(?:birthday|b-?day|hbd)\b[^.!?;:]{0,25}\b(?:it'?s|is|was)\s+$", re.I
)
_TODAY = re.compile(r"\b(?:today|tonight|tdy)\b", re.I)


def _someone_elses_day(text: str, mention: DateMention) -> bool:
    """A date that is a birthday's ("bday was sun", "early bday wishes, it's tmrw") or the
    day of what someone is thanked or wished luck for: not the meeting's, whether past or
    ahead."""
    start = mention.start
    return bool(
        _BIRTHDAY_BEFORE.search(text, max(0, start - 25), start)
        or _BIRTHDAY_NEAR.search(text, max(0, start - 30), start)
        or _THANKED_FOR.search(text, max(0, start - 60), start)
    )


_BIRTHDAY_BEFORE = re.compile(
    r"\b(?:birthday|b-?day)\s+(?:(?:is|was|'s)\s+)?(?:on\s+|last\s+|this\s+|next\s+)?$", re.I
)
# How far from a day a time of day may be and still be that day's: "yesterday at 3pm",
# "at 2pm today"; a time further on is something else's ("she starts at 9am").
_NEAR = 10


def clock_near(text: str, start: int, end: int) -> time | None:
    """A time of day said right before or after text[start:end], if any."""
    left = max(0, start - _NEAR)
    while left > 0 and not text[left - 1].isspace():
        left -= 1  # never from the middle of a number: "10:30 a.m." is not "0:30 a.m."
    for window in (text[end : end + _NEAR], text[left:start]):
        for match in _CLOCK.finditer(window):
            if _is_clock(match):
                return _clock_of(match)
    return None


def _is_clock(match: re.Match[str]) -> bool:
    """ "3pm" or "18:30" is a time of day; a bare "3" may be anything."""
    return bool(match.group("m") or match.group("ampm"))


def _clock_of(match: re.Match[str]) -> time:
    """The time a _CLOCK match says: "3pm" is 15:00, "12am" midnight."""
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    return time(hour, minute)


# Possessive: a long run of emoji must not make the search backtrack.
_SENTENCE_END = re.compile(r"[.!?\n]|\s[—–-]\s|(?<!" + EMOJI + ")" + EMOJI + r"++\s+(?=[A-Z])")


_CLOCK = re.compile(
    r"\b(?:at\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.h](?P<m>[0-5]\d))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?(?!\d)",
    re.I,
)


def meeting_time(text: str, *, now: datetime, zone: ZoneInfo) -> tuple[datetime, bool] | None:
    """When a meeting the user names happened (aware UTC), and whether a time of day was
    said; None if unreadable or ahead.

    "yesterday", "Tuesday 3pm", "last Friday at 18:30", "2026-11-20", "this
    morning": a bare weekday is the last one (or today), a time of day on its
    own is today's.
    """
    local_now = now.astimezone(zone)
    today = local_now.date()
    dates = find_dates(text, today)
    day: date | None = None
    hour: int | None = None
    minute = 0
    for mention in dates:
        if mention.past and mention.on is not None:
            day = mention.on
        elif mention.before is not None:
            day = mention.before
        elif mention.on is not None and mention.on <= today:
            day = mention.on
        if day is not None:
            hour = mention.hour
            rest = text[: mention.start] + " " + text[mention.end :]
            break
    else:
        rest = text
    clock = next((m for m in _CLOCK.finditer(rest) if m.group("m") or m.group("ampm")), None)
    if clock is not None:
        said = _clock_of(clock)
        hour, minute = said.hour, said.minute
        day = day or today
    if day is None:
        return None
    moment = datetime.combine(day, time(hour if hour is not None else 12, minute), tzinfo=zone)
    if day == today and hour is None:
        moment = local_now
    if moment > local_now:
        return None  # a meeting that has not happened yet cannot be logged
    return moment.astimezone(UTC), hour is not None


# "ok long one.", "brain dump:": a note's first words that only say a long note follows.
_PREAMBLE = re.compile(
    r"\W*(?:ok(?:ay)?\s+|so\s+)?(?:(?:a\s+)?long\s+one|brain\s*dump|quick\s+notes?|notes)\W*",
    re.I,
)


def opening_end(text: str) -> int:
    """Where the sentence that opens the note proper ends: after a preamble, the next one."""
    end = first_sentence_end(text)
    if not _PREAMBLE.fullmatch(text[:end]) or end >= len(text):
        return end
    return end + 1 + first_sentence_end(text[end + 1 :])


def first_sentence_end(text: str) -> int:
    """Where the note's first sentence ends (abbreviations such as "Mr." do not end it)."""
    for match in _SENTENCE_END.finditer(text):
        if not (match.group() == "." and ends_with_abbreviation(text, match.start())):
            return match.start()
    return len(text)


# Said of something that already happened: a past tense anywhere in the note.
_PAST_VERB = re.compile(
    r"\b(?:met|had|was|were|called|talked|spoke|chatted|caught|grabbed|did|went|got|ran|said|"
    r"told|saw|came|gave|sent|took|made|bumped|ate|forgot|thought|heard|brought|bought|left|"
    r"felt|kept|lost|paid|meant|wrote|spent|sat|won|began|drank|flew|knew|found|ago|yesterday|"
    r"didn'?t|didn’t|wasn'?t|weren'?t|"
    # As phones type them: "dm'd haruka abt her 40th on the 28th" was sent, not planned.
    r"dm'?d|msg'?d|txt'?d|thx'?d|whatsapp'?d|fb'?d)(?!\w)",
    re.I,
)
_ED_WORD = re.compile(r"\b[^\W\d_]{2,}ed\b", re.I)


def _says_past(text: str) -> bool:
    """True when `text` tells something that already happened: "met", "we talked".

    A word ending in -ed is past only as a verb form ("talked"), not "need" or "pre-seed";
    lemminflect's tables say which, and load only for a note that gets this far.
    """
    if _PAST_VERB.search(text):
        return True
    candidates = _ED_WORD.findall(text)
    if not candidates:
        return False
    from bot.domain.memory.morphology import verb_tags

    return any(verb_tags(word) & {"VBD", "VBN"} for word in candidates)


# A meeting still to come: what it is for, or what will happen there.
_AHEAD_CUE = re.compile(
    r"\b(?:to\s+(?!me\b|you\b|them\b|him\b|her\b)[a-z]+|will|going\s+to|want\s+to|"
    r"plan(?:ning)?\s+to|gonna)\b|'ll\b"
    # "dinner at ours sat, i'm cooking, pray for me": the host getting ready for it.
    r"|\bi'?m\s+(?:cooking|hosting|baking|bringing)\b|\b(?:pray\s+for|wish)\s+me\s+luck\b"
    r"|\bpray\s+for\s+me\b",
    re.I,
)


def planned_for(
    text: str,
    dates: list[DateMention],
    *,
    opening: int,
    today: date,
    kind: K,
    now: time | None = None,
) -> DateMention | None:
    """The date of a meeting still ahead ("lunch with Omar next week"), or None.

    A kind of meeting and a day after today in the opening clause, and no past
    tense anywhere: nothing has happened yet. A bare weekday ("meeting lea
    thurs") is the last one unless the note also says what it is for ("to talk
    funding"), since "lunch on Tuesday" in a log is usually last Tuesday.
    """
    if kind is K.OTHER:
        return None
    # "dinner sat 7pm": the dates' own words ("sat") are no past verbs; "she just moved to
    # berlin" is their news, not a meeting that happened.
    undated = _THEIR_NEWS.sub(" ", _dates_blanked(text, dates))
    for mention in dates:
        if mention.end > opening:
            break
        if mention.on == today and now is not None and _later_tonight(text, mention, now):
            return None if _says_past(undated) else mention
        if mention.past or mention.on is None or mention.on <= today:
            continue
        if _someone_elses_day(text, mention):
            continue  # "early bday wishes, it's tmrw", "good luck for his demo day tmrw"
        if _NEXT_ONE_BEFORE.search(text, max(0, mention.start - 30), mention.start):
            continue  # "call w tom 9am, next sync fri 3pm": the next meeting's day, not this one's
        # A bare weekday is the last one, unless the note says what it is for or the time
        # it will be at ("coffee w finn mon 8:30"): a time is planned, seldom logged.
        ahead = (
            _AHEAD_CUE.search(text)
            or clock_near(text, mention.start, mention.end)
            or _AT_AN_HOUR.match(text, mention.end)  # "on mon at 9"
        )
        if mention.before is not None and not ahead:
            continue
        return None if _says_past(undated) else mention
    return None


_THEIR_NEWS = re.compile(r"\b(?:she|he|they)(?:'s|\s+has|\s+have|'ve)?\s+just\s+[^.,;!?]*", re.I)


_NEXT_ONE_BEFORE = re.compile(r"\bnext\s+" + MEETING_NOUN + r"\s+(?:is\s+)?(?:on\s+)?$", re.I)


def _dates_blanked(text: str, dates: list[DateMention]) -> str:
    for mention in reversed(dates):
        text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


_AT_AN_HOUR = re.compile(r"\s+at\s+(?:[1-9]|1[0-2])\b(?![:.]?\d|\s*%)")
_TONIGHT = re.compile(r"^(?:tonight|this\s+evening|later\s+today|later)$", re.I)
_BARE_HOUR = re.compile(r"\bat\s+(?P<h>[1-9]|1[01])(?![\d:.]|\s*(?:am|pm|a\.m|p\.m))", re.I)


def _later_tonight(text: str, mention: DateMention, now: time) -> bool:
    """ "dinner tonight w fatou at 8", written at six: still ahead. Without a time,
    "tonight" is ahead until late afternoon; a bare "at 8" tonight is 20:00."""
    if not _TONIGHT.match(mention.text):
        return False
    said = clock_near(text, mention.start, mention.end)
    if said is None:
        bare = _BARE_HOUR.search(text)
        said = time(int(bare.group("h")) + 12) if bare is not None else None
    return said > now if said is not None else now < time(17)


def _sounds_past(text: str, end: int) -> bool:
    return bool(
        re.search(
            r"\b(?:met|had|was|were|called|talked|spoke|chatted|caught|grabbed|did|went|got|ran)\b"
            r"|\b\w+ed\b",
            text[:end],
            re.I,
        )
    ) or not re.search(r"\b(?:will|'ll|going\s+to|next|meeting\s+on)\b", text[:end], re.I)
