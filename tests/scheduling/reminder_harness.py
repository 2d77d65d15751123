"""Helpers for reminder tests: a coach over a fresh store, a scripted sender, a service by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.clock import Clock
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import ReminderService
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary


def indexed_coach(data_dir: Path, clock: Clock, templates: TemplateLibrary) -> Coach:
    # Its own repository object, as another process would have.
    return Coach(repository=TinyRepository(data_dir), templates=templates, clock=clock)


@dataclass
class Recorder:
    """A sender that records every message and answers from a script (then Delivered)."""

    script: list[Outcome] = field(default_factory=list)
    sent: list[tuple[str, Reply]] = field(default_factory=list)
    attempts: int = 0

    async def __call__(self, user_id: str, reply: Reply) -> Outcome:
        self.attempts += 1
        outcome = self.script.pop(0) if self.script else Delivered()
        if isinstance(outcome, Delivered):
            self.sent.append((user_id, reply))
        return outcome

    def texts(self, user_id: str | None = None) -> list[str]:
        return [r.text for u, r in self.sent if user_id in (None, u)]

    def replies(self, user_id: str) -> list[Reply]:
        return [r for u, r in self.sent if u == user_id]


def service(coach: Coach, sender: Recorder, **options: object) -> ReminderService:
    return ReminderService(coach=coach, send=sender, max_per_second=None, **options)  # type: ignore[arg-type]


def log_note(coach: Coach, user: str, note: str) -> list[Reply]:
    """Log a note through /log (which saves at once)."""
    return coach.handle_text(user, f"/log {note}")
