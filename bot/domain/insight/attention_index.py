"""The ranking behind /due, kept between turns so a turn looks only at what changed.

/due ranks every contact and open reminder. At 1,000 people that pass was
most of the command's cost, though a turn changes one or two records. The
index keeps them sorted by what ranks them (when a keep-in-touch falls due,
when a reminder is due, the day of an event) and, given the user's records
again, re-files only the records that are not the very objects it holds:
stores hand out the same object for a record until it is saved.

Everything that depends on the time is worked out when asked (by top_needs), so an
index stays right as the clock moves on.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, FactKind, Reminder, ReminderKind, ReminderStatus
from bot.domain.reminders.refiling import Changed, refile, refile_changed

# Bound once: on Python 3.11 a member looked up on its enum class costs more than the test.
_KEEP, _DELIVERED = ReminderKind.KEEP_IN_TOUCH, ReminderStatus.DELIVERED
_DONE, _CANCELLED = ReminderStatus.DONE, ReminderStatus.CANCELLED
_MORNING, _WEEKLY = ReminderKind.MORNING_DIGEST, ReminderKind.WEEKLY_REVIEW
_BIRTHDAY, _EVENT = ReminderKind.BIRTHDAY, FactKind.EVENT
_FIRST = itemgetter(0)

# (last touch, name, id): in one cadence, the earlier the last touch the more overdue.
_Keep = tuple[datetime, str, str]
# (due, id): reminders in the order they are ranked and listed.
_Due = tuple[datetime, str]
# (day, contact id, position in their facts, text).
_Event = tuple[date, str, int, str]


class AttentionIndex:
    """One user's contacts and open reminders, filed for /due (see the module docstring)."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.contacts: dict[str, Contact] = {}
        self.reminders: dict[str, Reminder] = {}
        self._keep: dict[timedelta, list[_Keep]] = {}  # per cadence, by last touch
        self._events: list[_Event] = []
        self._pending: list[_Due] = []  # not yet delivered, not birthdays: due by tomorrow
        self._birthdays: list[_Due] = []
        self.waiting: dict[str, Reminder] = {}  # delivered, not answered
        self.nudges: dict[str, dict[str, Reminder]] = {}  # contact -> open keep-in-touch
        self._put: Callable[[list[Any], Any], None] = insort
        self.mark: object = None  # the store's mark of the last refresh

    @classmethod
    def of(cls, contacts: Iterable[Contact], reminders: Iterable[Reminder]) -> AttentionIndex:
        """An index of these records, filed in one go."""
        index = cls()
        index._file_all(list(contacts), list(reminders))
        return index

    # -- keeping it up to date --------------------------------------------------------
    def refresh(
        self,
        contacts: Iterable[Contact],
        reminders: Iterable[Reminder],
        *,
        changed: Changed | None = None,
        mark: object = None,
    ) -> None:
        """Match the records given: those not the same objects as before are filed again.

        When many are new objects (a store that decodes afresh every turn, or a
        first call), everything is filed in one go and sorted once instead.
        `changed`, when the store can tell, holds every record that may have
        changed since the refresh that kept `self.mark` (see ReplanIndex.refresh):
        only those are looked at. `mark` is kept for next time.
        """
        contacts, reminders = list(contacts), list(reminders)
        if changed is not None:
            # Only the records named (their order does not matter here).
            filed = refile_changed(
                self.contacts, changed[0], self._add_contact, self._drop_contact
            ) and refile_changed(
                self.reminders, changed[1], self._add_reminder, self._drop_reminder
            )
            sizes = (len(self.contacts), len(self.reminders))
            if not (filed and sizes == (len(contacts), len(reminders))):
                self._file_all(contacts, reminders)
        elif not (
            refile(self.contacts, contacts, self._add_contact, self._drop_contact)
            and refile(self.reminders, reminders, self._add_reminder, self._drop_reminder)
        ):
            self._file_all(contacts, reminders)
        self.mark = mark

    def _file_all(self, contacts: list[Contact], reminders: list[Reminder]) -> None:
        self._clear()
        self._put = list.append  # sorted once below, not kept sorted entry by entry
        for contact in contacts:
            self.contacts[contact.id] = contact
            self._add_contact(contact)
        for reminder in reminders:
            self.reminders[reminder.id] = reminder
            self._add_reminder(reminder)
        filed: list[list[Any]] = [*self._keep.values(), self._events]
        for entries in (*filed, self._pending, self._birthdays):
            entries.sort()
        self._put = insort

    def _add_contact(self, contact: Contact) -> None:
        if not contact.drifting:  # left alone: never a keep-in-touch line
            self._put(self._keep.setdefault(contact.cadence, []), _keep_entry(contact))
        for entry in _event_entries(contact):
            self._put(self._events, entry)

    def _drop_contact(self, contact: Contact) -> None:
        if not contact.drifting:
            _remove(self._keep.get(contact.cadence, []), _keep_entry(contact))
        for entry in _event_entries(contact):
            _remove(self._events, entry)

    def _add_reminder(self, reminder: Reminder) -> None:
        filed = self._list_for(reminder)
        if filed is not None:
            self._put(filed, (reminder.due_at, reminder.id))
        if reminder.status is _DELIVERED and reminder.kind not in (_MORNING, _WEEKLY):
            self.waiting[reminder.id] = reminder
        if reminder.kind is _KEEP and reminder.status not in (_DONE, _CANCELLED):
            self.nudges.setdefault(reminder.contact_id, {})[reminder.id] = reminder

    def _drop_reminder(self, reminder: Reminder) -> None:
        filed = self._list_for(reminder)
        if filed is not None:
            _remove(filed, (reminder.due_at, reminder.id))
        self.waiting.pop(reminder.id, None)
        theirs = self.nudges.get(reminder.contact_id)
        if theirs is not None and theirs.pop(reminder.id, None) is not None and not theirs:
            del self.nudges[reminder.contact_id]

    def _list_for(self, reminder: Reminder) -> list[_Due] | None:
        """The sorted list a reminder not yet delivered is filed in, if it can make a line."""
        status, kind = reminder.status, reminder.kind
        if status is _DONE or status is _CANCELLED or status is _DELIVERED:
            return None
        if kind is _KEEP or kind is _MORNING or kind is _WEEKLY:
            return None  # a nudge not yet sent is a line only as keep-in-touch
        return self._birthdays if kind is _BIRTHDAY else self._pending

    # -- reading it ---------------------------------------------------------------------
    def latest_nudge(self, contact_id: str) -> Reminder | None:
        """The contact's latest open keep-in-touch nudge, if any."""
        theirs = self.nudges.get(contact_id)
        return max(theirs.values(), key=lambda r: (r.due_at, r.id)) if theirs else None

    def pending_by(self, moment: datetime) -> list[Reminder]:
        """Reminders not yet delivered (birthdays aside) due by `moment`, earliest first."""
        end = bisect_right(self._pending, moment, key=_FIRST)
        return [self.reminders[rid] for _, rid in self._pending[:end]]

    def birthdays_by(self, moment: datetime) -> list[Reminder]:
        """Birthday reminders not yet delivered due before `moment`, earliest first."""
        end = bisect_left(self._birthdays, moment, key=_FIRST)
        return [self.reminders[rid] for _, rid in self._birthdays[:end]]

    def events_between(self, first: date, last: date) -> list[_Event]:
        """Their dated events from `first` to `last`, by day."""
        start = bisect_right(self._events, first - timedelta(days=1), key=_FIRST)
        end = bisect_right(self._events, last, key=_FIRST)
        return self._events[start:end]

    def overdue(
        self, now: datetime, skip: set[str]
    ) -> tuple[Iterator[tuple[Contact, float, timedelta, datetime]], int]:
        """Overdue keep-in-touch, most overdue (as a multiple of the cadence) first, lazily,
        as (contact, ratio, time since, when it fell due); and how many there are.
        Contacts in `skip` are left out."""
        runs: list[Iterator[tuple[float, str, str, timedelta, timedelta]]] = []
        count = 0
        for cadence, entries in self._keep.items():
            end = bisect_right(entries, now - cadence, key=_FIRST)
            count += end
            runs.append(_ratios(entries, end, now, cadence))
        count -= sum(1 for cid in skip if self._is_overdue(cid, now))

        def lines() -> Iterator[tuple[Contact, float, timedelta, datetime]]:
            for ratio, _, cid, since, cadence in heapq.merge(*runs):
                if cid not in skip:
                    contact = self.contacts[cid]
                    yield contact, -ratio, since, last_touch(contact) + cadence

        return lines(), count

    def _is_overdue(self, contact_id: str, now: datetime) -> bool:
        contact = self.contacts.get(contact_id)
        return (
            contact is not None
            and not contact.drifting
            and now - last_touch(contact) >= contact.cadence
        )


def _ratios(
    entries: Sequence[_Keep], end: int, now: datetime, cadence: timedelta
) -> Iterator[tuple[float, str, str, timedelta, timedelta]]:
    """One cadence's overdue contacts as merge keys: (-ratio, name, id, since, cadence)."""
    for last, name, cid in entries[:end]:
        since = now - last
        yield -(since / cadence), name, cid, since, cadence


def _keep_entry(contact: Contact) -> _Keep:
    return (last_touch(contact), contact.name, contact.id)


def _event_entries(contact: Contact) -> list[_Event]:
    return [
        (fact.on, contact.id, n, fact.text)
        for n, fact in enumerate(contact.facts)
        if fact.on is not None and fact.kind is _EVENT
    ]


def _remove(entries: list[Any], entry: Any) -> None:
    """Take `entry` out of the sorted list `entries` (it is there)."""
    at = bisect_right(entries, entry) - 1
    if at >= 0 and entries[at] == entry:
        del entries[at]
