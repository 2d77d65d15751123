"""Shared fixtures: a manual clock, a real TinyDB repository in a temp folder, a coach."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.storage import tinydb_repository
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

# Every test checks that no feature changes a shared record without saving it.
tinydb_repository.CHECK_SHARED = True

START = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def repo(tmp_path: Path) -> TinyRepository:
    return TinyRepository(tmp_path / "data")


@pytest.fixture(scope="session")
def templates() -> TemplateLibrary:
    return TemplateLibrary()


@pytest.fixture
def coach(repo: TinyRepository, templates: TemplateLibrary, clock: ManualClock) -> Coach:
    return Coach(repository=repo, templates=templates, clock=clock)
