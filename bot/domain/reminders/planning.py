"""Which reminders a logged meeting (or a quick "talked already") calls for.

Planning is pure: it gets the records and returns reminders to save. Every
logged interaction with someone reschedules their keep-in-touch reminder and
retires follow-ups it made pointless, so no nudge arrives after the user
already talked to the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.ids import new_id
from bot.domain.insight.digests import DIGEST_KINDS, next_digest
from bot.domain.model import (
    Contact,
    Interaction,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UserProfile,
)
from bot.domain.notes.reading import DatedItem, NoteReading
from bot.domain.reminders.timing import morning_of, next_yearly

PROMISE_DEFAULT = timedelta(days=3)
_BIRTHDAY = re.compile(r"\bbirthday\b", re.IGNORECASE)
_ANNIVERSARY = re.compile(r"\banniversary\b", re.IGNORECASE)
OPEN = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED})


@dataclass
class Plan:
    """Reminders to save: `created` are new (worth telling the user), `changed` are updates."""

    created: list[Reminder] = field(default_factory=list)
    changed: list[Reminder] = field(default_factory=list)
    # Birthdays learned from the note (contact id -> date), to keep on the contact.
    birthdays: dict[str, date] = field(default_factory=dict)

    @property
    def to_save(self) -> list[Reminder]:
        return [*self.created, *self.changed]

    def extend(self, other: Plan) -> None:
        self.created += other.created
        self.changed += other.changed
        self.birthdays.update(other.birthdays)


def plan_log(
    reading: NoteReading,
    interaction: Interaction,
    contacts: Sequence[Contact],
    open_reminders: Sequence[Reminder],
    profile: UserProfile,
    now: datetime,
) -> Plan:
    """Plan follow-ups, thanks, promises and event check-ins from a saved note."""
    zone = ZoneInfo(profile.timezone)
    by_name = {p.name: c for p, c in zip(reading.people, contacts, strict=False)}

    def whose(item: DatedItem) -> Contact | None:
        return by_name.get(item.person) or (contacts[0] if contacts else None)

    def make(kind: ReminderKind, contact: Contact, due: datetime, text: str = "") -> Reminder:
        return Reminder(
            id=new_id("r"),
            kind=kind,
            due_at=max(due, now),
            contact_id=contact.id,
            text=text,
            interaction_id=interaction.id,
            created_at=now,
        )

    plan = Plan()
    thanked: set[str] = set()
    for item in reading.gratitude:
        if (contact := whose(item)) is not None:
            thanked.add(contact.id)
            plan.created.append(
                make(
                    ReminderKind.GRATITUDE, contact, _follow_up_due(interaction, profile), item.text
                )
            )
            impact = morning_of(
                (interaction.occurred_at + profile.impact_update_after).astimezone(zone).date(),
                zone,
            )
            plan.created.append(make(ReminderKind.IMPACT_UPDATE, contact, impact, item.text))
    for contact in contacts:
        # A thank-you is the follow-up; two nudges about one person one morning is noise.
        if contact.id not in thanked:
            plan.created.append(
                make(ReminderKind.FOLLOW_UP, contact, _follow_up_due(interaction, profile))
            )
    for item in reading.promises:
        if (contact := whose(item)) is not None:
            day = item.on or (now + PROMISE_DEFAULT).astimezone(zone).date()
            plan.created.append(
                make(ReminderKind.PROMISE, contact, morning_of(day, zone), item.text)
            )
    for item in reading.events:
        contact = whose(item)
        yearly = _yearly_kind(item.text)
        if contact is not None and item.on is not None and yearly is not None:
            # A birthday is not "asked how it went"; it comes back every year.
            if yearly is ReminderKind.BIRTHDAY:
                if contact.birthday is not None or _has_open(open_reminders, contact, yearly):
                    continue  # already known and planned
                plan.birthdays[contact.id] = item.on
            due = next_yearly(item.on.month, item.on.day, now - timedelta(days=1), zone)
            plan.created.append(make(yearly, contact, due, item.text))
            continue
        if contact is not None and item.on is not None:
            ask = morning_of(item.on + timedelta(days=1), zone)
            if ask >= now - timedelta(days=1):  # an event long past is not worth asking about now
                plan.created.append(make(ReminderKind.EVENT_FOLLOW_UP, contact, ask, item.text))
    for contact in contacts:
        plan.extend(
            replan_contact(
                contact,
                open_reminders,
                profile,
                now,
                talked_at=interaction.occurred_at,
                interaction_id=interaction.id,
            )
        )
    return plan


def replan_contact(
    contact: Contact,
    open_reminders: Iterable[Reminder],
    profile: UserProfile,
    now: datetime,
    *,
    talked_at: datetime | None = None,
    interaction_id: str | None = None,
) -> Plan:
    """Reschedule `contact`'s keep-in-touch and birthday reminders after any change.

    When `talked_at` is given (a new interaction), pending follow-ups from
    earlier meetings and event check-ins for events before it are cancelled.
    """
    zone = ZoneInfo(profile.timezone)
    mine = [r for r in open_reminders if r.contact_id == contact.id and r.status in OPEN]
    plan = Plan()
    if talked_at is not None:
        plan.changed += [
            replace(r, status=ReminderStatus.CANCELLED)
            for r in mine
            if r.status is ReminderStatus.PENDING
            and _superseded(r, talked_at, interaction_id, zone)
        ]
    plan.extend(_keep_in_touch(contact, mine, zone, now))
    if contact.birthday is not None and not any(r.kind is ReminderKind.BIRTHDAY for r in mine):
        due = next_yearly(contact.birthday.month, contact.birthday.day, now, zone)
        plan.created.append(
            Reminder(
                id=new_id("r"),
                kind=ReminderKind.BIRTHDAY,
                due_at=due,
                contact_id=contact.id,
                created_at=now,
            )
        )
    return plan


def next_occurrence(reminder: Reminder, profile: UserProfile, now: datetime) -> Reminder | None:
    """Return next year's copy of a yearly reminder (birthdays), or None for one-off kinds."""
    if reminder.kind in DIGEST_KINDS:
        return next_digest(reminder, profile, now)
    if reminder.kind not in (ReminderKind.BIRTHDAY, ReminderKind.YEARLY):
        return None
    zone = ZoneInfo(profile.timezone)
    local = reminder.due_at.astimezone(zone)
    after = max(now, reminder.due_at)
    return Reminder(
        id=new_id("r"),
        kind=reminder.kind,
        due_at=next_yearly(local.month, local.day, after, zone),
        contact_id=reminder.contact_id,
        text=reminder.text,
        created_at=now,
    )


