"""vCard 2.1, 3.0 and 4.0 files (phones, Google Contacts, Outlook) as people.

vobject parses each card. The file is split into cards first, so one broken
card is reported and skipped instead of ending the whole file. What vobject
leaves to us for vCard 4.0: `tel:` URIs, dates without dashes or year
(`--0412`), timestamps as birthdays, ANNIVERSARY, KIND, and `data:` photos.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import vobject

from bot.transfer.people import (
    MAX_NAME,
    NO_YEAR,
    AddressBook,
    Person,
    Skipped,
    add_unique,
    clean_email,
    clean_note,
    clean_phone,
    clean_text,
    phone_key,
)

log = logging.getLogger(__name__)
# vobject logs each line it skips, content included: that is the user's data, not a log's.
logging.getLogger("vobject").setLevel(logging.CRITICAL)
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR_DATE = re.compile(r"^--(\d{2})-?(\d{2})(?:T.*)?$")
_ANNIVERSARY_LABEL = re.compile(r"anniversary", re.IGNORECASE)
_NOT_PEOPLE = {"group", "org", "location"}


@dataclass(frozen=True)
class _Card:
    number: int
    line: int
    text: str
    complete: bool


def read_vcards(text: str) -> AddressBook:
    """Read every card in `text`; skipped cards and dropped fields are reported."""
    book = AddressBook(kind="vCard")
    versions: set[str] = set()
    photos = bad_dates = partial = 0
    for card in _cards(text):
        where = f"card {card.number} (line {card.line})"
        parsed = _parse(card.text)
        if parsed is None:
            book.skipped.append(Skipped(where, "could not be read"))
            continue
        component, whole = parsed
        partial += not (whole and card.complete)
        versions.add(_first(component, "version") or "3.0")
        photos += "photo" in component.contents
        person, reason, dropped_dates = _person(component, where)
        bad_dates += dropped_dates
        if person is None:
            book.skipped.append(Skipped(where, reason))
        else:
            book.people.append(person)
    book.kind = "vCard " + "/".join(sorted(versions)) if versions else "vCard"
    if partial:
        book.remarks.append(f"{_cards_word(partial)} had broken lines; I read what I could.")
    if photos:
        book.remarks.append(f"Photos are not imported ({_cards_word(photos)} had one).")
    if bad_dates:
        book.remarks.append(f"{_dates_word(bad_dates)}, so I left them out.")
    return book


def _cards(text: str) -> Iterator[_Card]:
    """Split the file at BEGIN/END lines; a card cut short ends at the next BEGIN."""
    lines: list[str] = []
    start = 0
    number = 0
    for index, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            if lines:
                yield _Card(number, start, "\n".join([*lines, "END:VCARD"]), complete=False)
            number += 1
            lines, start = [line], index
        elif _END.match(line) and lines:
            yield _Card(number, start, "\n".join([*lines, line]), complete=True)
            lines = []
        elif lines:
            lines.append(line)
    if lines:
        yield _Card(number, start, "\n".join([*lines, "END:VCARD"]), complete=False)


def _parse(text: str) -> tuple[Any, bool] | None:
    """Parse one card strictly, else leniently; None if even that fails."""
    for lenient in (False, True):
        try:
            return vobject.readOne(text, ignoreUnreadable=lenient), not lenient
        except Exception as exc:  # vobject raises many kinds; one bad card must not stop the file
            log.debug("vCard not read (lenient=%s): %s", lenient, type(exc).__name__)
    return None


def _person(card: Any, where: str) -> tuple[Person | None, str, int]:
    """Return (person, "", dates dropped) or (None, why it was skipped, 0)."""
    kind = (_first(card, "kind") or "individual").lower()
    if kind in _NOT_PEOPLE:
        return None, f"a {kind} card, not a person", 0
    name = clean_text(_first(card, "fn"), MAX_NAME) or _name_from_parts(card)
    org = _values(card, "org")
    company = clean_text(org[0][0] if org and isinstance(org[0], list) and org[0] else "")
    if not name:
        return None, "no name" + (f" (only a company, {company})" if company else ""), 0
    person = Person(name=name, where=where, company=company)
    person.role = clean_text(_first(card, "title") or _first(card, "role"))
    for value in _values(card, "email"):
        add_unique(person.emails, clean_email(value))
    for value in _values(card, "tel"):
        add_unique(person.phones, clean_phone(value), key=phone_key)
    for value in [*_values(card, "url"), *_values(card, "x-socialprofile")]:
        add_unique(person.urls, clean_text(value))
    person.note = clean_note(_first(card, "note"))
    dropped = 0
    birthday = _first(card, "bday")
    person.birthday = parse_card_date(birthday)
    dropped += bool(birthday) and person.birthday is None
    anniversary = _anniversary(card)
    person.anniversary = parse_card_date(anniversary)
    dropped += bool(anniversary) and person.anniversary is None
    return person, "", dropped


def _name_from_parts(card: Any) -> str:
    """Build "Given Additional Family" from the N property (vCard 2.1 often has no FN)."""
    values = _values(card, "n")
    if not values:
        return ""
    n = values[0]
    parts = [getattr(n, attr, "") for attr in ("prefix", "given", "additional", "family")]
    words = [" ".join(p) if isinstance(p, list) else str(p) for p in parts]
    return clean_text(" ".join(w for w in words if w), MAX_NAME)


def _anniversary(card: Any) -> str:
    for key in ("anniversary", "x-anniversary", "x-ms-anniversary", "x-evolution-anniversary"):
        if found := _first(card, key):
            return found
    # Apple: item2.X-ABDATE with item2.X-ABLabel:_$!<Anniversary>!$_
    labels = {
        line.group
        for line in card.contents.get("x-ablabel", [])
        if line.group and _ANNIVERSARY_LABEL.search(str(line.value))
    }
    for line in card.contents.get("x-abdate", []):
        if line.group in labels:
            return str(line.value)
    return ""


def parse_card_date(value: str) -> date | None:
    """Read a vCard date: 1985-04-12, 19850412, --04-12, --0412, or a timestamp."""
    text = value.strip()
    for pattern, has_year in ((_FULL_DATE, True), (_NO_YEAR_DATE, False)):
        match = pattern.match(text)
        if match is None:
            continue
        numbers = [int(g) for g in match.groups()]
        year, month, day = numbers if has_year else [NO_YEAR, *numbers]
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def _values(card: Any, key: str) -> list[Any]:
    return [line.value for line in card.contents.get(key, [])]


def _first(card: Any, key: str) -> str:
    values = _values(card, key)
    if not values:
        return ""
    value = values[0]
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _cards_word(count: int) -> str:
    return "1 card" if count == 1 else f"{count:,} cards"


def _dates_word(count: int) -> str:
    if count == 1:
        return "1 birthday or anniversary was not a date"
    return f"{count:,} birthdays or anniversaries were not dates"
