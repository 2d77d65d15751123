"""Which reminders a logged meeting calls for, and when each kind falls due.

Planning is pure: it gets the records and returns reminders to save. A log
plans its own nudges (follow-up, thanks, promises, their events, birthdays)
and retires follow-ups the new conversation made pointless; everything that
depends on the whole picture (keep-in-touch dates, the daily cap, lead
times, time zones) is settled by `replan.replan`, which every change calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.content.courtesy import is_courtesy
from bot.domain.ids import new_id
from bot.domain.insight.digests import DIGEST_KINDS, next_digest
from bot.domain.memory.phrase import Phrase
from bot.domain.memory.wording import word_detail
from bot.domain.model import (
    Contact,
    FactKind,
    Interaction,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Repeat,
    UserProfile,
)
from bot.domain.notes.deadlines import latest_day
from bot.domain.notes.reading import DatedItem, NoteReading
from bot.domain.reminders.timing import local_day, morning_of, safe_date

PROMISE_DEFAULT = timedelta(days=3)
# The follow-up wishes them luck only for an event this close to it: "wish them luck"
# tomorrow for a race in April reads as if the race were tomorrow (how it went is still
# asked after it, and the drafts can still mention it as encouragement).
LUCK_WITHIN = timedelta(days=7)
# Being away or out is no venture to wish luck for ("he's out on the 9th").
_AWAY = re.compile(
    r"^(?:out|away|offline|ooo|in\s+town|on\s+(?:leave|holiday|vacation|pto))\b",
    re.IGNORECASE,
)
# The note says the user already wished them luck: the follow-up need not again.
_WISHED_LUCK = re.compile(r"\b(?:good|best\s+of)\s+luck\b|\bfingers\s+crossed\b", re.IGNORECASE)
_BIRTHDAY = re.compile(r"\bbirthday\b", re.IGNORECASE)
_ANNIVERSARY = re.compile(r"\banniversary\b", re.IGNORECASE)
OPEN = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED})
# Kinds timed by the follow-up delay after the meeting.
_AFTER_MEETING = frozenset({ReminderKind.FOLLOW_UP, ReminderKind.GRATITUDE})
# Kinds where a note saying the same thing again ("promised to send her the deck", two
# notes running) means the same reminder, not a second one: the newer one replaces it.
_ONE_PER_WORDING = frozenset(
    {
        ReminderKind.PROMISE,
        ReminderKind.GRATITUDE,
        ReminderKind.IMPACT_UPDATE,
        ReminderKind.EVENT_FOLLOW_UP,
        ReminderKind.YEARLY,
        ReminderKind.CUSTOM,
    }
)


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

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.birthdays)


def plan_log(
    reading: NoteReading,
    interaction: Interaction,
    contacts: Sequence[Contact],
    open_reminders: Sequence[Reminder],
    profile: UserProfile,
    now: datetime,
    told_of: Mapping[str, Contact] | None = None,
) -> Plan:
    """Plan follow-ups, thanks, promises, event check-ins and birthdays from a saved note.

    `told_of` are known contacts the note only mentions, by name: thanks owed to one of
    them ("owe emeka big for connecting us") is planned for them; nothing else is.
    """
    zone = ZoneInfo(profile.timezone)
    today = now.astimezone(zone).date()
    by_name = {p.name: c for p, c in zip(reading.people, contacts, strict=False)}
    told_of = told_of or {}

    def whose(item: DatedItem) -> Contact | None:
        if item.person in told_of:
            return None
        return by_name.get(item.person) or (contacts[0] if contacts else None)

    def make(
        kind: ReminderKind,
        contact: Contact,
        due: datetime,
        text: str = "",
        on: date | None = None,
        not_before: datetime | None = None,
    ) -> Reminder:
        return Reminder(
            id=new_id("r"),
            kind=kind,
            due_at=max(due, now),
            contact_id=contact.id,
            text=text,
            interaction_id=interaction.id,
            created_at=now,
            on=on,
            exact=kind in _AFTER_MEETING and not whole_days(profile.follow_up_after),
            not_before=not_before,
        )

    plan = Plan()
    follow_up_due = _follow_up_due(interaction, profile)
    for item in reading.gratitude:
        if (contact := told_of.get(item.person) or whose(item)) is not None:
            plan.created.append(make(ReminderKind.GRATITUDE, contact, follow_up_due, item.text))
            if _a_courtesy(item.text):
                continue  # a coffee has no outcome to report back: thanks is the whole of it
            impact = morning_of(
                (interaction.occurred_at + profile.impact_update_after).astimezone(zone).date(),
                zone,
            )
            plan.created.append(make(ReminderKind.IMPACT_UPDATE, contact, impact, item.text))
    for item in reading.promises:
        if (contact := whose(item)) is not None:
            # "b4 xmas" has no day but a latest one; only a promise with neither gets the
            # default, rather than a made-up day against what the user said.
            deadline = (
                item.on
                or latest_day(item.date_text, today)
                or (now + PROMISE_DEFAULT).astimezone(zone).date()
            )
            due = lead_nudge(deadline, profile.promise_lead, zone)
            later = None
            if due <= now < (on_the_day := morning_of(deadline, zone)):
                # Promised this afternoon for tomorrow: a nudge the moment it is logged is
                # noise; the deadline's morning is the useful one (kept by replanning too).
                due = later = on_the_day
            plan.created.append(
                make(ReminderKind.PROMISE, contact, due, item.text, deadline, not_before=later)
            )
    for item in reading.next_steps:
        # "We agreed to have a call next Tuesday": a nudge that morning.
        if item.on is not None and (contact := whose(item)) is not None:
            due = morning_of(item.on, zone)
            plan.created.append(
                make(ReminderKind.CUSTOM, contact, due, f"agreed: {item.text}", item.on)
            )
    ahead: dict[str, DatedItem] = {}
    wished = _WISHED_LUCK.search(reading.text) is not None  # "texted marek good luck for…"
    for item in reading.events:
        if item.past:
            continue  # "just back from Peru": nothing to ask about ahead of it
        contact = whose(item)
        if contact is None or item.on is None:
            continue
        yearly = _yearly_kind(item.text)
        if yearly is ReminderKind.BIRTHDAY:
            # A birthday is not "asked how it went"; it comes back every year.
            if contact.birthday is not None or _has_open(open_reminders, contact, yearly):
                continue  # already known and planned
            plan.birthdays[contact.id] = item.on
            occurrence = next_date(item.on, today)
            due = lead_nudge(occurrence, profile.birthday_lead, zone)
            plan.created.append(make(yearly, contact, due, item.text, occurrence))
        elif yearly is ReminderKind.YEARLY:
            occurrence = next_date(item.on, today)
            plan.created.append(
                make(yearly, contact, morning_of(occurrence, zone), item.text, occurrence)
            )
        elif item.on >= today - timedelta(days=1):
            # An event long past is not worth asking about now; one known only by its
            # month ("in March") is asked about once that month is over.
            last = _last_day(item)
            ask = morning_of(last + timedelta(days=1), zone)
            plan.created.append(make(ReminderKind.EVENT_FOLLOW_UP, contact, ask, item.text, last))
            soon = last <= follow_up_due.astimezone(zone).date() + LUCK_WITHIN
            if today < item.on and soon and not _AWAY.match(item.text) and not wished:
                ahead.setdefault(contact.id, item)
    for contact in contacts:
        others = [r for r in plan.created if r.contact_id == contact.id]
        # A thank-you is itself the follow-up: one nudge, not two. (A promise or their
        # event due the same morning is folded into one line when it goes out.)
        if any(r.kind is ReminderKind.GRATITUDE for r in others):
            continue
        event = ahead.get(contact.id)
        plan.created.append(
            make(
                ReminderKind.FOLLOW_UP,
                contact,
                follow_up_due,
                # With their event ahead, the follow-up wishes them luck for it.
                event.text if event else "",
                event.on if event and not event.approximate else None,
            )
        )
    for contact in contacts:
        plan.changed += supersede(
            contact.id, open_reminders, interaction.occurred_at, interaction.id, zone
        )
    plan.changed += said_again(plan.created, open_reminders, {r.id for r in plan.changed})
    return plan


def said_again(
    created: Sequence[Reminder], open_reminders: Iterable[Reminder], settled: set[str]
) -> list[Reminder]:
    """Cancel the open reminders that a new one repeats: same person, kind and words.

    Each of 20 notes saying "promised her the deck" would otherwise leave one more
    nudge for the same deck; the newest says when it is due now.
    """
    repeated = {
        (r.contact_id, r.kind, _wording(r.text)) for r in created if r.kind in _ONE_PER_WORDING
    }
    return [
        replace(r, status=ReminderStatus.CANCELLED)
        for r in open_reminders
        if r.id not in settled
        and r.status in OPEN
        and (r.contact_id, r.kind, _wording(r.text)) in repeated
    ]


def _wording(text: str) -> str:
    return " ".join(text.casefold().split())


def supersede(
    contact_id: str,
    open_reminders: Iterable[Reminder],
    talked_at: datetime,
    interaction_id: str | None,
    zone: ZoneInfo,
) -> list[Reminder]:
    """Cancel the contact's follow-ups and event check-ins that talking at `talked_at` covered.

    Delivered ones the user never answered go too: they would only sit in /reminders.
    """
    covered = ReminderStatus.PENDING, ReminderStatus.DELIVERED
    return [
        replace(r, status=ReminderStatus.CANCELLED)
        for r in open_reminders
        if r.contact_id == contact_id
        and r.status in covered
        and _superseded(r, talked_at, interaction_id, zone)
    ]


def lead_nudge(on: date, lead: timedelta, zone: ZoneInfo) -> datetime:
    """The morning `lead` (whole days) before `on`: when to be reminded of a deadline or a day."""
    return morning_of(on - timedelta(days=max(0, lead.days)), zone)


def next_date(on: date, today: date) -> date:
    """The next `on` month and day falling today or later (29 Feb: 28 Feb when missing)."""
    year = today.year
    while (candidate := safe_date(year, on.month, on.day)) < today:
        year += 1
    return candidate


def next_occurrence(reminder: Reminder, profile: UserProfile, now: datetime) -> Reminder | None:
    """Return the next copy of a repeating reminder (birthdays, yearly days, "every week")."""
    if reminder.kind in DIGEST_KINDS:
        return next_digest(reminder, profile, now)
    zone = ZoneInfo(profile.timezone)
    if reminder.kind in (ReminderKind.BIRTHDAY, ReminderKind.YEARLY):
        local = reminder.due_at.astimezone(zone)
        on = reminder.on or local.date()
        after = max(now.astimezone(zone).date(), on) + timedelta(days=1)
        following = next_date(on, after)
        lead = profile.birthday_lead if reminder.kind is ReminderKind.BIRTHDAY else timedelta(0)
        if reminder.on is None:
            return _again(reminder, morning_of(following, zone), now)
        return _again(reminder, lead_nudge(following, lead, zone), now, on=following)
    if reminder.repeat is None:
        return None
    due = reminder.due_at
    while due <= now:
        due = step(due, reminder.repeat, zone)
    return _again(reminder, due, now, on=reminder.on)


def _again(reminder: Reminder, due: datetime, now: datetime, on: date | None = None) -> Reminder:
    """A fresh copy of `reminder`, waiting for `due`: nothing of the last one's delivery."""
    return replace(
        reminder,
        id=new_id("r"),
        due_at=due,
        on=on,
        status=ReminderStatus.PENDING,
        created_at=now,
        delivered_at=None,
        attempts=0,
        not_before=None,
        pinned=False,
        retry_at=None,
        closed_at=None,
    )


