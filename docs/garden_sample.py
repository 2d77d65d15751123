"""Draw docs/garden.png, the README's sample garden, from a made-up network of 34 people.

    python docs/garden_sample.py
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.insight.garden import lay_out
from bot.domain.model import Contact, Tier
from bot.engine.insight.garden_picture import draw_png

NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
# (name, tier, days since you last talked, meetings logged, let drift)
PEOPLE = [
    ("Maria Lopez", Tier.INNER, 3, 12, False),
    ("Tom Baker", Tier.INNER, 20, 9, False),
    ("Priya Raman", Tier.INNER, 9, 7, False),
    ("Sam Ortiz", Tier.CLOSE, 12, 6, False),
    ("Yuki Tanaka", Tier.CLOSE, 26, 4, False),
    ("Kofi Mensah", Tier.CLOSE, 55, 5, False),
    ("Elif Kaya", Tier.CLOSE, 2, 3, False),
    ("Jonas Müller", Tier.CLOSE, 40, 4, False),
    ("Grace Kim", Tier.CLOSE, 31, 2, False),
    ("Siobhán O'Neill", Tier.NETWORK, 15, 2, False),
    ("Bilal Hussain", Tier.NETWORK, 70, 1, False),
    ("Ana García", Tier.NETWORK, 95, 2, False),
    ("Dana Levi", Tier.NETWORK, 4, 1, False),
    ("Omar Haddad", Tier.NETWORK, 160, 3, False),
    ("Lena Meyer", Tier.NETWORK, 30, 1, False),
    ("Felix Brandt", Tier.NETWORK, 200, 1, True),
    ("Ravi Shah", Tier.NETWORK, 45, 2, False),
    ("Carla Rossi", Tier.NETWORK, 88, 1, False),
    ("Hiro Sato", Tier.NETWORK, 120, 2, False),
    ("Noor Aziz", Tier.NETWORK, 8, 1, False),
    ("Lukas Novak", Tier.NETWORK, 60, 1, False),
    ("Tess Walker", Tier.NETWORK, 1, 1, False),
    ("Marco Bianchi", Tier.NETWORK, 140, 1, False),
    ("Ilse de Vries", Tier.NETWORK, 35, 1, False),
    ("Kemi Adeyemi", Tier.ACQUAINTANCE, 20, 1, False),
    ("Zoë Martin", Tier.ACQUAINTANCE, 190, 1, False),
    ("Ben Cohen", Tier.ACQUAINTANCE, 80, 1, False),
    ("Mia Larsen", Tier.ACQUAINTANCE, 130, 1, False),
    ("Pedro Alves", Tier.ACQUAINTANCE, 240, 1, False),
    ("Aisha Begum", Tier.ACQUAINTANCE, 10, 1, False),
    ("Chen Wei", Tier.ACQUAINTANCE, 170, 1, False),
    ("Ruth Okafor", Tier.ACQUAINTANCE, 60, 1, False),
    ("Jan Kowalski", Tier.ACQUAINTANCE, 300, 1, True),
    ("Sofia Herrera", Tier.ACQUAINTANCE, 5, 1, False),
]


def main() -> None:
    contacts = [
        Contact(
            id=f"c{n}",
            name=name,
            tier=tier,
            created_at=NOW - timedelta(days=400),
            last_interaction_at=NOW - timedelta(days=days),
            drifting=drift,
        )
        for n, (name, tier, days, _, drift) in enumerate(PEOPLE)
    ]
    meetings = {f"c{n}": count for n, (_, _, _, count, _) in enumerate(PEOPLE)}
    out = Path(__file__).resolve().parent / "garden.png"
    out.write_bytes(draw_png(lay_out(contacts, meetings, NOW)))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
