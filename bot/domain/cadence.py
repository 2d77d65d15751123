"""Keep-in-touch cadence: who is overdue, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.model import Contact


@dataclass(frozen=True)
class Overdue:
    """A contact whose keep-in-touch interval has passed."""

    contact: Contact
    since_last: timedelta
    overdue_by: timedelta


def last_touch(contact: Contact) -> datetime:
    """When the user last had contact (or added them, if never logged)."""
    return contact.last_interaction_at or contact.created_at


def overdue_contacts(contacts: list[Contact], now: datetime) -> list[Overdue]:
    """Return contacts past their cadence, most overdue first; drifting ones are left alone."""
    due = []
    for contact in contacts:
        if contact.drifting:
            continue
        since = now - last_touch(contact)
        if since >= contact.cadence:
            due.append(Overdue(contact, since, since - contact.cadence))
    return sorted(due, key=lambda o: o.overdue_by, reverse=True)
