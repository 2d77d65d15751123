"""What the coach understood from one note: the extractor's output.

A reading is shown back to the user as a confirmation card, may be corrected,
and is then saved: it becomes an interaction, facts on contacts and (through
reminder planning) reminders. It holds no framework types, so it can be
stored as plain data while the user confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.model import Exchange, FactKind, InteractionKind


@dataclass
class PersonMention:
    """Someone the note names.

    `contact_id` is set when the name matched exactly one existing contact;
    `candidates` holds contact ids when it matched several (the user picks);
    neither means a new contact will be created. `company` and `role` are
    what the note says ("Head of Design at Miro"); saving puts them on the
    contact, never into a detail.
    """

    name: str
    contact_id: str | None = None
    candidates: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""


@dataclass
class DatedItem:
    """A thing with an optional date: an event of theirs, a promise, an offer.

    `person` is the mention's name (the key into `NoteReading.people`), or ""
    when the note does not say whose it is. `date_text` is the words that
    named the date; when they could not be parsed `on` stays None and
    `date_text` is kept so the card can flag it rather than guess. `past`
    is True for an event that already happened when the note was written
    ("just got back from a month in Peru"). `approximate` means only the
    month is known ("running Berlin in March"): `on` is its first day, never
    a day the note named.
    """

    text: str
    person: str = ""
    on: date | None = None
    date_text: str = ""
    past: bool = False
    approximate: bool = False

    @property
    def date_unclear(self) -> bool:
        """True when the note named a date the coach could not pin down."""
        return self.on is None and bool(self.date_text)


@dataclass
class Detail:
    """A personal detail worth remembering about someone."""

    kind: FactKind
    text: str
    person: str = ""


@dataclass
class NoteReading:
    """Everything extracted from one note.

    `people` are the people the user met (the interaction is with them);
    `mentioned` are people named but not met ("introduce her to José"):
    they get no interaction, follow-up or keep-in-touch reset. `occasion`
    names the gathering it happened at ("ProductCon London"). `promises`
    are the user's, `offers` theirs, `next_steps` agreed together.
    `birthdays` hold each person's next birthday (the year is only the
    next occurrence); a birthday goes on the contact, never into a detail.
    `planned` marks a meeting still ahead ("lunch with Omar next week"):
    `occurred_at` is when it will be, and saving it logs no interaction.
    """

    text: str
    people: list[PersonMention] = field(default_factory=list)
    kind: InteractionKind = InteractionKind.OTHER
    occurred_at: datetime | None = None
    # Whether the note gave the time of day ("at 3pm"): else only the day is shown,
    # not a made-up hour ("lunch today" sent at 20:00 is not "today 20:00").
    time_said: bool = False
    planned: bool = False
    occasion: str = ""
    mentioned: list[PersonMention] = field(default_factory=list)
    events: list[DatedItem] = field(default_factory=list)
    promises: list[DatedItem] = field(default_factory=list)
    offers: list[DatedItem] = field(default_factory=list)
    gratitude: list[DatedItem] = field(default_factory=list)
    next_steps: list[DatedItem] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)
    birthdays: list[DatedItem] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # Names (in people or mentioned) whose presence the reader guessed: the card asks.
    unsure: list[str] = field(default_factory=list)
    # The give-and-ask ledger entry the note suggests (the user confirms it on the card).
    exchange: Exchange | None = None
