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

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from bot.domain.insight.attention_index import AttentionIndex
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus
from bot.domain.reminders.refiling import Changed

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
    return top_needs(contacts, reminders, now, zone)[0]


def top_needs(
    contacts: Iterable[Contact],
    reminders: Iterable[Reminder],
    now: datetime,
    zone: ZoneInfo,
    limit: int | None = None,
    *,
    index: AttentionIndex | None = None,
    changed: tuple[object, Changed | None] = (None, None),
) -> tuple[list[Need], int]:
    """The first `limit` lines of /due (all when None), ranked, and how many there are.

    Only the lines shown are made. `index`, kept from an earlier call, is
    brought up to date with the records rather than built again: with a
    thousand people a turn then costs about what it costs with a hundred.
    `changed` is the store's mark and what changed since the index's (see
    AttentionIndex.refresh).
    """
    if index is None:
        index = AttentionIndex.of(contacts, reminders)
    else:
        index.refresh(contacts, reminders, changed=changed[1], mark=changed[0])
    people = index.contacts
    today = now.astimezone(zone).date()
    found: list[Need] = []
    # Each reminder is one line; a line with no reminder is one per person and section.
    covered: set[tuple[Section, str]] = set()
    lines: list[tuple[datetime, str, Section, Reminder]] = []
    for reminder in index.waiting.values():
        lines.append((reminder.due_at, reminder.id, Section.WAITING, reminder))
    for reminder in index.pending_by(_end_of(today + timedelta(days=1), zone)):
        section = _SECTION_OF.get(reminder.kind)
        if section is not None:
            lines.append((reminder.due_at, reminder.id, section, reminder))
    for reminder in index.birthdays_by(_end_of(today + BIRTHDAY_HORIZON, zone)):
        lines.append((reminder.due_at, reminder.id, Section.EVENT, reminder))
    kit_waiting: set[str] = set()
    for _, _, section, reminder in sorted(lines, key=lambda line: line[:2]):
        contact = people.get(reminder.contact_id)
        if contact is None:
            continue
        covered.add((section, contact.id))
        if section is Section.WAITING:
            found.append(
                Need(Section.WAITING, contact, reminder, reminder.delivered_at or reminder.due_at)
            )
            if reminder.kind is _KEEP:
                kit_waiting.add(contact.id)
            continue
        found.append(Need(section, contact, reminder, reminder.due_at, reminder.text))
    # Their events: the first one of each person (in their facts' order) that no line covers.
    first: dict[str, tuple[int, date, str]] = {}
    for on, cid, position, text in index.events_between(today, today + EVENT_HORIZON):
        if cid in people and (cid not in first or position < first[cid][0]):
            first[cid] = (position, on, text)
    for cid, (_, on, text) in first.items():
        if (Section.EVENT, cid) not in covered:
            found.append(Need(Section.EVENT, people[cid], None, _start_of(on, zone), text))
    found.sort(key=_rank)
    # Keep-in-touch comes last and has one line a person, made only as far as shown.
    overdue, count = index.overdue(now, kit_waiting)
    room = count if limit is None else max(0, limit - len(found))
    for contact, ratio, since, when in itertools.islice(overdue, room):
        found.append(
            Need(Section.KEEP, contact, index.latest_nudge(contact.id), when, "", ratio, since)
        )
    total = len(found) - min(room, count) + count
    return (found if limit is None else found[:limit]), total


_KEEP = ReminderKind.KEEP_IN_TOUCH
# Not yet delivered and due by tomorrow: the section each kind goes in.
_SECTION_OF = {
    ReminderKind.PROMISE: Section.PROMISE,
    ReminderKind.GRATITUDE: Section.GRATITUDE,
    ReminderKind.FOLLOW_UP: Section.FOLLOW_UP,
    ReminderKind.IMPACT_UPDATE: Section.FOLLOW_UP,
    ReminderKind.EVENT_FOLLOW_UP: Section.EVENT,
    ReminderKind.CUSTOM: Section.FOLLOW_UP,
}


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
