"""Reminders in the conversation: planning after a log, /remind, /reminders, ping buttons."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.humanize import ago
from bot.domain.ids import new_id
from bot.domain.model import (
    Contact,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from bot.domain.reminders.planning import OPEN, Plan, plan_log, replan_contact
from bot.domain.reminders.requests import MAX_WHAT, RemindProblem, parse_remind, parse_when
from bot.domain.reminders.timing import deliverable_at, morning_of
from bot.engine.content.suggest import suggest_for_reminder
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

if TYPE_CHECKING:
    from bot.engine.journal import SavedLog

log = logging.getLogger(__name__)

EDIT_FLOW = "reminders.edit"
# Where delivery keeps its backoff after a transient error ({"retry_at": iso}).
RETRY_STATE = "reminder_delivery"
LISTED = 15
SNOOZES = ((1, "1 day"), (7, "1 week"))


def register(router: Router) -> None:
    """Register /remind, /reminders, the after-log planner and every ping button."""
    router.after_log.append(plan_after_log)
    router.on_incoming.append(resume_if_paused)

    @router.command("remind", "Set a reminder by hand", usage="<name> <when> to <what>")
    def remind(turn: Turn, args: str) -> list[Reply]:
        if not args:
            return [turn.say("reminders/remind_usage")]
        request = parse_remind(args, turn.store.contacts(), turn.now, turn.zone)
        if isinstance(request, RemindProblem):
            return [
                turn.say(
                    "reminders/remind_usage",
                    problem=request.part,
                    when_text=request.when_text,
                    limit=MAX_WHAT,
                )
            ]
        found = find_contact(
            turn,
            request.name,
            command="remind",
            op="rem.create",
            due=request.due_at.isoformat(),
            what=request.what,
        )
        if found.contact is None:
            return found.replies
        return [_create_custom(turn, found.contact, request.due_at, request.what)]

    @router.action("rem.create")
    def create(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.say("stale_button")]
        due = datetime.fromisoformat(str(payload["due"]))
        return [_create_custom(turn, contact, due, str(payload.get("what", ""))[:MAX_WHAT])]

    @router.command("reminders", "What I'll remind you about")
    def reminders(turn: Turn, args: str) -> list[Reply]:
        return [_listing(turn)]

    @router.action("rem.done")
    def done(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _mark_done)

    @router.action("rem.snooze")
    def snooze(turn: Turn, payload: Payload) -> list[Reply]:
        days = int(payload.get("days", 1))
        return _on_open(turn, payload, lambda t, r, c: _snooze(t, r, c, days))

    @router.action("rem.suggest")
    def suggest(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _suggest)

    @router.action("rem.talked")
    def talked(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _talked)

    @router.action("rem.drift")
    def drift(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _drift)

    @router.action("rem.cancel")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        def cancel_it(t: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
            t.store.save_reminders([replace(reminder, status=ReminderStatus.CANCELLED)])
            return [t.say("reminders/cancelled", contact=contact, item=_item(t, reminder, contact))]

        return _on_open(turn, payload, cancel_it)

    @router.action("rem.edit")
    def edit(turn: Turn, payload: Payload) -> list[Reply]:
        def ask_when(t: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
            t.start_flow(EDIT_FLOW, reminder=reminder.id)
            return [t.say("reminders/edit_when", item=_item(t, reminder, contact))]

        return _on_open(turn, payload, ask_when)

    @router.flow(EDIT_FLOW, ends_on_command=True)
    def edit_when(turn: Turn, text: str) -> list[Reply]:
        state = turn.flow() or {}
        reminder = turn.store.reminder(str(state.get("reminder", "")))
        if reminder is None or reminder.status not in OPEN:
            turn.end_flow()
            return [turn.say("reminders/gone")]
        due = parse_when(text, turn.now, turn.zone)
        if due is None:
            return [turn.say("reminders/bad_when", text=text)]
        turn.end_flow()
        moved = replace(reminder, due_at=due, status=ReminderStatus.PENDING)
        turn.store.save_reminders([moved])
        contact = turn.store.contact(moved.contact_id)
        return [
            turn.say(
                "reminders/moved",
                contact=contact,
                when=turn.local(deliverable_at(due, turn.profile)),
            )
        ]


# -- planning after a log ------------------------------------------------------
def plan_after_log(turn: Turn, saved: SavedLog) -> list[Reply]:
    """Plan and save the reminders a saved note calls for; say what they are."""
    plan = plan_log(
        saved.reading,
        saved.interaction,
        saved.contacts,
        turn.store.reminders(OPEN),
        turn.profile,
        turn.now,
    )
    turn.store.save_reminders(plan.to_save)
    for contact in saved.contacts:
        if contact.id in plan.birthdays:
            contact.birthday = plan.birthdays[contact.id]
            turn.store.save_contact(contact)
    contacts = {c.id: c for c in saved.contacts}
    upcoming = sorted(plan.created, key=lambda r: r.due_at)
    items = [_item(turn, r, contacts[r.contact_id]) for r in upcoming if r.contact_id in contacts]
    if not items:
        return []
    return [turn.say("reminders/planned", items=items)]


# -- pings -----------------------------------------------------------------------
def ping(turn: Turn, reminders: Sequence[Reminder], contacts: Mapping[str, Contact]) -> Reply:
    """Render one delivery message for `reminders`, with a set of buttons for each."""
    numbered = len(reminders) > 1
    items, rows = [], []
    for n, reminder in enumerate(reminders, start=1):
        contact = contacts[reminder.contact_id]
        items.append(_item(turn, reminder, contact))
        tag = f" #{n}" if numbered else ""
        ref = {"id": reminder.id}
        rows.append(
            (
                Button(f"✅ Done{tag}", payload={"op": "rem.done", **ref}),
                *(
                    Button(f"⏰ {label}{tag}", payload={"op": "rem.snooze", "days": d, **ref})
                    for d, label in SNOOZES
                ),
            )
        )
        second = [
            Button(f"✍️ Suggest{tag}", payload={"op": "rem.suggest", **ref}),
            Button(f"🗣 Talked already{tag}", payload={"op": "rem.talked", **ref}),
        ]
        if not contact.drifting:
            second.append(Button(f"🍃 Let it drift{tag}", payload={"op": "rem.drift", **ref}))
        rows.append(tuple(second))
    return turn.say("reminders/ping", items=items, numbered=numbered, buttons=tuple(rows))


def delivery_groups(
    turn: Turn, due: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> tuple[list[list[Reminder]], list[Reminder]]:
    """Group the due reminders whose kind is delivered its own way (the digests).

    Each such reminder leads a group with the others it takes along; the
    reminders left over are returned for ordinary pings.
    """
    groups: list[list[Reminder]] = []
    rest = list(due)
    for reminder in due:
        own = turn.router.deliveries.get(reminder.kind.value)
        if own is None or reminder not in rest:
            continue
        rest.remove(reminder)
        taken = own.takes(turn, reminder, rest, contacts)
        rest = [r for r in rest if r not in taken]
        groups.append([reminder, *taken])
    return groups, rest


def render_delivery(
    turn: Turn, group: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> Reply | None:
    """The message for one group: its leader's own renderer, else a ping (None: say nothing)."""
    own = turn.router.deliveries.get(group[0].kind.value) if group else None
    if own is None:
        return ping(turn, group, contacts)
    return own.render(turn, group[0], group[1:], contacts)


