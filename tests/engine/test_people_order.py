"""/people lists the most recently met first, as sorting by last touch does."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.cadence import last_touch
from bot.domain.model import Contact
from bot.engine.people import _most_recent_first

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_most_recent_first_is_the_order_of_sorting_by_last_touch() -> None:
    rng = random.Random(15)
    for _ in range(50):
        contacts = [
            Contact(
                id=f"c-{n}",
                name=f"P {n}",
                created_at=NOW - timedelta(days=rng.randrange(0, 5)),
                last_interaction_at=(
                    None if rng.random() < 0.3 else NOW - timedelta(days=rng.randrange(0, 5))
                ),
            )
            for n in range(rng.randrange(0, 40))
        ]
        expected = sorted(contacts, key=last_touch, reverse=True)  # ties keep their order
        limit = rng.randrange(0, 45)
        assert [c.id for c in _most_recent_first(contacts, limit)] == [
            c.id for c in expected[:limit]
        ]
