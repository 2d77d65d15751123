"""Durations and dates in the words people use.

Every date the coach shows goes through `day` (and every time of day through
`clock`), so the whole product writes dates one way: "Wed 2 Dec", with the
year only when it is not this year, and "today" / "tomorrow" when near.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def span(delta: timedelta) -> str:
    """Return e.g. "today", "3 days", "5 weeks", "4 months", "2 years"."""
    days = max(0, delta.days)
    if days == 0:
        return "today"
    for unit_days, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        count = days // unit_days
        # Weeks read better than "1 month" up to about two months.
        if count >= 1 and not (unit == "month" and days < 60):
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{days} days"


def ago(delta: timedelta) -> str:
    """Return e.g. "today", "yesterday", "3 days ago"."""
    if delta.days == 1:
        return "yesterday"
    text = span(delta)
    return text if text == "today" else f"{text} ago"


def day(on: date, today: date | None = None) -> str:
    """Return e.g. "today", "tomorrow", "Tue 1 Dec", or "Tue 1 Dec 2027" in another year.

    Without `today` there are no relative words and the year is always shown.
    """
    if isinstance(on, datetime):
        on = on.date()
    if today is not None:
        if on == today:
            return "today"
        if on == today + timedelta(days=1):
            return "tomorrow"
        if on == today - timedelta(days=1):
            return "yesterday"
    text = f"{on:%a} {on.day} {on:%b}"
    return text if today is not None and on.year == today.year else f"{text} {on.year}"


def day_month(on: date) -> str:
    """A day that comes back every year (a birthday): "9 Apr"."""
    return f"{on.day} {on:%b}"


def month_year(on: date) -> str:
    """A month with no day named ("in March"): "March 2027"."""
    return f"{on:%B} {on.year}"


def clock(at: time | datetime) -> str:
    """Return a time of day as the 24-hour clock shows it: "09:00"."""
    return f"{at.hour:02d}:{at.minute:02d}"


def moment(when: datetime, today: date | None = None) -> str:
    """Return a local date and time: "tomorrow 09:00", "Wed 2 Dec 18:30"."""
    return f"{day(when.date(), today)} {clock(when)}"
