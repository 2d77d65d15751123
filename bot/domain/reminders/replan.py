"""The one replanning mechanism: from the records as they are now, the reminders as they should be.

Every change that can move a plan (a tier or cadence, letting someone drift,
the time zone, a follow-up delay, a lead time, the daily cap, a new log, a
forgotten person) ends by calling `replan`. It is pure and idempotent: it
looks at the contacts, the open reminders, the profile and the `Basis` the
reminders were last planned with, and returns only what must change, so a
second call returns nothing and a turn that changed nothing writes nothing.

Only reminders still waiting (PENDING) are moved. One being sent is left to
delivery; one delivered and unanswered waits for the user, and expires after
a while for kinds that stop making sense.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.ids import new_id
from bot.domain.model import (
    Contact,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Tier,
    UserProfile,
)
from bot.domain.reminders.planning import (
    Plan,
    keep_in_touch,
    keep_in_touch_day,
    lead_nudge,
    next_date,
    whole_days,
)
from bot.domain.reminders.refiling import Changed
from bot.domain.reminders.replan_index import DATED, ReplanIndex
from bot.domain.reminders.timing import local_day, morning_of

# Delivered, never answered, and by now beside the point: retired from /reminders.
EXPIRE_DELIVERED = timedelta(days=30)
EXPIRING = frozenset(
    {
        ReminderKind.FOLLOW_UP,
        ReminderKind.EVENT_FOLLOW_UP,
        ReminderKind.KEEP_IN_TOUCH,
        ReminderKind.BIRTHDAY,
        ReminderKind.YEARLY,
    }
)
_AFTER_MEETING = frozenset({ReminderKind.FOLLOW_UP, ReminderKind.GRATITUDE})
_ON_THE_DAY = frozenset({ReminderKind.PROMISE, ReminderKind.BIRTHDAY, ReminderKind.YEARLY})
# Bound once for the loops over every open reminder: on Python 3.11 looking a member up
# on its enum class costs more than the rest of such a loop's test.
_PENDING, _DELIVERED = ReminderStatus.PENDING, ReminderStatus.DELIVERED
_CANCELLED, _DONE = ReminderStatus.CANCELLED, ReminderStatus.DONE
_KEEP = ReminderKind.KEEP_IN_TOUCH
_ONE_DAY = timedelta(days=1)
# Closer people get the earlier slot when nudges for one day are too many.
_TIER_ORDER = {tier: rank for rank, tier in enumerate(Tier)}
# A contact's nudge as it would be placed:
# (target, tier rank, contact id, contact, current, the day their cadence runs out).
_Want = tuple[datetime, int, str, Contact, "Reminder | None", date]


@dataclass(frozen=True)
class Basis:
    """The settings the open reminders were planned with (kept beside them in the store)."""

    zone: str
    follow_up_after: timedelta
    impact_update_after: timedelta

    @classmethod
    def of(cls, profile: UserProfile) -> Basis:
        return cls(profile.timezone, profile.follow_up_after, profile.impact_update_after)

    def to_state(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "follow_up": self.follow_up_after.total_seconds(),
            "impact": self.impact_update_after.total_seconds(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> Basis | None:
        if not state:
            return None
        try:
            return cls(
                str(state["zone"]),
                timedelta(seconds=float(state["follow_up"])),
                timedelta(seconds=float(state["impact"])),
            )
        except (KeyError, TypeError, ValueError):
            return None


def replan(
    contacts: Sequence[Contact],
    reminders: Sequence[Reminder],
    profile: UserProfile,
    now: datetime,
    *,
    basis: Basis | None = None,
    nudged_today: int = 0,
    only: Collection[str] | None = None,
    index: ReplanIndex | None = None,
    changed: tuple[object, Changed | None] = (None, None),
) -> Plan:
    """Return the reminders to create and change so the plan fits the records.

    `basis` is what the reminders were planned with (None: the profile
    itself); `nudged_today` counts keep-in-touch nudges already sent today,
    which take their share of the daily cap. `only` names the contacts whose
    records changed (a log, a tier): only their keep-in-touch is placed
    again, around everyone else's nudges. None places everyone's (a time
    zone or cap change moves them all). With `only`, an `index` kept between
    calls (refreshed here) finds everyone else's without a pass over them, so
    a turn costs about the same with 1,000 contacts as with 100; the plan is
    the same with or without it. `changed` is the store's mark for now and what
    changed since the index's mark, when it can tell (see ReplanIndex.refresh).
    """
    zone = ZoneInfo(profile.timezone)
    rebasing = basis is not None and basis != Basis.of(profile)
    if index is not None and only is not None and not rebasing:
        index.refresh(contacts, reminders, zone, changed=changed[1], mark=changed[0])
        if not index.usable:
            index = None
    else:
        index = None
    if index is not None:
        assert only is not None
        asked: set[str] | None = {*only, *index.birthdays}
        work, original = dict(index.reminders), index.reminders
    else:
        # Whose reminders the steps below look up one by one: with `only`, just a few.
        asked = None if only is None else {*only, *(c.id for c in contacts if c.birthday)}
        work = {r.id: r for r in reminders if r.status is not _CANCELLED and r.status is not _DONE}
        original = dict(work)
    planner = _Planner(profile, zone, now, work, asked, contacts, index=index, original=original)
    planner.retire(index.contacts if index is not None else {c.id for c in contacts})
    if basis is not None and rebasing:
        planner.rebase(basis)
        only = None  # everyone's nudges moved with the basis
    planner.redate()
    if index is not None:
        with_birthdays: Sequence[Contact] = index.contacts_in_order(index.birthdays)
    else:
        with_birthdays = [c for c in contacts if c.birthday is not None]
    for contact in with_birthdays:
        planner.birthday(contact)
    planner.keep_in_touch(contacts, nudged_today, only)
    return planner.plan()


class _Planner:
    """The working copy of one user's open reminders while they are replanned."""

    def __init__(
        self,
        profile: UserProfile,
        zone: ZoneInfo,
        now: datetime,
        work: dict[str, Reminder],
        asked: Collection[str] | None = None,
        contacts: Sequence[Contact] = (),
        *,
        index: ReplanIndex | None = None,
        original: dict[str, Reminder] | None = None,
    ) -> None:
        self.profile = profile
        self.zone = zone
        self.now = now
        self.today = now.astimezone(zone).date()
        self.work = work
        # The records as they were (not to be changed): `work` starts as a copy.
        self.original = dict(work) if original is None else original
        self.index = index  # of these records, when kept (see replan)
        self.created: list[Reminder] = []
        # contact id -> reminder ids, made in one pass when first asked for (of the
        # `asked` contacts only, when given), so replanning stays linear in size.
        self._asked = asked
        self._ids: dict[str, list[str]] | None = None
        self._contacts = contacts
        self._people: dict[str, Contact] | None = None
        self._mornings: dict[date, datetime] = {}
        self.updated: dict[str, None] = {}  # ids of the records changed, in order

    def theirs(self, contact_id: str, kind: ReminderKind) -> list[Reminder]:
        """The contact's open reminders of `kind`, as they stand now (of an `asked` one)."""
        index, asked = self.index, self._asked
        if index is not None and asked is not None:
            # Only asked contacts are looked up, as from the one-pass lookup below.
            ids = index.ids_of(contact_id) if contact_id in asked else []
            work = self.work
            found_now = (work[i] for i in ids)
            return [r for r in found_now if r.kind is kind and r.status is not _CANCELLED]
        if self._ids is None:
            self._ids = {}
            records = self.work.values()
            for reminder in (
                records if asked is None else [r for r in records if r.contact_id in asked]
            ):
                self._ids.setdefault(reminder.contact_id, []).append(reminder.id)
        found = (self.work[i] for i in self._ids.get(contact_id, ()))
        # All start open; replanning only ever cancels.
        return [r for r in found if r.kind is kind and r.status is not _CANCELLED]

    def plan(self) -> Plan:
        # Most records are the very objects they started as: `is` spares comparing them.
        original, work = self.original, self.work
        changed = [work[rid] for rid in self.updated if work[rid] != original[rid]]
        return Plan(created=list(self.created), changed=changed)

    def pending(self, *, pinned: bool = False) -> list[Reminder]:
        """Reminders still waiting; those the user timed by hand only when `pinned`."""
        return [r for r in self.work.values() if r.status is _PENDING and (pinned or not r.pinned)]

    def update(self, reminder: Reminder, **changes: Any) -> None:
        current = self.work[reminder.id]
        # Most steps re-place a reminder where it already is: no copy for that.
        if any(getattr(current, name) != value for name, value in changes.items()):
            self.work[reminder.id] = replace(current, **changes)
            self.updated[reminder.id] = None

    def cancel(self, reminder: Reminder) -> None:
        self.update(reminder, status=ReminderStatus.CANCELLED)

    def placed(self, target: datetime, current: datetime | None) -> datetime:
        """`target`, or for a target already past: now (kept as it is if already due)."""
        if target >= self.now:
            return target
        return current if current is not None and current <= self.now else self.now

    # -- the steps -----------------------------------------------------------
    def retire(self, known: Collection[str]) -> None:
        """Cancel reminders of forgotten people and delivered ones long unanswered."""
        long_ago = self.now - EXPIRE_DELIVERED
        # Most are neither: a first cheap look picks out the few that may be.
        if self.index is not None:
            index, work = self.index, self.work
            suspects = [work[i] for i in index.in_order(index.delivered | index.unowned)]
        else:
            suspects = [
                r for r in self.work.values() if r.status is _DELIVERED or r.contact_id not in known
            ]
        for reminder in suspects:
            if reminder.status is ReminderStatus.SENDING:
                continue
            orphan = bool(reminder.contact_id) and reminder.contact_id not in known
            expired = (
                reminder.status is ReminderStatus.DELIVERED
                and reminder.kind in EXPIRING
                and reminder.delivered_at is not None
                and reminder.delivered_at < long_ago
            )
            if orphan or expired:
                self.cancel(reminder)

    def rebase(self, basis: Basis) -> None:
        """Carry waiting reminders over to a new time zone or follow-up delay.

        A reminder keeps its wall-clock time in the new zone (09:00 stays 09:00)
        unless it is an exact moment ("in 3 hours").
        """
        old_zone = ZoneInfo(basis.zone)
        for reminder in self.pending(pinned=True):
            due = reminder.due_at
            if basis.zone != self.profile.timezone and not reminder.exact:
                wall = due.astimezone(old_zone)
                due = datetime.combine(wall.date(), wall.time(), tzinfo=self.zone).astimezone(UTC)
            exact = reminder.exact
            if reminder.pinned:
                pass  # the user's own time: only its time zone changes
            elif reminder.kind in _AFTER_MEETING:
                due = self.shifted(due, basis.follow_up_after, self.profile.follow_up_after)
                exact = not whole_days(self.profile.follow_up_after)
            elif reminder.kind is ReminderKind.IMPACT_UPDATE:
                due = self.shifted(due, basis.impact_update_after, self.profile.impact_update_after)
            if reminder.not_before is not None:
                due = max(due, reminder.not_before)
            self.update(reminder, due_at=self.placed(due, reminder.due_at), exact=exact)

    def shifted(self, due: datetime, old: timedelta, new: timedelta) -> datetime:
        if old == new:
            return due
        moved = due + (new - old)
        if not whole_days(new):
            return moved
        return morning_of(moved.astimezone(self.zone).date(), self.zone)

    def redate(self) -> None:
        """Plan reminders about a day (deadlines, events, birthdays) from that day."""
        profile = self.profile
        # What placing from the day depends on besides the record and the time.
        under = (self.zone.key, profile.promise_lead, profile.birthday_lead)
        if self.index is not None:
            # Filed as they were found; what retire cancelled is no longer pending. Those
            # an earlier turn found in place are still there: only changed ones are looked at.
            ids = self.index.unsettled(under, self.now)
            found = [self.work[i] for i in self.index.in_order(ids)]
        else:
            found = list(self.work.values())
        dated = [
            r
            for r in found
            if r.kind is not _KEEP and r.kind in DATED and r.status is _PENDING and not r.pinned
        ]
        for reminder in dated:
            on = reminder.on
            if on is None and reminder.kind in _ON_THE_DAY:
                # Planned before reminders knew their day: they were due on it.
                on = reminder.due_at.astimezone(self.zone).date()
                self.update(reminder, on=on)
            if on is None:
                continue
            if reminder.kind is ReminderKind.PROMISE:
                target = lead_nudge(on, profile.promise_lead, self.zone)
            elif reminder.kind is ReminderKind.BIRTHDAY:
                target = lead_nudge(on, profile.birthday_lead, self.zone)
            elif reminder.kind is ReminderKind.YEARLY:
                target = morning_of(on, self.zone)
            elif reminder.kind is ReminderKind.EVENT_FOLLOW_UP:
                target = morning_of(on + timedelta(days=1), self.zone)
            else:
                continue
            if reminder.not_before is not None:
                target = max(target, reminder.not_before)
            self.update(reminder, due_at=self.placed(target, reminder.due_at))
        if self.index is not None:
            work = self.work
            self.index.settle(under, self.now, [r for r in dated if work[r.id] is r])

    def birthday(self, contact: Contact) -> None:
        """Keep one waiting birthday reminder for the contact's next birthday (they have one)."""
        assert contact.birthday is not None
        theirs = self.theirs(contact.id, ReminderKind.BIRTHDAY)
        occurrence = next_date(contact.birthday, self.today)
        waiting = [r for r in theirs if r.status is not ReminderStatus.DELIVERED]
        for reminder in waiting:
            movable = reminder.status is ReminderStatus.PENDING and not reminder.pinned
            if movable and reminder.on is not None:
                on = reminder.on
                if (on.month, on.day) != (contact.birthday.month, contact.birthday.day):
                    # The birthday was corrected: plan the new one.
                    due = lead_nudge(occurrence, self.profile.birthday_lead, self.zone)
                    self.update(reminder, on=occurrence, due_at=self.placed(due, reminder.due_at))
        covered = waiting or [r for r in theirs if (r.on or date.min) >= self.today]
        if covered:
            return
        due = lead_nudge(occurrence, self.profile.birthday_lead, self.zone)
        self.created.append(
            Reminder(
                id=new_id("r"),
                kind=ReminderKind.BIRTHDAY,
                due_at=self.placed(due, None),
                contact_id=contact.id,
                created_at=self.now,
                on=occurrence,
            )
        )

    def keep_in_touch(
        self, contacts: Sequence[Contact], nudged_today: int, only: Collection[str] | None
    ) -> None:
        """One keep-in-touch nudge per contact at their cadence, at most `cap` a day.

        Nudges are placed in order of (target, tier, contact id), each on the
        first day from its target with room. With `only`, just those contacts'
        nudges are moved when that is sure to end where placing everyone's
        would (`_place_alone`); else everyone's are placed.
        """
        if only is not None:
            if self.index is not None:
                mine = self._wants(self.index.contacts_in_order(only))
            else:
                mine = self._wants([c for c in contacts if c.id in only])
            if self._place_alone(mine, only, nudged_today):
                return
            self._asked, self._ids = None, None  # everyone's reminders are looked up now
        self._place(self._wants(contacts), Counter({self.today: nudged_today}))

    def _wants(self, contacts: Sequence[Contact]) -> list[_Want]:
        """Where each contact's nudge would go uncapped (cancelling those not wanted)."""
        wants: list[_Want] = []
        for contact in contacts:
            theirs = self.theirs(contact.id, ReminderKind.KEEP_IN_TOUCH)
            pending = [r for r in theirs if r.status is _PENDING]
            if len(pending) > 1:
                pending.sort(key=lambda r: (r.due_at, r.id))
            out = len(theirs) > len(pending)  # one was sent and waits for an answer
            if contact.drifting or out:
                for reminder in pending:
                    self.cancel(reminder)
                continue
            current = pending[0] if pending else None
            for extra in pending[1:]:
                self.cancel(extra)
            day = keep_in_touch_day(contact, self.zone)
            target = self.morning(day)
            if current is not None and current.not_before is not None:
                target = max(target, current.not_before)
            wants.append((target, _TIER_ORDER[contact.tier], contact.id, contact, current, day))
        # Ids are unique, so tuples compare no further than (target, tier, id).
        return sorted(wants)

    def morning(self, day: date) -> datetime:
        """`morning_of(day)`, remembered: many nudges share a day."""
        found = self._mornings.get(day)
        if found is None:
            found = self._mornings[day] = morning_of(day, self.zone)
        return found

    def _place(self, wants: list[_Want], used: Counter[date]) -> None:
        """Place every wanted nudge in order, no more than the cap on a day (`used` so far)."""
        cap = self.profile.nudges_per_day
        for *_, current, _ in wants:
            if current is not None and current.pinned:
                # Timed by hand: it stays, and takes its day's place first.
                used[local_day(current.due_at, self.zone)] += 1
        # A full day -> a later day to look at next (path-compressed, so the walk stays short).
        full = {d: d + timedelta(days=1) for d, n in used.items() if cap > 0 and n >= cap}
        for target, _, _, contact, current, cadence_day in wants:
            if current is not None and current.pinned:
                self._put_nudge(contact, current, current.due_at, cadence_day)
                continue
            due = self.placed(target, current.due_at if current else None)
            day = local_day(due, self.zone)
            free = _free_day(day, full)
            if free != day:
                day, due = free, self.morning(free)
            used[day] += 1
            if cap > 0 and used[day] >= cap:
                full[day] = day + timedelta(days=1)
            self._put_nudge(contact, current, due, cadence_day)

    def _place_alone(self, wants: list[_Want], only: Collection[str], nudged_today: int) -> bool:
        """Move the nudges of `only` among everyone else's, if that ends as placing all would.

        The open nudges are where placing everyone's put them, each with its
        cadence day in `on`, so everyone else's place in the order is known
        without looking at their records. Taking a nudge off its day changes
        nobody else's when the day was not full, or when no one after it in
        the order waits on a later day for a place on it. A nudge put on the
        first day from its target with room changes nobody else's when
        everyone on the full days it passes comes before it in the order.
        Otherwise nothing is moved and False is returned.
        """
        days = _Days(self, only, nudged_today)
        for contact_id in only:
            for old in self.found_nudges(contact_id):
                if not days.take_off(old):
                    return False
        moves: list[tuple[Contact, Reminder | None, datetime, date]] = []
        for *_, contact, current, cadence_day in wants:
            if current is not None and current.pinned:
                # Timed by hand: it takes its day's place before anyone else.
                if not days.put_on(local_day(current.due_at, self.zone)):
                    return False
                moves.append((contact, current, current.due_at, cadence_day))
        for target, rank, contact_id, contact, current, cadence_day in wants:
            if current is not None and current.pinned:
                continue
            due = self.placed(target, current.due_at if current else None)
            day = local_day(due, self.zone)
            free = days.free_day(day, (target, rank, contact_id))
            if free is None:
                return False
            if free != day:
                due = self.morning(free)
            days.put_on(free)
            moves.append((contact, current, due, cadence_day))
        for contact, current, due, cadence_day in moves:
            self._put_nudge(contact, current, due, cadence_day)
        return True

    def found_nudges(self, contact_id: str) -> list[Reminder]:
        """The contact's waiting keep-in-touch nudges as replanning found them."""
        if self.index is not None and self._asked is not None:
            ids: Sequence[str] = self.index.ids_of(contact_id) if contact_id in self._asked else ()
        else:
            self.theirs(contact_id, _KEEP)  # makes the index
            ids = (self._ids or {}).get(contact_id, ())
        found = (self.original[i] for i in ids)
        return [r for r in found if r.kind is _KEEP and r.status is _PENDING]

    def _put_nudge(
        self, contact: Contact, current: Reminder | None, due: datetime, cadence_day: date
    ) -> None:
        if current is None:
            self.created.append(replace(keep_in_touch(contact.id, due, self.now), on=cadence_day))
        elif current.due_at != due or current.on != cadence_day:
            self.update(current, due_at=due, on=cadence_day)

    def target_of(self, nudge: Reminder) -> datetime | None:
        """Where a placed nudge wanted to go, from its cadence day (None: not known)."""
        if nudge.on is None:
            return None
        target = self.morning(nudge.on)
        not_before = nudge.not_before
        return target if not_before is None or not_before <= target else not_before

    def rank_of(self, contact_id: str) -> int:
        """The tier rank of a contact as the records have it now."""
        if self._people is None:
            if self.index is not None:
                self._people = self.index.contacts
            else:
                self._people = {c.id: c for c in self._contacts}
        contact = self._people.get(contact_id)
        return _TIER_ORDER[contact.tier] if contact is not None else len(_TIER_ORDER)


