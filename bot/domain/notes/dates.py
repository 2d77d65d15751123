"""Finding and resolving date phrases in a note, relative to the user's today.

`today` is the user's local calendar date (the caller turns the injected UTC
now into it with the user's zone), so every rule here is zone-correct.
Relative phrases ("next Thursday", "in two weeks", "end of the month") and
absolute ones ("May 3", "5th of Dec", "12/05") are read by small
deterministic rules: dateparser's own handling of them differs between
versions and it mistakes words such as "may", "sun" or "we" for dates. A
date without a year is the next one, never a past one. dateparser's search
is the fallback for sentences that still hold date words after the rules
("in a fortnight"), and only answers shaped like a date reference are kept.
A phrase naming a date that cannot be pinned down ("31/02", "in March", "in
a few weeks") is kept with `on=None`: shown and flagged, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from dateparser.search import search_dates

from bot.domain.notes.text import MEETING_NOUN

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "weds": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
# Short forms that are also ordinary words ("sat down", "wed", "sun") need a
# preposition before them to count as a day.
_AMBIGUOUS_WEEKDAYS = frozenset({"mon", "wed", "sat", "sun"})
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2,
}  # fmt: skip

_WD = r"(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUM = (
    r"(?P<n>\d{1,2}|a couple of|a couple|couple of|a|an|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve|few|a few|several)"
)
_UNIT = r"(?P<unit>day|week|wk|month|year|yr)s?"
_LEAD = r"(?:\b(?:on|by|before|b4|until|till|due|from)\s+)?"  # "\b": not "lond|on feb 1"
# "tomorrow" as phones type it.
_TOMORROW = r"(?:tomorrow|tomorow|tommorow|tommorrow|tomorrw|tmrw|tmr|tmw|2moro|2morrow)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    (
        "numeric",
        re.compile(
            _LEAD + r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})"
            r"(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?!\d|\s+of\b|[/.]\d)"
        ),
    ),
    (
        "month_day",
        re.compile(
            _LEAD + r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?",
            re.I,
        ),
    ),
    (
        "day_month",
        re.compile(
            _LEAD
            # "28-31 jan": a span of days starts on its first.
            + r"\b(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?)?"
            + r"\s+(?:of\s+)?"
            + _MON
            + r"\b(?:,?\s+(?P<y>\d{4}))?",
            re.I,
        ),
    ),
    ("ordinal", re.compile(_LEAD + r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b", re.I)),
    (
        # "by EOD tomorrow", "EOD monday": the end of that day, not of today.
        "eod_day",
        re.compile(
            r"\b(?:by\s+)?(?:eod|cob|end\s+of\s+(?:the\s+)?day|close\s+of\s+business)\s+(?:on\s+)?"
            r"(?P<day>"
            + _TOMORROW
            + "|"
            + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
            + r")\b",
            re.I,
        ),
    ),
    (
        "end_of",
        re.compile(
            r"\b(?:by\s+|before\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?"
            r"(?P<which>this\s+|(?:next|nxt)\s+)?(?P<unit>week|month|year|day)\b|\b(?P<abbr>eod|eow|eom)\b",
            re.I,
        ),
    ),
    (
        "in_n",
        re.compile(
            r"\b(?:in|within)\s+(?:about\s+|around\s+)?" + _NUM + r"\s+" + _UNIT + r"\b",
            re.I,
        ),
    ),
    ("in_n", re.compile(r"\b" + _NUM + r"\s+" + _UNIT + r"\s+from\s+now\b", re.I)),
    ("ago", re.compile(r"\b" + _NUM + r"\s+" + _UNIT + r"\s+ago\b", re.I)),
    (
        "relative_day",
        re.compile(
            r"\b(?:(?:by|until|till|before)\s+)?(?P<rel>the\s+day\s+after\s+tomorrow|"
            + _TOMORROW
            + r"(?:\s+(?:morning|afternoon|evening|night))?|today|tonight|this\s+"
            r"(?:morning|afternoon|evening)|earlier\s+today|yesterday(?:\s+(?:morning|"
            r"afternoon|evening))?|last\s+night)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<rel>(?:next|nxt)|this|coming|last|on|by|before|b4|until|till|til|due|from)\s+"
            r")?"
            # "bday was sun": a short form after "was" or "is" is a day too (not "sat down").
            r"(?P<was>(?<=\bwas\s)|(?<=\bis\s))?"
            # "plays every sunday": a habit, no one day.
            r"(?<!\bevery\s)"
            r"(?:the\s+)?" + _WD + r"\b\.?(?:\s+(?P<part>morning|afternoon|evening|night))?"
            # "dinner w kenji sat 7pm": a time of day right after says it is a day.
            r"(?P<clock>(?=\s+(?:at\s+)?(?:\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m|p\.m)|[012]?\d:[0-5]\d\b)))?",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?:(?:by|until|before|b4|over|during)\s+)?(?:the\s+)?(?P<rel>(?:next|nxt)|this|coming|last"
            r"|early\s+(?:next|nxt)|later\s+this|later\s+(?:next|nxt)|mid)[\s-]+(?P<unit>week|wk|month|year|yr|weekend|wknd)\b"
            # "will do over the wknd": the coming one.
            r"|\b(?:over|on|at|during|for)\s+(?P<rel_the>the)\s+(?P<unit_the>weekend|wknd)\b",
            re.I,
        ),
    ),
    (
        # "the day before", "a week before": counted from the date said just before.
        "anchored",
        re.compile(
            r"\b(?P<n>the|a|one|two|three|four|five|six|seven|\d{1,2}|a\s+couple\s+of)\s+"
            r"(?P<unit>day|days|week|weeks)\s+(?P<dir>before|after|prior|earlier|later)\b"
            r"(?!\s+(?:the|that|this|his|her|my|our|their|it|we|i|you|he|she|they)\b|\s+\d)",
            re.I,
        ),
    ),
    (
        # "caro turns 40 on new year's eve": a holiday that is one day has that day.
        "feast",
        re.compile(
            r"\b(?:on\s+|by\s+|before\s+|b4\s+|until\s+|till\s+)?(?P<feast>new\s+year'?s\s+eve|nye|"
            r"christmas\s+eve|xmas\s+eve|christmas\s+day|xmas\s+day|boxing\s+day|"
            r"new\s+year'?s\s+day|valentine'?s\s+day|halloween)\b",
            re.I,
        ),
    ),
    (
        # "in the second week of january": that month, no day.
        "week_of",
        re.compile(
            r"\b(?:in\s+|during\s+)?the\s+(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+"
            r"(?:week|wk|half)\s+of\s+" + _MON + r"\b",
            re.I,
        ),
    ),
    (
        # Holidays are real but vague times: "over new year", "over the break".
        "holiday",
        re.compile(
            r"\b(?:over|during|before|b4|after|by|around|until|till|in)\s+(?:the\s+)?"
            r"(?:christmas|xmas|new\s+(?:year|yr)(?:'s)?|easter|thanksgiving|holidays|break|"
            r"holiday\s+season|summer\s+break|ramadan|eid|diwali|hanukkah|lunar\s+new\s+year|"
            r"chinese\s+new\s+year)\b",
            re.I,
        ),
    ),
    (
        # "end of q1", "by Q3 2027", "next quarter": a business quarter, real but vague.
        "quarter",
        re.compile(
            # Bare, "the q1 numbers" is a name, not a time: a word before it says it is one.
            r"\b(?:in|by|for|during|until|till|before|b4|after|(?:early|late|mid|start|end)"
            # ("in q1 and asked": a joining word after it is no noun it names.)
            r"(?:\s+of)?)\s+(?:the\s+)?q[1-4](?!\s+(?!\d{4}|(?:and|but|so|or|if|when|then)\b)"
            r"[a-z])(?:\s+\d{4})?\b"
            r"|\b(?:next|nxt|this|coming)\s+quarter\b",
            re.I,
        ),
    ),
    (
        "season",
        re.compile(
            r"\b(?:(?P<rel>in|this|(?:next|nxt)|early|late|over|by|during|until)\s+(?:the\s+)?)"
            r"(?P<season>spring|summer|autumn|fall|winter)\b",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:(?P<rel>in|for|this|(?:next|nxt)|early|late|mid|end\s+of|by|until|around|last|from|since|"
            r"starting|after|before)[\s-]+)"
            r"(?:the\s+)?" + _MON + r"\b(?:\s+(?P<y>\d{4}))?",
            re.I,
        ),
    ),
]


class _Maker(Protocol):
    """The small closure that builds a DateMention for one match."""

    def __call__(
        self,
        on: date | None,
        *,
        past: bool = False,
        before: date | None = None,
        hour: int | None = None,
        offset: int | None = None,
    ) -> DateMention: ...


# Caps that keep hostile input fast: no real note names more dates than this.
MAX_DATES = 40
MAX_PARSER_CALLS = 3
MAX_PARSED_SENTENCE = 200

# Words that suggest a date the rules may have missed, and the only shapes of
# dateparser's answers that are trusted (they open like a date reference).
_DATE_WORD = re.compile(
    r"\b(?:fortnight|weeks?|months?|years?|"
    + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
    + r"|january|february|april|june|july|august|september|october|november|december"
    + r"|\d{1,2}(?:st|nd|rd|th))\b",
    re.I,
)
_TRUSTED = re.compile(
    r"(?:in|on|by|before|until|till|(?:next|nxt)|this|within)\s+\S+(?:\s+\S+){0,5}"
    r"|\S+(?:\s+\S+){0,3}\s+from\s+(?:now|today|tomorrow)",
    re.I,
)

_PART_HOURS = {"morning": 9, "afternoon": 15, "evening": 19, "night": 20, "tonight": 20}


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in the note.

    `on` is the resolved calendar date (None when unclear). `past` is True
    for phrases that look back ("yesterday", "last Monday", "two days ago");
    `before` is the most recent matching past date for a bare weekday, so
    "met Tom on Monday" can be read as the last Monday. `offset` is set for
    "the day before" (-1) or "a week after" (+7): days from the date said
    just before it in the note. `month` is the first day of the month named
    alone ("in March", "starts in jan"), when `on` must stay None.
    """

    start: int
    end: int
    text: str
    on: date | None
    past: bool = False
    before: date | None = None
    hour: int | None = None
    offset: int | None = None
    # "in March": no day is named, but the month is known (its next occurrence, 1st day).
    month: date | None = None


