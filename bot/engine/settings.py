"""/settings: time zone, quiet hours and reminder delays."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.reminders.preferences import NO_QUIET, parse_delay, parse_quiet_hours
from bot.domain.timezones import parse_timezone
from bot.engine.insight import digest_settings
from bot.engine.onboarding import ask_timezone, set_timezone
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# Each editable setting: the flow that receives the typed answer and the words naming it.
QUIET_FLOW = "settings.quiet"
FOLLOW_UP_FLOW = "settings.followup"
IMPACT_FLOW = "settings.impact"
ALIASES = {
    "timezone": "tz",
    "time zone": "tz",
    "zone": "tz",
    "tz": "tz",
    "quiet": "quiet",
    "quiet hours": "quiet",
    "followup": "followup",
    "follow-up": "followup",
    "follow up": "followup",
    "impact": "impact",
    "digest": "digest",
    "morning digest": "digest",
    "digests": "digest",
    "weekly review": "weekly",
    "weekly": "weekly",
    "week": "weekly",
}


def register(router: Router) -> None:
    """Register /settings, its buttons and the flows that read typed answers."""

    @router.command(
        "settings",
        "Time zone, quiet hours, reminder timing",
        usage="[quiet | followup | impact | timezone | digest | weekly]",
    )
    def settings(turn: Turn, args: str) -> list[Reply]:
        if not args:
            return [_overview(turn)]
        for words in sorted(ALIASES, key=len, reverse=True):
            if args.lower().startswith(words):
                return _apply(turn, ALIASES[words], args[len(words) :].strip())
        return [_overview(turn, unknown=args)]

    @router.action("settings.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        which = str(payload.get("which", ""))
        if which == "tz":
            return [ask_timezone(turn)]
        flow = {"quiet": QUIET_FLOW, "followup": FOLLOW_UP_FLOW, "impact": IMPACT_FLOW}.get(which)
        if flow is None:
            return [turn.say("stale_button")]
        turn.start_flow(flow)
        return [turn.say("settings/ask", which=which)]

    def typed(which: str) -> Callable[[Turn, str], list[Reply]]:
        def answer(turn: Turn, text: str) -> list[Reply]:
            return _apply(turn, which, text)

        return answer

    for which, flow in (
        ("quiet", QUIET_FLOW),
        ("followup", FOLLOW_UP_FLOW),
        ("impact", IMPACT_FLOW),
    ):
        router.flow(flow, ends_on_command=True)(typed(which))


def _apply(turn: Turn, which: str, value: str) -> list[Reply]:
    """Save one setting from typed text; on nonsense, explain and keep the old value."""
    if which in ("digest", "weekly"):
        return digest_settings.apply(turn, which, value)
    if not value:
        if which == "tz":
            return [ask_timezone(turn)]
        turn.start_flow({"quiet": QUIET_FLOW, "followup": FOLLOW_UP_FLOW}.get(which, IMPACT_FLOW))
        return [turn.say("settings/ask", which=which)]
    profile = turn.profile
    if which == "tz":
        zone = parse_timezone(value)
        if zone is None:
            return [turn.say("settings/invalid", which=which, text=value)]
        return [set_timezone(turn, zone)]
    if which == "quiet":
        hours = parse_quiet_hours(value)
        if hours is None:
            return [turn.say("settings/invalid", which=which, text=value)]
        profile.quiet_start, profile.quiet_end = hours
    else:
        delay = parse_delay(value)
        if delay is None:
            return [turn.say("settings/invalid", which=which, text=value)]
        if which == "followup":
            profile.follow_up_after = delay
        else:
            profile.impact_update_after = delay
    turn.store.save_profile(profile)
    if (turn.flow() or {}).get("name") in (QUIET_FLOW, FOLLOW_UP_FLOW, IMPACT_FLOW):
        turn.end_flow()
    return [_overview(turn, saved=which)]


def _overview(turn: Turn, *, saved: str = "", unknown: str = "") -> Reply:
    profile = turn.profile
    buttons = (
        (
            Button("🌍 Time zone", payload={"op": "settings.ask", "which": "tz"}),
            Button("🌙 Quiet hours", payload={"op": "settings.ask", "which": "quiet"}),
        ),
        (
            Button("⏱ Follow-up delay", payload={"op": "settings.ask", "which": "followup"}),
            Button("📈 Impact update", payload={"op": "settings.ask", "which": "impact"}),
        ),
        (Button("📰 Digests", payload={"op": "ins.digests"}),),
    )
    return turn.say(
        "settings/overview",
        profile=profile,
        local=turn.local(turn.now),
        quiet_off=(profile.quiet_start, profile.quiet_end) == NO_QUIET,
        saved=saved,
        unknown=unknown,
        buttons=buttons,
    )
