"""Delivery through the real service, APScheduler job and TinyDB stores (clock injected)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from reminder_harness import Recorder, indexed_coach, log_note, service
from support import reopened, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import ReminderStatus
from bot.engine.coach import Coach
from bot.scheduling.service import DELIVER_JOB
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

MORNING = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest.fixture
def rcoach(repo: Repository, clock: ManualClock, templates: TemplateLibrary) -> Coach:
    # On each store (tests/conftest.py); a test reading the index files is tinydb_only.
    return Coach(repository=repo, templates=templates, clock=clock)


def berlin_user(coach: Coach, user: str, *notes: str) -> None:
    coach.handle_text(user, "/settings timezone Berlin")
    # Pings only; the digests have their own tests (tests/engine/insight).
    coach.handle_text(user, "/settings digest off")
    coach.handle_text(user, "/settings weekly off")
    for note in notes:
        log_note(coach, user, note)


def statuses(coach: Coach, user: str) -> list[ReminderStatus]:
    with coach.repository.session(user) as store:
        return sorted(r.status for r in store.reminders())


async def until(condition: object, timeout: float = 5.0) -> None:
    """Let the APScheduler job run until `condition()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for delivery"
        await asyncio.sleep(0.01)


async def test_several_due_reminders_arrive_as_one_message_with_buttons_for_each(
    rcoach: Coach, clock: ManualClock
) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez", "Lunch with Tom Baker")
    rcoach.handle_text("1", "/remind Maria tomorrow to send the deck")
    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    clock.set(MORNING + timedelta(minutes=1))
    await svc.run_due()
    await svc.stop()

    (ping,) = sender.replies("1")
    assert "1. " in ping.text
    assert "3. " in ping.text
    labels = [b.label for row in ping.buttons for b in row]
    assert {"✅ Done #1", "✅ Done #2", "✅ Done #3"} <= set(labels)
    assert "🍃 Let it drift #3" in labels


async def test_quiet_hours_hold_a_reminder_until_morning(rcoach: Coach, clock: ManualClock) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    clock.set(datetime(2026, 11, 27, 21, 0, tzinfo=UTC))  # 22:00 Berlin
    rcoach.handle_text("1", "/remind Maria in 1 hour to call")
    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    assert svc.next_wake == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    clock.set(datetime(2026, 11, 28, 6, 59, tzinfo=UTC))
    await svc.run_due()
    assert sender.sent == []
    clock.set(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    await svc.run_due()
    await svc.stop()
    assert "call" in text_of(sender.replies("1"))


async def test_dst_change_moves_the_end_of_quiet_hours_with_the_clocks(
    rcoach: Coach, clock: ManualClock
) -> None:
    rcoach.handle_text("1", "/settings timezone America/New_York")
    log_note(rcoach, "1", "Call with Maria Lopez")
    clock.set(datetime(2026, 10, 31, 23, 0, tzinfo=UTC))  # Sat 19:00 EDT
    rcoach.handle_text("1", "/remind Maria in 3 hours to wish luck")  # 22:00 EDT: quiet
    svc = service(rcoach, Recorder())
    await svc.start()
    await svc.stop()
    # Clocks go back at 02:00 on Sunday 1 Nov: 08:00 is EST, UTC-5.
    assert svc.next_wake == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


async def test_restarts_deliver_what_fell_due_while_down_exactly_once(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    data = tmp_path / "data"
    users = [str(1000 + i) for i in range(6)]
    for user in users:
        berlin_user(indexed_coach(data, clock, templates), user, "Coffee with Maria Lopez")
    clock.set(MORNING + timedelta(days=3))  # the bot was down when they fell due
    sender = Recorder()
    for _ in range(4):  # start, let the APScheduler job fire, stop; again and again
        coach = indexed_coach(data, clock, templates)
        svc = service(coach, sender)
        await svc.start()
        await until(lambda: len(sender.sent) >= len(users))
        await asyncio.sleep(0.05)
        await svc.stop()
    assert sorted(u for u, _ in sender.sent) == users
    with coach.repository.session(users[0]) as store:
        delivered = store.reminders([ReminderStatus.DELIVERED])
    assert len(delivered) == 1


async def test_a_crash_after_claiming_sends_the_claimed_reminder_on_next_start(
    rcoach: Coach, clock: ManualClock
) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    with rcoach.repository.session("1") as store:
        # What a kill right after the claim's fsync leaves behind.
        claimed = [
            replace(r, status=ReminderStatus.SENDING, attempts=1)
            for r in store.reminders()
            if r.kind.value == "follow-up"
        ]
        store.save_reminders(claimed)
    clock.set(MORNING)
    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    await until(lambda: len(sender.sent) == 1)
    await svc.stop()
    assert statuses(rcoach, "1") == [ReminderStatus.DELIVERED, ReminderStatus.PENDING]


@pytest.mark.tinydb_only
async def test_a_lost_index_is_rebuilt_from_the_stores(
    rcoach: Coach, clock: ManualClock, tmp_path: Path
) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    for shard in (tmp_path / "data" / "schedule").iterdir():
        if shard.is_dir():
            for file in shard.iterdir():
                file.unlink()
        else:
            shard.unlink()
    svc = service(rcoach, Recorder())
    await svc.start()
    await svc.stop()
    assert svc.next_wake == MORNING


@pytest.mark.tinydb_only
async def test_the_index_is_lowered_before_a_write_and_raised_after_delivery(
    rcoach: Coach, clock: ManualClock, tmp_path: Path
) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    index = TinyRepository(tmp_path / "data").index
    assert index.get("1") == MORNING
    rcoach.handle_text("1", "/remind Maria today to say hi")
    assert index.get("1") == clock.now()
    svc = service(rcoach, Recorder())
    await svc.start()
    await svc.run_due()
    await svc.stop()
    assert index.get("1") == MORNING


async def test_the_delivery_job_never_skips_a_late_run(rcoach: Coach, clock: ManualClock) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    svc = service(rcoach, Recorder())
    await svc.start()
    job = svc._scheduler.get_job(DELIVER_JOB)  # type: ignore[union-attr]
    assert job.misfire_grace_time is None
    assert job.max_instances == 1
    await svc.stop()


async def test_writes_from_another_process_are_picked_up(
    rcoach: Coach, clock: ManualClock, templates: TemplateLibrary, tmp_path: Path
) -> None:
    berlin_user(rcoach, "1", "Coffee with Maria Lopez")
    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    # Its own repository (and index) object, as another process would have.
    other_process = Coach(repository=reopened(rcoach.repository), templates=templates, clock=clock)
    other_process.handle_text("1", "/remind Maria today to say hi")
    await svc._poll()
    assert svc.next_wake == clock.now()
    await until(lambda: len(sender.sent) == 1)
    await svc.stop()


async def test_a_terminal_chat_serves_only_its_own_user(rcoach: Coach, clock: ManualClock) -> None:
    rcoach.channel = "terminal"
    berlin_user(rcoach, "ann", "Coffee with Maria Lopez")
    berlin_user(rcoach, "ben", "Coffee with Tom Baker")
    sender = Recorder()
    svc = service(rcoach, sender, only_user="ben")
    await svc.start()
    clock.set(MORNING)
    await svc.run_due()
    await svc.stop()
    assert [u for u, _ in sender.sent] == ["ben"]
    assert ReminderStatus.DELIVERED not in statuses(rcoach, "ann")
