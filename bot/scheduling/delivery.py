"""One user's delivery steps, each run with that user's store locked.

    claim   due reminders -> SENDING (attempts + 1), saved and fsynced before sending
    record  SENDING -> DELIVERED once the channel confirmed the message
    release SENDING -> PENDING after a transient error or a block
    settle  put the user's true next delivery time in the due index

A crash after `claim` leaves reminders SENDING; the next start sends them
again. So each reminder is delivered at least once, and twice only if the
process dies between the channel's confirmation and the send journal's
fsync (see sent_journal.py), or if the channel delivered but reported a
failure (a timeout after Telegram accepted the message).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.insight.digests import DIGEST_KINDS
from bot.domain.model import Reminder, ReminderStatus
from bot.domain.reminders.planning import next_occurrence
from bot.domain.reminders.timing import deliverable_at
from bot.engine.reminders import RETRY_STATE
from bot.engine.replies import Reply
from bot.storage.repository import UserStore

log = logging.getLogger(__name__)

MAX_PER_MESSAGE = 6
USER_LEVEL = ""
WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)


@dataclass(frozen=True)
class Batch:
    """One message to send and the reminders it carries."""

    reminder_ids: list[str]
    reply: Reply
    # Each reminder's claim number: tells this send apart from a later one.
    attempts: dict[str, int]


def due_now(store: UserStore, now: datetime) -> list[Reminder]:
    """Return reminders that should go out now, oldest first ([] while paused or backing off)."""
    profile = store.profile()
    retry_at = _retry_at(store)
    if profile.paused or (retry_at is not None and retry_at > now):
        return []
    waiting = store.reminders(WAITING)
    due = [
        r
        for r in waiting
        if r.status is ReminderStatus.SENDING or deliverable_at(r.due_at, profile) <= now
    ]
    return sorted(due, key=lambda r: (r.due_at, r.id))


def claim(store: UserStore, reminders: Sequence[Reminder]) -> list[Reminder]:
    """Mark `reminders` SENDING and durably save them; drop those whose contact is gone.

    A user-level reminder (no contact: the digests) is never an orphan.
    """
    known = {c.id for c in store.contacts()} | {USER_LEVEL}
    claimed = [
        replace(r, status=ReminderStatus.SENDING, attempts=r.attempts + 1)
        for r in reminders
        if r.contact_id in known
    ]
    orphans = [
        replace(r, status=ReminderStatus.CANCELLED) for r in reminders if r.contact_id not in known
    ]
    store.save_reminders([*claimed, *orphans])
    return claimed


def chunks(reminders: Sequence[Reminder]) -> list[list[Reminder]]:
    """Split a user's due reminders into messages of at most MAX_PER_MESSAGE."""
    return [
        list(reminders[i : i + MAX_PER_MESSAGE]) for i in range(0, len(reminders), MAX_PER_MESSAGE)
    ]


def record(store: UserStore, claims: dict[str, int], now: datetime) -> None:
    """Mark the sent reminders (id -> claim attempt) DELIVERED; plan next year's yearly ones."""
    profile = store.profile()
    updates: list[Reminder] = []
    for reminder_id, attempt in claims.items():
        reminder = store.reminder(reminder_id)
        if (
            reminder is None
            or reminder.status is not ReminderStatus.SENDING
            or reminder.attempts != attempt
        ):
            continue  # the user acted on it meanwhile, or this is an older send
        # A digest has nothing to answer: it is done once it arrived.
        status = ReminderStatus.DONE if reminder.kind in DIGEST_KINDS else ReminderStatus.DELIVERED
        updates.append(replace(reminder, status=status, delivered_at=now))
        following = next_occurrence(reminder, profile, now)
        if following is not None:
            updates.append(following)
    store.save_reminders(updates)
    if store.state(RETRY_STATE) is not None:
        store.set_state(RETRY_STATE, None)


def release(
    store: UserStore,
    reminder_ids: Sequence[str],
    now: datetime,
    *,
    retry_after: timedelta | None = None,
    block: bool = False,
) -> None:
    """Put unsent reminders back to PENDING, and back off or pause the user."""
    back = []
    for reminder_id in reminder_ids:
        reminder = store.reminder(reminder_id)
        if reminder is not None and reminder.status is ReminderStatus.SENDING:
            back.append(replace(reminder, status=ReminderStatus.PENDING))
    store.save_reminders(back)
    if retry_after is not None:
        store.set_state(RETRY_STATE, {"retry_at": (now + retry_after).isoformat()})
    if block:
        profile = store.profile()
        profile.paused = True
        store.save_profile(profile)


def next_delivery(store: UserStore, now: datetime) -> datetime | None:
    """Return when this user next needs a delivery attempt, or None (nothing, or paused)."""
    profile = store.profile()
    if profile.paused:
        return None
    waiting = store.reminders(WAITING)
    if not waiting:
        return None
    earliest = min(
        now if r.status is ReminderStatus.SENDING else deliverable_at(r.due_at, profile)
        for r in waiting
    )
    retry_at = _retry_at(store)
    return earliest if retry_at is None else max(earliest, retry_at)


def backoff(attempts: int) -> timedelta:
    """Wait 5 s, 10 s, 20 s ... up to an hour between attempts after a transient error."""
    return timedelta(seconds=min(5 * 2 ** max(0, attempts - 1), 3600))


def _retry_at(store: UserStore) -> datetime | None:
    state = store.state(RETRY_STATE)
    return datetime.fromisoformat(str(state["retry_at"])) if state else None
