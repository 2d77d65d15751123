"""Saving a meeting still ahead ("lunch with Omar next week"): reminders, no interaction.

Nothing has happened yet, so nothing is logged: no interaction, no follow-up,
no thank-you and no keep-in-touch reset. The people are kept (a new one as a
new contact), with a nudge the morning of the meeting and, the morning after,
one to ask how it went and log it. Undo takes exactly that back, as it does
for a log.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from bot.domain.ids import new_id
from bot.domain.model import Contact, InteractionKind, Reminder, ReminderKind
from bot.domain.notes.reading import NoteReading
from bot.domain.reminders.timing import morning_of
from bot.engine.journal import contact_of
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn


def save_plan(turn: Turn, reading: NoteReading) -> Reply:
    """Keep the people of a planned meeting and plan its two nudges; say so."""
    if not reading.planned or reading.occurred_at is None or not reading.people:
        raise ValueError("only a planned meeting with someone is saved as a plan")
    undo_id = turn.store.mark_undoable()
    zone = turn.zone
    day = reading.occurred_at.astimezone(zone).date()
    what = reading.kind.value if reading.kind is not InteractionKind.OTHER else "meeting"
    people: list[Contact] = []
    new: list[str] = []
    for mention in reading.people:
        contact, is_new = contact_of(turn, mention)
        if all(c.id != contact.id for c in people):  # "Maria" and "Maria Lopez": one
            turn.store.save_contact(contact)
            people.append(contact)
            if is_new:
                new.append(contact.id)
    before = max(morning_of(day, zone), turn.now)
    after = morning_of(day + timedelta(days=1), zone)
    reminders = [
        _nudge(turn, people[0], before, f"your {what} is today", day),
        _nudge(turn, people[0], after, f"how did the {what} go? Tell me and I'll log it", day),
    ]
    turn.store.save_reminders(reminders)
    return turn.say(
        "card/planned",
        what=what,
        names=[c.name for c in people],
        day=day,
        before=turn.local(before),
        after=turn.local(after),
        buttons=((Button("↩ Undo", payload={"op": "plan.undo", "undo": undo_id, "new": new}),),),
    )


def undo_plan(turn: Turn, undo_id: str, new: Collection[str] | None = None) -> bool:
    """Take back a saved plan exactly: its nudges go, and a person it added.

    A person it added who was met or edited since stays (a later turn needs
    them); a person known before gets back the company and role they had; a
    nudge changed since (snoozed, sent) goes all the same, being the plan's own.
    """

    def met_since(kind: str, record_id: str) -> bool:
        # Only a person the plan added can be needed by a later log; anyone else's
        # meetings predate the plan and say nothing about it.
        return (
            kind == "contacts"
            and (new is None or record_id in new)  # None: a button from before "new"
            and next(turn.store.interactions(contact_id=record_id), None) is not None
        )

    reverted = turn.store.revert(undo_id, keep=met_since) if undo_id else None
    if reverted is None:
        return False
    turn.store.delete_reminders(k.id for k in reverted.kept if k.kind == "reminders" and k.created)
    return True


def register(router: Router) -> None:
    @router.action("plan.undo")
    def undo(turn: Turn, payload: Payload) -> list[Reply]:
        new = payload.get("new")
        done = undo_plan(turn, str(payload.get("undo", "")), new if isinstance(new, list) else None)
        return in_place([turn.say("card/plan_undone", done=done)])


def _nudge(turn: Turn, contact: Contact, due: datetime, text: str, day: date) -> Reminder:
    return Reminder(
        id=new_id("r"),
        kind=ReminderKind.CUSTOM,
        due_at=due,
        contact_id=contact.id,
        text=text,
        created_at=turn.now,
        on=day,
    )