def describe(turn: Turn, reminder: Reminder, contact: Contact) -> dict[str, Any]:
    """What the reminder templates need to describe one reminder (for other features' lists)."""
    return _item(turn, reminder, contact)


# -- button handlers -------------------------------------------------------------
OnReminder = Callable[[Turn, Reminder, Contact], list[Reply]]


def _on_open(turn: Turn, payload: Payload, act: OnReminder) -> list[Reply]:
    """Run `act(turn, reminder, contact)` if the button's reminder is still open."""
    reminder = turn.store.reminder(str(payload.get("id", "")))
    if reminder is None or reminder.status not in OPEN:
        return [turn.say("reminders/gone")]
    contact = turn.store.contact(reminder.contact_id)
    if contact is None:
        turn.store.save_reminders([replace(reminder, status=ReminderStatus.CANCELLED)])
        return [turn.say("reminders/gone")]
    return act(turn, reminder, contact)


def _mark_done(turn: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
    finished = replace(reminder, status=ReminderStatus.DONE, closed_at=turn.now)
    follow: list[Reminder] = []
    if reminder.kind is ReminderKind.KEEP_IN_TOUCH and not contact.drifting:
        # They reached out: the next keep-in-touch nudge is a full cadence away.
        due = morning_of((turn.now + contact.cadence).astimezone(turn.zone).date(), turn.zone)
        follow.append(
            Reminder(
                id=new_id("r"),
                kind=ReminderKind.KEEP_IN_TOUCH,
                due_at=due,
                contact_id=contact.id,
                created_at=turn.now,
            )
        )
    turn.store.save_reminders([finished, *follow])
    return [
        turn.say(
            "reminders/done",
            item=_item(turn, reminder, contact),
            next=turn.local(follow[0].due_at) if follow else None,
        )
    ]


def _snooze(turn: Turn, reminder: Reminder, contact: Contact, days: int) -> list[Reply]:
    due = turn.now + timedelta(days=max(1, min(days, 30)))
    turn.store.save_reminders([replace(reminder, due_at=due, status=ReminderStatus.PENDING)])
    return [
        turn.say(
            "reminders/snoozed", contact=contact, when=turn.local(deliverable_at(due, turn.profile))
        )
    ]


def _suggest(turn: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
    # The content feature writes drafts for the reminder's purpose (a thank-you, a check-in...).
    return suggest_for_reminder(turn, reminder)


def _talked(turn: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
    interaction = Interaction(
        id=new_id("i"),
        contact_ids=[contact.id],
        kind=InteractionKind.OTHER,
        occurred_at=turn.now,
        note="Talked (noted from a reminder)",
        created_at=turn.now,
    )
    turn.store.add_interaction(interaction)
    contact.last_interaction_at = turn.now
    turn.store.save_contact(contact)
    plan = Plan(changed=[replace(reminder, status=ReminderStatus.DONE, closed_at=turn.now)])
    others = [r for r in turn.store.reminders(OPEN) if r.id != reminder.id]
    plan.extend(
        replan_contact(
            contact,
            others,
            turn.profile,
            turn.now,
            talked_at=turn.now,
            interaction_id=interaction.id,
        )
    )
    turn.store.save_reminders(plan.to_save)
    keep = [
        r
        for r in plan.to_save
        if r.kind is ReminderKind.KEEP_IN_TOUCH and r.status is ReminderStatus.PENDING
    ]
    return [
        turn.say(
            "reminders/talked", contact=contact, next=turn.local(keep[0].due_at) if keep else None
        )
    ]


def _drift(turn: Turn, reminder: Reminder, contact: Contact) -> list[Reply]:
    contact.drifting = True
    turn.store.save_contact(contact)
    others = [r for r in turn.store.reminders(OPEN) if r.id != reminder.id]
    plan = replan_contact(contact, others, turn.profile, turn.now)
    closing = ReminderStatus.DONE if reminder.kind is ReminderKind.KEEP_IN_TOUCH else None
    changed = [replace(reminder, status=closing)] if closing else []
    turn.store.save_reminders([*plan.to_save, *changed])
    return [turn.say("reminders/drifting", contact=contact)]


# -- /remind and /reminders ------------------------------------------------------
def _create_custom(turn: Turn, contact: Contact, due: datetime, what: str) -> Reply:
    reminder = Reminder(
        id=new_id("r"),
        kind=ReminderKind.CUSTOM,
        due_at=due,
        contact_id=contact.id,
        text=what,
        created_at=turn.now,
    )
    turn.store.save_reminders([reminder])
    return turn.say(
        "reminders/set",
        item=_item(turn, reminder, contact),
        when=turn.local(deliverable_at(due, turn.profile)),
    )


def _listing(turn: Turn) -> Reply:
    contacts = {c.id: c for c in turn.store.contacts()}
    open_ = sorted(
        (r for r in turn.store.reminders(OPEN) if r.contact_id in contacts),
        key=lambda r: r.due_at,
    )
    shown = open_[:LISTED]
    items = [_item(turn, r, contacts[r.contact_id]) for r in shown]
    rows = tuple(
        (
            Button(f"✏️ Change #{n}", payload={"op": "rem.edit", "id": r.id}),
            Button(f"✖ Cancel #{n}", payload={"op": "rem.cancel", "id": r.id}),
        )
        for n, r in enumerate(shown, start=1)
    )
    return turn.say("reminders/list", items=items, more=len(open_) - len(shown), buttons=rows)


def _item(turn: Turn, reminder: Reminder, contact: Contact) -> dict[str, Any]:
    """What the reminder templates need to describe one reminder."""
    when = turn.local(deliverable_at(reminder.due_at, turn.profile))
    last = contact.last_interaction_at or contact.created_at
    return {
        "kind": reminder.kind.value,
        "name": contact.name,
        "first_name": contact.first_name,
        "text": reminder.text,
        "when": when,
        "today": turn.local(turn.now).date(),
        "since": ago(turn.now - last),
        "tier": contact.tier.value,
        "status": reminder.status.value,
    }


def resume_if_paused(turn: Turn) -> None:
    """Unpause a user who writes again after blocking the bot, and drop any backoff.

    Runs on every incoming message. Through the indexed store the profile save
    also lowers the due index, so waiting reminders go out right away.
    """
    profile = turn.profile
    if not profile.paused:
        return
    profile.paused = False
    turn.store.set_state(RETRY_STATE, None)
    turn.store.save_profile(profile)
    log.info("reminders resumed for a user who wrote again")
