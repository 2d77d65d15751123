"""/find <words>: people by name, company, role, detail, event, place or month."""

from __future__ import annotations

from bot.domain.insight.search import search
from bot.engine.lookup import label
from bot.engine.replies import Button, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

SHOWN = 10
BUTTONS = 8
MAX_QUERY = 200


def register(router: Router) -> None:
    """Register /find."""

    @router.command(
        "find", "Search your people: names, companies, events, details, months", usage="<words>"
    )
    def find(turn: Turn, args: str) -> list[Reply]:
        query = args.strip()
        if not query:
            return [turn.say("insight/find_usage", too_long=0)]
        if len(query) > MAX_QUERY:
            return [turn.say("insight/find_usage", too_long=MAX_QUERY)]
        results = search(
            query,
            turn.store.contacts(),
            turn.store.interactions(),
            turn.local(turn.now).date(),
            turn.zone,
            limit=SHOWN,
        )
        rows: list[tuple[Button, ...]] = []
        gathering = results.gatherings[0] if results.gatherings else None
        if gathering is not None:
            rows += [
                (
                    Button(
                        f"✍️ Suggest for {c.first_name}",
                        payload={"op": "content.suggest", "contact": c.id},
                    ),
                )
                for c in gathering.contacts[:BUTTONS]
            ]
        else:
            rows += [
                (
                    Button(
                        f"👤 {label(h.contact)}",
                        payload={"op": "person.show", "contact": h.contact.id},
                    ),
                )
                for h in results.hits[:BUTTONS]
            ]
        return [
            turn.say(
                "insight/find",
                query=query,
                results=results,
                today=turn.local(turn.now).date(),
                buttons=tuple(rows),
            )
        ]
