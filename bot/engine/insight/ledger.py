"""The give-and-ask ledger on /person: the balance, and a give that fits when it is mostly asks."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.insight.ledger import Balance, GiveIdea, balance_of, counted, give_idea, tally
from bot.domain.model import Contact, Interaction
from bot.engine.replies import Button
from bot.engine.turn import Turn


@dataclass(frozen=True)
class LedgerView:
    """What /person shows about give and ask with one contact."""

    balance: Balance
    idea: GiveIdea | None

    def buttons(self, contact: Contact) -> tuple[tuple[Button, ...], ...]:
        """A button to draft the suggested give, when there is one."""
        if self.idea is None:
            return ()
        payload = {"op": "content.suggest", "contact": contact.id, "situation": "offer-help"}
        return ((Button(f"🎁 Draft a give for {contact.first_name}", payload=payload),),)


def ledger_view(turn: Turn, contact: Contact) -> LedgerView | None:
    """The ledger with `contact` over every logged interaction (None when it is empty)."""
    shown = balance_of(exchanges_of(turn, contact))
    if shown.empty:
        return None
    today = turn.local(turn.now).date()
    idea = give_idea(contact, turn.now, today) if shown.mostly_asks else None
    return LedgerView(shown, idea)


def exchanges_of(turn: Turn, contact: Contact) -> dict[str, int]:
    """The contact's tally of exchanges; a record from before it was kept is counted
    from their history (and not written back: a read never writes)."""
    if contact.exchanges is not None:
        return contact.exchanges
    return tally(turn.store.interactions(contact_id=contact.id))


def count_interaction(turn: Turn, contact: Contact, interaction: Interaction) -> None:
    """Add a just-stored `interaction` to `contact`'s tally (the caller saves the contact).

    Every turn that adds an interaction calls this, so the tally is the
    history's; the first one on an old record counts the history once.
    """
    if contact.exchanges is None:
        contact.exchanges = tally(turn.store.interactions(contact_id=contact.id))
    else:
        contact.exchanges = counted(contact.exchanges, interaction.exchange)


def recount(turn: Turn, contact: Contact) -> None:
    """Count `contact`'s tally afresh from their history (after one of their logs went)."""
    contact.exchanges = tally(turn.store.interactions(contact_id=contact.id))
