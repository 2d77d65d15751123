"""Which drafts were suggested to whom, so none repeats within 90 days.

Kept as plain data ({"entries": [[contact_id, key, iso time], ...]}) in the
user's own store; entries older than the window fall away on every save, so
the record stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

NO_REPEAT_WINDOW = timedelta(days=90)
# The history lives in the user's main file, rewritten on every save, so it is
# capped: about ten drafts a day for 90 days; beyond that the oldest go first.
MAX_ENTRIES = 1000


@dataclass
class DraftHistory:
    """Draft keys suggested per contact, with when."""

    entries: list[tuple[str, str, datetime]] = field(default_factory=list)

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> DraftHistory:
        """Read the stored form; anything malformed is skipped, not fatal."""
        entries: list[tuple[str, str, datetime]] = []
        for row in (state or {}).get("entries", []):
            try:
                contact_id, key, at = row
                entries.append((str(contact_id), str(key), datetime.fromisoformat(at)))
            except (TypeError, ValueError):
                continue
        return cls(entries)

    def to_state(self) -> dict[str, Any]:
        """Return the stored form."""
        return {"entries": [[c, k, at.isoformat()] for c, k, at in self.entries]}

    def recent_keys(self, contact_id: str, now: datetime) -> set[str]:
        """Keys suggested to `contact_id` within the no-repeat window."""
        since = now - NO_REPEAT_WINDOW
        return {k for c, k, at in self.entries if c == contact_id and at >= since}

    def record(self, contact_id: str, keys: list[str], now: datetime) -> None:
        """Remember `keys` as suggested now, and forget what is past the window."""
        since = now - NO_REPEAT_WINDOW
        kept = [e for e in self.entries if e[2] >= since]
        kept += [(contact_id, key, now) for key in keys]
        self.entries = kept[-MAX_ENTRIES:]
