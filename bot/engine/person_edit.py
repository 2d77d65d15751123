"""Fixing what the coach remembers about someone, from /person: nothing wrong stays.

Under a person's card an Edit button opens: every remembered detail (change
its words or delete it), other names (aliases such as 李娜 for Li Na), their
birthday, how often to keep in touch (a custom cadence), and their company
and role. A change to the birthday or the cadence replans that person's
reminders at once.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.domain.memory.memory import remember
from bot.domain.memory.phrase import Phrase
from bot.domain.model import DEFAULT_CADENCE_DAYS, Contact, ReminderKind, ReminderStatus
from bot.domain.notes.affiliation import corrected_affiliation
from bot.domain.notes.dates import find_dates
from bot.domain.reminders.planning import OPEN
from bot.engine.card_state import rows, short
from bot.engine.lookup import chosen_contact
from bot.engine.replanning import next_keep_in_touch, replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place, merged
from bot.engine.router import Router
from bot.engine.turn import Turn

FLOW = "person.edit"
FACTS_PER_PAGE = 8
MAX_ALIASES = 10
MAX_ALIAS = 40
MAX_DETAIL = 200
MAX_CADENCE_DAYS = 3650
CADENCES = (
    (14, "Every 2 weeks"),
    (30, "Monthly"),
    (90, "Every 3 months"),
    (180, "Twice a year"),
    (365, "Yearly"),
)
_CLEAR = frozenset({"-", "none", "no", "nothing", "clear", "remove", "delete"})
# What to type, shown in the reply field (Telegram's ForceReply placeholder).
_HINTS = {
    "fact": "e.g. loves bouldering",
    "aliases": "e.g. Li Na = 李娜",
    "birthday": "e.g. 3 March",
    "days": "e.g. 45",
    "work": "e.g. Head of Design at Miro",
}


def edit_button(contact: Contact) -> Button:
    """The button under a person's card that opens these fixes."""
    return Button(
        "Edit details, names, birthday…", payload={"op": "pedit.menu", "contact": contact.id}
    )


