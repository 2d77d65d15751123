"""The one place that wires settings, storage, templates and clock into a Coach."""

from __future__ import annotations

from bot.config import Settings
from bot.domain.clock import Clock, SystemClock
from bot.engine.coach import Coach
from bot.scheduling.indexed_repository import open_repository
from bot.templates import TemplateLibrary


def build_coach(settings: Settings, *, clock: Clock | None = None) -> Coach:
    """Return a Coach over the settings' data folder and prompts."""
    return Coach(
        # Indexed: every reminder write keeps the delivery schedule's due index honest.
        repository=open_repository(settings.data_dir),
        templates=TemplateLibrary(settings.prompts_dir),
        clock=clock or SystemClock(),
    )