class _Days:
    """Everyone's keep-in-touch nudges but those of `only`, counted by day (see _place_alone).

    A day's count also holds, today, the nudges sent already; a day whose
    count reaches the cap is full.
    """

    def __init__(self, planner: _Planner, only: Collection[str], nudged_today: int) -> None:
        self.planner = planner
        self.zone = planner.zone
        self.cap = planner.profile.nudges_per_day
        self.only = only
        self.index = planner.index
        if self.index is not None:
            self._count_filed(nudged_today)
            return
        self.others = [
            r
            for r in planner.work.values()
            if r.kind is _KEEP and r.status is _PENDING and r.contact_id not in only
        ]
        # Nudges sit at a few shared morning times: count those, then turn each into a day.
        self.used: Counter[date] = Counter({planner.today: nudged_today})
        for moment, n in Counter([r.due_at for r in self.others]).items():
            self.used[local_day(moment, self.zone)] += n
        for contact_id in only:  # where their nudges were, until take_off
            for nudge in planner.found_nudges(contact_id):
                self.used[local_day(nudge.due_at, self.zone)] += 1

    def _count_filed(self, nudged_today: int) -> None:
        """The counts from the index: every nudge as filed (those of `only` where they
        were, until take_off), the few others replanning changed so far as they are now."""
        assert self.index is not None
        planner, only, zone = self.planner, self.only, self.zone
        original, work = planner.original, planner.work
        self.others = []
        self.used = Counter(self.index.days)
        self.used[planner.today] += nudged_today
        # Changed before the nudges are placed: only cancelled (orphans), in practice.
        self.moved = {rid for rid in planner.updated if original[rid].contact_id not in only}
        for rid in self.moved:
            if _is_nudge(original[rid]):
                self.used[local_day(original[rid].due_at, zone)] -= 1
            if _is_nudge(work[rid]):
                self.used[local_day(work[rid].due_at, zone)] += 1

    def _others_of(self, ids: Iterable[str]) -> Iterator[Reminder]:
        """Everyone else's nudges among the filed `ids`, then all those changed so far."""
        original, only, moved = self.planner.original, self.only, self.moved
        for rid in ids:
            nudge = original[rid]
            if nudge.contact_id not in only and rid not in moved:
                yield nudge
        work = self.planner.work
        for rid in moved:
            if _is_nudge(work[rid]):
                yield work[rid]

    def full(self, day: date) -> bool:
        return self.cap > 0 and self.used[day] >= self.cap

    def start(self, day: date) -> datetime:
        """Midnight starting `day`, in UTC: compared with nudges' UTC times at C speed."""
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    def take_off(self, old: Reminder) -> bool:
        """Count `old` off its day; False when someone after it would move onto that day."""
        day = local_day(old.due_at, self.zone)
        if self.full(day):
            planner = self.planner
            # A nudge timed by hand is before everyone; else only a sure order counts
            # (the tier of `old`'s contact may have changed with this turn).
            mine = None if old.pinned else planner.target_of(old)
            if mine is None and not old.pinned:
                return False
            after = self.start(day + timedelta(days=1))
            pool: Iterable[Reminder] = self.others
            if self.index is not None:
                pool = self._others_of(self.index.due_from(after, day))
            # Those on a later day whose cadence day is not after this one may wait for it.
            for nudge in (
                r
                for r in pool
                if r.due_at >= after and not r.pinned and (r.on is None or r.on <= day)
            ):
                theirs = planner.target_of(nudge)
                if theirs is None:
                    return False
                start = local_day(planner.placed(theirs, nudge.due_at), self.zone)
                if start <= day and (mine is None or theirs >= mine):
                    return False
        self.used[day] -= 1
        return True

    def free_day(self, day: date, mine: tuple[datetime, int, str]) -> date | None:
        """The first day from `day` with room, if everyone on the full days before is before `mine`.

        None when the nudge would push someone later in the order off a day.
        """
        free, used, cap = day, self.used, self.cap
        if cap > 0:
            # A full calendar can be months of full days: walked without a call a day.
            while used[free] >= cap:
                free += _ONE_DAY
        if free == day:
            return free
        planner = self.planner
        target = mine[0]
        lo, hi = self.start(day), self.start(free)
        # Those whose cadence day comes before the one of `target` are before it.
        before = local_day(target, self.zone)
        pool: Iterable[Reminder] = self.others
        if self.index is not None:
            pool = self._others_of(self.index.due_between(lo, hi, before))
        for nudge in (
            r
            for r in pool
            if lo <= r.due_at < hi
            and not r.pinned
            and (
                r.on is None
                or r.on >= before
                or (r.not_before is not None and r.not_before >= target)
            )
        ):
            theirs = planner.target_of(nudge)
            if theirs is None or theirs > target:
                return None
            if (
                theirs == target
                and (planner.rank_of(nudge.contact_id), nudge.contact_id) > mine[1:]
            ):
                return None
        return free

    def put_on(self, day: date) -> bool:
        """Count a nudge onto `day`; False if the day was full already."""
        was_full = self.full(day)
        self.used[day] += 1
        return not was_full


def _is_nudge(reminder: Reminder) -> bool:
    return reminder.kind is _KEEP and reminder.status is _PENDING


def _free_day(day: date, full: dict[date, date]) -> date:
    """The first day from `day` on that is not full."""
    walked = []
    while day in full:
        walked.append(day)
        day = full[day]
    for passed in walked:
        full[passed] = day
    return day
