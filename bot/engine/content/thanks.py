"""/thanks <name> [what for]: a thank-you that names the specific help."""

from __future__ import annotations

import re

from bot.domain.model import Contact, Fact, FactKind
from bot.domain.notes.people import match_contacts
from bot.engine.content.drafts import drafts_reply, pick_drafts
from bot.engine.journal import MAX_FACTS_PER_CONTACT
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.replies import Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

MAX_NAME_WORDS = 4
_FOR = re.compile(r"^(?:for|about|re:?|-|–|—|:|,)\s*", re.I)


def register(router: Router) -> None:
    """Register /thanks."""

    @router.command("thanks", "Draft a thank-you", usage="<name> [what for]")
    def thanks(turn: Turn, args: str) -> list[Reply]:
        name, what_for = split_name(args, turn.store.contacts())
        found = find_contact(turn, name, command="thanks", op="content.thanks", what=what_for)
        if found.contact is None:
            return found.replies
        return thank(turn, found.contact, what_for)

    @router.action("content.thanks")
    def thanks_chosen(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("content/gone")]
        return thank(turn, contact, str(payload.get("what", "")))


def split_name(args: str, contacts: list[Contact]) -> tuple[str, str]:
    """Split "Maria Lopez for the intro to Sam" into the name and what for.

    The longest leading run of words that names a contact wins; without a
    match, a "for" marks where the name ends, else the first word is the name.
    """
    words = args.split()
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        name = " ".join(words[:size])
        if match_contacts(name, contacts):
            return name, _FOR.sub("", " ".join(words[size:])).strip()
    head, sep, tail = args.partition(" for ")
    if sep:
        return head.strip(), tail.strip()
    return (words[0], " ".join(words[1:])) if words else ("", "")


def thank(turn: Turn, contact: Contact, what_for: str) -> list[Reply]:
    """Thank-you drafts for `contact`; what the user names is remembered as their help."""
    if what_for:
        remember_help(turn, contact, what_for)
    told = {"help": what_for} if what_for else None
    _, drafts = pick_drafts(
        turn, contact, ["thank-you"], told=told, count=2, allow_repeats=bool(what_for)
    )
    if not drafts:
        return [turn.say("content/thanks_what_for", name=contact.first_name)]
    return [drafts_reply(turn, contact, drafts, situation="thank-you", intro="thanks")]


def remember_help(turn: Turn, contact: Contact, what_for: str) -> None:
    """Keep what they helped with, so later drafts (and an impact update) can name it."""
    text = " ".join(what_for.split())
    known = {f.text.casefold() for f in contact.facts if f.kind is FactKind.HELPED_ME}
    if text.casefold() in known:
        return
    fact = Fact(FactKind.HELPED_ME, text, turn.now)
    contact.facts = [*contact.facts, fact][-MAX_FACTS_PER_CONTACT:]
    turn.store.save_contact(contact)
