"""Durations and dates in the words people use."""

from __future__ import annotations

from datetime import date, timedelta


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


def day(on: date, today: date) -> str:
    """Return e.g. "today", "tomorrow", "Tue 1 Dec", or "Tue 1 Dec 2027" in another year."""
    if on == today:
        return "today"
    if on == today + timedelta(days=1):
        return "tomorrow"
    if on == today - timedelta(days=1):
        return "yesterday"
    text = f"{on:%a} {on.day} {on:%b}"
    return text if on.year == today.year else f"{text} {on.year}"