def keep_in_touch_due(contact: Contact, zone: ZoneInfo, now: datetime) -> datetime:
    """Return the morning the contact's cadence runs out (never before `now`)."""
    last = contact.last_interaction_at or contact.created_at
    return max(now, morning_of((last + contact.cadence).astimezone(zone).date(), zone))


def _keep_in_touch(contact: Contact, mine: list[Reminder], zone: ZoneInfo, now: datetime) -> Plan:
    plan = Plan()
    current = [r for r in mine if r.kind is ReminderKind.KEEP_IN_TOUCH]
    waiting = [r for r in current if r.status is ReminderStatus.PENDING]
    if contact.drifting:
        plan.changed += [replace(r, status=ReminderStatus.CANCELLED) for r in waiting]
        return plan
    due = keep_in_touch_due(contact, zone, now)
    if waiting:
        first, *extra = waiting
        if first.due_at != due:
            plan.changed.append(replace(first, due_at=due))
        plan.changed += [replace(r, status=ReminderStatus.CANCELLED) for r in extra]
    elif not current:
        plan.created.append(
            Reminder(
                id=new_id("r"),
                kind=ReminderKind.KEEP_IN_TOUCH,
                due_at=due,
                contact_id=contact.id,
                created_at=now,
            )
        )
    return plan


def _has_open(reminders: Iterable[Reminder], contact: Contact, kind: ReminderKind) -> bool:
    return any(
        r.contact_id == contact.id and r.kind is kind and r.status in OPEN for r in reminders
    )


def _yearly_kind(text: str) -> ReminderKind | None:
    if _BIRTHDAY.search(text):
        return ReminderKind.BIRTHDAY
    if _ANNIVERSARY.search(text):
        return ReminderKind.YEARLY
    return None


def _superseded(
    reminder: Reminder, talked_at: datetime, interaction_id: str | None, zone: ZoneInfo
) -> bool:
    if reminder.interaction_id is not None and reminder.interaction_id == interaction_id:
        return False
    if reminder.kind is ReminderKind.FOLLOW_UP:
        # Talking again since that meeting was logged makes its follow-up moot.
        return talked_at >= reminder.created_at - timedelta(days=1)
    if reminder.kind is ReminderKind.EVENT_FOLLOW_UP:
        event_day = reminder.due_at.astimezone(zone).date() - timedelta(days=1)
        return talked_at.astimezone(zone).date() > event_day
    return False


def _follow_up_due(interaction: Interaction, profile: UserProfile) -> datetime:
    """The follow-up delay from the profile; whole days land on that day's morning."""
    zone = ZoneInfo(profile.timezone)
    after = profile.follow_up_after
    moment = interaction.occurred_at + after
    if after % timedelta(days=1) == timedelta(0):
        return morning_of(moment.astimezone(zone).date(), zone)
    return moment
