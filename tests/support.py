"""Helpers for driving the coach in tests (importable as `support`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from bot.domain.memory.phrase import Phrase
from bot.domain.memory.wording import word_detail
from bot.domain.model import FactKind
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository


def press(coach: Coach, user: str, reply: Reply, label: str) -> list[Reply]:
    """Press the button whose label contains `label` (case-insensitive) under `reply`."""
    for row in reply.buttons:
        for button in row:
            if button.ref is not None and label.lower() in button.label.lower():
                return coach.handle_press(user, button.ref)
    labels = [b.label for row in reply.buttons for b in row]
    raise AssertionError(f"no button like {label!r} in {labels}")


def text_of(replies: list[Reply]) -> str:
    """All reply texts and toasts joined, for assertions."""
    return "\n".join(part for r in replies for part in (r.text, r.toast) if part)


def forms(kind: FactKind, text: str) -> Phrase:
    """The typed phrase a detail is worded as (failing the test if it is a role or a birthday)."""
    worded = word_detail(kind, text)
    assert isinstance(worded, Phrase), worded
    return worded


def load_bench(name: str) -> ModuleType:
    """Load bench/<name>.py, so a test and its bench measure the same way."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def reopened(repository: Repository) -> Repository:
    """A new repository over the same stored data, as a restarted process would open it."""
    if isinstance(repository, TinyRepository):
        return TinyRepository(repository.data_dir)
    from bot.storage.postgres.store import PostgresRepository

    assert isinstance(repository, PostgresRepository)
    return PostgresRepository(repository.pool)
