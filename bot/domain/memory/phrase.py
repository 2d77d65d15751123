"""A remembered detail as words that fit a message to the person it is about.

The note says "She is training for the Berlin marathon"; a draft needs "the
Berlin marathon" after "good luck with", "training for the Berlin marathon"
after "how's", "you're training for the Berlin marathon" after "since you
told me", or "introduce you to Zoë" after "I'd still love to". A `Phrase`
holds each form the detail can fill, or "" where it cannot fill one, so a
template only ever gets words of the shape it asked for.

This module holds plain data only (the contact record stores it); wording a
note's text into a phrase is `bot.domain.memory.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Form(StrEnum):
    """A grammatical shape a template slot can ask for."""

    NOUN = "noun"  # "the Berlin marathon", "an intro to Zoë", "trail running"
    GERUND = "gerund"  # "training for the Berlin marathon", "introducing me to Sam"
    CLAUSE = "clause"  # "you're training for the Berlin marathon", "your daughter started school"
    VERB = "verb"  # base form, for what you will do: "introduce you to Zoë"


class Timing(StrEnum):
    """Where a detail stands in time, seen from the moment a message is written."""

    AHEAD = "ahead"
    JUST_HAPPENED = "just happened"
    PAST = "past"
    ONGOING = "ongoing"  # no time of its own: an interest, their work


class Told(StrEnum):
    """How the note placed the detail in time when it was written."""

    AHEAD = "ahead"  # "is moving to Munich", "will launch"
    BEHIND = "behind"  # "just got back from Peru", "moved to Toronto"
    ONGOING = "ongoing"  # "loves bouldering", "leads the ML team"


# An event counts as just happened for this long, then it is simply past.
JUST_HAPPENED = timedelta(days=14)
# An undated plan is taken to be still ahead this long after hearing of it.
UNDATED_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class Phrase:
    """Every form a detail can fill; "" where it cannot fill that one.

    `clause` is as the note told it (present or future); `clause_past` says
    the same once it has happened ("you ran the Berlin marathon").
    """

    noun: str = ""
    gerund: str = ""
    verb: str = ""
    clause: str = ""
    clause_past: str = ""
    told: Told = Told.ONGOING
    # Which wording rules made it (0: before they were counted); older ones are worded again.
    version: int = 0

    def words(self, form: Form, timing: Timing = Timing.ONGOING) -> str:
        """The words for `form` at `timing` ("" if this detail cannot fill it)."""
        if form is Form.CLAUSE:
            behind = timing in (Timing.JUST_HAPPENED, Timing.PAST) and self.told is Told.AHEAD
            return self.clause_past if behind else self.clause
        return {Form.NOUN: self.noun, Form.GERUND: self.gerund, Form.VERB: self.verb}[form]

    def forms(self) -> frozenset[Form]:
        """The forms this detail can fill."""
        return frozenset(f for f in Form if self.words(f))

    @property
    def empty(self) -> bool:
        """True when the detail fits no form at all (it stays on the card, out of drafts)."""
        return not self.forms()


def timing_of(
    phrase: Phrase, *, on: date | None, learned_at: datetime, now: datetime, today: date
) -> Timing:
    """Where a detail stands now: by its date when it has one, else by how it was told."""
    if on is not None:
        if on > today:
            return Timing.AHEAD
        if today - on <= JUST_HAPPENED:
            return Timing.JUST_HAPPENED
        return Timing.PAST
    if phrase.told is Told.AHEAD:
        # With no date, an upcoming plan is surely ahead for a while; after that
        # nobody knows, so nothing is said about how it went.
        return Timing.AHEAD if now - learned_at <= UNDATED_AHEAD else Timing.ONGOING
    if phrase.told is Told.BEHIND:
        return Timing.JUST_HAPPENED if now - learned_at <= JUST_HAPPENED else Timing.PAST
    return Timing.ONGOING
