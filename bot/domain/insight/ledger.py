"""The give-and-ask ledger of one relationship, and a give that would fit it.

A relationship that is mostly asks wears thin; the coach notices and
suggests a give drawn from what the user knows about the person: an intro
towards their goal, help before their event, something on their interest,
a public word for their work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain.memory.memory import Remembered, recall
from bot.domain.memory.phrase import Timing
from bot.domain.model import Contact, Exchange, FactKind, Interaction, Tier

# "Mostly asks": at least this many, and at least twice the gives.
MOSTLY_ASKS_MIN = 2
# A detail older than this is not a good basis for a give.
FRESH_FOR = timedelta(days=365)
# Hard times and family are only brought up with people the user is close to.
TIGHT = frozenset({Tier.INNER, Tier.CLOSE})


@dataclass(frozen=True)
class Balance:
    """Gives and asks with one contact."""

    gives: int = 0
    asks: int = 0
    by_kind: dict[Exchange, int] = field(default_factory=dict)

    @property
    def mostly_asks(self) -> bool:
        """True when the user has asked far more than they have given."""
        return self.asks >= MOSTLY_ASKS_MIN and self.asks >= 2 * self.gives

    @property
    def empty(self) -> bool:
        """True when nothing is on the ledger yet."""
        return self.gives == 0 and self.asks == 0


def tally(interactions: Iterable[Interaction]) -> dict[str, int]:
    """Count `interactions` per Exchange value (the form a contact keeps, `Contact.exchanges`)."""
    counts: dict[str, int] = {}
    for interaction in interactions:
        if interaction.exchange is not None:
            kind = interaction.exchange.value
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def counted(counts: Mapping[str, int], exchange: Exchange | None, step: int = 1) -> dict[str, int]:
    """`counts` with one more (or, with `step` -1, one fewer) `exchange`; zeros are dropped."""
    out = dict(counts)
    if exchange is not None:
        out[exchange.value] = out.get(exchange.value, 0) + step
        if out[exchange.value] <= 0:
            del out[exchange.value]
    return out


def balance_of(counts: Mapping[str, int]) -> Balance:
    """The balance a tally of exchanges makes (an unknown kind is not counted)."""
    by_kind = {Exchange(k): n for k, n in counts.items() if k in _KINDS and n > 0}
    gives = sum(n for kind, n in by_kind.items() if kind.is_give)
    return Balance(gives, by_kind.get(Exchange.ASK, 0), by_kind)


_KINDS = frozenset(e.value for e in Exchange)


def balance(interactions: Iterable[Interaction]) -> Balance:
    """Count the gives and asks among `interactions` (one contact's, in any order)."""
    return balance_of(tally(interactions))


@dataclass(frozen=True)
class GiveIdea:
    """A give that fits one contact, and the detail it rests on ("" when none)."""

    kind: Exchange
    idea: str
    because: str = ""


def give_idea(contact: Contact, now: datetime, today: date | None = None) -> GiveIdea:
    """Suggest one give that fits what the user knows about `contact` (freshest detail first).

    Details come from the typed memory, so the idea is worded from the form
    each one can fill ("trail running", "moving into product management").
    """
    tight = contact.tier in TIGHT
    for detail in recall(contact, now=now, today=today or now.date()):
        if detail.learned_at is not None and now - detail.learned_at > FRESH_FOR:
            continue
        idea = _idea_for(detail, tight)
        if idea is not None:
            return idea
    if contact.role or contact.company:
        work = " at ".join(p for p in (contact.role, contact.company) if p)
        return GiveIdea(Exchange.RECOGNITION, _RECOGNITION.format("their work"), work)
    return GiveIdea(
        Exchange.RECOGNITION,
        "a specific thank-you for something they did well, said where others can see it",
    )


_RECOGNITION = "a public word for {}: a recommendation, or a shout-out where it counts"


def _idea_for(detail: Remembered, tight: bool) -> GiveIdea | None:
    phrase, kind, because = detail.phrase, detail.kind, detail.key
    if kind is FactKind.GOAL and phrase.gerund:
        return GiveIdea(
            Exchange.INTRO, f"an intro to someone who has done it ({phrase.gerund})", because
        )
    if kind is FactKind.CHALLENGE and tight and phrase.noun:
        return GiveIdea(Exchange.HELP, f"an hour of your time on {phrase.noun}", because)
    if kind is FactKind.EVENT and detail.timing is Timing.AHEAD and phrase.gerund:
        return GiveIdea(Exchange.HELP, f"an offer to help with {phrase.gerund}", because)
    if kind is FactKind.INTEREST and phrase.noun:
        idea = f"something on {phrase.noun} you came across: an article, a book, a place, a person"
        return GiveIdea(Exchange.RESOURCE, idea, because)
    if kind is FactKind.WORK and phrase.noun:
        return GiveIdea(
            Exchange.RECOGNITION, _RECOGNITION.format(f"their work on {phrase.noun}"), because
        )
    return None