def step(moment: datetime, repeat: Repeat, zone: ZoneInfo) -> datetime:
    """`moment` one week, month or year on, at the same local time (31st: the month's last)."""
    local = moment.astimezone(zone)
    if repeat is Repeat.WEEK:
        day = local.date() + timedelta(days=7)
    elif repeat is Repeat.MONTH:
        month = local.month % 12 + 1
        day = safe_date(local.year + (local.month == 12), month, local.day)
    else:
        day = safe_date(local.year + 1, local.month, local.day)
    return datetime.combine(day, local.time(), tzinfo=zone).astimezone(moment.tzinfo)


def keep_in_touch(
    contact_id: str, due: datetime, now: datetime, *, not_before: datetime | None = None
) -> Reminder:
    """A new keep-in-touch nudge for the contact."""
    return Reminder(
        id=new_id("r"),
        kind=ReminderKind.KEEP_IN_TOUCH,
        due_at=due,
        contact_id=contact_id,
        created_at=now,
        not_before=not_before,
    )


def keep_in_touch_day(contact: Contact, zone: ZoneInfo) -> date:
    """The local day the contact's cadence runs out."""
    last = contact.last_interaction_at or contact.created_at
    return local_day(last + contact.cadence, zone)


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
        event_day = reminder.on or (reminder.due_at.astimezone(zone).date() - timedelta(days=1))
        return talked_at.astimezone(zone).date() > event_day
    return False


def whole_days(delay: timedelta) -> bool:
    """True for a delay of whole days (lands on a morning), not hours."""
    return delay % timedelta(days=1) == timedelta(0)


def _a_courtesy(text: str) -> bool:
    """ "the coffee", "your time": thanked for, with nothing to tell them later."""
    worded = word_detail(FactKind.HELPED_ME, text)
    return isinstance(worded, Phrase) and is_courtesy(worded)


def _follow_up_due(interaction: Interaction, profile: UserProfile) -> datetime:
    """The follow-up delay from the profile; whole days land on that day's morning."""
    zone = ZoneInfo(profile.timezone)
    after = profile.follow_up_after
    moment = interaction.occurred_at + after
    if whole_days(after):
        return morning_of(moment.astimezone(zone).date(), zone)
    return moment


def _last_day(item: DatedItem) -> date:
    """The event's day, or the last day of its month when only the month is known."""
    assert item.on is not None
    if not item.approximate:
        return item.on
    following = date(item.on.year + item.on.month // 12, item.on.month % 12 + 1, 1)
    return following - timedelta(days=1)
