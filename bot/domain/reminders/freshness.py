"""What a reminder should say when it finally goes out: merged, reworded or dropped.

A reminder planned for Tuesday may go out months later (the bot was down, or
the user paused it). Just before delivery, `freshen` looks at what is due and
makes it true today: luck is no longer wished for an event that has passed
(asking how it went replaces it); a follow-up "while it's fresh" that is days
late becomes a keep-in-touch nudge; a birthday long gone is let go; two nudges
about one person in one message become one; and keep-in-touch nudges beyond
the daily cap wait for the next morning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus, UserProfile
from bot.domain.reminders.planning import OPEN, next_occurrence
from bot.domain.reminders.timing import morning_of

# A follow-up this late no longer catches the conversation fresh.
FRESH_FOR = timedelta(days=3)
# A birthday missed by more than this is let go until next year.
BELATED_FOR = timedelta(days=7)
# A keep-in-touch nudge folded into another about the same person comes back after this.
PUT_OFF = timedelta(days=7)
# Kinds that already mean "get in touch with them": a keep-in-touch nudge beside one is
# redundant (and a follow-up beside a thank-you: the thank-you is the follow-up).
_REACHING_OUT = frozenset(
    {
        ReminderKind.GRATITUDE,
        ReminderKind.PROMISE,
        ReminderKind.EVENT_FOLLOW_UP,
        ReminderKind.BIRTHDAY,
        ReminderKind.IMPACT_UPDATE,
        ReminderKind.FOLLOW_UP,
        ReminderKind.CUSTOM,
    }
)


@dataclass
class Freshened:
    """What to send now, and every reminder changed on the way (to save)."""

    send: list[Reminder] = field(default_factory=list)
    changed: list[Reminder] = field(default_factory=list)
    # Keep-in-touch nudges among `send`, for the daily cap.
    nudges: int = 0


def is_late(reminder: Reminder, now: datetime) -> bool:
    """True when a reminder goes out so late that its wording should say so."""
    return now - reminder.due_at > FRESH_FOR


def freshen(
    due: Sequence[Reminder],
    open_reminders: Sequence[Reminder],
    contacts: Sequence[Contact],
    profile: UserProfile,
    now: datetime,
    *,
    nudged_today: int = 0,
) -> Freshened:
    """Make the reminders about to go out (`due`, in order) right for `now`.

    Reminders already being sent (SENDING, after a crash) go out as claimed.
    """
    zone = ZoneInfo(profile.timezone)
    others = [r for r in open_reminders if r.status in OPEN]
    fresh = _Fresh(zone, now, {c.id: c for c in contacts}, others)
    for reminder in due:
        fresh.take(reminder, profile)
    fresh.merge_per_person()
    fresh.cap(profile.nudges_per_day, nudged_today)
    return fresh.result()


class _Fresh:
    def __init__(
        self, zone: ZoneInfo, now: datetime, contacts: dict[str, Contact], others: list[Reminder]
    ) -> None:
        self.zone = zone
        self.now = now
        self.today = now.astimezone(zone).date()
        self.contacts = contacts
        self.others = others
        # (contact, event day) -> the "how did it go?" reminders already open for it.
        self.asked: dict[tuple[str, date | None], set[str]] = {}
        for r in others:
            if r.kind is ReminderKind.EVENT_FOLLOW_UP:
                self.asked.setdefault((r.contact_id, r.on), set()).add(r.id)
        self.batch: list[Reminder] = []
        self.changed: dict[str, Reminder] = {}
        self.nudges = 0

    def result(self) -> Freshened:
        return Freshened(self.batch, list(self.changed.values()), self.nudges)

    def drop(self, reminder: Reminder) -> None:
        self.changed[reminder.id] = replace(reminder, status=ReminderStatus.CANCELLED)

    def keep(self, reminder: Reminder, original: Reminder) -> None:
        if reminder != original:
            self.changed[reminder.id] = reminder
        self.batch.append(reminder)

    def take(self, reminder: Reminder, profile: UserProfile) -> None:
        """Reword or drop one due reminder, adding what is left to the batch."""
        if reminder.status is ReminderStatus.SENDING:
            self.batch.append(reminder)
            return
        contact = self.contacts.get(reminder.contact_id)
        kind = reminder.kind
        if kind is ReminderKind.FOLLOW_UP:
            turned = self.follow_up(reminder)
            if turned is None:
                self.drop(reminder)
            else:
                self.keep(turned, reminder)
        elif (
            kind is ReminderKind.EVENT_FOLLOW_UP
            and contact is not None
            and self.talked_since(contact, reminder)
        ):
            self.drop(reminder)
        elif kind in (ReminderKind.BIRTHDAY, ReminderKind.YEARLY) and self.long_gone(reminder):
            self.drop(reminder)
            following = next_occurrence(reminder, profile, self.now)
            # Replanning brings a known birthday back; anything else needs its next year here.
            known_birthday = contact is not None and contact.birthday is not None
            if following is not None and not (kind is ReminderKind.BIRTHDAY and known_birthday):
                self.changed[following.id] = following
        else:
            self.batch.append(reminder)

    def follow_up(self, reminder: Reminder) -> Reminder | None:
        if reminder.on is not None and reminder.on < self.today:
            # Their event has passed: ask how it went instead of wishing luck,
            # unless that question is already planned.
            if self.asked.get((reminder.contact_id, reminder.on), set()) - {reminder.id}:
                return None
            return replace(reminder, kind=ReminderKind.EVENT_FOLLOW_UP)
        if is_late(reminder, self.now) and reminder.on is None:
            # "While the conversation is fresh" is days gone: it is a keep-in-touch nudge now.
            return replace(reminder, kind=ReminderKind.KEEP_IN_TOUCH, text="")
        return reminder

    def talked_since(self, contact: Contact, reminder: Reminder) -> bool:
        last = contact.last_interaction_at
        event_day = reminder.on or (
            reminder.due_at.astimezone(self.zone).date() - timedelta(days=1)
        )
        return last is not None and last.astimezone(self.zone).date() > event_day

    def long_gone(self, reminder: Reminder) -> bool:
        day = reminder.on or reminder.due_at.astimezone(self.zone).date()
        return day < self.today - BELATED_FOR

    def merge_per_person(self) -> None:
        """One line per thing to do for each person: drop repeats and overlaps."""
        seen: set[tuple[object, ...]] = set()
        unique: list[Reminder] = []
        for reminder in self.batch:
            key: tuple[object, ...] = (reminder.contact_id, reminder.kind)
            if reminder.kind is not ReminderKind.KEEP_IN_TOUCH:
                key += (reminder.on, reminder.text.casefold())
            repeat = key in seen and bool(reminder.contact_id)
            if reminder.status is not ReminderStatus.SENDING and repeat:
                self.drop(reminder)
                continue
            seen.add(key)
            unique.append(reminder)
        reaching = {r.contact_id for r in unique if r.contact_id and r.kind in _REACHING_OUT}
        thanked = {r.contact_id for r in unique if r.kind is ReminderKind.GRATITUDE}
        self.batch = []
        for reminder in unique:
            if reminder.status is not ReminderStatus.SENDING and reminder.contact_id in reaching:
                if reminder.kind is ReminderKind.FOLLOW_UP and reminder.contact_id in thanked:
                    self.drop(reminder)  # the thank-you is the follow-up
                    continue
                if reminder.kind is ReminderKind.KEEP_IN_TOUCH:
                    self.put_off(reminder, PUT_OFF)  # they hear from you anyway
                    continue
            self.batch.append(reminder)

    def put_off(self, reminder: Reminder, delay: timedelta) -> None:
        later = morning_of(self.today + timedelta(days=delay.days), self.zone)
        self.changed[reminder.id] = replace(reminder, due_at=later, not_before=later)

    def cap(self, cap: int, nudged_today: int) -> None:
        """At most `cap` keep-in-touch nudges today; the rest wait for tomorrow morning."""
        count = nudged_today
        kept = []
        for reminder in self.batch:
            waiting = reminder.status is not ReminderStatus.SENDING
            if reminder.kind is ReminderKind.KEEP_IN_TOUCH and waiting:
                if cap > 0 and count >= cap:
                    tomorrow = morning_of(self.today + timedelta(days=1), self.zone)
                    self.changed[reminder.id] = replace(reminder, due_at=tomorrow)
                    continue
                count += 1
            kept.append(reminder)
        self.batch = kept
        self.nudges = count - nudged_today
