"""The garden: each contact a plant, laid out by tier (pure; drawing is the engine's).

A plant's size shows closeness (the tier, grown a little by how often you
meet), its colour freshness (time since contact against the cadence: green
when fresh, yellow when due, brown when overdue), and it wilts when the
relationship is drifting (past its cadence, or let drift on purpose).

Layout is in pixels for a picture `WIDTH` wide: a bed per tier, plants in a
grid whose cells shrink with the number of plants, down to `MIN_CELL`. A
plant too small to carry a readable name loses its label, and the garden
says how many did.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.cadence import last_touch
from bot.domain.model import Contact, Tier

WIDTH = 1200
MARGIN = 40
HEADER = 110
BED_TITLE = 40
BED_GAP = 24
FOOTER = 90
MAX_CELL = 150
MIN_CELL = 26
# A name needs this much room under its plant to be read.
LABEL_CELL = 80
LABEL_RADIUS = 12
TIER_ORDER = (Tier.INNER, Tier.CLOSE, Tier.NETWORK, Tier.ACQUAINTANCE)
TIER_TITLES = {
    Tier.INNER: "Inner circle",
    Tier.CLOSE: "Close",
    Tier.NETWORK: "Network",
    Tier.ACQUAINTANCE: "Acquaintances",
}
CLOSENESS = {Tier.INNER: 1.0, Tier.CLOSE: 0.8, Tier.NETWORK: 0.6, Tier.ACQUAINTANCE: 0.45}
# Meeting often grows a plant by up to this much.
GROWTH = 0.25
MEETINGS_FOR_FULL_GROWTH = 10
OVERDUE_CAP = 2.0


@dataclass(frozen=True)
class Plant:
    """One contact, as drawn."""

    contact_id: str
    name: str
    tier: Tier
    closeness: float  # 0..1: how big it grows
    overdue: float  # time since contact / cadence, capped at OVERDUE_CAP
    wilting: bool
    x: int = 0  # centre of its cell
    y: int = 0  # ground line of its cell
    radius: int = 0
    labelled: bool = False


@dataclass(frozen=True)
class Bed:
    """The plants of one tier, and where the bed is."""

    tier: Tier
    title: str
    top: int
    height: int
    cell: int
    plants: tuple[Plant, ...]


@dataclass(frozen=True)
class Garden:
    """Everything the picture shows."""

    width: int
    height: int
    beds: tuple[Bed, ...]
    total: int
    unlabelled: int
    wilting: int

    @property
    def empty(self) -> bool:
        """True when there is nobody to draw."""
        return self.total == 0


def plant_of(contact: Contact, meetings: int, now: datetime) -> Plant:
    """How one contact grows: closeness, freshness, wilting."""
    growth = GROWTH * min(1.0, meetings / MEETINGS_FOR_FULL_GROWTH)
    closeness = min(1.0, CLOSENESS[contact.tier] + growth)
    overdue = min(OVERDUE_CAP, max(0.0, (now - last_touch(contact)) / contact.cadence))
    return Plant(
        contact.id,
        contact.name,
        contact.tier,
        closeness,
        overdue,
        wilting=contact.drifting or overdue > 1.0,
    )


def meetings_per_contact(interaction_contacts: Iterable[Sequence[str]]) -> dict[str, int]:
    """How many logged interactions each contact appears in."""
    counts: dict[str, int] = {}
    for contact_ids in interaction_contacts:
        for contact_id in contact_ids:
            counts[contact_id] = counts.get(contact_id, 0) + 1
    return counts


def lay_out(contacts: Sequence[Contact], meetings: Mapping[str, int], now: datetime) -> Garden:
    """Place every contact's plant in its tier's bed; decide which plants keep their names."""
    by_tier: dict[Tier, list[Plant]] = {t: [] for t in TIER_ORDER}
    for contact in sorted(contacts, key=lambda c: (c.name.casefold(), c.id)):
        by_tier[contact.tier].append(plant_of(contact, meetings.get(contact.id, 0), now))
    usable = WIDTH - 2 * MARGIN
    beds: list[Bed] = []
    top = HEADER
    unlabelled = 0
    for tier in TIER_ORDER:
        plants = by_tier[tier]
        if not plants and (contacts or tier is not Tier.NETWORK):
            continue  # an empty tier takes no room; an empty garden shows one bed
        columns = _columns(len(plants), usable)
        cell = max(MIN_CELL, min(MAX_CELL, usable // columns))
        rows = max(1, math.ceil(len(plants) / columns))
        placed = []
        for n, plant in enumerate(plants):
            row, column = divmod(n, columns)
            radius = max(3, round(cell * 0.32 * plant.closeness))
            labelled = cell >= LABEL_CELL and radius >= LABEL_RADIUS
            unlabelled += not labelled
            placed.append(
                replace(
                    plant,
                    x=MARGIN + column * cell + cell // 2,
                    y=top + BED_TITLE + row * cell + cell - (22 if labelled else 6),
                    radius=radius,
                    labelled=labelled,
                )
            )
        height = BED_TITLE + rows * cell
        beds.append(Bed(tier, TIER_TITLES[tier], top, height, cell, tuple(placed)))
        top += height + BED_GAP
    return Garden(
        width=WIDTH,
        height=top - BED_GAP + FOOTER,
        beds=tuple(beds),
        total=len(contacts),
        unlabelled=unlabelled,
        wilting=sum(p.wilting for b in beds for p in b.plants),
    )


def _columns(count: int, usable: int) -> int:
    """Columns for a bed: a wide rectangle (about 5:2), one row when a few fit at full size."""
    if count <= 1:
        return 1
    wide = math.ceil(math.sqrt(count * 2.5))
    one_row = min(count, usable // MAX_CELL)
    return max(1, min(usable // MIN_CELL, max(wide, one_row)))
