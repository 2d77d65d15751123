"""The one place that wires settings, storage, templates and clock into a Coach."""

from __future__ import annotations

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.engine.coach import Coach
from bot.scheduling.indexed_repository import open_repository
from bot.storage.repository import Repository
from bot.templates import TemplateLibrary


def build_coach(settings: Settings, *, clock: Clock | None = None) -> Coach:
    """Return a Coach over the settings' store (data folder, or PostgreSQL) and prompts."""
    clock = clock or SystemClock()
    return Coach(
        repository=open_store(settings, clock),
        templates=TemplateLibrary(settings.prompts_dir),
        clock=clock,
    )


def open_store(settings: Settings, clock: Clock) -> Repository:
    """PostgreSQL when RAPPORT_DATABASE_URL is set, else the TinyDB data folder."""
    if settings.database_url:
        # Imported only here: the embedded default never loads psycopg.
        from bot.storage.postgres import connect

        return connect(settings.database_url, clock=clock)
    # Indexed: every reminder write keeps the delivery schedule's due index honest.
    return open_repository(settings.data_dir)
