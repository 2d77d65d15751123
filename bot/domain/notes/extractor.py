"""Reading one free-text note: the pure, offline, deterministic extractor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.model import Contact
from bot.domain.notes.clauses import Clause, Subject, build_clauses
from bot.domain.notes.cues import detail_from, event_from, gratitude_from, offer_from, promise_from
from bot.domain.notes.dates import find_dates
from bot.domain.notes.kinds import detect_kind, occurred_at
from bot.domain.notes.people import Found, find_people, fold
from bot.domain.notes.reading import DatedItem, Detail, NoteReading, PersonMention
from bot.domain.notes.text import normalise
from bot.domain.notes.topics import topics_of

# Zones whose people write 12/05 for December 5th.
_MONTH_FIRST_ZONES = ("America/", "US/", "Pacific/Honolulu", "Asia/Manila")


def read_note(
    text: str, *, now: datetime, timezone: str, contacts: Sequence[Contact]
) -> NoteReading:
    """Understand one note: who, what kind, when, their events, promises, thanks, details.

    `now` is aware UTC and `timezone` the user's IANA zone: relative dates
    resolve against the user's local today. Never raises on odd input; a
    date that cannot be pinned down is kept as text with `on=None`.
    """
    zone = _zone(timezone)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today = now.astimezone(zone).date()
    body = normalise(text)
    dates = find_dates(body, today, month_first=timezone.startswith(_MONTH_FIRST_ZONES))
    found = find_people(body, contacts)
    clauses = build_clauses(body, found, dates)
    when, when_phrase = occurred_at(body, dates, now=now, zone=zone)
    # The phrase that dated the meeting is not an event's or promise's date.
    for clause in clauses:
        clause.dates = [d for d in clause.dates if d is not when_phrase]

    reading = NoteReading(
        text=text,
        people=[_mention(person) for person in found],
        kind=detect_kind(body),
        occurred_at=when,
    )
    single = found[0].name if len(found) == 1 else ""
    for clause in clauses:
        _read_clause(reading, clause, today=today, single=single)
    _keep_known_people(reading)
    reading.topics = topics_of(body, reading, [p.name for p in found])
    return reading


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _mention(person: Found) -> PersonMention:
    if len(person.contact_ids) == 1:
        return PersonMention(
            name=person.name,
            contact_id=person.contact_ids[0],
            company=person.company,
            role=person.role,
        )
    return PersonMention(
        name=person.name,
        candidates=list(person.contact_ids),
        company=person.company,
        role=person.role,
    )


def _read_clause(reading: NoteReading, clause: Clause, *, today: date, single: str) -> None:
    promise = promise_from(clause, single)
    if promise is not None:
        reading.promises.append(promise)
        return
    offer = offer_from(clause)
    if offer is not None:
        reading.offers.append(offer)
        return
    thanks = gratitude_from(clause)
    if thanks is not None:
        if not any(g.person == thanks.person for g in reading.gratitude):
            reading.gratitude.append(thanks)
        return
    if clause.subject is Subject.USER:
        return
    event = event_from(clause, today)
    if event is not None:
        reading.events.append(event)
    detail = detail_from(clause)
    if detail is not None:
        reading.details.append(detail)


def _keep_known_people(reading: NoteReading) -> None:
    """Every item's person must name one of the reading's people (or be "")."""
    names = {p.name for p in reading.people}
    by_fold = {fold(p.name): p.name for p in reading.people}
    items: list[DatedItem | Detail] = [
        *reading.events,
        *reading.promises,
        *reading.offers,
        *reading.gratitude,
        *reading.details,
    ]
    for item in items:
        if item.person not in names:
            item.person = by_fold.get(fold(item.person), "")
    reading.details = _unique(reading.details)


def _unique(details: list[Detail]) -> list[Detail]:
    seen: set[tuple[str, str]] = set()
    kept: list[Detail] = []
    for detail in details:
        key = (detail.person, re.sub(r"\W+", " ", detail.text.lower()))
        if key not in seen:
            seen.add(key)
            kept.append(detail)
    return kept
