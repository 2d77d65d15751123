"""Reading delivery preferences as people type them: quiet hours and delays."""

from __future__ import annotations

import re
from datetime import time, timedelta

_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(rf"^{_CLOCK}\s*(?:-|–|to|until)\s*{_CLOCK}$", re.IGNORECASE)
_DELAY = re.compile(r"^(\d{1,3})\s*(h|hr|hrs|hours?|d|days?|w|wks?|weeks?)$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
MAX_DELAY = timedelta(days=90)
NO_QUIET = (time(0, 0), time(0, 0))


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
