"""The store under test: every contract test runs once per store implementation.

`store_factory` returns a function that opens the store afresh each call
(as another process would), over the same data. The PostgreSQL store adds
its parameter here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository

StoreFactory = Callable[[], Repository]


@pytest.fixture(params=["tinydb", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    if request.param == "tinydb":
        return lambda: TinyRepository(tmp_path / "data")
    # Each call a new repository (as another worker process would open) over one database.
    make: Callable[[], Repository] = request.getfixturevalue("pg_repository_for")
    return make


@pytest.fixture
def store(store_factory: StoreFactory) -> Repository:
    return store_factory()
