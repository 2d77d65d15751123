"""The give-and-ask ledger on /person: the balance, and a give that fits when it is mostly asks."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.insight.ledger import Balance, GiveIdea, balance, give_idea
from bot.domain.model import Contact
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
    counted = balance(turn.store.interactions(contact_id=contact.id))
    if counted.empty:
        return None
    today = turn.local(turn.now).date()
    idea = give_idea(contact, turn.now, today) if counted.mostly_asks else None
    return LedgerView(counted, idea)
