"""/due: one ranked screen of what needs attention, with one-tap actions on each line.

The ranking is the domain's (bot/domain/insight/attention.py). Buttons on a
line backed by a reminder act on that reminder through the reminder
feature's own actions, then the screen is drawn again with a receipt on top,
so what was done drops off the list in the same message.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.insight.attention import Need, Section, top_needs
from bot.domain.insight.attention_index import AttentionIndex
from bot.domain.model import Contact, ReminderKind, ReminderStatus
from bot.engine.kept import PerUser
from bot.engine.reminders import describe
from bot.engine.replanning import changes_since
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

SHOWN = 10
SECTION_TITLES = {
    Section.WAITING: "Waiting for your answer",
    Section.PROMISE: "Your promises",
    Section.GRATITUDE: "Thank-yous owed",
    Section.FOLLOW_UP: "Follow-ups",
    Section.EVENT: "Their news",
    Section.KEEP: "Keep in touch",
}
# due.do actions -> the reminder feature's action and its extra payload.
ACTS: dict[str, tuple[str, dict[str, Any]]] = {
    "done": ("rem.done", {}),
    "snooze": ("rem.snooze", {"days": 1}),
    "talked": ("rem.talked", {}),
}
_TAG = re.compile(r"<[^>]+>")


def register(router: Router) -> None:
    """Register /due and its buttons."""
    kept = PerUser(AttentionIndex)  # each recent user's ranking, re-filed turn by turn
    router.on_forget.append(kept.drop)

    def due_screen(turn: Turn, *, note: str = "") -> Reply:
        return _due_screen(turn, kept.of(turn.store.user_id), note=note)

    @router.command("due", "What needs you now, most pressing first")
    def due(turn: Turn, args: str) -> list[Reply]:
        return [due_screen(turn)]

    @router.action("due.show")
    def show(turn: Turn, payload: Payload) -> list[Reply]:
        return [due_screen(turn)]

    @router.action("due.do")
    def act(turn: Turn, payload: Payload) -> list[Reply]:
        """Act on a line's reminder, then redraw /due with what happened on top."""
        chosen = ACTS.get(str(payload.get("which", "")))
        if chosen is None:
            return [turn.say("stale_button")]
        op, extra = chosen
        result = turn.router.actions[op](turn, {"op": op, "id": payload.get("id", ""), **extra})
        receipt = _TAG.sub("", result[0].text or result[0].toast).split("\n")[0] if result else ""
        return [due_screen(turn, note=receipt)]


def _due_screen(turn: Turn, index: AttentionIndex, *, note: str = "") -> Reply:
    """The ranked list of what needs the user, a row of buttons under each shown line."""
    shown, total = top_needs(
        turn.store.contacts(),
        turn.store.reminders(),
        turn.now,
        turn.zone,
        SHOWN,
        index=index,
        changed=changes_since(turn.store, index),
    )
    lines = [_line(turn, n, need) for n, need in enumerate(shown, start=1)]
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    for line in lines:
        title = SECTION_TITLES[line["section"]]
        if not sections or sections[-1][0] != title:
            sections.append((title, []))
        sections[-1][1].append(line)
    buttons = tuple(
        row for n, need in enumerate(shown, start=1) if (row := _buttons(turn, n, need))
    )
    return turn.say(
        "due",
        sections=sections,
        more=total - len(shown),
        note=note,
        today=turn.local(turn.now).date(),
        buttons=buttons,
    )


def _line(turn: Turn, number: int, need: Need) -> dict[str, Any]:
    contact = need.contact
    item = describe(turn, need.reminder, contact) if need.reminder else _about(turn, contact)
    return {
        "number": number,
        "section": need.section,
        "item": item,
        "text": need.text,
        "on": turn.local(need.when).date(),
        "ratio": need.overdue_ratio,
        "since": need.since_last,
        "cadence": contact.cadence,
        "fact_event": need.section is Section.EVENT and need.reminder is None,
        "keep": need.section is Section.KEEP,
        "delivered": turn.local(need.reminder.delivered_at)
        if need.reminder and need.reminder.delivered_at
        else None,
    }


def _about(turn: Turn, contact: Contact) -> dict[str, Any]:
    """The describe() fields for a line with no reminder behind it."""
    last = contact.last_interaction_at or contact.created_at
    return {
        "kind": ReminderKind.KEEP_IN_TOUCH.value,
        "name": contact.name,
        "first_name": contact.first_name,
        "text": "",
        "when": turn.local(turn.now),
        "today": turn.local(turn.now).date(),
        "since": "",
        "tier": contact.tier.value,
        "status": "",
        "last": last,
    }


def _buttons(turn: Turn, number: int, need: Need) -> tuple[Button, ...]:
    tag = f" #{number}"
    reminder = need.reminder
    if reminder is None:
        situation = "reconnect" if need.section is Section.KEEP else "check-in"
        payload = {"op": "content.suggest", "contact": need.contact.id, "situation": situation}
        return (Button(f"✍️ Draft{tag}", payload=payload),)
    ref = {"id": reminder.id}
    draft = Button(f"✍️ Draft{tag}", payload={"op": "rem.suggest", **ref})
    if need.section is Section.KEEP:
        return (
            draft,
            Button(f"🗣 Talked{tag}", payload={"op": "due.do", "which": "talked", **ref}),
            Button(f"⏰ Tomorrow{tag}", payload={"op": "due.do", "which": "snooze", **ref}),
        )
    done = Button(f"✅ Done{tag}", payload={"op": "due.do", "which": "done", **ref})
    if reminder.due_at > turn.now and reminder.status is ReminderStatus.PENDING:
        return (done, draft)  # not due yet: nothing to put off
    return (
        done,
        draft,
        Button(f"⏰ Tomorrow{tag}", payload={"op": "due.do", "which": "snooze", **ref}),
    )
