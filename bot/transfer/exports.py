"""The three export files: everything as JSON, contacts as CSV, reminders as iCalendar."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.humanize import ago
from bot.domain.insight.digests import DIGEST_KINDS
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus
from bot.domain.reminders.timing import deliverable_at, morning_of, next_yearly
from bot.engine.replies import Attachment
from bot.storage.repository import UserStore
from bot.templates import TemplateLibrary
from bot.transfer.bundle import Bundle, collect, dumps
from bot.transfer.people import NO_YEAR

CSV_HEADER = (
    "Name",
    "Company",
    "Role",
    "Email",
    "Phone",
    "URL",
    "Birthday",
    "How we met",
    "Tier",
    "Last contact",
    "Notes",
)
WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)
YEARLY = (ReminderKind.BIRTHDAY, ReminderKind.YEARLY)
EVENT_LENGTH = timedelta(minutes=15)
# Spreadsheets run a cell starting with these as a formula: a name like "=HYPERLINK(...)".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_TAG = re.compile(r"<[^>]+>")

Describe = Callable[[Reminder, Contact | None], str]


def build_export(store: UserStore, templates: TemplateLibrary, now: datetime) -> list[Attachment]:
    """Return the user's three export files, named with today's date in their zone."""
    bundle = collect(store)
    zone = ZoneInfo(bundle.profile.timezone)
    day = now.astimezone(zone).date().isoformat()

    def describe(reminder: Reminder, contact: Contact | None) -> str:
        return event_title(templates, reminder, contact, now)

    return [
        Attachment(f"rapport-coach-{day}.json", dumps(bundle).encode()),
        Attachment(f"rapport-coach-contacts-{day}.csv", contacts_csv(bundle.contacts).encode()),
        Attachment(f"rapport-coach-reminders-{day}.ics", calendar(bundle, describe, now)),
    ]


def contacts_csv(contacts: Sequence[Contact]) -> str:
    """Return one row per contact; `rapport-coach import` reads this file back."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for c in sorted(contacts, key=lambda c: c.name.casefold()):
        birthday = ""
        if c.birthday is not None:
            birthday = (
                f"--{c.birthday:%m-%d}" if c.birthday.year == NO_YEAR else c.birthday.isoformat()
            )
        last = c.last_interaction_at.date().isoformat() if c.last_interaction_at else ""
        writer.writerow(
            [
                _safe(c.name),
                _safe(c.company),
                _safe(c.role),
                _safe("; ".join(c.emails)),
                "; ".join(p if _PHONE.match(p) else _safe(p) for p in c.phones),
                _safe("; ".join(c.urls)),
                birthday,
                _safe(c.how_met),
                c.tier.value,
                last,
                _safe(" | ".join(c.notes)),
            ]
        )
    return out.getvalue()


def calendar(bundle: Bundle, describe: Describe, now: datetime) -> bytes:
    """Return an iCalendar file of waiting reminders and birthdays, in the user's time zone."""
    from icalendar import Alarm, Calendar, Event

    profile = bundle.profile
    zone = ZoneInfo(profile.timezone)
    contacts = {c.id: c for c in bundle.contacts}
    cal = Calendar()
    cal.add("prodid", "-//Rapport Coach//rapport-coach//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Rapport Coach")
    cal.add("x-wr-timezone", profile.timezone)

    def event(
        uid: str,
        start: datetime,
        title: str,
        details: str,
        yearly: bool,
        alarm: datetime | None = None,
    ) -> None:
        item = Event()
        item.add("uid", f"{uid}@rapport-coach")
        item.add("dtstamp", now)
        item.add("dtstart", start.astimezone(zone))
        item.add("duration", EVENT_LENGTH)
        item.add("summary", title)
        if details:
            item.add("description", details)
        if yearly:
            item.add("rrule", {"freq": "yearly"})
        if alarm is not None and alarm != start:
            # The day itself is the event; the coach's nudge ahead of it is its alarm.
            warning = Alarm()
            warning.add("action", "DISPLAY")
            warning.add("description", title)
            warning.add("trigger", alarm - start)
            item.add_component(warning)
        cal.add_component(item)

    with_birthday_reminder = set()
    for reminder in sorted(bundle.reminders, key=lambda r: r.due_at):
        # The digests are the coach's own messages to the user, not events in their diary.
        if reminder.status not in WAITING or reminder.kind in DIGEST_KINDS:
            continue
        contact = contacts.get(reminder.contact_id)
        if reminder.contact_id and contact is None:
            continue
        if reminder.kind is ReminderKind.BIRTHDAY:
            with_birthday_reminder.add(reminder.contact_id)
        nudge = deliverable_at(reminder.due_at, profile)
        start, alarm = nudge, None
        if reminder.kind in YEARLY and reminder.on is not None:
            # A birthday's reminder comes days ahead; in a calendar it belongs on the day.
            start, alarm = deliverable_at(morning_of(reminder.on, zone), profile), nudge
        title = describe(reminder, contact)
        event(reminder.id, start, title, reminder.text, reminder.kind in YEARLY, alarm)
    for contact in bundle.contacts:
        if contact.birthday is None or contact.id in with_birthday_reminder:
            continue
        start = next_yearly(contact.birthday.month, contact.birthday.day, now, zone)
        birthday = Reminder(
            id=f"birthday-{contact.id}",
            kind=ReminderKind.BIRTHDAY,
            due_at=start,
            contact_id=contact.id,
        )
        event(birthday.id, start, describe(birthday, contact), "", yearly=True)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def event_title(
    templates: TemplateLibrary, reminder: Reminder, contact: Contact | None, now: datetime
) -> str:
    """Word a reminder as /reminders does, as plain text for a calendar."""
    last = (contact.last_interaction_at or contact.created_at) if contact else now
    item = {
        "kind": reminder.kind.value,
        "name": contact.name if contact else "",
        "text": reminder.text,
        "since": ago(now - last),
        "tier": contact.tier.value if contact else "",
    }
    rendered = templates.render("replies/data/calendar_event.html.j2", item=item)
    return html.unescape(_TAG.sub("", rendered)).strip()


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
