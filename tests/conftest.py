"""Shared fixtures: a manual clock, a real repository on each store, a coach.

`repo` (and so `coach`) runs every test that uses it twice: on the embedded
TinyDB store in a temp folder and on the PostgreSQL store (see
postgres_fixtures.py). A test that inspects TinyDB files is marked
`tinydb_only` and runs on the embedded store alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.storage import tinydb_repository
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

# Every test checks that no feature changes a shared record without saving it.
tinydb_repository.CHECK_SHARED = True

pytest_plugins = ["postgres_fixtures"]

START = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday
STORES = ("tinydb", "postgres")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the PostgreSQL run of tests that are about the embedded store alone."""
    keep, drop = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        on_postgres = "postgres" in (params.get("repo"), params.get("store_factory"))
        (drop if on_postgres and item.get_closest_marker("tinydb_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=STORES)
def repo(request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock) -> Repository:
    """The same repository port on each store: embedded TinyDB, then PostgreSQL."""
    if request.param == "tinydb":
        return TinyRepository(tmp_path / "data")
    make: Callable[..., Any] = request.getfixturevalue("pg_repository_for")
    repository: Repository = make(clock)
    return repository


@pytest.fixture(scope="session")
def templates() -> TemplateLibrary:
    return TemplateLibrary()


@pytest.fixture
def coach(repo: Repository, templates: TemplateLibrary, clock: ManualClock) -> Coach:
    return Coach(repository=repo, templates=templates, clock=clock)
