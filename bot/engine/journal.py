"""Saving a confirmed note reading, and undoing it.

Every way of logging (/log, a confirmed free-text card, the guided flow) ends
here, so contacts, facts and the after-log hooks (reminder planning,
reflection) behave the same whichever way the user logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice
from operator import itemgetter

from bot.domain.content.restating import remembered_once
from bot.domain.ids import new_id
from bot.domain.insight.ledger import counted
from bot.domain.insight.pillar_tags import tag_pillar
from bot.domain.memory.memory import remember
from bot.domain.memory.wording import Birthday, RoleAt, clean
from bot.domain.model import Contact, Fact, FactKind, Interaction
from bot.domain.notes.reading import NoteReading, PersonMention
from bot.engine.insight.ledger import count_interaction, recount
from bot.engine.replies import Button, Payload, Reply, merged
from bot.engine.turn import Turn

# Facts are the coach's memory of a person; the oldest fall away so a
# contact's record (and every write of it) stays small.
MAX_FACTS_PER_CONTACT = 50
# An Undo is nearly always pressed on one of the last logs; `logged_with` looks no further.
RECENT_LOGS = 20
# How far back a clock may have stepped between two logs (see undo_log).
CLOCK_SLACK = timedelta(days=1)


@dataclass
class SavedLog:
    """What one save created or touched."""

    interaction: Interaction
    contacts: list[Contact]
    new_contact_ids: list[str]
    reading: NoteReading
    replies: list[Reply] = field(default_factory=list)
    # The store's record of everything this turn changed, for an exact Undo.
    undo_id: str = ""
    # Known contacts only mentioned whose birthday or thanks the note gave (not met), by
    # the name the note used.
    told_of: dict[str, Contact] = field(default_factory=dict)


def unresolved_people(reading: NoteReading) -> list[PersonMention]:
    """Return mentions that matched several contacts and still need a choice."""
    return [p for p in reading.people if p.contact_id is None and p.candidates]


def _told_of(turn: Turn, reading: NoteReading, met: dict[str, Contact]) -> dict[str, Contact]:
    """The known contacts only mentioned that a birthday or thanks in the note is for."""
    owed = {i.person for i in (*reading.birthdays, *reading.gratitude)} - set(met)
    found: dict[str, Contact] = {}
    for mention in reading.mentioned:
        if mention.name in owed and mention.contact_id:
            contact = turn.store.contact(mention.contact_id)
            if contact is not None:
                found[mention.name] = contact
    return found


def contact_of(turn: Turn, mention: PersonMention) -> tuple[Contact, bool]:
    """The contact a met person is (a new one if the note names someone new), and if new.

    What the note says of their company and role is newer than what the contact had
    ("now CFO at Flutterwave"). Nothing is saved here.
    """
    contact = turn.store.contact(mention.contact_id) if mention.contact_id else None
    is_new = contact is None
    if contact is None:
        contact = Contact(id=new_id("c"), name=mention.name.strip(), created_at=turn.now)
    contact.company = mention.company or contact.company
    contact.role = mention.role or contact.role
    return contact, is_new


def save_reading(turn: Turn, reading: NoteReading) -> SavedLog:
    """Save `reading` as an interaction with facts on each person, then run after-log hooks."""
    if not reading.people:
        raise ValueError("a log needs at least one person")
    if unresolved_people(reading):
        raise ValueError("resolve ambiguous people before saving")
    occurred = reading.occurred_at or turn.now
    undo_id = turn.store.mark_undoable()
    interaction_id = new_id("i")
    contacts: list[Contact] = []
    new_ids: list[str] = []
    by_name: dict[str, Contact] = {}
    for mention in reading.people:
        known = next((c for c in contacts if c.id == mention.contact_id), None)
        if known is not None:
            # Two names for one person ("Maria", "Maria Lopez"): one record, not two.
            by_name[mention.name] = known
            continue
        contact, is_new = contact_of(turn, mention)
        if is_new:
            new_ids.append(contact.id)
        contacts.append(contact)
        by_name[mention.name] = contact
    # Known contacts only told of whom the note gives a birthday or thanks owed: those are
    # saved on them, and nothing else about them changes (no interaction, no follow-up).
    told_of = _told_of(turn, reading, by_name)

    def owner_of(person: str) -> Contact | None:
        # The one named, else the only person met ("" is said of the note's one person).
        named = by_name.get(person) or told_of.get(person)
        return named or (contacts[0] if len(contacts) == 1 else None)

    for birthday in reading.birthdays:
        # A birthday lives on the contact; planning makes its yearly reminder.
        owner = owner_of(birthday.person)
        if owner is not None and birthday.on is not None:
            owner.birthday = birthday.on

    for fact, person in _facts(reading, interaction_id, turn):
        target = owner_of(person)
        if target is None:
            continue
        if isinstance(fact, RoleAt):
            # A role and company belong on the contact, never in a detail.
            target.role = target.role or fact.role
            target.company = target.company or fact.company
            continue
        target.facts = [*target.facts, fact][-MAX_FACTS_PER_CONTACT:]

    interaction = Interaction(
        id=interaction_id,
        contact_ids=[c.id for c in contacts],
        kind=reading.kind,
        occurred_at=occurred,
        note=reading.text,
        created_at=turn.now,
        occasion=reading.occasion,
        exchange=reading.exchange,
        pillar=tag_pillar(reading.text, reading.exchange, reading.kind),
    )
    turn.store.add_interaction(interaction)
    for contact in contacts:
        if contact.last_interaction_at is None or occurred > contact.last_interaction_at:
            contact.last_interaction_at = occurred
        count_interaction(turn, contact, interaction)
        turn.store.save_contact(contact)

    for contact in told_of.values():
        turn.store.save_contact(contact)
    saved = SavedLog(interaction, contacts, new_ids, reading, undo_id=undo_id, told_of=told_of)
    for hook in turn.router.after_log:
        saved.replies.extend(hook(turn, saved))
    return saved


def _facts(
    reading: NoteReading, interaction_id: str, turn: Turn
) -> list[tuple[Fact | RoleAt, str]]:
    """Word the reading's details, events, offers and help as typed facts, with whose they are.

    Each is worded once here (bot.domain.memory): a birthday is dropped (the
    contact keeps it), a role and company are returned for the contact, and
    the rest become facts carrying their phrase.
    """
    names = tuple(
        n for p in reading.people for n in (p.company, *p.name.split()) if n and len(n) > 1
    )
    found: list[tuple[Fact, str]] = []
    roles: list[tuple[Fact | RoleAt, str]] = []

    def add(kind: FactKind, text: str, person: str, on: date | None, past: bool = False) -> None:
        worded = remember(kind, text, names=names, past=past)
        if isinstance(worded, Birthday):
            return
        if isinstance(worded, RoleAt):
            roles.append((worded, person))
            if worded.news is not None:
                found.append(
                    (Fact(FactKind.WORK, text, turn.now, interaction_id, on, worded.news), person)
                )
            return
        found.append((Fact(kind, text, turn.now, interaction_id, on, worded), person))

    for event in reading.events:
        if event.approximate and event.on is not None:
            # Only the month is known: the fact says it, and carries no made-up day.
            add(FactKind.EVENT, f"{event.text} in {event.on:%B}", event.person, None, event.past)
            continue
        add(FactKind.EVENT, event.text, event.person, event.on, event.past)
    for thanks in reading.gratitude:
        add(FactKind.HELPED_ME, thanks.text, thanks.person, thanks.on)
    for offer in reading.offers:
        add(FactKind.OFFER, offer.text, offer.person, offer.on)
    for detail in reading.details:
        add(detail.kind, detail.text, detail.person, None)
    kept: list[tuple[Fact | RoleAt, str]] = [*_without_repeats(found)]
    return kept + roles


def _without_repeats(facts: list[tuple[Fact, str]]) -> list[tuple[Fact, str]]:
    """Drop a fact that only repeats part of another about the same person.

    A note often yields both an event ("daughter starts college") and a detail
    ("daughter starts college in September"); remembering both is noise. The
    dated one is kept when only one has a date, else the fuller text. Their words
    are compared without their dates: "on parental leave in January" and "on
    parental leave from Jan" say one thing.
    """
    words = [(clean(f.text) or f.text).lower() for f, _ in facts]

    def repeats(b: int, a: int) -> bool:
        (fa, pa), (fb, pb) = facts[a], facts[b]
        if pa != pb or words[b] not in words[a]:
            return False
        if words[a] == words[b]:
            if bool(fa.on) != bool(fb.on):
                return bool(fa.on)
            return a < b  # a repeat: keep the first (an event comes before a detail)
        return bool(fa.on) or not fb.on

    others = range(len(facts))
    return [f for b, f in enumerate(facts) if not any(repeats(b, a) for a in others if a != b)]


def logged_with(turn: Turn, interaction_id: str) -> set[str] | None:
    """Who a recent log was with (None when it is not among the newest few: ask of everyone)."""
    found = recent_log(turn, interaction_id)
    return set(found.contact_ids) if found is not None else None


def recent_log(turn: Turn, interaction_id: str) -> Interaction | None:
    """The log `interaction_id` when it is among the newest few (cheap: no history scan)."""
    recent = islice(turn.store.interactions(), RECENT_LOGS)
    return next((i for i in recent if i.id == interaction_id), None)


def undo_log(
    turn: Turn,
    interaction_id: str,
    contact_ids: Sequence[str] = (),
    new_contact_ids: Sequence[str] = (),
    *,
    undo_id: str = "",
) -> bool:
    """Undo a saved log exactly: every record the save changed goes back as it was.

    Records a later turn changed as well are handled here: the log's meeting
    and the reminders it planned go; a contact it created goes unless they have
    met since; any other contact loses just this log's facts.
    """

    # Found before the revert removes it: a kept contact's tally loses its exchange.
    undone = recent_log(turn, interaction_id)

    def met_since(kind: str, record_id: str) -> bool:
        # A later log with this person refers to them: they stay, minus this log's part.
        # Earlier logs do not count: the contact goes back exactly as it was before this one
        # (a birthday or a new role the note gave goes too).
        if kind != "contacts":
            return False
        # Newest added first, so the look can end a day before the log (a day, not the
        # log's instant, in case the clock stepped back): Undo then costs the same for
        # someone met 150 times as for someone met once.
        for met in turn.store.interactions(contact_id=record_id):
            if met.id != interaction_id and (undone is None or met.created_at > undone.created_at):
                return True
            if undone is not None and met.created_at < undone.created_at - CLOCK_SLACK:
                return False
        return False

    reverted = turn.store.revert(undo_id, keep=met_since) if undo_id else None
    if reverted is None:
        # An Undo button from before exact undo (or its record is gone): by hand.
        return _undo_by_hand(turn, interaction_id, contact_ids, new_contact_ids)
    for kept in reverted.kept:
        if kept.kind == "interactions":
            turn.store.delete_interaction(kept.id)
        elif kept.kind == "reminders" and kept.created:
            turn.store.delete_reminders([kept.id])
    for kept in reverted.kept:
        if kept.kind == "contacts":
            _drop_log_from_contact(turn, kept.id, undone, interaction_id, created=kept.created)
    return True


def _drop_log_from_contact(
    turn: Turn,
    contact_id: str,
    undone: Interaction | None,
    interaction_id: str,
    *,
    created: bool,
) -> None:
    contact = turn.store.contact(contact_id)
    if contact is None:
        return
    latest = next(turn.store.interactions(contact_id=contact_id), None)
    if latest is None and created:
        turn.store.delete_contact(contact_id)
        turn.store.delete_reminders(r.id for r in turn.store.reminders(contact_id=contact_id))
        return
    contact.facts = [f for f in contact.facts if f.interaction_id != interaction_id]
    contact.last_interaction_at = latest.occurred_at if latest else None
    if undone is not None and contact.exchanges is not None:
        # The exact inverse of count_interaction: the tally loses this log's one exchange.
        contact.exchanges = counted(contact.exchanges, undone.exchange, -1)
    else:
        recount(turn, contact)
    turn.store.save_contact(contact)


def _undo_by_hand(
    turn: Turn, interaction_id: str, contact_ids: Sequence[str], new_contact_ids: Sequence[str]
) -> bool:
    undone = recent_log(turn, interaction_id)
    if not turn.store.delete_interaction(interaction_id):
        return False
    turn.store.delete_reminders(
        r.id for r in turn.store.reminders() if r.interaction_id == interaction_id
    )
    for contact_id in contact_ids:
        _drop_log_from_contact(
            turn, contact_id, undone, interaction_id, created=contact_id in new_contact_ids
        )
    return True


def confirmation(turn: Turn, saved: SavedLog, *, receipt: bool = False) -> list[Reply]:
    """Say what was saved and what the after-log hooks added, as one message.

    `receipt` is for a confirmed card: the answer replaces the card in place.
    """
    facts = [
        (c.name, f)
        for c in (*saved.contacts, *saved.told_of.values())
        for f in c.facts
        if f.interaction_id == saved.interaction.id
    ]
    # What only says a remembered event again ("wedding is in june") is listed once.
    facts = remembered_once(facts, itemgetter(1))
    undo: Payload = {"op": "log.undo", "undo": saved.undo_id, "interaction": saved.interaction.id}
    summary = turn.say(
        "logged",
        interaction=saved.interaction,
        when=turn.local(saved.interaction.occurred_at),
        time_said=saved.reading.time_said,
        contacts=saved.contacts,
        new_ids=saved.new_contact_ids,
        facts=facts,
        receipt=receipt,
        buttons=((Button("↩ Undo", payload=undo),),),
    )
    answer = merged([summary, *saved.replies])
    return [replace(answer, replaces=receipt, toast="Saved" if receipt else "")]
