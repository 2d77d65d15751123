"""Reading a hand-made reminder: "/remind Maria in 2 weeks to share the deck".

Also "/remind me tomorrow to book the flights" (a reminder about no one in
particular), "every week / month / year" and "end of the month".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.model import Contact, Repeat
from bot.domain.notes.dates import find_dates
from bot.domain.notes.people import match_contacts
from bot.domain.reminders.timing import MORNING, at_local, safe_date

MAX_WHAT = 300
# "me" names the user: the reminder is about no one else.
SELF_WORDS = frozenset({"me", "myself"})
# A "when" that names a clock time or a span under a day keeps its exact moment;
# otherwise the reminder lands on that day's morning.
_HAS_TIME = re.compile(
    r"\d\s*(am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b|\btonight\b|\bthis (evening|afternoon)\b"
    r"|\b(hour|hours|minute|minutes|min|mins)\b",
    re.IGNORECASE,
)
# Spans under a day name a moment, not a wall-clock time: a new time zone keeps them.
_SPAN = re.compile(r"\b(hour|hours|minute|minutes|min|mins)\b", re.IGNORECASE)
# dateparser reads "at 10" as the current time: make it "at 10:00".
_BARE_HOUR = re.compile(r"\bat\s+(\d{1,2})\b(?![:.]\d|\s*(am|pm))", re.IGNORECASE)
_REPEAT = re.compile(
    r"\b(?:every\s+(?P<unit>week|month|year)|(?P<adverb>weekly|monthly|yearly|annually))\b"
    r"|\bevery\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_ADVERBS = {"weekly": Repeat.WEEK, "monthly": Repeat.MONTH, "yearly": Repeat.YEAR}
_END_OF = re.compile(
    r"^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<next>next\s+)?(?P<unit>week|month|year)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class When:
    """A moment a user named: UTC, whether it is exact, and how often it repeats."""

    at: datetime
    exact: bool = False
    repeat: Repeat | None = None


@dataclass(frozen=True)
class RemindRequest:
    """A parsed /remind: who (candidates when ambiguous; "" is the user), when and what."""

    name: str
    matches: list[Contact]
    due_at: datetime
    what: str
    exact: bool = False
    repeat: Repeat | None = None

    @property
    def for_self(self) -> bool:
        return self.name == ""


@dataclass(frozen=True)
class RemindProblem:
    """Why a /remind could not be read; `part` is "format", "when" or "what"."""

    part: str
    when_text: str = ""


def parse_remind(
    args: str, contacts: Sequence[Contact], now: datetime, zone: ZoneInfo
) -> RemindRequest | RemindProblem:
    """Read "<name> <when> [to <what>]" or "<name> to <what> <when>".

    The name is the shortest start before a readable date; "me" is the user.
    """
    text = " ".join(args.split())
    head, _, what = text.partition(" to ")
    what = what.strip()
    if len(what) > MAX_WHAT:
        return RemindProblem("what")
    words = head.split()
    if len(words) == 1 and what:
        # "/remind me to book the flights on Friday": the date ends the sentence.
        return _when_last(words[0], what, contacts, now, zone)
    if len(words) < 2:
        return RemindProblem("format")
    fallback: RemindRequest | None = None
    for cut in range(1, len(words)):
        name, when_text = " ".join(words[:cut]), " ".join(words[cut:])
        when = parse_when(when_text, now, zone)
        if when is None:
            continue
        request = _request(name, contacts, when, what)
        if request.matches or request.for_self:
            return request
        fallback = fallback or request
    if fallback is not None:
        return fallback
    return RemindProblem("when", when_text=" ".join(words[1:]))


def parse_when(when_text: str, now: datetime, zone: ZoneInfo) -> When | None:
    """Return the moment `when_text` names in the user's zone, never in the past."""
    phrase = re.sub(r"^(on|by|at)\s+", "", when_text.strip(), flags=re.IGNORECASE)
    if not phrase or len(phrase) > 60:
        return None
    repeat = None
    if (found := _REPEAT.search(phrase)) is not None:
        repeat = _repeat_of(found)
        weekday = found.group("weekday")
        phrase = (phrase[: found.start()] + (weekday or "") + phrase[found.end() :]).strip()
        phrase = re.sub(r"^(on|from|starting)\s+", "", phrase, flags=re.IGNORECASE)
        if not phrase:
            first = _one_period_on(now.astimezone(zone).date(), repeat)
            return When(at_local(first, MORNING, zone), repeat=repeat)
    local_now = now.astimezone(zone)
    end = _end_of(phrase, local_now.date())
    if end is not None:
        day_at = max(at_local(end, MORNING, zone), now)
        return When(day_at, repeat=repeat) if end >= local_now.date() else None
    phrase = _BARE_HOUR.sub(r"at \1:00", phrase)
    moment = _parsed(phrase, local_now.replace(tzinfo=None), zone)
    if moment is None:
        moment = _typed_on_a_phone(phrase, local_now, zone)
    if moment is None:
        return None
    if not _HAS_TIME.search(phrase):
        day = moment.astimezone(zone).date()
        # "today" after 9:00 means as soon as possible, not a moment in the past.
        moment = at_local(day, MORNING, zone)
        if day == local_now.date():
            moment = max(moment, now)
    if moment < now:
        return None
    return When(moment, exact=bool(_SPAN.search(phrase)), repeat=repeat)


