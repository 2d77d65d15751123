"""Kept for callers written before the store kept its own due index: use bootstrap instead."""

from __future__ import annotations

from pathlib import Path

from bot.storage.tinydb_repository import TinyRepository


def open_repository(data_dir: Path) -> TinyRepository:
    """Return the store for `data_dir` (every TinyRepository keeps the due index now)."""
    return TinyRepository(Path(data_dir))
