"""What replanning a few contacts looks up among everyone's records, kept between turns.

Replanning the contacts a turn touched (replan's `only`) places their nudges
among everyone else's. Finding everyone else's (how many fall on each day,
who waits on a full day, which reminders are delivered, dated or about no one
known) was a pass over every open reminder and contact: most of a write's
cost at 1,000 people. The index files those once and, given the records
again, re-files only the ones that changed (refiling.py). It holds what the
records say, in the order given; what depends on the time is replanning's.
/reminders lists the open reminders from it too, kept in the order it shows them.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus
from bot.domain.reminders.refiling import Changed, refile, refile_changed
from bot.domain.reminders.timing import local_day

_KEEP, _PENDING = ReminderKind.KEEP_IN_TOUCH, ReminderStatus.PENDING
_DELIVERED = ReminderStatus.DELIVERED
_CLOSED = frozenset({ReminderStatus.DONE, ReminderStatus.CANCELLED})
# The kinds replanning plans from their day (replan.redate).
DATED = frozenset(
    {
        ReminderKind.PROMISE,
        ReminderKind.BIRTHDAY,
        ReminderKind.YEARLY,
        ReminderKind.EVENT_FOLLOW_UP,
    }
)
_DAY = timedelta(days=1)
_ID = attrgetter("id")

# A reminder as it was filed: (contact id, status, kind, due, cadence day, not before, pinned).
_Filed = tuple[str, ReminderStatus, ReminderKind, datetime, "date | None", "datetime | None", bool]


class ReplanIndex:
    """One user's contacts and open reminders, filed for replanning (see the module docstring).

    Nudges are the pending keep-in-touch reminders. Each record keeps its place
    in the order given (`position`), so what is looked up here comes out in
    the order a pass over the records would meet it.
    """

    def __init__(self) -> None:
        self._clear(None)

    def _clear(self, zone: ZoneInfo | None) -> None:
        self.zone = zone
        self.contacts: dict[str, Contact] = {}
        self.reminders: dict[str, Reminder] = {}
        # Record id -> its place in the order given (contacts and reminders apart).
        self._places: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._next = itertools.count()
        self.birthdays: set[str] = set()  # contacts with a birthday
        self.by_contact: dict[str, dict[str, None]] = {}  # contact id -> their reminder ids
        self.delivered: set[str] = set()
        self.unowned: set[str] = set()  # reminders of no contact held
        self.dated: set[str] = set()  # pending, not pinned, of a DATED kind
        self.closed = 0  # done or cancelled reminders given (stores hold none)
        self.nudges: list[tuple[datetime, str]] = []  # by due time
        self.cadence_days: list[tuple[date, str]] = []  # nudges with a cadence day, by it
        self.odd: set[str] = set()  # nudges without a cadence day, or put off
        self.days: Counter[date] = Counter()  # nudges by their day in `zone`
        # As /reminders lists them: delivered ones by when (delivered, else due), then the
        # others by due, each in the order given where those tie.
        self._waiting: list[tuple[datetime, int, str]] = []
        self._coming: list[tuple[datetime, int, str]] = []
        self._listed: dict[
            str, tuple[list[tuple[datetime, int, str]], tuple[datetime, int, str]]
        ] = {}
        self._filed: dict[str, _Filed] = {}
        self._touched: list[tuple[datetime, int, str]] = []  # contacts (see _add_contact)
        self._touch: dict[str, tuple[datetime, int, str]] = {}
        self._put: Callable[[list[Any], Any], None] = insort
        self._given = (0, 0)  # how many contacts and reminders were given
        self.mark: object = None  # the store's mark of the last refresh (see refresh)
        # Dated reminders replanning found already where their day puts them (see settle).
        self._settled: dict[str, Reminder] = {}
        self._settled_under: object = None
        self._settled_at: datetime | None = None

    @classmethod
    def of(
        cls, contacts: Iterable[Contact], reminders: Iterable[Reminder], zone: ZoneInfo
    ) -> ReplanIndex:
        """An index of these records, filed in one go."""
        index = cls()
        index.refresh(contacts, reminders, zone)
        return index

    @property
    def usable(self) -> bool:
        """Whether it holds what was given, open reminders only, as stores hand them out
        (not so for records given twice, or reminders done or cancelled)."""
        return self.closed == 0 and self._given == (len(self.contacts), len(self.reminders))

    # -- keeping it up to date --------------------------------------------------------
    def refresh(
        self,
        contacts: Iterable[Contact],
        reminders: Iterable[Reminder],
        zone: ZoneInfo,
        *,
        changed: Changed | None = None,
        mark: object = None,
    ) -> None:
        """Match the records given: those not the same objects as before are filed again.

        `changed`, when the store can tell, holds every contact and reminder that may
        have changed since the refresh that kept `self.mark`, as they are now by id
        (None: gone); only those are looked at (and the order of the records given,
        when it may have changed). `mark` is the store's for now, kept for next time.
        """
        contacts, reminders = list(contacts), list(reminders)
        try:
            if changed is not None and zone == self.zone and self.contacts:
                filed = refile_changed(
                    self.contacts, changed[0], self._add_contact, self._drop_contact
                ) and refile_changed(
                    self.reminders, changed[1], self._add_reminder, self._drop_reminder
                )
                if filed and changed[2]:
                    filed = _same_ids(self.contacts, contacts)
                    filed = filed and _same_ids(self.reminders, reminders)
                if not filed:
                    self._file_all(contacts, reminders, zone)
            elif not (
                zone == self.zone
                and refile(
                    self.contacts, contacts, self._add_contact, self._drop_contact, keep_order=True
                )
                and refile(
                    self.reminders,
                    reminders,
                    self._add_reminder,
                    self._drop_reminder,
                    keep_order=True,
                )
            ):
                self._file_all(contacts, reminders, zone)
        except BaseException:
            self._clear(None)  # half filed: start afresh next time
            raise
        self._given = (len(contacts), len(reminders))
        self.mark = mark

    def _file_all(self, contacts: list[Contact], reminders: list[Reminder], zone: ZoneInfo) -> None:
        self._clear(zone)
        self._put = list.append  # sorted once below, not kept sorted entry by entry
        for contact in contacts:
            self._add_contact(contact)
            self.contacts[contact.id] = contact
        for reminder in reminders:
            self._add_reminder(reminder)
            self.reminders[reminder.id] = reminder
        self.nudges.sort()
        self.cadence_days.sort()
        self._touched.sort()
        self._waiting.sort()
        self._coming.sort()
        self._put = insort

    def _place(self, places: dict[str, int], key: str) -> None:
        # A changed record keeps its place; a new one comes after every other.
        if key not in places:
            places[key] = next(self._next)

    def _add_contact(self, contact: Contact) -> None:
        self._place(self._places[0], contact.id)
        if contact.id not in self.contacts:  # new: their reminders are someone's now
            for rid in self.by_contact.get(contact.id, ()):
                self.unowned.discard(rid)
        if contact.birthday is not None:
            self.birthdays.add(contact.id)
        # By last touch, and where that ties, the one given first last: read from the end,
        # the order of a stable sort by last touch, most recent first.
        entry = (last_touch(contact), -self._places[0][contact.id], contact.id)
        self._put(self._touched, entry)
        self._touch[contact.id] = entry

    def _drop_contact(self, contact: Contact) -> None:
        self.birthdays.discard(contact.id)
        _remove(self._touched, self._touch.pop(contact.id))
        if contact.id not in self.contacts:  # gone (a changed one is still held)
            self.unowned.update(self.by_contact.get(contact.id, ()))
            del self._places[0][contact.id]

    def _add_reminder(self, reminder: Reminder) -> None:
        rid, cid, status, kind = reminder.id, reminder.contact_id, reminder.status, reminder.kind
        self._place(self._places[1], rid)
        self._filed[rid] = (
            cid,
            status,
            kind,
            reminder.due_at,
            reminder.on,
            reminder.not_before,
            reminder.pinned,
        )
        self.by_contact.setdefault(cid, {})[rid] = None
        if cid not in self.contacts:
            self.unowned.add(rid)
        if status is _DELIVERED:
            at: tuple[list[tuple[datetime, int, str]], tuple[datetime, int, str]] = (
                self._waiting,
                (reminder.delivered_at or reminder.due_at, self._places[1][rid], rid),
            )
        else:
            at = (self._coming, (reminder.due_at, self._places[1][rid], rid))
        self._put(*at)
        self._listed[rid] = at
        if status in _CLOSED:
            self.closed += 1
        elif status is _DELIVERED:
            self.delivered.add(rid)
        elif status is _PENDING:
            if kind is _KEEP:
                self._add_nudge(rid, reminder.due_at, reminder.on, reminder.not_before)
            elif kind in DATED and not reminder.pinned:
                self.dated.add(rid)

    def _add_nudge(
        self, rid: str, due: datetime, on: date | None, not_before: datetime | None
    ) -> None:
        self._put(self.nudges, (due, rid))
        if on is not None:
            self._put(self.cadence_days, (on, rid))
        if on is None or not_before is not None:
            self.odd.add(rid)
        assert self.zone is not None
        self.days[local_day(due, self.zone)] += 1

    def _drop_reminder(self, reminder: Reminder) -> None:
        # What it was filed under, not what the object says now: it may have been
        # changed in place since (and saved as a new object).
        rid = reminder.id
        cid, status, kind, due, on, _, _ = self._filed.pop(rid)
        theirs = self.by_contact.get(cid)
        if theirs is not None:
            theirs.pop(rid, None)
            if not theirs:
                del self.by_contact[cid]
        if rid not in self.reminders:  # gone (a changed one is still held)
            del self._places[1][rid]
        _remove(*self._listed.pop(rid))
        self.unowned.discard(rid)
        self.delivered.discard(rid)
        self.dated.discard(rid)
        self._settled.pop(rid, None)
        if status in _CLOSED:
            self.closed -= 1
        elif status is _PENDING and kind is _KEEP:
            _remove(self.nudges, (due, rid))
            if on is not None:
                _remove(self.cadence_days, (on, rid))
            self.odd.discard(rid)
            assert self.zone is not None
            day = local_day(due, self.zone)
            self.days[day] -= 1
            if not self.days[day]:
                del self.days[day]

    # -- what replanning found in place ------------------------------------------------
    def unsettled(self, under: object, now: datetime) -> set[str]:
        """The dated reminders replanning must place from their day: all but those it
        found already placed, under the same lead times and zone (`under`), at a time
        not after `now`."""
        at = self._settled_at
        if under != self._settled_under or at is None or now < at:
            self._settled.clear()
            self._settled_under, self._settled_at = under, None
            return self.dated
        settled, reminders = self._settled, self.reminders
        return {rid for rid in self.dated if settled.get(rid) is not reminders[rid]}

    def settle(self, under: object, now: datetime, records: Iterable[Reminder]) -> None:
        """Note `records`, which placing from their day at `now` left as they were.

        Such a record stays put at any later time (a target already past keeps a due
        time already past), so it needs no look until it changes or `under` does.
        """
        self._settled_under = under
        self._settled_at = now if self._settled_at is None else max(self._settled_at, now)
        for record in records:
            self._settled[record.id] = record

    # -- reading it ---------------------------------------------------------------------
    def contacts_in_order(self, ids: Iterable[str]) -> list[Contact]:
        """The contacts of `ids` held, in the order given."""
        contacts = self.contacts
        held = [cid for cid in ids if cid in contacts]
        return [contacts[cid] for cid in sorted(held, key=self._places[0].__getitem__)]

    def in_order(self, reminder_ids: Iterable[str]) -> list[str]:
        """`reminder_ids` in the order given."""
        return sorted(reminder_ids, key=self._places[1].__getitem__)

    def ids_of(self, contact_id: str) -> list[str]:
        """The contact's reminders, in the order given."""
        return self.in_order(self.by_contact.get(contact_id, ()))

    def most_recent(self, limit: int) -> list[Contact]:
        """The `limit` contacts touched last, most recent first (as /people lists them)."""
        contacts, touched = self.contacts, self._touched
        return [contacts[cid] for *_, cid in touched[: -limit - 1 : -1]] if limit else []

    def listing(self) -> tuple[int, int, Iterator[Reminder]]:
        """The reminders as /reminders lists them, but those of someone no longer held:
        how many were delivered (they come first), how many in all, and them in order."""
        filed = self._filed
        skipped = {rid for rid in self.unowned if filed[rid][0]}  # of no one: listed
        waiting = len(self._waiting) - sum(1 for rid in skipped if filed[rid][1] is _DELIVERED)
        reminders = self.reminders

        def listed() -> Iterator[Reminder]:
            for entries in (self._waiting, self._coming):
                for *_, rid in entries:
                    if rid not in skipped:
                        yield reminders[rid]

        return waiting, len(reminders) - len(skipped), listed()

    def due_from(self, after: datetime, day: date) -> Iterable[str]:
        """Nudges that may be due from `after` with a cadence day not after `day` (or none).

        Of the two ways to find them (by due time, by cadence day) the one with
        fewer to look at; the caller checks each.
        """
        nudges, days = self.nudges, self.cadence_days
        start = bisect_left(nudges, (after,))
        end = bisect_left(days, (day + _DAY,))
        if len(nudges) - start <= end + len(self.odd):
            return [rid for _, rid in nudges[start:]]
        return [*(rid for _, rid in days[:end]), *self.odd]

    def due_between(self, start: datetime, end: datetime, since: date) -> Iterable[str]:
        """Nudges that may be due from `start` to before `end`, or have a cadence day from
        `since`, or are odd; of the two ways to find them the one with fewer to look at."""
        nudges, days = self.nudges, self.cadence_days
        first, last = bisect_left(nudges, (start,)), bisect_left(nudges, (end,))
        later = bisect_left(days, (since,))
        if last - first <= len(days) - later + len(self.odd):
            return [rid for _, rid in nudges[first:last]]
        return [*(rid for _, rid in days[later:]), *self.odd]


def _same_ids(held: dict[str, Any], given: list[Any]) -> bool:
    """Whether `held` has the records given, by id, in their order (at C speed)."""
    return len(held) == len(given) and list(held) == list(map(_ID, given))


def _remove(entries: list[Any], entry: Any) -> None:
    """Take `entry` out of the sorted list `entries` (it is there)."""
    at = bisect_left(entries, entry)
    if at < len(entries) and entries[at] == entry:
        del entries[at]
