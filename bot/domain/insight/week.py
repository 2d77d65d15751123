"""The weekly review: every figure of one week, computed from what the user logged.

Figures are counted in the week their deadline falls, so nothing is counted
twice or lost at the edge of a week:

- a follow-up is due 48 hours after a meeting that called for one (the coach
  planned a follow-up or thank-you for it); it was done in time if that
  reminder was marked done, or the user was in touch with the person again,
  within those 48 hours;
- a promise is due at the end of its deadline day; it was kept on time if
  its reminder was marked done by then (cancelled promises are left out);
- thank-yous sent are the people thanked this week (a thank-you reminder
  marked done, or a thank-you draft the user said they sent);
- the neglected pillar is the one served least over the last four weeks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.cadence import last_touch
from bot.domain.content.pillars import Pillar
from bot.domain.insight.ledger import GiveIdea, balance, give_idea
from bot.domain.insight.pillar_tags import Neglected, neglected_pillar, pillar_counts
from bot.domain.model import (
    Contact,
    FactKind,
    Interaction,
    Reminder,
    ReminderKind,
    ReminderStatus,
)

WEEK = timedelta(days=7)
FOLLOW_UP_WINDOW = timedelta(hours=48)
PILLAR_WINDOW = timedelta(days=28)
DRIFTING_SHOWN = 3
ACTIONS = 3
# Finished reminders are read newest first; this many is months of history.
FINISHED_SCAN = 5000
THANK_YOU_DRAFT = "thank-you"
_OPEN = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED})


@dataclass(frozen=True)
class Drifting:
    """Someone past their keep-in-touch cadence."""

    contact: Contact
    since: timedelta
    ratio: float


@dataclass(frozen=True)
class Action:
    """One suggested action for the coming week.

    `kind` names the template line: promise, event, thanks, reconnect, give, pillar, log.
    """

    kind: str
    contact: Contact | None = None
    detail: str = ""
    on: date | None = None
    # The draft situation a "draft it" button opens ("" for none).
    situation: str = ""
    idea: GiveIdea | None = None
    # 0 for what is due; 1 and 2 for fillers (the longest-unseen people, then a give).
    order: int = 0


@dataclass(frozen=True)
class WeekReview:
    """Everything the weekly review says."""

    start: datetime
    end: datetime
    talked_to: list[Contact]
    interactions: int
    follow_ups_due: int
    follow_ups_in_time: int
    promises_due: int
    promises_kept: int
    thanked: list[Contact]
    thanks_owed: int
    drifting: list[Drifting]
    pillars: dict[Pillar, int]
    neglected: Neglected
    actions: list[Action] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """True when nothing was logged this week."""
        return self.interactions == 0

    @property
    def follow_up_percent(self) -> int | None:
        """Follow-ups done within 48 hours, as a whole percent (None when none were due)."""
        if not self.follow_ups_due:
            return None
        return round(100 * self.follow_ups_in_time / self.follow_ups_due)


def review_week(
    *,
    contacts: Sequence[Contact],
    interactions: Iterable[Interaction],
    open_reminders: Sequence[Reminder],
    finished_reminders: Iterable[Reminder],
    now: datetime,
    zone: ZoneInfo,
) -> WeekReview:
    """Review the seven days up to `now`. `interactions` and `finished_reminders` newest first."""
    start, end = now - WEEK, now
    recent = _since(interactions, end - PILLAR_WINDOW - FOLLOW_UP_WINDOW)
    finished = _finished_since(finished_reminders, start - PILLAR_WINDOW)
    every = [*open_reminders, *finished]
    people = {c.id: c for c in contacts}
    week = [i for i in recent if start < i.occurred_at <= end]

    talked: dict[str, Contact] = {}
    for interaction in sorted(week, key=lambda i: i.occurred_at, reverse=True):
        for contact_id in interaction.contact_ids:
            if contact_id in people:
                talked.setdefault(contact_id, people[contact_id])

    due, in_time = _follow_ups(recent, every, start, end)
    promises_due, kept = _promises(every, start, end, zone)
    thanked = _thanked(week, finished, people, start, end)
    owed = sum(
        1
        for r in open_reminders
        if r.kind is ReminderKind.GRATITUDE and r.status in _OPEN and r.contact_id in people
    )
    drifting = _drifting(contacts, now)
    monthly = pillar_counts(i for i in recent if i.occurred_at >= end - PILLAR_WINDOW)
    review = WeekReview(
        start=start,
        end=end,
        talked_to=list(talked.values()),
        interactions=len(week),
        follow_ups_due=due,
        follow_ups_in_time=in_time,
        promises_due=promises_due,
        promises_kept=kept,
        thanked=thanked,
        thanks_owed=owed,
        drifting=drifting[:DRIFTING_SHOWN],
        pillars=pillar_counts(week),
        neglected=neglected_pillar(monthly),
    )
    actions = _actions(review, drifting, contacts, open_reminders, recent, now, zone)
    return replace(review, actions=actions)


def _since(interactions: Iterable[Interaction], cutoff: datetime) -> list[Interaction]:
    """The interactions from `cutoff` on (logs arrive roughly in order; allow a late log)."""
    kept = []
    for interaction in interactions:
        if interaction.created_at < cutoff and interaction.occurred_at < cutoff:
            break
        if interaction.occurred_at >= cutoff:
            kept.append(interaction)
    return kept


def _finished_since(reminders: Iterable[Reminder], cutoff: datetime) -> list[Reminder]:
    kept = []
    for n, reminder in enumerate(reminders):
        if n >= FINISHED_SCAN or (reminder.closed_at is not None and reminder.closed_at < cutoff):
            break
        kept.append(reminder)
    return kept


def _follow_ups(
    interactions: Sequence[Interaction],
    reminders: Sequence[Reminder],
    start: datetime,
    end: datetime,
) -> tuple[int, int]:
    """(due, done in time) for follow-ups whose 48 hours ran out in (start, end]."""
    by_id = {i.id: i for i in interactions}
    asked: dict[tuple[str, str], list[Reminder]] = {}
    for reminder in reminders:
        planned_for = reminder.interaction_id or ""
        if (
            reminder.kind in (ReminderKind.FOLLOW_UP, ReminderKind.GRATITUDE)
            and planned_for in by_id
        ):
            asked.setdefault((planned_for, reminder.contact_id), []).append(reminder)
    due = in_time = 0
    for (interaction_id, contact_id), planned in asked.items():
        meeting = by_id[interaction_id]
        deadline = meeting.occurred_at + FOLLOW_UP_WINDOW
        if not start < deadline <= end:
            continue
        due += 1
        marked = any(
            r.status is ReminderStatus.DONE and r.closed_at is not None and r.closed_at <= deadline
            for r in planned
        )
        touched = any(
            contact_id in i.contact_ids and meeting.occurred_at < i.occurred_at <= deadline
            for i in interactions
            if i.id != interaction_id
        )
        in_time += marked or touched
    return due, in_time


def _promises(
    reminders: Sequence[Reminder], start: datetime, end: datetime, zone: ZoneInfo
) -> tuple[int, int]:
    """(due, kept on time) for promises whose deadline day ended in (start, end]."""
    due = kept = 0
    for reminder in reminders:
        if reminder.kind is not ReminderKind.PROMISE or reminder.status is ReminderStatus.CANCELLED:
            continue
        deadline = promise_deadline(reminder, zone)
        if not start < deadline <= end:
            continue
        due += 1
        done = reminder.status is ReminderStatus.DONE and reminder.closed_at is not None
        kept += done and reminder.closed_at is not None and reminder.closed_at <= deadline
    return due, kept


def promise_deadline(reminder: Reminder, zone: ZoneInfo) -> datetime:
    """The end of a promise's deadline day (the day its reminder was planned for)."""
    day = promise_day(reminder, zone)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def promise_day(reminder: Reminder, zone: ZoneInfo) -> date:
    """The day a promise is due: the date in the note ("by Monday"), else its reminder's day.

    The reminder itself comes ahead of the date (the day before, by default),
    so its day is the deadline only for a promise the note gave no date.
    """
    return reminder.on or reminder.due_at.astimezone(zone).date()


