"""Human delivery times: local mornings, quiet hours and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.model import UserProfile

# Planned reminders land at this local time: early enough to act on the same day.
MORNING = time(9, 0)


def at_local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Return the UTC moment the wall clock in `zone` shows `clock` on `day`.

    A wall time skipped by a spring-forward change resolves to the same
    distance after the change (02:30 becomes 03:30); an ambiguous one picks
    the first occurrence.
    """
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def in_quiet_hours(moment: datetime, zone: ZoneInfo, start: time, end: time) -> bool:
    """Tell whether `moment` falls in the daily quiet window [start, end) in `zone`."""
    wall = moment.astimezone(zone).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def next_allowed(moment: datetime, zone: ZoneInfo, start: time, end: time) -> datetime:
    """Return `moment`, or when the quiet hours around it end (UTC)."""
    if not in_quiet_hours(moment, zone, start, end):
        return moment
    local = moment.astimezone(zone)
    day = local.date()
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += timedelta(days=1)  # late evening: quiet hours end tomorrow morning
    return max(moment, at_local(day, end, zone))


def deliverable_at(due_at: datetime, profile: UserProfile) -> datetime:
    """Return when a reminder due at `due_at` may be delivered to this user."""
    return next_allowed(due_at, ZoneInfo(profile.timezone), profile.quiet_start, profile.quiet_end)


def deliverable_from(due_at: datetime, profile: UserProfile, now: datetime) -> datetime:
    """When a reminder due at `due_at` may go out, seen at `now`.

    One overdue since the morning is still held by quiet hours that started since:
    after downtime it waits for their end instead of going out in the night.
    """
    return deliverable_at(max(due_at, now), profile)


def quiet_now(profile: UserProfile, now: datetime) -> bool:
    """True while it is the user's quiet hours: nothing is delivered to them."""
    return deliverable_at(now, profile) > now


# Replanning asks these for every contact on every change, mostly the same days again:
# cached, they cost a look-up instead of two time zone conversions.
@lru_cache(maxsize=16384)
def morning_of(day: date, zone: ZoneInfo) -> datetime:
    """Return 09:00 on `day` in `zone`, in UTC."""
    return at_local(day, MORNING, zone)


@lru_cache(maxsize=16384)
def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The day `moment` falls on in `zone`."""
    return moment.astimezone(zone).date()


def next_yearly(month: int, day: int, after: datetime, zone: ZoneInfo) -> datetime:
    """Return the next morning (strictly after `after`) that is `day`.`month`.

    29 February falls on 28 February in years without one.
    """
    year = after.astimezone(zone).year
    while True:
        candidate = morning_of(safe_date(year, month, day), zone)
        if candidate > after:
            return candidate
        year += 1


def safe_date(year: int, month: int, day: int) -> date:
    """`date(year, month, day)`, or the month's last day when it has fewer days."""
    try:
        return date(year, month, day)
    except ValueError:
        return safe_date(year, month, day - 1)
