"""The coach's records: users, contacts, interactions and reminders.

Every datetime is timezone-aware UTC; a user's zone is only for showing and
for choosing human delivery times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.content.pillars import Pillar
from bot.domain.memory.phrase import Phrase
from bot.domain.name_order import greeted_as


class Tier(StrEnum):
    """How close a contact is; sets the keep-in-touch cadence."""

    INNER = "inner"
    CLOSE = "close"
    NETWORK = "network"
    ACQUAINTANCE = "acquaintance"


DEFAULT_CADENCE_DAYS: dict[Tier, int] = {
    Tier.INNER: 14,
    Tier.CLOSE: 30,
    Tier.NETWORK: 90,
    Tier.ACQUAINTANCE: 180,
}


class InteractionKind(StrEnum):
    """What kind of contact the user had."""

    COFFEE = "coffee"
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    DRINKS = "drinks"
    CALL = "call"
    VIDEO_CALL = "video call"
    ONE_ON_ONE = "1:1"
    MEETING = "meeting"
    CONFERENCE = "conference"
    EVENT = "event"
    MESSAGE = "message"
    OTHER = "other"


class FactKind(StrEnum):
    """What sort of detail about a contact is worth remembering."""

    INTEREST = "interest"
    FAMILY = "family"
    GOAL = "goal"
    CHALLENGE = "challenge"
    WORK = "work"
    EVENT = "event"
    HELPED_ME = "helped me"
    PROMISE = "promise"  # what the user promised them
    OFFER = "offer"  # what they offered to do for the user
    OTHER = "other"


class ReminderKind(StrEnum):
    """Why the coach will nudge the user."""

    FOLLOW_UP = "follow-up"
    GRATITUDE = "gratitude"
    IMPACT_UPDATE = "impact update"
    PROMISE = "promise"
    EVENT_FOLLOW_UP = "ask how it went"
    KEEP_IN_TOUCH = "keep in touch"
    BIRTHDAY = "birthday"
    YEARLY = "yearly"
    CUSTOM = "custom"
    # User-level (contact_id == ""): digests that replan themselves after delivery.
    MORNING_DIGEST = "morning digest"
    WEEKLY_REVIEW = "weekly review"


class Exchange(StrEnum):
    """What an interaction was on the give-and-ask ledger: one of five gives, or an ask."""

    INTRO = "intro"
    HELP = "help"
    ADVICE = "advice"
    RESOURCE = "resource"
    RECOGNITION = "recognition"
    ASK = "ask"

    @property
    def is_give(self) -> bool:
        """True for the five kinds of give."""
        return self is not Exchange.ASK


class ReminderStatus(StrEnum):
    """Where a reminder is in its life.

    PENDING waits for its time; SENDING is claimed by a delivery that has not
    been confirmed yet; DELIVERED reached the user and awaits a button;
    DONE and CANCELLED are final.
    """

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    DONE = "done"
    CANCELLED = "cancelled"


def utc_now() -> datetime:
    """Return the current time in UTC (only clocks should call this)."""
    return datetime.now(UTC)


@dataclass
class UserProfile:
    """One user of the coach and their preferences."""

    user_id: str
    timezone: str = "UTC"
    timezone_confirmed: bool = False
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    follow_up_after: timedelta = timedelta(days=1)
    impact_update_after: timedelta = timedelta(days=21)
    # How long before a promise's deadline, and before a birthday, the nudge comes.
    promise_lead: timedelta = timedelta(days=1)
    birthday_lead: timedelta = timedelta(days=3)
    # At most this many keep-in-touch nudges land on one day (0: no limit).
    nudges_per_day: int = 3
    paused: bool = False
    created_at: datetime = field(default_factory=utc_now)
    # Which channel delivers this user's reminders ("telegram", "terminal"); set on first save.
    channel: str = ""
    # Digests: a morning digest replaces several pings; a weekly review on a chosen day.
    morning_digest: bool = True
    weekly_review: bool = True
    weekly_review_day: int = 6  # Monday is 0: Sunday
    weekly_review_time: time = time(18, 0)


@dataclass
class Fact:
    """A detail about a contact, with when the user learned it.

    `text` is what the card showed; `phrase` is the same detail worded for a
    message to them (bot.domain.memory). Facts saved before typed memory
    have no phrase and are worded from their text when read.
    """

    kind: FactKind
    text: str
    learned_at: datetime
    interaction_id: str | None = None
    on: date | None = None
    phrase: Phrase | None = None


# A contact known only by title and surname is greeted by both.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})


@dataclass
class Contact:
    """A person in the user's professional life."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    how_met: str = ""
    company: str = ""
    role: str = ""
    # From imported address books; matching a re-import by them avoids duplicates.
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tier: Tier = Tier.NETWORK
    cadence_days: int | None = None
    drifting: bool = False
    birthday: date | None = None
    facts: list[Fact] = field(default_factory=list)
    created_at: datetime = field(default_factory=utc_now)
    last_interaction_at: datetime | None = None
    # The give-and-ask ledger kept as a count per Exchange value, so /person need not read
    # the whole history; None on records from before it was kept (then it is counted).
    exchanges: dict[str, int] | None = None

    @property
    def first_name(self) -> str:
        """The name to greet them by: "Tom" for Tom Becker, all of "Mr. Okafor" for Mr. Okafor,
        "Anand" for K. S. Anand, all of "Li Na"."""
        words = self.name.split()
        if len(words) > 1 and words[0].rstrip(".").casefold() in _HONORIFICS:
            return self.name
        given = [w for w in words if len(w.rstrip(".")) > 1]
        if words and len(words[0].rstrip(".")) <= 1 and given:
            return given[-1]  # "K. S. Anand" goes by Anand, never "K."
        # "Li Na" is greeted whole, never by her family name "Li"; "Park Ji-hoon" is Ji-hoon.
        ordered = greeted_as(words)
        if ordered is not None:
            return ordered
        return words[0] if words else self.name

    @property
    def cadence(self) -> timedelta:
        """How long the user may go without contact before a nudge."""
        return timedelta(days=self.cadence_days or DEFAULT_CADENCE_DAYS[self.tier])


