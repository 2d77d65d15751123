"""The first-run question every reminder depends on: the user's time zone."""

from __future__ import annotations

from bot.domain.timezones import parse_timezone, zone_label
from bot.engine.replanning import replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

FLOW = "onboarding.timezone"
NOTE_WORDS = 4
COMMON_ZONES = (
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("New York", "America/New_York"),
    ("San Francisco", "America/Los_Angeles"),
    ("India", "Asia/Kolkata"),
    ("UTC", "UTC"),
)


def ask_timezone(turn: Turn) -> Reply:
    """Ask for the time zone (tap a common one or type a city); typed text goes to the flow."""
    turn.start_flow(FLOW)
    buttons = [
        Button(label, payload={"op": "onboarding.tz", "zone": zone}) for label, zone in COMMON_ZONES
    ]
    return turn.say(
        "timezone_question",
        current=zone_label(turn.profile.timezone),
        buttons=(tuple(buttons[:3]), tuple(buttons[3:])),
    )


def set_timezone(turn: Turn, zone: str) -> Reply:
    """Save `zone` (an IANA name) as the user's confirmed time zone, and replan for it."""
    profile = turn.profile
    profile.timezone, profile.timezone_confirmed = zone, True
    turn.store.save_profile(profile)
    if (turn.flow() or {}).get("name") == FLOW:
        turn.end_flow()
    moved = replan_reminders(turn).changed
    return turn.say(
        "timezone_set", zone=zone_label(zone), local=turn.local(turn.now), moved=len(moved)
    )


def register(router: Router) -> None:
    """Register the time-zone answer (typed or tapped)."""

    @router.flow(FLOW)
    def typed(turn: Turn, text: str) -> list[Reply]:
        zone = parse_timezone(text)
        if zone is not None:
            return [set_timezone(turn, zone)]
        if len(text.split()) > NOTE_WORDS and router.plain_text is not None:
            # Not an answer but a note: don't trap a new user in the question.
            turn.end_flow()
            return router.plain_text(turn, text)
        return [turn.say("timezone_unknown", text=text)]

    @router.action("onboarding.tz")
    def tapped(turn: Turn, payload: Payload) -> list[Reply]:
        zone = parse_timezone(str(payload.get("zone", "")))
        return in_place([set_timezone(turn, zone)]) if zone else [turn.notice("stale_button")]
