"""The morning digest over Telegram: sent by the application at local time, its buttons
work, what was done leaves /due, and a restart the same day sends no second digest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from channels.telegram.telegram_fakes import ALICE, FakeTelegram, Sent, check_telegram_rules

from bot.domain.clock import ManualClock

NINE = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # Saturday 09:00 in Berlin


async def wait_for(fake: FakeTelegram, before: int, until: int) -> list[Sent]:
    """What the running delivery sent since call `before` (waiting for `until` messages)."""
    for _ in range(300):
        if len(fake.calls_since("sendMessage")[before:]) >= until:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # anything more would have gone out by now
    sent = [Sent.of(c) for c in fake.calls_since("sendMessage")[before:]]
    for message in sent:
        check_telegram_rules(message)
    return sent


async def test_the_digest_arrives_once_and_what_is_done_leaves_due(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    fake = FakeTelegram(data, clock)
    async with fake.app:
        await fake.text(ALICE, "/settings timezone Berlin")
        await fake.text(ALICE, "/log Coffee with Maria Lopez")
        await fake.text(ALICE, "/log Lunch with Tom Baker. He introduced me to his CTO.")
        clock.set(NINE)
        before = len(fake.calls_since("sendMessage"))
        async with fake.delivering():
            (digest,) = await wait_for(fake, before, 1)
            assert "things for today" in digest.text
            assert "Thank <b>Tom Baker</b>" in digest.text
            assert "Follow up with <b>Maria Lopez</b>" in digest.text
            first = digest.text.split("1. ", 1)[1].split("\n", 1)[0]  # the line to mark done
            await fake.press(ALICE, digest, "Done #1")
            (due,) = await fake.text(ALICE, "/due")
    name = "Tom Baker" if "Tom Baker" in first else "Maria Lopez"
    other = "Maria Lopez" if name == "Tom Baker" else "Tom Baker"
    assert name not in due.text
    assert other in due.text
    # A restart the same afternoon: the same data folder, a new application.
    clock.set(NINE.replace(hour=13))
    again = FakeTelegram(data, clock)
    async with again.app:
        assert again.app.post_init is not None
        assert again.app.post_shutdown is not None
        await again.app.post_init(again.app)
        try:
            sent = await wait_for(again, 0, 1)
        finally:
            await again.app.post_shutdown(again.app)
    assert [s.text for s in sent if "things for today" in s.text] == []
    assert not fake.errors
    assert not again.errors
