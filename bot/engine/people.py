"""/people and /person: what the coach remembers about each person."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import islice
from operator import attrgetter

from bot.domain.cadence import last_touch
from bot.domain.content.restating import forget_words, remembered_once
from bot.domain.model import Contact, Tier
from bot.engine.insight.ledger import ledger_view
from bot.engine.lookup import chosen_contact, find_contact, label
from bot.engine.person_edit import edit_button
from bot.engine.replanning import kept_index, next_keep_in_touch, replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

PEOPLE_BUTTONS = 12
# After an import of thousands, the list stays one message; /person finds anyone.
PEOPLE_LISTED = 40
RECENT_NOTES = 3
SHOWN_FACTS = 8


def days_since(turn: Turn, moment: datetime) -> timedelta:
    """Whole calendar days in the user's zone: dinner last night is "yesterday", not "today"."""
    return timedelta(days=(turn.local(turn.now).date() - turn.local(moment).date()).days)


def _most_recent_first(contacts: list[Contact], limit: int) -> list[Contact]:
    """`sorted(contacts, key=last_touch, reverse=True)[:limit]`, the keys found at C speed."""
    touched: list[datetime | None] = list(map(_LAST_INTERACTION, contacts))
    at = -1
    while True:  # the few never logged count from when they were added
        try:
            at = touched.index(None, at + 1)
        except ValueError:
            break
        touched[at] = contacts[at].created_at
    order = sorted(range(len(contacts)), key=touched.__getitem__, reverse=True)  # type: ignore[arg-type]
    return [contacts[n] for n in order[:limit]]


_LAST_INTERACTION = attrgetter("last_interaction_at")


def register(router: Router) -> None:
    """Register the people commands and their buttons."""
    router.on_forget.append(lambda _user_id: forget_words())  # the cards' words go too

    @router.command("people", "Everyone you've logged")
    def people(turn: Turn, args: str) -> list[Reply]:
        shown = max(PEOPLE_BUTTONS, PEOPLE_LISTED)
        index = kept_index(turn)  # keeps them by last touch between turns
        if index.usable:
            contacts, total = index.most_recent(shown), len(index.contacts)
        else:
            everyone = turn.store.contacts()
            contacts, total = _most_recent_first(everyone, shown), len(everyone)
        buttons = tuple(
            (Button(label(c), payload={"op": "person.show", "contact": c.id}),)
            for c in contacts[:PEOPLE_BUTTONS]
        )
        # Plain dicts: a template reads a dict's key at once, an attribute through the sandbox.
        listed = [
            {
                "name": c.name,
                "company": c.company,
                "tier": c.tier.value,
                "ago": days_since(turn, last_touch(c)),
            }
            for c in contacts[:PEOPLE_LISTED]
        ]
        return [turn.say("people", contacts=listed, total=total, buttons=buttons)]

    @router.command("person", "What I remember about someone", usage="<name>")
    def person(turn: Turn, args: str) -> list[Reply]:
        found = find_contact(turn, args, command="person", op="person.show")
        return _card(turn, found.contact) if found.contact else found.replies

    @router.action("person.show")
    def show(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        # From the edit menu the card comes back in its place; from /people it is a new message.
        return in_place(_card(turn, contact)) if payload.get("back") else _card(turn, contact)

    @router.action("person.tier")
    def tier(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        contact.tier = Tier(payload["tier"])
        contact.drifting = False
        turn.store.save_contact(contact)
        replan_reminders(turn, only={contact.id})
        toast = turn.render(
            "tier_set",
            contact=contact,
            days=contact.cadence.days,
            next=next_keep_in_touch(turn, contact.id),
        )
        # The card is redrawn in place with the new tier marked.
        return in_place(_card(turn, contact), toast=toast)


def _card(turn: Turn, contact: Contact) -> list[Reply]:
    notes = list(islice(turn.store.interactions(contact_id=contact.id), RECENT_NOTES))
    tiers = tuple(
        Button(
            ("• " if t is contact.tier else "") + t.value,
            payload={"op": "person.tier", "contact": contact.id, "tier": t.value},
        )
        for t in Tier
    )
    ledger = ledger_view(turn, contact)
    return [
        turn.say(
            "person",
            contact=contact,
            facts=remembered_once(list(reversed(contact.facts)), lambda f: f)[:SHOWN_FACTS],
            notes=[(turn.local(i.occurred_at), i) for i in notes],
            since=days_since(turn, last_touch(contact)),
            ledger=ledger,
            buttons=(
                tiers[:2],
                tiers[2:],
                *(ledger.buttons(contact) if ledger else ()),
                (edit_button(contact),),
            ),
        )
    ]
