"""/people and /person: what the coach remembers about each person."""

from __future__ import annotations

from itertools import islice

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, Tier
from bot.engine.lookup import chosen_contact, find_contact, label
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

PEOPLE_BUTTONS = 12
# People listed a page: a long list would be several messages, and slow, for nobody's benefit.
PEOPLE_PAGE = 20
RECENT_NOTES = 3
SHOWN_FACTS = 8


def register(router: Router) -> None:
    """Register the people commands and their buttons."""

    @router.command("people", "Everyone you've logged")
    def people(turn: Turn, args: str) -> list[Reply]:
        return [_people_page(turn, 0)]

    @router.action("people.page")
    def page(turn: Turn, payload: Payload) -> list[Reply]:
        return [_people_page(turn, max(0, int(payload.get("page", 0))))]

    @router.command("person", "What I remember about someone", usage="<name>")
    def person(turn: Turn, args: str) -> list[Reply]:
        found = find_contact(turn, args, command="person", op="person.show")
        return _card(turn, found.contact) if found.contact else found.replies

    @router.action("person.show")
    def show(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        return _card(turn, contact) if contact else [turn.say("stale_button")]

    @router.action("person.tier")
    def tier(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.say("stale_button")]
        contact.tier = Tier(payload["tier"])
        contact.drifting = False
        turn.store.save_contact(contact)
        return [turn.say("tier_set", contact=contact, days=contact.cadence.days)]


def _people_page(turn: Turn, page: int) -> Reply:
    """One page of everyone, most recent first, with a button for each of the first few."""
    everyone = sorted(turn.store.contacts(), key=last_touch, reverse=True)
    start = page * PEOPLE_PAGE
    shown = everyone[start : start + PEOPLE_PAGE]
    more = max(0, len(everyone) - start - len(shown))
    rows = [
        (Button(label(c), payload={"op": "person.show", "contact": c.id}),)
        for c in shown[:PEOPLE_BUTTONS]
    ]
    if more:
        rows.append((Button(f"More ({more})", payload={"op": "people.page", "page": page + 1}),))
    return turn.say(
        "people",
        contacts=shown,
        total=len(everyone),
        first=start + 1,
        more=more,
        ago={c.id: turn.now - last_touch(c) for c in shown},
        buttons=tuple(rows),
    )


def _card(turn: Turn, contact: Contact) -> list[Reply]:
    notes = list(islice(turn.store.interactions(contact_id=contact.id), RECENT_NOTES))
    tiers = tuple(
        Button(
            ("• " if t is contact.tier else "") + t.value,
            payload={"op": "person.tier", "contact": contact.id, "tier": t.value},
        )
        for t in Tier
    )
    return [
        turn.say(
            "person",
            contact=contact,
            facts=list(reversed(contact.facts))[:SHOWN_FACTS],
            notes=[(turn.local(i.occurred_at), i) for i in notes],
            since=turn.now - last_touch(contact),
            buttons=(tiers[:2], tiers[2:]),
        )
    ]
