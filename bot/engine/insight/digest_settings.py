"""The digest part of /settings: the morning digest on or off, the weekly review's day and time.

/settings links here with a button and passes `/settings digest ...` and
`/settings weekly ...` through `apply`; each change replans the digest
reminders at once, so the next one comes when the user just said.
"""

from __future__ import annotations

import calendar
import re
from datetime import time

from bot.domain.insight.digests import digest_at
from bot.domain.model import ReminderKind
from bot.engine.insight.digests import keep_digests_planned
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

WEEKLY_FLOW = "insight.weekly"
_ON = {"on", "yes", "enable", "enabled", "start"}
_OFF = {"off", "no", "none", "disable", "disabled", "stop", "never"}
_DAYS = {
    **{name.lower(): n for n, name in enumerate(calendar.day_name)},
    **{name.lower(): n for n, name in enumerate(calendar.day_abbr)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_WHEN = re.compile(
    r"^(?:on\s+)?(?P<day>[a-z]+)s?\s*(?:at\s+)?(?:(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<half>am|pm)?)?$"
)


def register(router: Router) -> None:
    """Register the digest settings screen, its buttons and the typed review time."""

    @router.action("ins.digests")
    def screen(turn: Turn, payload: Payload) -> list[Reply]:
        toggle = str(payload.get("which", ""))
        profile = turn.profile
        if toggle == "m":
            profile.morning_digest = not profile.morning_digest
        elif toggle == "w":
            profile.weekly_review = not profile.weekly_review
        if toggle in ("m", "w"):
            _save(turn)
        return [digest_screen(turn, saved=toggle in ("m", "w"))]

    @router.action("ins.weekly.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        turn.start_flow(WEEKLY_FLOW)
        return [turn.say("insight/weekly_ask")]

    @router.flow(WEEKLY_FLOW, ends_on_command=True)
    def typed(turn: Turn, text: str) -> list[Reply]:
        return apply(turn, "weekly", text)


def apply(turn: Turn, which: str, value: str) -> list[Reply]:
    """Apply `/settings digest <on|off>` or `/settings weekly <day time | on | off>`."""
    words = " ".join(value.lower().split())
    if not words:
        return [digest_screen(turn)]
    profile = turn.profile
    if which == "digest":
        if words not in _ON | _OFF:
            return [turn.say("insight/digest_invalid", which=which, text=value)]
        profile.morning_digest = words in _ON
    elif words in _ON | _OFF:
        profile.weekly_review = words in _ON
    else:
        when = parse_review_time(words)
        if when is None:
            if (turn.flow() or {}).get("name") == WEEKLY_FLOW:
                turn.start_flow(WEEKLY_FLOW)  # ask again rather than guess
            return [turn.say("insight/digest_invalid", which=which, text=value)]
        profile.weekly_review = True
        profile.weekly_review_day, profile.weekly_review_time = when
    if (turn.flow() or {}).get("name") == WEEKLY_FLOW:
        turn.end_flow()
    _save(turn)
    return [digest_screen(turn, saved=True)]


def parse_review_time(text: str) -> tuple[int, time] | None:
    """Read "sunday 18:00", "fri 5pm", "monday at 8.30": (weekday, time), or None."""
    match = _WHEN.match(text.strip().lower())
    if match is None or match.group("day") not in _DAYS:
        return None
    day = _DAYS[match.group("day")]
    if match.group("h") is None:
        return day, time(18, 0)
    hour, minute, half = int(match.group("h")), int(match.group("m") or 0), match.group("half")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return day, time(hour, minute)


def digest_screen(turn: Turn, *, saved: bool = False) -> Reply:
    """The digest settings and what comes next, with a button for each."""
    profile = turn.profile
    next_review = digest_at(profile, ReminderKind.WEEKLY_REVIEW, turn.now)
    buttons = (
        (
            Button(
                f"📰 Morning digest: {'on' if profile.morning_digest else 'off'}",
                payload={"op": "ins.digests", "which": "m"},
            ),
        ),
        (
            Button(
                f"🗓 Weekly review: {'on' if profile.weekly_review else 'off'}",
                payload={"op": "ins.digests", "which": "w"},
            ),
            Button("Change day/time", payload={"op": "ins.weekly.ask"}),
        ),
    )
    return turn.say(
        "insight/digest_settings",
        profile=profile,
        saved=saved,
        day=calendar.day_name[profile.weekly_review_day],
        next_review=turn.local(next_review) if next_review else None,
        today=turn.local(turn.now).date(),
        buttons=buttons,
    )


def _save(turn: Turn) -> None:
    turn.store.save_profile(turn.profile)
    keep_digests_planned(turn)
