"""Reminders that fell due while the bot was down wait for the end of quiet hours.

Quoted: after a day of downtime, start-up sent yesterday's reminders at
23:00 in the user's zone. Whatever is overdue goes out, batched, when their
quiet hours end: through the service on each store, the terminal chat and
the Telegram application, and the PostgreSQL workers.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from channels.telegram.telegram_fakes import ALICE, FakeTelegram
from reminder_harness import Recorder, log_note, service

from bot.channels import console
from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.serve.deliver import PostgresDelivery
from bot.storage.repository import Repository
from bot.templates import TemplateLibrary

LATE_EVENING = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)  # Sat 23:00 in Berlin
QUIET_ENDS = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # Sun 08:00 in Berlin


def overdue_at_night(coach: Coach, clock: ManualClock, user: str) -> None:
    """Two reminders due Saturday morning (a follow-up, a /remind); the bot is back at 23:00."""
    coach.handle_text(user, "/settings timezone Berlin")
    coach.handle_text(user, "/settings digest off")
    coach.handle_text(user, "/settings weekly off")
    log_note(coach, user, "Coffee with Maria Lopez")
    coach.handle_text(user, "/remind Maria tomorrow at 10:00 to send the deck")
    clock.set(LATE_EVENING)


async def test_the_service_holds_overdue_reminders_until_quiet_hours_end(
    repo: Repository, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = Coach(repository=repo, templates=templates, clock=clock)
    overdue_at_night(coach, clock, "1")
    sender = Recorder()
    svc = service(coach, sender)
    await svc.start()
    try:
        await svc.run_due()
        assert sender.sent == []
        # Armed for the morning, not spinning on a time already past.
        assert svc.next_wake == QUIET_ENDS
        clock.set(QUIET_ENDS - timedelta(minutes=1))
        await svc.run_due()
        assert sender.sent == []
        clock.set(QUIET_ENDS)
        await svc.run_due()
    finally:
        await svc.stop()
    (ping,) = sender.replies("1")  # both in one message
    assert "Follow up with <b>Maria Lopez</b>" in ping.text
    assert "send the deck" in ping.text


def test_the_terminal_chat_started_at_night_shows_nothing_until_morning(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    from bot.storage.tinydb_repository import TinyRepository

    coach = Coach(repository=TinyRepository(tmp_path / "data"), templates=templates, clock=clock)
    coach.channel = "terminal"
    overdue_at_night(coach, clock, "me")
    out = io.StringIO()
    console.main(coach, "me", io.StringIO("/reminders\n"), out)
    # Not sent; listed as coming when quiet hours end, not "today 09:00" (already past).
    assert "Waiting for you" not in out.getvalue()
    assert "tomorrow 08:00: Follow up with Maria Lopez" in out.getvalue()
    clock.set(QUIET_ENDS)
    out = io.StringIO()
    console.main(coach, "me", io.StringIO(""), out)
    assert out.getvalue().count("Follow up with Maria Lopez") == 1
    assert "send the deck" in out.getvalue()


async def test_the_telegram_application_started_at_night_sends_nothing(
    tmp_path: Path, clock: ManualClock
) -> None:
    fake = FakeTelegram(tmp_path / "data", clock)
    async with fake.app:
        await fake.text(ALICE, "/settings timezone Berlin")
        await fake.text(ALICE, "/settings digest off")
        await fake.text(ALICE, "/log Coffee with Maria Lopez")
        clock.set(LATE_EVENING)
        before = len(fake.calls_since("sendMessage"))
        async with fake.delivering():
            await asyncio.sleep(0.5)  # time enough for a start-up delivery to go out
            assert fake.calls_since("sendMessage")[before:] == []
    assert not fake.errors


async def test_a_postgresql_worker_takes_an_overdue_user_once_a_night(
    pg_repository_for: Any, clock: ManualClock, templates: TemplateLibrary
) -> None:
    """The due row says the morning: the worker does not take the user again all night."""
    repository = pg_repository_for(clock)
    coach = Coach(repository=repository, templates=templates, clock=clock)
    overdue_at_night(coach, clock, "20000000")
    sender = Recorder()
    worker = PostgresDelivery(coach=coach, repository=repository, send=sender)
    await worker.run_once()
    assert sender.sent == []
    assert await worker.run_once() == 0  # held until quiet hours end, not taken again
    clock.set(QUIET_ENDS)
    await worker.run_once()
    (ping,) = sender.replies("20000000")
    assert "send the deck" in ping.text