def _parsed(phrase: str, local_now: datetime, zone: ZoneInfo) -> datetime | None:
    found = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": local_now},
    )
    if found is None:
        return None
    if found.tzinfo is None:
        return found.replace(tzinfo=zone).astimezone(UTC)
    return found.astimezone(UTC)


def _typed_on_a_phone(phrase: str, local_now: datetime, zone: ZoneInfo) -> datetime | None:
    """ "tmrw 9am", "nxt thurs", "in 2 wks": the day as the note reader reads it, then its time.

    dateparser knows none of a phone's shorthand; the notes' date reader does.
    """
    found = [m for m in find_dates(phrase, local_now.date()) if m.on is not None]
    if len(found) != 1:
        return None
    day = found[0].on
    assert day is not None
    rest = (phrase[: found[0].start] + phrase[found[0].end :]).strip(" ,")
    if not rest:
        return at_local(day, MORNING, zone)
    midnight = datetime.combine(day, datetime.min.time())
    return _parsed(rest, midnight, zone) if _HAS_TIME.search(rest) else None


def _request(name: str, contacts: Sequence[Contact], when: When, what: str) -> RemindRequest:
    if name.lower() in SELF_WORDS:
        return RemindRequest("", [], when.at, what, when.exact, when.repeat)
    return RemindRequest(
        name, match_contacts(name, contacts), when.at, what, when.exact, when.repeat
    )


def _when_last(
    name: str, what: str, contacts: Sequence[Contact], now: datetime, zone: ZoneInfo
) -> RemindRequest | RemindProblem:
    """Split "<what> <when>" at the longest ending that reads as a date."""
    words = what.split()
    for cut in range(1, len(words)):
        when = parse_when(" ".join(words[cut:]), now, zone)
        if when is not None:
            return _request(name, contacts, when, " ".join(words[:cut]))
    return RemindProblem("when", when_text=what)


def _repeat_of(found: re.Match[str]) -> Repeat:
    if found.group("weekday"):
        return Repeat.WEEK
    if found.group("unit"):
        return Repeat(found.group("unit").lower())
    return _ADVERBS.get(found.group("adverb").lower(), Repeat.YEAR)


def _one_period_on(today: date, repeat: Repeat) -> date:
    if repeat is Repeat.WEEK:
        return today + timedelta(days=7)
    if repeat is Repeat.MONTH:
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return safe_date(year, month, today.day)
    return safe_date(today.year + 1, today.month, today.day)


def _end_of(phrase: str, today: date) -> date | None:
    """The last working day of "the end of the week", the last day of a month or year."""
    match = _END_OF.match(phrase)
    if match is None:
        return None
    later = bool(match.group("next"))
    unit = match.group("unit").lower()
    if unit == "week":
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(days=7 * later)
    if unit == "month":
        year, month = today.year, today.month + later
        if month > 12:
            year, month = year + 1, 1
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(today.year + later, 12, 31)
