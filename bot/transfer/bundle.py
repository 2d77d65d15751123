"""The coach's own export: one JSON document with everything about one user.

Reading it back is record by record: a record the codec refuses (a number for
a name, a date without a time zone) is reported with the codec's reason and
left out, and the rest still import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.model import Contact, Interaction, Reminder, UserProfile
from bot.storage.records import RecordError, from_record, to_record
from bot.storage.repository import UserStore
from bot.transfer.people import Skipped, UnreadableFile

FORMAT = "rapport-coach/1"
KIND = "Rapport Coach export"
T = TypeVar("T")


@dataclass
class Bundle:
    """Everything the coach keeps about one user."""

    profile: UserProfile
    contacts: list[Contact]
    interactions: list[Interaction]  # newest first, as the store yields them
    reminders: list[Reminder]  # open ones, then finished ones in the order they finished


@dataclass
class Restore:
    """An export read back: the records that decoded, and those that did not."""

    bundle: Bundle
    has_settings: bool
    skipped: list[Skipped] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    kind: str = KIND


def collect(store: UserStore) -> Bundle:
    """Return everything `store` holds about its user."""
    # Finished ones oldest first: importing appends them, so the history keeps its order.
    reminders = [*store.reminders(), *reversed(list(store.finished_reminders()))]
    return Bundle(store.profile(), store.contacts(), list(store.interactions()), reminders)


def export_document(bundle: Bundle) -> dict[str, Any]:
    """Return the bundle as our JSON document."""
    return {"format": FORMAT, **to_record(bundle)}


def dumps(bundle: Bundle) -> str:
    """Return the export file's text."""
    return json.dumps(export_document(bundle), ensure_ascii=False, indent=1) + "\n"


def read_restore(text: str) -> Restore:
    """Read our export from `text`; raise UnreadableFile if it is not one at all."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UnreadableFile(f"is JSON, but not a Rapport Coach export (expected {FORMAT!r})")
    lists = {}
    for key in ("contacts", "interactions", "reminders"):
        value = document.get(key, [])
        if not isinstance(value, list):
            raise UnreadableFile(f"has no list of {key}")
        lists[key] = value
    skipped: list[Skipped] = []
    profile = UserProfile(user_id="")
    has_settings = False
    if isinstance(document.get("profile"), dict):
        decoded = _decode(UserProfile, document["profile"], "your settings", skipped)
        if decoded is not None:
            profile, has_settings = decoded, True
    contacts = _decode_all(Contact, lists["contacts"], "contact", skipped)
    interactions = _decode_all(Interaction, lists["interactions"], "log", skipped)
    reminders = _decode_all(Reminder, lists["reminders"], "reminder", skipped)
    return Restore(Bundle(profile, contacts, interactions, reminders), has_settings, skipped)


def _decode_all(cls: type[T], records: list[Any], noun: str, skipped: list[Skipped]) -> list[T]:
    out = []
    for number, record in enumerate(records, start=1):
        decoded = _decode(cls, record, f"{noun} {number}", skipped)
        if decoded is not None:
            out.append(decoded)
    return out


def _decode(cls: type[T], record: Any, where: str, skipped: list[Skipped]) -> T | None:
    if not isinstance(record, dict):
        skipped.append(Skipped(where, "is not a record"))
        return None
    try:
        decoded = from_record(cls, record)
        problem = _problem(decoded)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = _reason(exc)
    if problem:
        skipped.append(Skipped(where, problem))
        return None
    return decoded


def _problem(obj: Any) -> str:
    """Say what makes a decoded record unusable, or return ""."""
    if isinstance(obj, Contact) and not (isinstance(obj.name, str) and obj.name.strip()):
        return "has no name"
    if isinstance(obj, Contact | Interaction | Reminder) and not (
        isinstance(obj.id, str) and obj.id
    ):
        return "has no id"
    if isinstance(obj, UserProfile) and not _known_zone(obj.timezone):
        return f"has an unknown time zone ({str(obj.timezone)[:40]})"
    return ""


def _known_zone(name: object) -> bool:
    try:
        ZoneInfo(str(name))
    except (ValueError, ZoneInfoNotFoundError):
        return False
    return isinstance(name, str)


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecordError):
        return f"has a bad field ({exc})"[:200]  # the codec names the field and what's wrong
    if isinstance(exc, KeyError):
        return f"lacks {exc.args[0]!r}"
    return f"does not decode ({exc})"[:200]
