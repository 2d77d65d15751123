"""What kind of interaction a note describes, and when it happened."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.model import InteractionKind
from bot.domain.notes.dates import DateMention

# Ordered by strength: a "zoom call" is a video call, not a call, and
# "met at KubeCon" is an event. The earliest strong cue in the note wins,
# because notes open with what happened and go on to other plans later.
_STRONG_CUES: list[tuple[InteractionKind, re.Pattern[str]]] = [
    (
        InteractionKind.VIDEO_CALL,
        re.compile(
            r"\b(?:video\s*(?:call|chat)|zoom|google\s+meet|gmeet|meet\.google|teams\s+call|ms\s+teams"
            r"|facetime|skype|webex|hangout|video\s+meeting|on\s+camera|videocall)\b|(?-i:[🎥📹])",
            re.I,
        ),
    ),
    (
        InteractionKind.COFFEE,
        re.compile(
            r"\b(?:coffee|coffees|cofee|coffe|espresso|latte|cappuccino|tea\s+with|caf[eé]|kaffee)\b"
            r"|(?-i:☕)",
            re.I,
        ),
    ),
    (
        InteractionKind.LUNCH,
        re.compile(
            r"\b(?:lunch|lunched|brunch|breakfast|dinner|supper|lunchtime|lnch)\b"
            r"|(?-i:[🍜🍽🥗🍕🍣🍝🥪🌮🍔🥘🍱🥞])",
            re.I,
        ),
    ),
    (
        InteractionKind.EVENT,
        re.compile(
            r"\b(?:conference|conf|summit|meetup|meet-up|expo|trade\s+show|booth|hackathon|"
            r"networking\s+(?:event|night|drinks)|at\s+the\s+(?:event|gala|launch\s+party)|"
            r"webinar|panel|workshop|festival|mixer|after-?party|gala|fair|demo\s+day|"
            r"(?:startup|tech|design|fashion)\s+week|[A-Z][a-z]+Con\b|[A-Z][a-zA-Z]*Conf\b|Web\s+Summit)",
            re.I,
        ),
    ),
    (
        InteractionKind.CALL,
        re.compile(
            r"\b(?:call|calls|called|calling|phone|phoned|rang|ring|on\s+the\s+phone|dialed|"
            r"dialled)\b|(?-i:[📞☎])",
            re.I,
        ),
    ),
    (
        InteractionKind.MESSAGE,
        re.compile(
            r"\b(?:texted|messaged|message|dm|dm'd|dmed|emailed|email|e-mail|whatsapp|whatsapped|"
            r"slacked|slack|linkedin\s+(?:message|chat|dm)|wrote\s+to|wrote\s+me|replied|sms|"
            r"signal|telegram)\b",
            re.I,
        ),
    ),
    (
        InteractionKind.MEETING,
        re.compile(r"\b(?:drinks|beers?|walk|walked|walking|hike|hiked|hiking)\b", re.I),
    ),
    (
        InteractionKind.MEETING,
        re.compile(
            r"\b(?:meeting|met|meet|1:1|1-1|one-on-one|1on1|sync|catch-?up|caught\s+up|"
            r"office|visited|bumped\s+into|ran\s+into|chat)\b",
            re.I,
        ),
    ),
]
# The last group ("met", "meeting") is weak: any stronger cue in the note beats it.
_WEAK = len(_STRONG_CUES) - 1
# A cue after these words is a future plan or someone else's doing, not this
# interaction ("she's presenting at a conference", "we'll grab lunch").
_NOT_THIS_INTERACTION = re.compile(
    r"(?:\b(?:next|will|'ll|going\s+to|gonna|plan(?:ning)?\s+to|should|to\s+grab|another|"
    r"presenting\s+at|speaking\s+at|talk\s+at|at\s+her|at\s+his|their|schedule|set\s+up|book|"
    r"before|after|until|till)"
    r"\s+(?:\w+\s+){0,2})$",
    re.I,
)


def detect_kind(text: str) -> InteractionKind:
    """Return the interaction kind named earliest in the note (OTHER if none)."""
    best: tuple[int, int, InteractionKind] | None = None
    for rank, (kind, pattern) in enumerate(_STRONG_CUES):
        for match in pattern.finditer(text):
            if _NOT_THIS_INTERACTION.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            if kind is InteractionKind.CALL and re.search(
                r"\b(?:video|zoom|teams|meet)\s*$",
                text[max(0, match.start() - 12) : match.start()],
                re.I,
            ):
                continue
            position = match.start() + (10_000 if rank == _WEAK else 0)
            candidate = (position, rank, kind)
            if best is None or candidate < best:
                best = candidate
            break
    return best[2] if best else InteractionKind.OTHER


def occurred_at(
    text: str, dates: list[DateMention], *, opening: int, now: datetime, zone: ZoneInfo
) -> tuple[datetime, DateMention | None]:
    """Return when the interaction happened (UTC) and the phrase that said so.

    Only the note's first sentence counts: a clearly past phrase there
    ("yesterday", "last night", "this morning"), or a bare weekday in its
    opening clause ("met Ana on Monday"), so that "she starts on Monday" later
    on is not read as the meeting's day.
    """
    local_now = now.astimezone(zone)
    first_end = _first_sentence_end(text)
    for mention in dates:
        if mention.end > first_end:
            break
        day: date | None = None
        if mention.past and mention.on is not None:
            day = mention.on
        elif mention.before is not None and mention.end <= opening and _sounds_past(text, opening):
            day = mention.before
        if day is None or day > local_now.date():
            continue
        hour = mention.hour if mention.hour is not None else 12
        moment = datetime.combine(day, time(hour), tzinfo=zone)
        if day == local_now.date() and mention.hour is None:
            moment = local_now
        return min(moment.astimezone(UTC), now.astimezone(UTC)), mention
    return now.astimezone(UTC), None


def _first_sentence_end(text: str) -> int:
    match = re.search(r"[.!?\n]|\s[—–-]\s", text)
    return match.start() if match else len(text)


def _sounds_past(text: str, end: int) -> bool:
    return bool(
        re.search(
            r"\b(?:met|had|was|were|called|talked|spoke|chatted|caught|grabbed|did|went|got|ran)\b"
            r"|\b\w+ed\b",
            text[:end],
            re.I,
        )
    ) or not re.search(r"\b(?:will|'ll|going\s+to|next|meeting\s+on)\b", text[:end], re.I)
