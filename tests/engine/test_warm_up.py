"""Warming the engine up at a server's start reads a note but stores nothing for anyone."""

from __future__ import annotations

from pathlib import Path

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary


def test_warm_up_writes_nothing(
    tmp_path: Path, templates: TemplateLibrary, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    repo = TinyRepository(data)
    coach = Coach(repository=repo, templates=templates, clock=clock)
    coach.warm_up()
    assert list(repo.user_ids()) == []
    assert not (data / "users").exists() or not any((data / "users").iterdir())
