"""People read from an address book, before they become contacts.

Every reader (vCard, CSV, LinkedIn) produces the same plain records, so
matching, previews and merging are written once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

MAX_NAME = 120
MAX_FIELD = 300
MAX_NOTE = 2000
# A birthday without a year (vCard "--04-12") is kept on this leap year, as Apple does.
NO_YEAR = 1604

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_NAME = re.compile(r"[^\w\s'-]")


class UnreadableFile(ValueError):
    """The file can't be imported at all; the message says why in plain words."""


@dataclass
class Person:
    """One person as an address book describes them."""

    name: str
    where: str = ""  # "card 12" or "row 7", for the report
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""
    how_met: str = ""
    note: str = ""
    birthday: date | None = None
    anniversary: date | None = None


@dataclass(frozen=True)
class Skipped:
    """A record left out of an import, and why."""

    where: str
    reason: str


@dataclass
class AddressBook:
    """What a file held: the people in it, what was left out, and remarks on the file."""

    kind: str
    people: list[Person] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def clean_text(value: object, limit: int = MAX_FIELD) -> str:
    """Return `value` as one line of text: spaces collapsed, control characters gone."""
    text = "".join(ch for ch in str(value or "") if unicodedata.category(ch)[0] != "C" or ch == " ")
    return _SPACES.sub(" ", text).strip()[:limit]


def clean_note(value: object) -> str:
    """Return a multi-line note with control characters removed."""
    lines = (clean_text(line, MAX_NOTE) for line in str(value or "").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_NOTE]


def clean_email(value: object) -> str:
    """Return a lower-cased e-mail address, or "" if it does not look like one."""
    text = clean_text(value).removeprefix("mailto:").strip().lower()
    return text if _EMAIL.fullmatch(text) else ""


def clean_phone(value: object) -> str:
    """Return a phone number as written (without a "tel:" prefix), or "" if it has no digits."""
    text = clean_text(value, 40).removeprefix("tel:").strip()
    return text if phone_key(text) else ""


def phone_key(phone: str) -> str:
    """Return the digits that identify a number across formats (+49 151 vs 0151), or ""."""
    digits = re.sub(r"\D", "", phone)
    # The last nine digits survive country codes and trunk prefixes; shorter ones are too vague.
    return digits[-9:] if len(digits) >= 9 else ""


def fold_name(name: str) -> str:
    """Return a name for comparing: no accents, no case, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SPACES.sub(" ", _NOT_NAME.sub(" ", plain.replace("-", " "))).strip()


def add_unique(values: list[str], new: str, key: Callable[[str], str] = str.casefold) -> bool:
    """Append `new` unless a value with the same key is there already; tell if it was added."""
    if not new or key(new) in {key(v) for v in values}:
        return False
    values.append(new)
    return True
