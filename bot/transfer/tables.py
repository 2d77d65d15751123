"""CSV address books: LinkedIn's Connections.csv, Google/Outlook exports, any table.

The header row is found by its column names, so note lines above it (LinkedIn
puts a few there) are skipped and reported. Columns are mapped to our fields
by common header names; `columns` overrides the guess for a field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from bot.transfer.people import (
    MAX_NAME,
    NO_YEAR,
    AddressBook,
    Person,
    Skipped,
    UnreadableFile,
    add_unique,
    clean_email,
    clean_note,
    clean_phone,
    clean_text,
    fold_name,
    phone_key,
)

FIELDS = (
    "name",
    "first",
    "middle",
    "last",
    "email",
    "phone",
    "company",
    "role",
    "url",
    "birthday",
    "how_met",
    "connected_on",
    "note",
)
# Header names (folded) each field answers to; e-mail and phone columns are also
# recognised by a word in them ("E-mail 2 - Value", "Mobile Phone").
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name", "contact name", "contact"),
    "first": ("first name", "given name", "firstname", "first", "forename"),
    "middle": ("middle name", "additional name", "middlename"),
    "last": ("last name", "family name", "surname", "lastname", "last"),
    "company": (
        "company",
        "organization",
        "organisation",
        "organization name",
        "organization 1 name",
        "employer",
        "company name",
    ),
    "role": (
        "title",
        "job title",
        "position",
        "role",
        "organization title",
        "organization 1 title",
        "jobtitle",
    ),
    "url": ("url", "website", "web page", "linkedin", "profile url", "website 1 value"),
    "birthday": ("birthday", "date of birth", "dob", "birth date", "birthdate"),
    "how_met": ("how we met", "how met", "met at", "where we met", "how_met"),
    "connected_on": ("connected on",),
    "note": ("notes", "note", "comments"),
}
_EMAIL_WORDS = ("email", "e mail")
_PHONE_WORDS = ("phone", "mobile", "tel", "cell")
_LABEL_WORDS = ("label", "type")
_FORMULA = re.compile(r"^'(?=[=+\-@\t\r])")
MAX_ROWS_PREAMBLE = 30
# LinkedIn writes "12 Mar 2021"; spreadsheets ISO, US or German dates.
DATE_FORMS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%m/%d/%Y", "%d.%m.%Y")


def read_table(text: str, *, columns: Mapping[str, str] | None = None) -> AddressBook:
    """Read a CSV address book; rows without a name are skipped with the reason."""
    rows = _rows(text)
    header_at, mapping = _find_header(rows, columns or {})
    header = rows[header_at]
    linkedin = {"first name", "last name", "connected on"} <= {fold_name(h) for h in header}
    book = AddressBook(kind="LinkedIn connections" if linkedin else "CSV table")
    preamble = sum(1 for row in rows[:header_at] if any(cell.strip() for cell in row))
    if preamble:
        lines = "1 note line" if preamble == 1 else f"{preamble} note lines"
        book.remarks.append(f"Skipped {lines} before the header row.")
    for index, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"row {index}"
        if len(row) > len(header) + 5 or any(len(cell) > 5000 for cell in row):
            book.skipped.append(Skipped(where, "a broken line (its quotes or commas are off)"))
            continue
        person = _person(row, mapping, where, linkedin=linkedin)
        if isinstance(person, Skipped):
            book.skipped.append(person)
        else:
            book.people.append(person)
    return book


def _rows(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[: MAX_ROWS_PREAMBLE + 5])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error:
            rows.append(["\x00broken"] * 1000)  # reported as a broken line


def _find_header(
    rows: Sequence[Sequence[str]], columns: Mapping[str, str]
) -> tuple[int, dict[str, list[int]]]:
    """Return the header row's index and field -> column indexes."""
    for index, row in enumerate(rows[:MAX_ROWS_PREAMBLE]):
        mapping = map_columns(row, columns)
        if "name" in mapping or "first" in mapping or "last" in mapping:
            return index, mapping
    first = next((r for r in rows if any(c.strip() for c in r)), [])
    shown = ", ".join(clean_text(c, 40) for c in first[:8] if c.strip())
    raise UnreadableFile(
        "has no column I can read names from"
        + (f" (its first row is: {shown})" if shown else "")
        + ". Name a column 'Name', or 'First Name' and 'Last Name'"
    )


def map_columns(header: Sequence[str], columns: Mapping[str, str]) -> dict[str, list[int]]:
    """Map our fields to the header's column indexes, explicit `columns` first."""
    folded = [fold_name(h) for h in header]
    mapping: dict[str, list[int]] = {}
    wanted = {field: fold_name(h) for field, h in columns.items()}
    for index, head in enumerate(folded):
        explicit = [f for f, h in wanted.items() if h == head]
        if explicit:
            for field in explicit:
                mapping.setdefault(field, []).append(index)
            continue
        guessed = _guess(head)
        if guessed is not None and guessed not in wanted:
            mapping.setdefault(guessed, []).append(index)
    return mapping


def _guess(head: str) -> str | None:
    for field, names in HEADERS.items():
        if head in names:
            return field
    if any(word in head for word in _LABEL_WORDS):
        return None
    if any(word in head for word in _EMAIL_WORDS):
        return "email"
    if any(re.search(rf"\b{word}\b", head) for word in _PHONE_WORDS):
        return "phone"
    return None


def _person(
    row: Sequence[str], mapping: Mapping[str, list[int]], where: str, *, linkedin: bool
) -> Person | Skipped:
    def cells(field: str) -> list[str]:
        return [_cell(row[i]) for i in mapping.get(field, []) if i < len(row) and row[i].strip()]

    def one(field: str) -> str:
        found = cells(field)
        return found[0] if found else ""

    name = clean_text(one("name"), MAX_NAME) or clean_text(
        " ".join(p for p in (one("first"), one("middle"), one("last")) if p), MAX_NAME
    )
    if not name:
        return Skipped(where, "no name")
    person = Person(name=name, where=where, company=clean_text(one("company")))
    person.role = clean_text(one("role"))
    for cell in cells("email"):
        for part in re.split(r"[;,\s]+", cell):
            add_unique(person.emails, clean_email(part))
    for cell in cells("phone"):
        for part in re.split(r"[;,]|:::", cell):
            add_unique(person.phones, clean_phone(part), key=phone_key)
    for cell in cells("url"):
        add_unique(person.urls, clean_text(cell))
    person.note = clean_note(one("note"))
    person.birthday = parse_table_date(one("birthday"))
    person.how_met = clean_text(one("how_met"))
    connected = one("connected_on")
    if connected and not person.how_met:
        on = parse_table_date(connected)
        where_met = "on LinkedIn" if linkedin else ""
        when = f"{on.day} {on:%B %Y}" if on else clean_text(connected)
        person.how_met = " ".join(p for p in ("Connected", where_met, "on", when) if p)
    return person


def _cell(value: str) -> str:
    # Our own CSV export guards formula-like cells with a quote; take it off again.
    return _FORMULA.sub("", value.strip())


def parse_table_date(value: str) -> date | None:
    """Read a date as spreadsheets write it: 2021-03-12, 12 Mar 2021, 03/12/2021, --03-12."""
    text = clean_text(value, 40)
    if not text:
        return None
    if match := re.fullmatch(r"--(\d{1,2})-(\d{1,2})", text):
        month, day = (int(g) for g in match.groups())
        try:
            return date(NO_YEAR, month, day)
        except ValueError:
            return None
    for form in (
        "%Y-%m-%d",
        "%d %b %Y",
        "%d %B %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%m/%d/%Y",
        "%d.%m.%Y",
    ):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None