def find_dates(text: str, today: date, *, month_first: bool = False) -> list[DateMention]:
    """Return the date phrases in `text`, in order, without overlaps."""
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if len(found) >= MAX_DATES:
                break
            if _overlaps(match.start(), match.end(), found):
                continue
            mention = _resolve(kind, match, today, month_first)
            if mention is not None:
                found.append(mention)
    found += _fallback(text, found, today, month_first)
    return _anchor(sorted(found, key=lambda m: m.start))


def _anchor(found: list[DateMention]) -> list[DateMention]:
    """Resolve "the day before" against the last date the note named before it."""
    anchored: list[DateMention] = []
    last: date | None = None
    for mention in found:
        if mention.offset is not None and last is not None:
            mention = replace(mention, on=last + timedelta(days=mention.offset))
        anchored.append(mention)
        if mention.on is not None and mention.offset is None:
            last = mention.on
    return anchored


def _overlaps(start: int, end: int, found: list[DateMention]) -> bool:
    return any(start < m.end and m.start < end for m in found)


def _fallback(
    text: str, found: list[DateMention], today: date, month_first: bool
) -> list[DateMention]:
    """Ask dateparser about sentences that still hold date words the rules did not read.

    It finds forms the rules do not know ("in a fortnight", "on the 5th of
    next month"), but also reads "We", "Year 2" or "two days a week" as
    dates; only phrases that open like a date reference are kept.
    """
    extra: list[DateMention] = []
    calls = 0
    if len(found) >= MAX_DATES:
        return extra
    for sentence in re.finditer(r"[^.!?\n]+", text):
        if len(sentence.group()) > MAX_PARSED_SENTENCE:
            continue  # dateparser's search slows down sharply on long runs of text
        leftovers = [
            m
            for m in _DATE_WORD.finditer(sentence.group())
            if not _overlaps(sentence.start() + m.start(), sentence.start() + m.end(), found)
        ]
        if not leftovers:
            continue
        if calls >= MAX_PARSER_CALLS:
            break
        calls += 1
        for phrase, moment in _search(sentence.group(), today, month_first):
            start = sentence.start() + sentence.group().find(phrase)
            end = start + len(phrase)
            if not _TRUSTED.fullmatch(phrase) or _overlaps(start, end, found + extra):
                continue
            on = moment.date()
            if not today - timedelta(days=366) <= on <= today + timedelta(days=3 * 366):
                continue
            extra.append(DateMention(start, end, phrase, on, past=on < today))
    return extra