def _thanked(
    week: Sequence[Interaction],
    finished: Sequence[Reminder],
    people: dict[str, Contact],
    start: datetime,
    end: datetime,
) -> list[Contact]:
    ids: dict[str, None] = {}
    for reminder in finished:
        if (
            reminder.kind is ReminderKind.GRATITUDE
            and reminder.status is ReminderStatus.DONE
            and reminder.closed_at is not None
            and start < reminder.closed_at <= end
        ):
            ids[reminder.contact_id] = None
    for interaction in week:
        if interaction.draft == THANK_YOU_DRAFT:
            ids.update(dict.fromkeys(interaction.contact_ids))
    return [people[i] for i in ids if i in people]


def _drifting(contacts: Iterable[Contact], now: datetime) -> list[Drifting]:
    """Contacts past their cadence, most overdue (as a multiple of it) first."""
    found = []
    for contact in contacts:
        since = now - last_touch(contact)
        ratio = since / contact.cadence
        if not contact.drifting and ratio >= 1:
            found.append(Drifting(contact, since, ratio))
    return sorted(found, key=lambda d: (-d.ratio, d.contact.name))


def _actions(
    review: WeekReview,
    drifting: Sequence[Drifting],
    contacts: Sequence[Contact],
    open_reminders: Sequence[Reminder],
    recent: Sequence[Interaction],
    now: datetime,
    zone: ZoneInfo,
) -> list[Action]:
    """Three things worth doing next week, most binding first, each about someone else."""
    people = {c.id: c for c in contacts}
    today = now.astimezone(zone).date()
    horizon = today + WEEK
    found: list[Action] = []
    for reminder in sorted(open_reminders, key=lambda r: r.due_at):
        contact = people.get(reminder.contact_id)
        if contact is None or reminder.status not in _OPEN:
            continue
        on = promise_day(reminder, zone)
        if reminder.kind is ReminderKind.PROMISE and on <= horizon:
            found.append(Action("promise", contact, reminder.text, on, "promise-kept"))
        elif reminder.kind is ReminderKind.GRATITUDE:
            found.append(Action("thanks", contact, reminder.text, None, "thank-you"))
        elif reminder.kind is ReminderKind.FOLLOW_UP:
            found.append(Action("follow-up", contact, "", None, "follow-up"))
    for contact in contacts:
        for fact in contact.facts:
            if fact.kind is FactKind.EVENT and fact.on is not None and today <= fact.on <= horizon:
                found.append(Action("event", contact, fact.text, fact.on, "check-in"))
    found += [Action("reconnect", d.contact, "", None, "reconnect") for d in drifting]
    by_contact: dict[str, list[Interaction]] = {}
    for interaction in recent:
        for contact_id in interaction.contact_ids:
            by_contact.setdefault(contact_id, []).append(interaction)
    for contact in contacts:
        if balance(by_contact.get(contact.id, [])).mostly_asks:
            idea = give_idea(contact, now, today)
            found.append(Action("give", contact, idea.because, None, "offer-help", idea))
    oldest = sorted(
        (c for c in contacts if not c.drifting and now - last_touch(c) > WEEK), key=last_touch
    )
    found += [Action("reconnect", c, "", None, "reconnect", order=1) for c in oldest]
    # Last of all: a give for whoever the user saw most recently (giving always fits).
    for contact in sorted(contacts, key=last_touch, reverse=True)[:ACTIONS]:
        idea = give_idea(contact, now, today)
        found.append(Action("give", contact, idea.because, None, "offer-help", idea, order=2))
    chosen: list[Action] = []
    seen: set[str] = set()
    for action in sorted(found, key=lambda a: (a.order, _PRIORITY[a.kind], a.on or horizon)):
        assert action.contact is not None
        if action.contact.id not in seen and len(chosen) < ACTIONS - 1:
            seen.add(action.contact.id)
            chosen.append(action)
    if len(chosen) < ACTIONS - 1:
        chosen.append(Action("log"))
    return [*chosen, Action("pillar", detail=review.neglected.idea)]


_PRIORITY = {"promise": 0, "event": 1, "thanks": 2, "follow-up": 3, "reconnect": 4, "give": 5}
