"""/forget: delete a person and every mention of them, after a confirmation that says what goes.

`/forget me` is the other kind of forgetting (everything, in two steps): see
bot/engine/data.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.model import Contact
from bot.engine.lookup import chosen_contact, find_contact, forget_names
from bot.engine.replanning import replan_reminders
from bot.engine.replies import Button, Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

if TYPE_CHECKING:
    from bot.transfer.redaction import ForgetPlan

ME = frozenset({"me", "myself", "everything", "all my data"})


def register(router: Router) -> None:
    """Register /forget and its confirmation buttons."""
    router.on_forget.append(forget_names)  # the lookup's names of the user go too

    @router.command("forget", "Delete someone, or all your data (/forget me)", usage="<name>")
    def forget(turn: Turn, args: str) -> list[Reply]:
        if args.strip().lower() in ME:
            from bot.engine.data import ask_forget_me

            return ask_forget_me(turn)
        found = find_contact(turn, args, command="forget", op="person.forget")
        if found.contact is None:
            return found.replies
        return [_confirm_forget(turn, found.contact)]

    @router.action("person.forget")
    def ask_forget(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        return [_confirm_forget(turn, contact)] if contact else [turn.notice("stale_button")]

    @router.action("person.forget.yes")
    def forget_yes(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        if contact is None:
            return [turn.notice("stale_button")]
        plan = _plan(turn, contact)
        forget_person(turn, plan)
        replan_reminders(turn)  # the freed keep-in-touch slots go to others
        return in_place([turn.say("forgotten", contact=contact)])

    @router.action("person.forget.no")
    def forget_no(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        return in_place([turn.say("forget_kept", contact=contact)])


def forget_person(turn: Turn, plan: ForgetPlan) -> None:
    """Delete the person and remove or blank every mention of them, in this one turn."""
    from bot.transfer.redaction import scrub_state

    store = turn.store
    for contact in plan.changed_contacts:
        store.save_contact(contact)
    # Unsaved cards, flows, a pending import and stored button payloads go through
    # `state` too: what holds their id or name is dropped.
    store.rewrite(
        interactions=plan.interaction,
        reminders=plan.reminder,
        state=lambda name, value: scrub_state(value, plan.mentions, plan.contact.id),
    )
    store.forget_contact(plan.contact.id)
    turn.router.forgot(store.user_id)


def _plan(turn: Turn, contact: Contact) -> ForgetPlan:
    from bot.transfer.redaction import plan_forget

    return plan_forget(contact, turn.store.contacts(), turn.store.reminders())


def _confirm_forget(turn: Turn, contact: Contact) -> Reply:
    plan = _plan(turn, contact)
    own_logs = shared_logs = mentioning = 0
    for interaction in turn.store.interactions():
        if contact.id in interaction.contact_ids:
            if len(interaction.contact_ids) == 1:
                own_logs += 1
            else:
                shared_logs += 1
        elif plan.mentions.found_in(interaction.note):
            mentioning += 1
    return turn.say(
        "forget_confirm",
        contact=contact,
        plan=plan,
        own_logs=own_logs,
        shared_logs=shared_logs + mentioning,
        others=sorted({c.name for c in plan.changed_contacts}),
        buttons=(
            (
                Button(
                    f"Yes, forget {contact.first_name}",
                    payload={"op": "person.forget.yes", "contact": contact.id},
                ),
                Button("Keep", payload={"op": "person.forget.no", "contact": contact.id}),
            ),
        ),
    )
