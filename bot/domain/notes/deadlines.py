"""The last day a vague deadline allows: "b4 xmas" is by 24 Dec, "by end of q1" by 31 Mar.

The note reader keeps such a phrase with no day (`on=None`: no day was said),
but a promise made "before Christmas" still has a real latest day, and a
reminder planned on a made-up default ("due in three days") would contradict
what the user said. Only phrases that set an upper bound count: "by", "before",
"until", "end of"; "over xmas" or "after easter" set none.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.easter import easter

_BOUND = r"(?:by|before|b4|until|till|til|ahead\s+of|by\s+the\s+end\s+of|end\s+of)"
_HOLIDAY = re.compile(
    _BOUND + r"\s+(?:the\s+)?(?P<holiday>christmas|xmas|new\s+year(?:'s)?|easter)\b", re.I
)
_QUARTER = re.compile(
    # "in q1" bounds a promise too: it is done by the quarter's end.
    r"(?:" + _BOUND + r"|in|during)\s+(?:the\s+)?q(?P<q>[1-4])(?:\s+(?P<year>\d{4}))?\b"
    r"|(?:by|before|b4|until|till|end\s+of)?\s*(?:the\s+)?(?:end\s+of\s+)?"
    r"(?P<rel>next|nxt|this)\s+quarter\b",
    re.I,
)


def latest_day(phrase: str, today: date) -> date | None:
    """The last day `phrase` (a date phrase of a note) leaves, or None if it sets none."""
    text = phrase.strip()
    if found := _HOLIDAY.search(text):
        return _holiday_eve(found.group("holiday").casefold(), today)
    if found := _QUARTER.search(text):
        if found.group("rel"):
            return _quarter_end(today, ahead=found.group("rel").casefold() != "this")
        return _named_quarter_end(int(found.group("q")), found.group("year"), today)
    return None


def _holiday_eve(holiday: str, today: date) -> date:
    """The day before the holiday's next occurrence (Christmas Eve for "before xmas")."""
    for year in (today.year, today.year + 1):
        if holiday in ("christmas", "xmas"):
            eve = date(year, 12, 24)
        elif holiday.startswith("new"):
            eve = date(year, 12, 31)
        else:
            eve = easter(year) - timedelta(days=1)
        if eve >= today:
            return eve
    return eve


def _quarter_end(today: date, *, ahead: bool) -> date:
    quarter = (today.month - 1) // 3 + (1 if ahead else 0)
    year = today.year + quarter // 4
    return _last_of_quarter(quarter % 4 + 1, year)


def _named_quarter_end(quarter: int, year: str | None, today: date) -> date:
    """Q1-Q4's last day: of the year said, else the next such quarter not yet over."""
    if year is not None:
        return _last_of_quarter(quarter, int(year))
    end = _last_of_quarter(quarter, today.year)
    return end if end >= today else _last_of_quarter(quarter, today.year + 1)


def _last_of_quarter(quarter: int, year: int) -> date:
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return following - timedelta(days=1)