@dataclass
class Interaction:
    """One logged contact between the user and one or more people.

    `occasion` names the gathering it happened at ("ProductCon London"), or "".
    """

    id: str
    contact_ids: list[str]
    kind: InteractionKind
    occurred_at: datetime
    note: str
    created_at: datetime = field(default_factory=utc_now)
    occasion: str = ""
    # The give-and-ask ledger, as the user confirmed it (None: neither, or not said).
    exchange: Exchange | None = None
    # Which of the seed's seven pillars it served (None: logged before pillars were tagged).
    pillar: Pillar | None = None
    # Set when the interaction is a suggested draft the user said they sent ("thank-you"...).
    draft: str = ""


class Repeat(StrEnum):
    """How often a hand-made reminder comes back."""

    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass
class Reminder:
    """A nudge the coach will deliver at `due_at` (UTC).

    `contact_id` is "" for a reminder about no one in particular (the user's own
    "/remind me", the weekly review). `on` is the local day it is about (a
    promise's deadline, their event, a birthday), so a change of lead time or
    time zone can plan it again. `exact` marks a moment ("in 3 hours") kept
    as it is through a change of time zone, where others keep their wall-clock
    time. `not_before` is the user putting it off (a snooze): no replanning
    brings it back earlier. `pinned` is a time the user set by hand: replanning
    leaves it where it is.
    """

    id: str
    kind: ReminderKind
    due_at: datetime
    contact_id: str
    text: str = ""
    status: ReminderStatus = ReminderStatus.PENDING
    interaction_id: str | None = None
    created_at: datetime = field(default_factory=utc_now)
    delivered_at: datetime | None = None
    attempts: int = 0
    # Not before this: a backoff after a failed delivery, or a claim's lease.
    retry_at: datetime | None = None
    # When the user closed it (Done, Talked already): the weekly review's "on time".
    closed_at: datetime | None = None
    on: date | None = None
    exact: bool = False
    not_before: datetime | None = None
    pinned: bool = False
    repeat: Repeat | None = None
