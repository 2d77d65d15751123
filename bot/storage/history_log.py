"""An append-mostly log split into fixed-size TinyDB segments.

TinyDB rewrites a whole file on every write, so a single file per user would
make each new log cost as much as the user's entire history. Appends only
ever touch the newest segment, whose size is capped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from bot.storage.atomic_json import AtomicJSONStorage

SEGMENT_SIZE = 500
_TABLE = "records"


class HistoryLog:
    """Records with an "id" field, stored newest segment last."""

    def __init__(self, folder: Path, segment_size: int = SEGMENT_SIZE) -> None:
        self.folder = folder
        self.segment_size = segment_size

    def append(self, *records: dict[str, Any]) -> None:
        """Add records to the newest segment (one write per segment touched)."""
        segments = self._segments()
        number = max(len(segments), 1)
        pending = list(records)
        while pending:
            table = _open(self._segment_path(number))
            room = self.segment_size - len(table)
            if room > 0:
                table.insert_multiple(pending[:room])
                pending = pending[room:]
            number += 1

    def newest_first(
        self, keep: Callable[[dict[str, Any]], bool] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield records newest first, reading one segment at a time."""
        for path in reversed(self._segments()):
            for doc in reversed(_open(path).all()):
                if keep is None or keep(doc):
                    yield dict(doc)

    def delete(self, record_id: str) -> bool:
        """Remove the record with `record_id`; return whether it existed."""
        for path in reversed(self._segments()):
            if _open(path).remove(Query().id == record_id):
                return True
        return False

    def scrub(self, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> None:
        """Apply `change` to every record: its result replaces the record, None deletes it.

        Only segments where something changed are rewritten, each in one write.
        """
        for path in self._segments():
            storage = AtomicJSONStorage(path)
            data = storage.read() or {}
            records = data.get(_TABLE, {})
            changed = {k: change(dict(v)) for k, v in records.items()}
            if changed != records:
                data[_TABLE] = {k: v for k, v in changed.items() if v is not None}
                storage.write(data)

    def _segments(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("[0-9]*.json"))

    def _segment_path(self, number: int) -> Path:
        return self.folder / f"{number:06d}.json"


def _open(path: Path) -> Any:
    # cache_size=0: another process may have written since; never trust a cache.
    return TinyDB(path, storage=AtomicJSONStorage).table(_TABLE, cache_size=0)
