""" "Sent it": the user says they sent a suggested draft, so it counts.

Telegram reports neither a tap on a share link nor a copy-text button (both
happen in the client), so the coach cannot see a draft go out. Rather than
guess from a tap, each draft has a "Sent" button: pressing it logs a message
to that person tagged with the draft's pillar, moves their keep-in-touch
date like any contact, and closes the reminder the draft answered (the
thank-you, the promise, the follow-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from itertools import islice
from typing import Protocol

from bot.domain.content.pillars import Pillar
from bot.domain.ids import new_id
from bot.domain.insight.pillar_tags import ORDER
from bot.domain.model import (
    Contact,
    Exchange,
    Interaction,
    InteractionKind,
    ReminderKind,
    ReminderStatus,
)
from bot.domain.reminders.planning import OPEN, Plan, supersede
from bot.engine.insight.ledger import count_interaction
from bot.engine.replanning import replan_reminders
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# Situations by number, so a button carries a digit rather than a name.
SITUATIONS = (
    "check-in",
    "follow-up",
    "thank-you",
    "impact-update",
    "ask-how-it-went",
    "promise-kept",
    "congratulations",
    "reconnect",
    "offer-help",
    "ask-for-help",
    "learn",
)
# The reminder a sent draft answers, and the ledger entry it is.
ANSWERS: dict[str, ReminderKind] = {
    "follow-up": ReminderKind.FOLLOW_UP,
    "thank-you": ReminderKind.GRATITUDE,
    "impact-update": ReminderKind.IMPACT_UPDATE,
    "ask-how-it-went": ReminderKind.EVENT_FOLLOW_UP,
    "promise-kept": ReminderKind.PROMISE,
}
LEDGER: dict[str, Exchange] = {
    "congratulations": Exchange.RECOGNITION,
    "offer-help": Exchange.HELP,
    "ask-for-help": Exchange.ASK,
}
# A second press soon after the first is the same message, not another one.
SAME_MESSAGE = timedelta(hours=1)


class DraftLike(Protocol):
    """What the Sent button needs of a draft (its situation and pillar)."""

    @property
    def situation(self) -> str: ...
    @property
    def pillar(self) -> Pillar: ...


def sent_buttons(contact: Contact, drafts: Sequence[DraftLike]) -> tuple[Button, ...]:
    """One "Sent n" button per draft."""
    return tuple(
        Button(
            f"✅ Sent {n}",
            payload={
                "op": "ins.sent",
                "contact": contact.id,
                "n": ORDER.index(d.pillar),
                "index": SITUATIONS.index(d.situation) if d.situation in SITUATIONS else -1,
            },
        )
        for n, d in enumerate(drafts, start=1)
    )


def register(router: Router) -> None:
    """Register the Sent button."""

    @router.action("ins.sent")
    def sent(turn: Turn, payload: Payload) -> list[Reply]:
        contact = turn.store.contact(str(payload.get("contact", "")))
        pillar_n, situation_n = payload.get("n"), payload.get("index")
        if (
            contact is None
            or not isinstance(pillar_n, int)
            or not 0 <= pillar_n < len(ORDER)
            or not isinstance(situation_n, int)
        ):
            return [turn.say("stale_button")]
        situation = SITUATIONS[situation_n] if 0 <= situation_n < len(SITUATIONS) else ""
        return [record_sent(turn, contact, ORDER[pillar_n], situation)]


def record_sent(turn: Turn, contact: Contact, pillar: Pillar, situation: str) -> Reply:
    """Log the sent draft as a message to `contact` and close what it answered."""
    latest = next(iter(islice(turn.store.interactions(contact_id=contact.id), 1)), None)
    if (
        latest is not None
        and latest.draft == (situation or "message")
        and turn.now - latest.occurred_at < SAME_MESSAGE
    ):
        return turn.say("insight/sent", contact=contact, pillar=pillar.label, again=True)
    interaction = Interaction(
        id=new_id("i"),
        contact_ids=[contact.id],
        kind=InteractionKind.MESSAGE,
        occurred_at=turn.now,
        note=f"Sent a suggested {situation or 'message'} draft",
        created_at=turn.now,
        exchange=LEDGER.get(situation),
        pillar=pillar,
        draft=situation or "message",
    )
    turn.store.add_interaction(interaction)
    contact.last_interaction_at = turn.now
    count_interaction(turn, contact, interaction)
    turn.store.save_contact(contact)
    open_ = turn.store.reminders(OPEN)
    plan = Plan()
    answered = ANSWERS.get(situation)
    mine = sorted(
        (r for r in open_ if r.contact_id == contact.id and r.kind is answered),
        key=lambda r: r.due_at,
    )
    if mine:
        plan.changed.append(replace(mine[0], status=ReminderStatus.DONE, closed_at=turn.now))
    others = [r for r in open_ if not mine or r.id != mine[0].id]
    plan.changed += supersede(contact.id, others, turn.now, interaction.id, turn.zone)
    turn.store.save_reminders(plan.to_save)
    replan_reminders(turn, only={contact.id})  # keep-in-touch restarts from this message
    return turn.say(
        "insight/sent",
        contact=contact,
        pillar=pillar.label,
        situation=situation,
        closed=bool(mine),
        again=False,
    )
