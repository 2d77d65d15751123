"""/garden: a picture of your network, each person a plant.

The layout is the domain's (bot/domain/insight/garden.py); Pillow draws it,
imported on the first /garden so chat start-up never pays for it.
"""

from __future__ import annotations

from bot.domain.insight.garden import lay_out, meetings_per_contact
from bot.engine.replies import Attachment, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn


def register(router: Router) -> None:
    """Register /garden."""

    @router.command("garden", "A picture of your network: who's flourishing, who's wilting")
    def garden(turn: Turn, args: str) -> list[Reply]:
        from bot.engine.insight.garden_picture import draw_png  # Pillow: only when asked

        contacts = turn.store.contacts()
        meetings = meetings_per_contact(i.contact_ids for i in turn.store.interactions())
        layout = lay_out(contacts, meetings, turn.now)
        # One file name, replaced each time: no old picture keeps a forgotten name around.
        picture = Attachment("garden.png", draw_png(layout), photo=True)
        wilting = sorted(
            (p for b in layout.beds for p in b.plants if p.wilting), key=lambda p: -p.overdue
        )
        text = turn.say("insight/garden", garden=layout, wilting=[p.name for p in wilting[:3]])
        return [Reply(text.text, files=(picture,))]
