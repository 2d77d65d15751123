"""The one place that wires settings, storage, templates and clock into a Coach.

The dependencies point one way: bootstrap -> engine -> storage (and
scheduling -> engine, storage). The store keeps its own due index as part of
every commit, so nothing below here needs wiring back up.
"""

from __future__ import annotations

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.engine.coach import Coach
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary


def build_repository(settings: Settings) -> Repository:
    """Return the store for the settings: PostgreSQL when RAPPORT_DATABASE_URL is set,
    else TinyDB files in the data folder."""
    if settings.database_url:
        # Imported only here: the embedded default never loads psycopg.
        from bot.storage.postgres import connect

        return connect(settings.database_url)
    return TinyRepository(settings.data_dir)


def build_coach(
    settings: Settings, *, clock: Clock | None = None, channel: str | None = None
) -> Coach:
    """Return a Coach over the settings' store and prompts, answering on `channel`."""
    return Coach(
        repository=build_repository(settings),
        templates=TemplateLibrary(settings.prompts_dir),
        clock=clock or SystemClock(),
        channel=channel,
    )
