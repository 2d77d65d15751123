"""/week: the weekly review on demand (the same reply the Sunday review delivers)."""

from __future__ import annotations

from bot.domain.content.pillars import Pillar
from bot.domain.insight.week import WeekReview, review_week
from bot.engine.replies import Button, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

NAMES_SHOWN = 8


def register(router: Router) -> None:
    """Register /week."""

    @router.command("week", "Your week in review: who, follow-ups, promises, pillars")
    def week(turn: Turn, args: str) -> list[Reply]:
        return [week_reply(turn)]


def review(turn: Turn) -> WeekReview:
    """Compute the review of the seven days up to now from the user's store."""
    return review_week(
        contacts=turn.store.contacts(),
        interactions=turn.store.interactions(),
        open_reminders=turn.store.reminders(),
        finished_reminders=turn.store.finished_reminders(),
        now=turn.now,
        zone=turn.zone,
    )


def week_reply(turn: Turn, *, delivered: bool = False) -> Reply:
    """The review as a message, a button under each suggested action that has a person."""
    figures = review(turn)
    buttons = tuple(
        (
            Button(
                f"✍️ {n}. {action.contact.first_name}",
                payload={
                    "op": "content.suggest",
                    "contact": action.contact.id,
                    "situation": action.situation,
                },
            ),
        )
        for n, action in enumerate(figures.actions, start=1)
        if action.contact is not None and action.situation
    )
    balance = sorted(
        ((p, n) for p, n in figures.pillars.items() if n), key=lambda pn: (-pn[1], pn[0].label)
    )
    return turn.say(
        "insight/week",
        review=figures,
        delivered=delivered,
        names=[c.name for c in figures.talked_to[:NAMES_SHOWN]],
        more_names=max(0, len(figures.talked_to) - NAMES_SHOWN),
        balance=[(p.label, n) for p, n in balance],
        neglected=figures.neglected.pillar.label,
        today=turn.local(turn.now).date(),
        pillars=Pillar,
        buttons=buttons,
    )