def register(router: Router) -> None:
    """Register the person fixes: their menu, buttons and typed answers."""

    @router.action("pedit.menu")
    def menu(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        return in_place([_menu(turn, contact)]) if contact else [turn.notice("stale_button")]

    @router.action("pedit.facts")
    def facts(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        return in_place([_facts(turn, contact, int(payload.get("page", 0)))])

    @router.action("pedit.fact")
    def fact(turn: Turn, payload: Payload) -> list[Reply]:
        contact, index = _fact_at(turn, payload)
        if contact is None or index is None:
            return [turn.notice("person_edit/changed_meanwhile")]
        chosen = contact.facts[index]
        ref = {"contact": contact.id, "index": index, "n": _check(chosen.text)}
        buttons = (
            (Button("Change the words", payload={"op": "pedit.ask", "what": "fact", **ref}),),
            (Button("Delete it", payload={"op": "pedit.delete", **ref}),),
            (Button("Back", payload={"op": "pedit.facts", "contact": contact.id}),),
        )
        return in_place(
            [turn.say("person_edit/fact", contact=contact, fact=chosen, buttons=buttons)]
        )

    @router.action("pedit.delete")
    def delete(turn: Turn, payload: Payload) -> list[Reply]:
        contact, index = _fact_at(turn, payload)
        if contact is None or index is None:
            return [turn.notice("person_edit/changed_meanwhile")]
        gone = contact.facts[index]
        contact.facts = [f for n, f in enumerate(contact.facts) if n != index]
        turn.store.save_contact(contact)
        deleted = turn.say("person_edit/deleted", contact=contact, text=gone.text)
        return in_place([merged([deleted, _facts(turn, contact, 0)])])

    @router.action("pedit.cadence")
    def cadence(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        if "days" not in payload:
            return in_place([_cadence_menu(turn, contact)])
        days = payload["days"]
        chosen = days if isinstance(days, int) and days > 0 else None
        return in_place([merged(_set_cadence(turn, contact, chosen))])

    @router.action("pedit.ask")
    def ask(turn: Turn, payload: Payload) -> list[Reply]:
        """Ask for a typed answer: the words of a detail, other names, a birthday, days, work."""
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        what = str(payload.get("what", ""))
        context: dict[str, Any] = {"what": what, "contact": contact}
        if what == "fact":
            _, index = _fact_at(turn, payload)
            if index is None:
                return [turn.notice("person_edit/changed_meanwhile")]
            context["text"] = contact.facts[index].text
        turn.start_flow(FLOW, **{k: v for k, v in payload.items() if k != "op"})
        return [replace(turn.say("person_edit/ask", **context), placeholder=_HINTS.get(what, ""))]

    @router.flow(FLOW, ends_on_command=True)
    def answer(turn: Turn, text: str) -> list[Reply]:
        state = turn.flow() or {}
        turn.end_flow()
        contact = chosen_contact(turn, state)
        if contact is None:
            return [turn.say("stale_button")]
        words = " ".join(text.split())
        what = state.get("what")
        if what == "fact":
            return _set_fact(turn, contact, state, words)
        if what == "aliases":
            return _set_aliases(turn, contact, words)
        if what == "birthday":
            return _set_birthday(turn, contact, state, words)
        if what == "days":
            days = int(words) if words.isdigit() else 0
            if not 0 < days <= MAX_CADENCE_DAYS:
                return _again(turn, state, "person_edit/bad_days", words)
            return _set_cadence(turn, contact, days)
        if what == "work":
            contact.role, contact.company = corrected_affiliation(
                contact.role, contact.company, words
            )
            turn.store.save_contact(contact)
            return [turn.say("person_edit/work_set", contact=contact), _menu(turn, contact)]
        return [turn.say("stale_button")]


def _menu(turn: Turn, contact: Contact) -> Reply:
    ref = {"contact": contact.id}
    buttons = [
        Button(f"Details ({len(contact.facts)})", payload={"op": "pedit.facts", **ref}),
        Button("Other names", payload={"op": "pedit.ask", "what": "aliases", **ref}),
        Button("Birthday", payload={"op": "pedit.ask", "what": "birthday", **ref}),
        Button("Keep in touch…", payload={"op": "pedit.cadence", **ref}),
        Button("Company / role", payload={"op": "pedit.ask", "what": "work", **ref}),
        Button("Back to the card", payload={"op": "person.show", "back": 1, **ref}),
    ]
    return turn.say("person_edit/menu", contact=contact, buttons=rows(buttons, per_row=2))


def _facts(turn: Turn, contact: Contact, page: int) -> Reply:
    """The person's details, newest first, a page at a time: tap one to change or delete it."""
    newest = list(reversed(range(len(contact.facts))))
    start = max(0, min(page, (len(newest) - 1) // FACTS_PER_PAGE)) * FACTS_PER_PAGE
    shown = newest[start : start + FACTS_PER_PAGE]
    buttons = [
        (
            Button(
                short(contact.facts[i].text),
                payload={
                    "op": "pedit.fact",
                    "contact": contact.id,
                    "index": i,
                    "n": _check(contact.facts[i].text),
                },
            ),
        )
        for i in shown
    ]
    more = start + FACTS_PER_PAGE < len(newest)
    nav = (
        [Button("More", payload={"op": "pedit.facts", "contact": contact.id, "page": page + 1})]
        if more
        else []
    )
    nav.append(Button("Back", payload={"op": "pedit.menu", "contact": contact.id}))
    return turn.say("person_edit/facts", contact=contact, buttons=(*buttons, tuple(nav)))


def _cadence_menu(turn: Turn, contact: Contact) -> Reply:
    ref = {"op": "pedit.cadence", "contact": contact.id}
    buttons = [
        Button(
            ("• " if contact.cadence_days == days else "") + label, payload={**ref, "days": days}
        )
        for days, label in CADENCES
    ]
    tier_days = DEFAULT_CADENCE_DAYS[contact.tier]
    buttons.append(
        Button(
            ("• " if contact.cadence_days is None else "") + f"By tier ({tier_days} days)",
            payload={**ref, "days": 0},
        )
    )
    buttons.append(
        Button(
            "Type a number of days",
            payload={"op": "pedit.ask", "what": "days", "contact": contact.id},
        )
    )
    buttons.append(Button("Back", payload={"op": "pedit.menu", "contact": contact.id}))
    return turn.say("person_edit/cadence", contact=contact, buttons=rows(buttons, per_row=2))


def _set_cadence(turn: Turn, contact: Contact, days: int | None) -> list[Reply]:
    contact.cadence_days = days
    contact.drifting = False  # choosing how often to keep in touch means keeping in touch
    turn.store.save_contact(contact)
    due = _replan(turn, contact)
    said = turn.say("person_edit/cadence_set", contact=contact, days=contact.cadence.days, due=due)
    return [said, _menu(turn, contact)]


def _set_birthday(turn: Turn, contact: Contact, state: dict[str, Any], words: str) -> list[Reply]:
    if words.casefold() in _CLEAR:
        contact.birthday = None
    else:
        today = turn.local(turn.now).date()
        found = next((m.on for m in find_dates(words, today) if m.on is not None), None)
        if found is None:
            return _again(turn, state, "person_edit/bad_birthday", words)
        contact.birthday = found
    turn.store.save_contact(contact)
    # The old yearly reminder goes; planning makes the new one.
    old = [
        replace(r, status=ReminderStatus.CANCELLED)
        for r in turn.store.reminders(OPEN, contact_id=contact.id)
        if r.kind is ReminderKind.BIRTHDAY and r.status is ReminderStatus.PENDING
    ]
    turn.store.save_reminders(old)
    _replan(turn, contact)
    return [turn.say("person_edit/birthday_set", contact=contact), _menu(turn, contact)]


def _set_aliases(turn: Turn, contact: Contact, words: str) -> list[Reply]:
    if words.casefold() in _CLEAR:
        aliases: list[str] = []
    else:
        # "Li Na = 李娜" and "李娜, Nana" both work: the contact's own name is not an alias.
        parts = [a.strip() for a in words.replace("=", ",").replace(";", ",").split(",")]
        aliases = []
        for alias in parts:
            if alias and alias.casefold() != contact.name.casefold() and alias not in aliases:
                aliases.append(alias[:MAX_ALIAS])
        aliases = aliases[:MAX_ALIASES]
    contact.aliases = aliases
    turn.store.save_contact(contact)
    return [turn.say("person_edit/aliases_set", contact=contact), _menu(turn, contact)]


def _set_fact(turn: Turn, contact: Contact, state: dict[str, Any], words: str) -> list[Reply]:
    _, index = _fact_at(turn, state)
    if index is None:
        return [turn.say("person_edit/changed_meanwhile")]
    if not words or len(words) > MAX_DETAIL:
        return _again(turn, state, "person_edit/bad_detail", words[:40])
    old = contact.facts[index]
    worded = remember(old.kind, words)
    phrase = worded if isinstance(worded, Phrase) else None  # worded again from the text on read
    contact.facts = [
        *contact.facts[:index],
        replace(old, text=words, phrase=phrase),
        *contact.facts[index + 1 :],
    ]
    turn.store.save_contact(contact)
    return [turn.say("person_edit/fact_set", contact=contact, text=words), _facts(turn, contact, 0)]


def _fact_at(turn: Turn, payload: dict[str, Any]) -> tuple[Contact | None, int | None]:
    """The contact and the index of the fact a button or flow points at, if it is unchanged."""
    contact = chosen_contact(turn, payload)
    index = payload.get("index")
    if contact is None or not isinstance(index, int) or not 0 <= index < len(contact.facts):
        return contact, None
    if _check(contact.facts[index].text) != payload.get("n"):
        return contact, None  # the details changed since the button was shown
    return contact, index


def _check(text: str) -> int:
    """A short number that tells one detail's words from another's (button staleness)."""
    return zlib.crc32(text.encode()) & 0xFFFF


def _replan(turn: Turn, contact: Contact) -> datetime | None:
    """Replan through the one mechanism; return when the person's next nudge comes."""
    replan_reminders(turn, only={contact.id})
    return next_keep_in_touch(turn, contact.id)


def _again(turn: Turn, state: dict[str, Any], template: str, text: str) -> list[Reply]:
    turn.start_flow(FLOW, **{k: v for k, v in state.items() if k != "name"})
    return [turn.say(template, text=text)]
