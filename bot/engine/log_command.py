"""/log <note>: save a meeting note at once, with an Undo button."""

from __future__ import annotations

from bot.domain.notes.people import forget_names
from bot.engine import note_card
from bot.engine.content.reflection import FLOW as REFLECTION_FLOW
from bot.engine.guided_log import start_guided_log
from bot.engine.journal import confirmation, logged_with, save_reading, undo_log
from bot.engine.replanning import replan_reminders
from bot.engine.replies import Payload, Reply, in_place
from bot.engine.router import Router
from bot.engine.turn import Turn

PLANNED_NOTE = (
    "This sounds like it's still ahead. Save plans it; if it already happened, Edit → When."
)


def register(router: Router) -> None:
    """Register /log and its Undo button."""
    router.on_forget.append(lambda _user_id: forget_names())  # the reader's folded names go

    @router.command("log", "Log a meeting", usage="[what happened]")
    def log(turn: Turn, args: str) -> list[Reply]:
        if not args:
            return start_guided_log(turn)
        reading = turn.read_note(args)
        unsure = note_card.needs_a_look(reading)
        if unsure:
            # Nobody, an ambiguous somebody, or a guess about who was there: ask on the card.
            return note_card.show(turn, reading, note=unsure)
        if reading.planned:
            # A meeting still ahead is planned on the card: Save, or Edit → When if it was past.
            return note_card.show(turn, reading, note=PLANNED_NOTE)
        return confirmation(turn, save_reading(turn, reading))

    @router.action("log.undo")
    def undo(turn: Turn, payload: Payload) -> list[Reply]:
        interaction_id = str(payload.get("interaction", ""))
        people = logged_with(turn, interaction_id)
        done = undo_log(
            turn,
            interaction_id,
            payload.get("contacts", []),
            payload.get("new", []),
            undo_id=str(payload.get("undo", "")),
        )
        if done:
            # The last contact moved back: so does their keep-in-touch.
            replan_reminders(turn, only=people)
            flow = turn.flow()
            if flow is not None and flow.get("name") == REFLECTION_FLOW:
                turn.end_flow()  # no reflection on a log that is gone
        return in_place([turn.say("log_undone", done=done)])
