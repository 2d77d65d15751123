"""Reading a hand-made reminder: "/remind Maria in 2 weeks to share the deck"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.model import Contact
from bot.domain.notes.people import match_contacts
from bot.domain.reminders.timing import MORNING, at_local

MAX_WHAT = 300
# A "when" that names a clock time or a span under a day keeps its exact moment;
# otherwise the reminder lands on that day's morning.
_HAS_TIME = re.compile(
    r"\d\s*(am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b|\b(hour|hours|minute|minutes|min|mins)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RemindRequest:
    """A parsed /remind: who (candidates when ambiguous), when (UTC) and what."""

    name: str
    matches: list[Contact]
    due_at: datetime
    what: str


@dataclass(frozen=True)
class RemindProblem:
    """Why a /remind could not be read; `part` is "format", "when" or "what"."""

    part: str
    when_text: str = ""


def parse_remind(
    args: str, contacts: Sequence[Contact], now: datetime, zone: ZoneInfo
) -> RemindRequest | RemindProblem:
    """Read "<name> <when> [to <what>]"; the name is the shortest prefix before a date."""
    text = " ".join(args.split())
    head, _, what = text.partition(" to ")
    what = what.strip()
    if len(what) > MAX_WHAT:
        return RemindProblem("what")
    words = head.split()
    if len(words) < 2:
        return RemindProblem("format")
    fallback: RemindRequest | None = None
    for cut in range(1, len(words)):
        name, when_text = " ".join(words[:cut]), " ".join(words[cut:])
        due = parse_when(when_text, now, zone)
        if due is None:
            continue
        request = RemindRequest(name, match_contacts(name, contacts), due, what)
        if request.matches:
            return request
        fallback = fallback or request
    if fallback is not None:
        return fallback
    return RemindProblem("when", when_text=" ".join(words[1:]))


def parse_when(when_text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Return the UTC moment `when_text` names in the user's zone, never in the past."""
    phrase = re.sub(r"^(on|by|at)\s+", "", when_text.strip(), flags=re.IGNORECASE)
    if not phrase or len(phrase) > 60:
        return None
    local_now = now.astimezone(zone).replace(tzinfo=None)
    found = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": local_now},
    )
    if found is None:
        return None
    if found.tzinfo is None:
        moment = found.replace(tzinfo=zone).astimezone(UTC)
    else:
        moment = found.astimezone(UTC)
    if not _HAS_TIME.search(phrase):
        day = moment.astimezone(zone).date()
        # "today" after 9:00 means as soon as possible, not a moment in the past.
        moment = (
            max(at_local(day, MORNING, zone), now)
            if day == local_now.date()
            else (at_local(day, MORNING, zone))
        )
    return moment if moment >= now else None
