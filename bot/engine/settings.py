"""/settings: time zone, quiet hours, reminder delays, lead times and the daily cap.

Every saved setting ends in the one replanning call, so waiting reminders
follow at once (a new zone keeps 09:00 at 09:00; a longer lead time moves
promise nudges earlier).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.domain.model import UserProfile
from bot.domain.reminders.preferences import (
    NO_QUIET,
    parse_delay,
    parse_lead,
    parse_nudge_cap,
    parse_quiet_hours,
)
from bot.domain.timezones import parse_timezone, zone_label
from bot.engine.insight import digest_settings
from bot.engine.onboarding import ask_timezone, set_timezone
from bot.engine.replanning import replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

FLOW = "settings.answer"


@dataclass(frozen=True)
class Setting:
    """One preference the user can type: how to read it and where it goes."""

    key: str
    words: tuple[str, ...]
    button: str
    parse: Callable[[str], Any]
    save: Callable[[UserProfile, Any], None]
    example: str


def _quiet(profile: UserProfile, hours: tuple[Any, Any]) -> None:
    profile.quiet_start, profile.quiet_end = hours


def _setter(name: str) -> Callable[[UserProfile, Any], None]:
    def save(profile: UserProfile, value: Any) -> None:
        setattr(profile, name, value)

    return save


SETTINGS = (
    Setting(
        "quiet",
        ("quiet hours", "quiet"),
        "🌙 Quiet hours",
        parse_quiet_hours,
        _quiet,
        "21:00-08:00",
    ),
    Setting(
        "followup",
        ("follow-up", "follow up", "followup"),
        "⏱ Follow-up delay",
        parse_delay,
        _setter("follow_up_after"),
        "1 day",
    ),
    Setting(
        "impact",
        ("impact update", "impact"),
        "📈 Impact update",
        parse_delay,
        _setter("impact_update_after"),
        "3 weeks",
    ),
    Setting(
        "promise",
        ("promise lead", "promises", "promise"),
        "🤝 Before promises",
        parse_lead,
        _setter("promise_lead"),
        "the day before",
    ),
    Setting(
        "birthday",
        ("birthday lead", "birthdays", "birthday"),
        "🎂 Before birthdays",
        parse_lead,
        _setter("birthday_lead"),
        "3 days",
    ),
    Setting(
        "nudges",
        ("nudges per day", "nudges a day", "nudges", "cap"),
        "🧮 Nudges a day",
        parse_nudge_cap,
        _setter("nudges_per_day"),
        "3",
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}
ZONE_WORDS = ("time zone", "timezone", "zone", "tz")
# The digests' own settings live with them (bot/engine/insight/digest_settings.py).
DIGEST_WORDS = {
    "digest": ("morning digest", "digests", "digest"),
    "weekly": ("weekly review", "weekly", "week"),
}


def register(router: Router) -> None:
    """Register /settings, its buttons and the flow that reads typed answers."""

    @router.command(
        "settings",
        "Time zone, quiet hours, reminder timing",
        usage="[timezone | quiet | followup | impact | promise | birthday | nudges | digest]",
    )
    def settings(turn: Turn, args: str) -> list[Reply]:
        if not args:
            return [_overview(turn)]
        lowered = args.lower()
        if (words := _starts(lowered, ZONE_WORDS)) is not None:
            return _zone(turn, args[len(words) :].strip())
        for which, names in DIGEST_WORDS.items():
            if (words := _starts(lowered, names)) is not None:
                return digest_settings.apply(turn, which, args[len(words) :].strip())
        for setting in SETTINGS:
            if (words := _starts(lowered, setting.words)) is not None:
                return _apply(turn, setting, args[len(words) :].strip())
        return [_overview(turn, unknown=args)]

    @router.action("settings.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        which = str(payload.get("which", ""))
        if which == "tz":
            return [ask_timezone(turn)]
        setting = BY_KEY.get(which)
        if setting is None:
            return [turn.notice("stale_button")]
        return [_ask(turn, setting)]

    @router.flow(FLOW, ends_on_command=True)
    def typed(turn: Turn, text: str) -> list[Reply]:
        setting = BY_KEY.get(str((turn.flow() or {}).get("which", "")))
        if setting is None:
            turn.end_flow()
            return [_overview(turn)]
        return _apply(turn, setting, text)

    @router.action("settings.show")
    def show(turn: Turn, payload: Payload) -> list[Reply]:
        return in_place([_overview(turn)])


def _starts(text: str, words: tuple[str, ...]) -> str | None:
    for word in sorted(words, key=len, reverse=True):
        if text == word or text.startswith(word + " "):
            return word
    return None


def _ask(turn: Turn, setting: Setting) -> Reply:
    turn.start_flow(FLOW, which=setting.key)
    return replace(
        turn.say("settings/ask", which=setting.key), placeholder=f"e.g. {setting.example}"
    )


def _zone(turn: Turn, value: str) -> list[Reply]:
    if not value:
        return [ask_timezone(turn)]
    zone = parse_timezone(value)
    if zone is None:
        return [turn.say("settings/invalid", which="tz", text=value)]
    return [set_timezone(turn, zone)]


def _apply(turn: Turn, setting: Setting, value: str) -> list[Reply]:
    """Save one setting from typed text; on nonsense, explain and keep the old value."""
    if not value:
        return [_ask(turn, setting)]
    parsed = setting.parse(value)
    if parsed is None:
        return [turn.say("settings/invalid", which=setting.key, text=value)]
    profile = turn.profile
    setting.save(profile, parsed)
    turn.store.save_profile(profile)
    if (turn.flow() or {}).get("name") == FLOW:
        turn.end_flow()
    plan = replan_reminders(turn)
    return [_overview(turn, saved=setting.key, moved=len(plan.changed))]


def _overview(turn: Turn, *, saved: str = "", unknown: str = "", moved: int = 0) -> Reply:
    profile = turn.profile
    buttons = [Button("🌍 Time zone", payload={"op": "settings.ask", "which": "tz"})]
    buttons += [Button(s.button, payload={"op": "settings.ask", "which": s.key}) for s in SETTINGS]
    buttons.append(Button("📰 Digests", payload={"op": "ins.digests"}))
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return turn.say(
        "settings/overview",
        profile=profile,
        zone=zone_label(profile.timezone),
        local=turn.local(turn.now),
        quiet_off=(profile.quiet_start, profile.quiet_end) == NO_QUIET,
        saved=saved,
        unknown=unknown,
        moved=moved,
        buttons=rows,
    )
