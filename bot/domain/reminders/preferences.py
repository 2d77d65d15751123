"""Reading delivery preferences as people type them: quiet hours, delays, lead times, a cap."""

from __future__ import annotations

import re
from datetime import time, timedelta

_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(rf"^{_CLOCK}\s*(?:-|–|to|until)\s*{_CLOCK}$", re.IGNORECASE)
_DELAY = re.compile(r"^(\d{1,3})\s*(h|hr|hrs|hours?|d|days?|w|wks?|weeks?)$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
MAX_DELAY = timedelta(days=90)
NO_QUIET = (time(0, 0), time(0, 0))
MAX_LEAD = timedelta(days=30)
MAX_NUDGES = 20
_SAME_DAY = {"0", "0 days", "none", "no", "off", "on the day", "same day", "the same day"}
_DAY_BEFORE = {"the day before", "a day before", "day before", "1 day before"}
_BEFORE = re.compile(r"\s+(before|ahead|earlier|in advance)$")
_NO_CAP = {"off", "none", "no limit", "unlimited", "any", "no cap"}
_COUNT = re.compile(r"^(\d{1,3})(?:\s*(?:a|per|/)\s*day)?$")


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """Read "21:00-08:00", "10pm to 7am" or "off"; return (start, end) or None."""
    cleaned = text.strip().lower()
    if cleaned in {"off", "none", "no"}:
        return NO_QUIET
    match = _RANGE.match(cleaned)
    if match is None:
        return None
    start = _clock(*match.group(1, 2, 3))
    end = _clock(*match.group(4, 5, 6))
    if start is None or end is None or start == end:
        return None
    return start, end


def parse_delay(text: str) -> timedelta | None:
    """Read "1 day", "2 days", "12h", "1 week" (up to 90 days); None if unreadable."""
    match = _DELAY.match(text.strip())
    if match is None:
        return None
    count = int(match.group(1))
    unit = _UNITS[match.group(2)[0].lower()]
    delay = timedelta(**{unit: count})
    return delay if timedelta(0) < delay <= MAX_DELAY else None


def _clock(hours: str, minutes: str | None, half: str | None) -> time | None:
    hour, minute = int(hours), int(minutes or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return time(hour, minute)


def parse_lead(text: str) -> timedelta | None:
    """Read how long before a day to be reminded: "the day before", "3 days", "1 week", "0"."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _SAME_DAY:
        return timedelta(0)
    if cleaned in _DAY_BEFORE:
        return timedelta(days=1)
    delay = parse_delay(_BEFORE.sub("", cleaned))
    if delay is None or delay % timedelta(days=1) or delay > MAX_LEAD:
        return None  # whole days only: a lead nudge comes on a morning
    return delay


def parse_nudge_cap(text: str) -> int | None:
    """Read how many keep-in-touch nudges may share a day: "3", "5 a day"; "off" is 0 (no cap)."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _NO_CAP:
        return 0
    match = _COUNT.match(cleaned)
    if match is None:
        return None
    count = int(match.group(1))
    return count if 1 <= count <= MAX_NUDGES else None