def _search(sentence: str, today: date, month_first: bool) -> list[tuple[str, datetime]]:
    found = search_dates(
        sentence,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
            "DATE_ORDER": "MDY" if month_first else "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return [(phrase, moment) for phrase, moment in found or [] if isinstance(moment, datetime)]


def _resolve(kind: str, match: re.Match[str], today: date, month_first: bool) -> DateMention | None:
    groups = match.groupdict()
    phrase = match.group().strip().rstrip(".")
    start = match.start()
    end = start + len(phrase)

    def mention(
        on: date | None,
        *,
        past: bool = False,
        before: date | None = None,
        hour: int | None = None,
        offset: int | None = None,
    ) -> DateMention:
        return DateMention(start, end, phrase, on, past, before, hour, offset)

    if kind == "iso":
        return mention(_safe_date(int(groups["y"]), int(groups["m"]), int(groups["d"])))
    if kind == "numeric":
        return _numeric(groups, today, month_first, mention)
    if kind in ("month_day", "day_month"):
        return mention(_absolute(groups, today))
    if kind == "ordinal":
        return mention(_next_day_of_month(int(groups["d"]), today))
    if kind == "eod_day":
        day = groups["day"].lower()
        if re.fullmatch(_TOMORROW, day):
            return mention(today + timedelta(days=1))
        return _weekday({"wd": day, "rel": "by"}, today, mention)
    if kind == "end_of":
        return mention(_end_of(groups, today))
    if kind == "anchored":
        count = 1 if groups["n"].lower() in ("the", "a") else _count(groups["n"])
        if count is None:
            return None
        days = count * (7 if _unit(groups["unit"]).startswith("week") else 1)
        after = groups["dir"].lower() in ("after", "later")
        return mention(None, offset=days if after else -days)
    if kind == "holiday":
        return mention(None)
    if kind == "feast":
        return mention(_next_feast(groups["feast"], today))
    if kind == "week_of":
        return mention(None)  # a week of a month: real, but no day to pin
    if kind == "in_n":
        count = _count(groups["n"])
        return mention(None if count is None else _shift(today, count, _unit(groups["unit"])))
    if kind == "ago":
        count = _count(groups["n"])
        on = None if count is None else _shift(today, -count, _unit(groups["unit"]))
        return mention(on, past=True)
    if kind == "relative_day":
        return _relative_day(_said(groups["rel"]), today, mention)
    if kind == "weekday":
        return _weekday(groups, today, mention, match)
    if kind == "period":
        return _period(groups, today, mention)
    if kind in ("season", "quarter"):
        return mention(None)  # a season or quarter is a real but vague time: shown, flagged
    return _month_only(groups, today, mention, ends_clause=_ends_clause(match))


# The holidays that are one day, as (month, day).
_FEASTS = {
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "nye": (12, 31),
    "christmas eve": (12, 24),
    "xmas eve": (12, 24),
    "christmas day": (12, 25),
    "xmas day": (12, 25),
    "boxing day": (12, 26),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "valentine's day": (2, 14),
    "valentines day": (2, 14),
    "halloween": (10, 31),
}


def _next_feast(name: str, today: date) -> date | None:
    """The next time that day comes round (today counts)."""
    said = _FEASTS.get(" ".join(name.lower().split()))
    if said is None:
        return None
    on = date(today.year, *said)
    return on if on >= today else date(today.year + 1, *said)


def _ends_clause(match: re.Match[str]) -> bool:
    """Nothing but punctuation or the end follows: "in may" is a month there, "may help" is not."""
    if match.group().endswith("."):
        return True  # "draft mon. oskar's kid…": the match took the full stop
    return re.match(r"\s*(?:$|[^\w\s])", match.string[match.end() :]) is not None


def _unit(word: str) -> str:
    """ "wk" is a week and "yrs" years, as phones type them."""
    low = word.lower()
    return {"wk": "week", "wks": "weeks", "yr": "year", "yrs": "years", "wknd": "weekend"}.get(
        low, low
    )


def _said(words: str | None) -> str:
    """A relative word as the rules compare it: "Nxt  week" is "next week"."""
    return re.sub(r"\bnxt\b", "next", " ".join((words or "").lower().split()))


def _count(word: str) -> int | None:
    """ "3", "three", "a couple of": how many."""
    return int(word) if word.isdigit() else _NUMBERS.get(" ".join(word.lower().split()))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(
    groups: dict[str, str], today: date, month_first: bool, mention: _Maker
) -> DateMention | None:
    a, b = int(groups["a"]), int(groups["b"])
    if groups["sep"] == "." and not groups["y"]:
        return None  # "3.5" is far more often a number than a date
    if a > 31 or b > 31 or a == 0 or b == 0:
        return None
    if month_first and a <= 12:
        month, day = a, b
    elif b <= 12 or a > 12:
        day, month = a, b
    else:
        month, day = a, b
    if month > 12:
        return mention(None)  # e.g. 31/13: clearly meant as a date, clearly invalid
    if groups["y"]:
        year = int(groups["y"])
        year = year + 2000 if year < 100 else year
        return mention(_safe_date(year, month, day))
    return mention(_next_month_day(month, day, today))


def _next_month_day(month: int, day: int, today: date) -> date | None:
    """The next `month`/`day` on or after today; None if it never exists."""
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _absolute(groups: dict[str, str], today: date) -> date | None:
    """ "May 3" / "3rd of May 2027": the written date, or without a year the next one."""
    month = MONTHS[groups["mon"].lower()]
    day = int(groups["d"])
    if groups.get("y"):
        return _safe_date(int(groups["y"]), month, day)
    # Without a year, "May 3" means the next May 3, never a past one.
    return _next_month_day(month, day, today)


def _next_day_of_month(day: int, today: date) -> date | None:
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _end_of(groups: dict[str, str], today: date) -> date | None:
    abbr = (groups.get("abbr") or "").lower()
    unit = {"eod": "day", "eow": "week", "eom": "month"}.get(abbr) or _unit(groups["unit"])
    following = _said(groups.get("which")) == "next"
    if unit == "day":
        return today
    if unit == "week":
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(days=7) if following else friday
    if unit == "month":
        year, month = today.year, today.month
        if following:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(today.year + (1 if following else 0), 12, 31)


def _shift(today: date, count: int, unit: str) -> date | None:
    if count > 400:
        return None
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    total = today.year * 12 + today.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    if not 1 <= year <= 9999:
        return None
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _relative_day(rel: str, today: date, mention: _Maker) -> DateMention:
    rel = " ".join(rel.split())
    if rel.startswith("the day after"):
        return mention(today + timedelta(days=2))
    part = rel.split()[-1]
    hour = _PART_HOURS.get(part)
    if re.match(_TOMORROW, rel):
        return mention(today + timedelta(days=1), hour=hour)
    if rel.startswith("yesterday") or rel == "last night":
        if rel == "last night":
            hour = 20
        return mention(today - timedelta(days=1), past=True, hour=hour)
    if rel.startswith(("this", "earlier")):
        return mention(today, past=True, hour=hour)
    return mention(today, hour=_PART_HOURS.get(rel))


# Words that follow a day said in passing: "flying back sun hopefully", "sat or sun".
_AFTER_A_DAY = re.compile(
    r"\s+(?:hopefully|probably|prob|maybe|latest|at\s+the\s+latest|instead|or\s+(?:mon|tue|wed|"
    r"thu|fri|sat|sun)|then\b(?!\s+\w+ed\b))\b",
    re.I,
)
# "dinner at ours sat w tomas": a meal, then a short day form, then whom with.
_MEAL_THEN = re.compile(r"\b" + MEETING_NOUN + r"(?:\s+[\w']+){0,2}\s+$", re.I)
_WITH_AFTER = re.compile(r"\s+(?:w/?|with)\s", re.I)
# Words after which a short day form is an ordinary word: "in the sun", "he sat", "c'mon".
_WORD_NOT_DAY_BEFORE = re.compile(
    r"\b(?:the|a|some|of|in|under|i|he|she|they|we|you|it|who|just|got|get|getting|c)\W*$",
    re.I,
)


def _meal_day_with(match: re.Match[str]) -> bool:
    """ "dinner at ours sat w tomas", "lunch sat with tom": a day between a meal and whom with."""
    before = match.string[max(0, match.start() - 40) : match.start()]
    return bool(_MEAL_THEN.search(before)) and bool(_WITH_AFTER.match(match.string, match.end()))


def _weekday(
    groups: dict[str, str], today: date, mention: _Maker, match: re.Match[str] | None = None
) -> DateMention | None:
    word = groups["wd"].lower()
    rel = _said(groups.get("rel"))
    said_a_day = groups.get("was") is not None or groups.get("clock") is not None
    capitalised = groups["wd"][:1].isupper() and groups["wd"][1:].islower()
    if match is None or match.group().lower().startswith("the "):
        pass  # "reads the Sun": a name, not a day
    elif capitalised:
        # "Sending her revised terms Mon.": capitalised and ending the clause, a day.
        said_a_day = said_a_day or _ends_clause(match)
    elif not _WORD_NOT_DAY_BEFORE.search(match.string[: match.start()]):
        # "follow up w him mon", "a mock interview w her mon evening": phones type days in
        # lowercase; ending the clause or with a part of the day, it is one ("he sat",
        # "in the sun" and "c'mon" are not).
        said_a_day = (
            said_a_day
            or bool(groups.get("part"))
            or _ends_clause(match)
            or _AFTER_A_DAY.match(match.string[match.end() :]) is not None
            or _meal_day_with(match)
        )
    if word in _AMBIGUOUS_WEEKDAYS and not (rel or said_a_day):
        return None
    target = WEEKDAYS[word]
    ahead = (target - today.weekday()) % 7
    hour = _PART_HOURS.get((groups.get("part") or "").lower())
    # Named on that very day ("sunday run with Dan" on a Sunday) it is today.
    previous = today - timedelta(days=(today.weekday() - target) % 7)
    if rel == "last":
        last_one = today - timedelta(days=(today.weekday() - target) % 7 or 7)
        return mention(last_one, past=True, hour=hour)
    if rel == "this" and ahead == 0:
        return mention(today, hour=hour, before=today)
    upcoming = today + timedelta(days=ahead or 7)
    if rel == "next" and today.weekday() < target:
        # "Next Thursday" said on a Monday is the Thursday of next week; said
        # on a Friday it is the coming Thursday (already in next week).
        upcoming += timedelta(days=7)
    return mention(upcoming, before=previous if rel in ("", "on") else None, hour=hour)


def _period(groups: dict[str, str], today: date, mention: _Maker) -> DateMention:
    rel = "this" if groups.get("rel_the") else _said(groups["rel"])
    unit = _unit(groups.get("unit_the") or groups["unit"])
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if rel == "last":
        shifted = _shift(today, -1, unit) if unit != "weekend" else saturday - timedelta(days=7)
        return mention(shifted, past=True)
    if unit == "weekend":
        if rel in ("this", "coming"):
            return mention(today if today.weekday() == 6 else saturday)
        if rel == "next":
            return mention(saturday + timedelta(days=7))
        return mention(None)
    if rel == "next":
        return mention(_shift(today, 1, unit))
    if rel == "early next" and unit == "week":
        return mention(today + timedelta(days=7 - today.weekday()))
    return mention(None)  # "this week", "later this month": a period, not a day


def _month_only(
    groups: dict[str, str], today: date, mention: _Maker, *, ends_clause: bool
) -> DateMention | None:
    word = groups["mon"]
    said_as_month = word[0].isupper() or ends_clause or groups.get("y")
    if word.lower() in ("may", "mar") and not said_as_month:
        return None  # "this may help", "by mar..." are not months; "in may." is
    rel = _said(groups.get("rel"))
    found = mention(None, past=rel == "last")
    if rel in ("last", "since"):
        return found
    return replace(found, month=_month_start(MONTHS[word.lower()], groups.get("y"), today))


def _month_start(month: int, year: str | None, today: date) -> date:
    """The first day of `month`: in `year` if said, else this month or its next occurrence."""
    if year:
        return date(int(year), month, 1)
    return date(today.year + (month < today.month), month, 1)
