"""What needs the user's attention now: the lines of /due, ranked.

Sections come in a fixed order, most binding first, and each is ranked inside:

    waiting     reminders already delivered and not answered, longest waiting first
    promise     your promises due by tomorrow (or late), latest deadline last
    gratitude   thank-yous owed, oldest first
    follow-up   follow-ups and impact updates due by tomorrow (the conference evening)
    event       their events in the coming week, and "ask how it went" due by tomorrow
    keep        keep-in-touch past the tier's cadence, most overdue (as a multiple) first

Every open reminder due soon is its own line; a line without one (their
event, an overdue keep-in-touch) is shown only when no reminder already
covers that person in that section.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, FactKind, Reminder, ReminderKind, ReminderStatus

# Kinds delivered to the user about themselves, not about a contact.
USER_LEVEL = frozenset({ReminderKind.MORNING_DIGEST, ReminderKind.WEEKLY_REVIEW})
OPEN = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED})
EVENT_HORIZON = timedelta(days=7)
BIRTHDAY_HORIZON = timedelta(days=3)


class Section(IntEnum):
    """The sections of /due, in the order they are shown."""

    WAITING = 0
    PROMISE = 1
    GRATITUDE = 2
    FOLLOW_UP = 3
    EVENT = 4
    KEEP = 5


@dataclass(frozen=True)
class Need:
    """One line of /due."""

    section: Section
    contact: Contact
    # The reminder behind the line (its buttons act on it), or None for a remembered event.
    reminder: Reminder | None
    # The moment that ranks the line: a deadline, an event day, a delivery time.
    when: datetime
    text: str = ""
    # For keep-in-touch: time since last contact as a multiple of the cadence.
    overdue_ratio: float = 0.0
    since_last: timedelta = timedelta(0)


def needs_attention(
    contacts: Iterable[Contact],
    reminders: Iterable[Reminder],
    now: datetime,
    zone: ZoneInfo,
) -> list[Need]:
    """Return every line of /due, ranked (see the module docstring)."""
    people = {c.id: c for c in contacts}
    today = now.astimezone(zone).date()
    by_tomorrow = _end_of(today + timedelta(days=1), zone)
    found: list[Need] = []
    # Each reminder is one line; a line with no reminder is one per person and section.
    taken: set[tuple[str, str]] = set()
    covered: set[tuple[Section, str]] = set()

    def add(need: Need) -> None:
        key = ("r", need.reminder.id) if need.reminder else (need.section.name, need.contact.id)
        if key in taken or (need.reminder is None and (need.section, need.contact.id) in covered):
            return
        taken.add(key)
        covered.add((need.section, need.contact.id))
        found.append(need)

    open_ = sorted(
        (r for r in reminders if r.status in OPEN and r.kind not in USER_LEVEL),
        key=lambda r: (r.due_at, r.id),
    )
    kit_waiting: set[str] = set()
    for reminder in open_:
        contact = people.get(reminder.contact_id)
        if contact is None:
            continue
        if reminder.status is ReminderStatus.DELIVERED:
            add(Need(Section.WAITING, contact, reminder, reminder.delivered_at or reminder.due_at))
            if reminder.kind is ReminderKind.KEEP_IN_TOUCH:
                kit_waiting.add(contact.id)
            continue
        section = _pending_section(reminder, today, by_tomorrow, zone)
        if section is not None:
            add(Need(section, contact, reminder, reminder.due_at, reminder.text))
    for contact, fact_text, on in _upcoming_events(people.values(), today):
        add(Need(Section.EVENT, contact, None, _start_of(on, zone), fact_text))
    kit = {r.contact_id: r for r in open_ if r.kind is ReminderKind.KEEP_IN_TOUCH}
    for contact in people.values():
        since = now - last_touch(contact)
        ratio = since / contact.cadence
        if contact.drifting or ratio < 1 or contact.id in kit_waiting:
            continue
        add(
            Need(
                Section.KEEP,
                contact,
                kit.get(contact.id),
                last_touch(contact) + contact.cadence,
                overdue_ratio=ratio,
                since_last=since,
            )
        )
    return sorted(found, key=_rank)


def _pending_section(
    reminder: Reminder, today: date, by_tomorrow: datetime, zone: ZoneInfo
) -> Section | None:
    """Which section a reminder not yet delivered belongs to, if it is due soon enough."""
    kind = reminder.kind
    if kind is ReminderKind.BIRTHDAY:
        soon = reminder.due_at.astimezone(zone).date() <= today + BIRTHDAY_HORIZON
        return Section.EVENT if soon else None
    if reminder.due_at > by_tomorrow:
        return None
    return {
        ReminderKind.PROMISE: Section.PROMISE,
        ReminderKind.GRATITUDE: Section.GRATITUDE,
        ReminderKind.FOLLOW_UP: Section.FOLLOW_UP,
        ReminderKind.IMPACT_UPDATE: Section.FOLLOW_UP,
        ReminderKind.EVENT_FOLLOW_UP: Section.EVENT,
        ReminderKind.CUSTOM: Section.FOLLOW_UP,
    }.get(kind)


def _upcoming_events(
    contacts: Iterable[Contact], today: date
) -> Iterable[tuple[Contact, str, date]]:
    """Their dated events from today to a week ahead (the day after is a reminder's job)."""
    for contact in contacts:
        for fact in contact.facts:
            ahead = fact.on is not None and today <= fact.on <= today + EVENT_HORIZON
            if fact.kind is FactKind.EVENT and ahead:
                assert fact.on is not None
                yield contact, fact.text, fact.on


def _rank(need: Need) -> tuple[int, float, str]:
    if need.section is Section.KEEP:
        return (need.section, -need.overdue_ratio, need.contact.name)
    return (need.section, need.when.timestamp(), need.contact.name)


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return _start_of(day + timedelta(days=1), zone)


def counts(needs: Iterable[Need]) -> Mapping[Section, int]:
    """How many lines each section has (for a one-line summary)."""
    tally: dict[Section, int] = {}
    for need in needs:
        tally[need.section] = tally.get(need.section, 0) + 1
    return tally
