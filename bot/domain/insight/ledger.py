"""The give-and-ask ledger of one relationship, and a give that would fit it.

A relationship that is mostly asks wears thin; the coach notices and
suggests a give drawn from what the user knows about the person: an intro
towards their goal, help before their event, something on their interest,
a public word for their work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.model import Contact, Exchange, Fact, FactKind, Interaction, Tier

# "Mostly asks": at least this many, and at least twice the gives.
MOSTLY_ASKS_MIN = 2
# A detail older than this is not a good basis for a give.
FRESH_FOR = timedelta(days=365)
EVENT_AHEAD = timedelta(days=90)
# Hard times and family are only brought up with people the user is close to.
TIGHT = frozenset({Tier.INNER, Tier.CLOSE})


@dataclass(frozen=True)
class Balance:
    """Gives and asks with one contact."""

    gives: int = 0
    asks: int = 0
    by_kind: dict[Exchange, int] = field(default_factory=dict)
    last_give: datetime | None = None

    @property
    def mostly_asks(self) -> bool:
        """True when the user has asked far more than they have given."""
        return self.asks >= MOSTLY_ASKS_MIN and self.asks >= 2 * self.gives

    @property
    def empty(self) -> bool:
        """True when nothing is on the ledger yet."""
        return self.gives == 0 and self.asks == 0


def balance(interactions: Iterable[Interaction]) -> Balance:
    """Count the gives and asks among `interactions` (one contact's, in any order)."""
    gives = asks = 0
    by_kind: dict[Exchange, int] = {}
    last_give: datetime | None = None
    for interaction in interactions:
        kind = interaction.exchange
        if kind is None:
            continue
        by_kind[kind] = by_kind.get(kind, 0) + 1
        if kind.is_give:
            gives += 1
            if last_give is None or interaction.occurred_at > last_give:
                last_give = interaction.occurred_at
        else:
            asks += 1
    return Balance(gives, asks, by_kind, last_give)


@dataclass(frozen=True)
class GiveIdea:
    """A give that fits one contact, and the detail it rests on ("" when none)."""

    kind: Exchange
    idea: str
    because: str = ""


def give_idea(contact: Contact, now: datetime) -> GiveIdea:
    """Suggest one give that fits what the user knows about `contact` (freshest detail first)."""
    fresh = [f for f in contact.facts if now - f.learned_at <= FRESH_FOR]
    tight = contact.tier in TIGHT
    for fact in sorted(fresh, key=lambda f: f.learned_at, reverse=True):
        idea = _idea_for(fact, now, tight)
        if idea is not None:
            return idea
    if contact.interests:
        return GiveIdea(Exchange.RESOURCE, _RESOURCE, contact.interests[0])
    if contact.role or contact.company:
        work = " at ".join(p for p in (contact.role, contact.company) if p)
        return GiveIdea(Exchange.RECOGNITION, _RECOGNITION, work)
    return GiveIdea(
        Exchange.RECOGNITION,
        "a specific thank-you for something they did well, said where others can see it",
    )


_RESOURCE = "something on it you came across: an article, a book, a place, a person"
_RECOGNITION = "a public word for their work: a recommendation, or a shout-out where it counts"


def _idea_for(fact: Fact, now: datetime, tight: bool) -> GiveIdea | None:
    if fact.kind is FactKind.GOAL:
        return GiveIdea(Exchange.INTRO, "an intro to someone who has done it", fact.text)
    if fact.kind is FactKind.CHALLENGE and tight:
        return GiveIdea(Exchange.HELP, "an hour of your time to think it through", fact.text)
    if fact.kind is FactKind.EVENT and fact.on is not None:
        if now.date() <= fact.on <= (now + EVENT_AHEAD).date():
            return GiveIdea(Exchange.HELP, "an offer to help them get ready", fact.text)
        return None
    if fact.kind is FactKind.INTEREST:
        return GiveIdea(Exchange.RESOURCE, _RESOURCE, fact.text)
    if fact.kind is FactKind.WORK:
        return GiveIdea(Exchange.RECOGNITION, _RECOGNITION, fact.text)
    return None
