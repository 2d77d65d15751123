"""When a user next needs a delivery attempt, and which channel delivers to them.

Every store computes this when a turn commits a change to reminders or the
profile, and publishes it in the schedule (the due index), so the delivery
service never has to open a store to know whom to serve next.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.model import Reminder, ReminderStatus, UserProfile
from bot.domain.reminders.timing import deliverable_at

TELEGRAM = "telegram"
TERMINAL = "terminal"
WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)


def channel_of(profile: UserProfile) -> str:
    """The channel that delivers to this user.

    Profiles saved before channels were recorded belong to Telegram when the
    id is a Telegram user id (digits), else to the terminal.
    """
    if profile.channel:
        return profile.channel
    return TELEGRAM if profile.user_id.isdigit() else TERMINAL


def next_attempt(profile: UserProfile, reminders: Iterable[Reminder]) -> datetime | None:
    """Return when the earliest waiting reminder may go out (None: nothing, or paused)."""
    if profile.paused:
        return None
    times = [when for r in reminders if (when := attempt_at(profile, r)) is not None]
    return min(times, default=None)


def attempt_at(profile: UserProfile, reminder: Reminder) -> datetime | None:
    """When this reminder may next go out (None: it is not waiting), ignoring a pause.

    A reminder being sent counts from its lease or backoff (`retry_at`), or at
    once when it has neither: its sender may have died.
    """
    if reminder.status is ReminderStatus.PENDING:
        when = deliverable_at(reminder.due_at, profile)
    elif reminder.status is ReminderStatus.SENDING:
        when = reminder.due_at
    else:
        return None
    if reminder.retry_at is not None and reminder.retry_at > when:
        when = reminder.retry_at
    return when
