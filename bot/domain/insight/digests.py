"""When the digests are due: user-level reminders that replan themselves.

The morning digest and the weekly review are ordinary reminders with no
contact (`contact_id == ""`), so the reminder service delivers them like any
other: at local time, after quiet hours, once. Each delivery plans the next
(`next_digest`), strictly after the moment it went out, so a late delivery
(the bot was down) never leads to a second one the same day or week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.ids import new_id
from bot.domain.model import Reminder, ReminderKind, ReminderStatus, UserProfile
from bot.domain.reminders.timing import at_local, morning_of

DIGEST_KINDS = (ReminderKind.MORNING_DIGEST, ReminderKind.WEEKLY_REVIEW)
USER_LEVEL = ""


def digest_at(profile: UserProfile, kind: ReminderKind, after: datetime) -> datetime | None:
    """The first time strictly after `after` that `kind` is due, or None if it is turned off."""
    zone = ZoneInfo(profile.timezone)
    day = after.astimezone(zone).date()
    if kind is ReminderKind.MORNING_DIGEST:
        if not profile.morning_digest:
            return None
        for offset in range(3):  # today's morning, or tomorrow's (a DST gap: the next)
            moment = morning_of(day + timedelta(days=offset), zone)
            if moment > after:
                return moment
        raise AssertionError("no morning within three days")
    if kind is ReminderKind.WEEKLY_REVIEW:
        if not profile.weekly_review:
            return None
        ahead = (profile.weekly_review_day - day.weekday()) % 7
        for weeks in range(3):
            moment = at_local(
                day + timedelta(days=ahead + 7 * weeks), profile.weekly_review_time, zone
            )
            if moment > after:
                return moment
        raise AssertionError("no review time within three weeks")
    raise ValueError(f"{kind} is not a digest")


def next_digest(reminder: Reminder, profile: UserProfile, now: datetime) -> Reminder | None:
    """The next occurrence of a delivered digest reminder, or None once turned off."""
    due = digest_at(profile, reminder.kind, max(now, reminder.due_at))
    if due is None:
        return None
    return Reminder(
        id=new_id("r"), kind=reminder.kind, due_at=due, contact_id=USER_LEVEL, created_at=now
    )


def plan_digests(
    profile: UserProfile, open_reminders: Sequence[Reminder], now: datetime
) -> list[Reminder]:
    """Reminders to save so each digest the profile wants is planned once, at the right time.

    Creates a missing one, moves one the settings or time zone moved, and
    cancels those turned off or doubled. One already due (waiting for the
    service) or being sent is left alone. Returns [] when all is in order.
    """
    changes: list[Reminder] = []
    for kind in DIGEST_KINDS:
        mine = [r for r in open_reminders if r.kind is kind and r.contact_id == USER_LEVEL]
        sending = [r for r in mine if r.status is not ReminderStatus.PENDING]
        pending = sorted(
            (r for r in mine if r.status is ReminderStatus.PENDING), key=lambda r: r.due_at
        )
        wanted = digest_at(profile, kind, now)
        if wanted is None:
            changes += [replace(r, status=ReminderStatus.CANCELLED) for r in pending]
            continue
        keep, extra = (pending[0], pending[1:]) if pending else (None, [])
        changes += [replace(r, status=ReminderStatus.CANCELLED) for r in extra]
        if keep is None and not sending:
            changes.append(
                Reminder(
                    id=new_id("r"), kind=kind, due_at=wanted, contact_id=USER_LEVEL, created_at=now
                )
            )
        elif keep is not None and keep.due_at > now and keep.due_at != wanted:
            changes.append(replace(keep, due_at=wanted))
    return changes
