"""Which drafts were suggested to whom, so none repeats within 90 days.

Kept as plain data ({"entries": [[contact_id, key, iso time, template], ...]})
in the user's own store; entries older than the window fall away on every
save, so the record stays small. The template name (absent from older
entries) lets a sitting avoid giving two people the same message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

NO_REPEAT_WINDOW = timedelta(days=90)
# Drafts offered within this long count as one sitting.
SITTING = timedelta(hours=12)
# The history lives in the user's main file, rewritten on every save, so it is
# capped: about ten drafts a day for 90 days; beyond that the oldest go first.
MAX_ENTRIES = 1000


@dataclass
class DraftHistory:
    """Draft keys suggested per contact, with when and from which template."""

    entries: list[tuple[str, str, datetime, str]] = field(default_factory=list)

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> DraftHistory:
        """Read the stored form; anything malformed is skipped, not fatal."""
        entries: list[tuple[str, str, datetime, str]] = []
        for row in (state or {}).get("entries", []):
            try:
                contact_id, key, at, *rest = row
                template = str(rest[0]) if rest else ""
                entries.append((str(contact_id), str(key), datetime.fromisoformat(at), template))
            except (TypeError, ValueError):
                continue
        return cls(entries)

    def to_state(self) -> dict[str, Any]:
        """Return the stored form."""
        return {"entries": [[c, k, at.isoformat(), t] for c, k, at, t in self.entries]}

    def recent_keys(self, contact_id: str, now: datetime) -> set[str]:
        """Keys suggested to `contact_id` within the no-repeat window."""
        since = now - NO_REPEAT_WINDOW
        return {k for c, k, at, _ in self.entries if c == contact_id and at >= since}

    def templates_used_for_others(self, contact_id: str, now: datetime) -> frozenset[str]:
        """Templates offered to other people in this sitting."""
        since = now - SITTING
        return frozenset(t for c, _, at, t in self.entries if c != contact_id and at >= since and t)

    def record(
        self, contact_id: str, keys: list[str], now: datetime, templates: list[str] | None = None
    ) -> None:
        """Remember `keys` (from `templates`) as suggested now; forget what is past the window."""
        since = now - NO_REPEAT_WINDOW
        kept = [e for e in self.entries if e[2] >= since]
        names = templates or [""] * len(keys)
        kept += [(contact_id, key, now, name) for key, name in zip(keys, names, strict=True)]
        self.entries = kept[-MAX_ENTRIES:]
