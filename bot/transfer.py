"""Export one user's data to a JSON file, and import it back.

An import is checked whole before anything is written, so a corrupt or
foreign file changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.model import Contact, Interaction, Reminder, UserProfile
from bot.storage.records import from_record, to_record
from bot.storage.repository import Repository

FORMAT = "rapport-coach/1"


class BadImportFile(ValueError):
    """The import file can't be used; the message says why, nothing was written."""


@dataclass(frozen=True)
class Bundle:
    """Everything the coach keeps about one user."""

    profile: UserProfile
    contacts: list[Contact]
    interactions: list[Interaction]
    reminders: list[Reminder]


def export_user(repository: Repository, user_id: str) -> dict[str, Any]:
    """Return the user's data as a JSON-safe document."""
    with repository.session(user_id) as store:
        bundle = Bundle(
            store.profile(), store.contacts(), list(store.interactions()), store.reminders()
        )
    return {"format": FORMAT, **to_record(bundle)}


def read_bundle(path: Path) -> Bundle:
    """Parse and validate an export file, or raise BadImportFile naming the problem."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadImportFile(f"{path}: cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadImportFile(f"{path}: is not a valid JSON export ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadImportFile(f"{path}: is not a Rapport Coach export (expected {FORMAT!r})")
    try:
        return from_record(Bundle, document)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadImportFile(f"{path}: has a malformed record ({exc!r})") from exc


def import_user(repository: Repository, user_id: str, bundle: Bundle) -> dict[str, int]:
    """Merge `bundle` into the user's data; records already present (same id) are kept.

    The profile (time zone, quiet hours) is not imported: the user's current one stays.
    """
    with repository.session(user_id) as store:
        known_contacts = {c.id for c in store.contacts()}
        known_interactions = {i.id for i in store.interactions()}
        known_reminders = {r.id for r in store.reminders()}
        contacts = [c for c in bundle.contacts if c.id not in known_contacts]
        interactions = [i for i in bundle.interactions if i.id not in known_interactions]
        reminders = [r for r in bundle.reminders if r.id not in known_reminders]
        for contact in contacts:
            store.save_contact(contact)
        for interaction in reversed(interactions):  # exported newest first
            store.add_interaction(interaction)
        store.save_reminders(reminders)
    return {
        "contacts": len(contacts),
        "interactions": len(interactions),
        "reminders": len(reminders),
    }
