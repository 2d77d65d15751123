"""The whole path over Telegram: post_init starts delivery, a ping arrives, its button works."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from channels.telegram.telegram_fakes import ALICE, FakeTelegram, Sent, check_telegram_rules

from bot.domain.clock import ManualClock


async def test_a_ping_is_sent_by_the_application_and_its_done_button_works(
    tmp_path: Path, clock: ManualClock
) -> None:
    fake = FakeTelegram(tmp_path / "data", clock)
    async with fake.app:
        await fake.text(ALICE, "/settings timezone Berlin")
        await fake.text(ALICE, "/log Coffee with Maria Lopez")
        clock.set(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))  # 09:00 in Berlin
        before = len(fake.calls_since("sendMessage"))
        async with fake.delivering():
            for _ in range(500):
                pings = fake.calls_since("sendMessage")[before:]
                if pings:
                    break
                await asyncio.sleep(0.01)
            (call,) = pings
            ping = Sent(
                int(call.params["chat_id"]),
                str(call.params["text"]),
                call.params["reply_markup"]["inline_keyboard"],
                call.params,
            )
            check_telegram_rules(ping)
            assert ping.chat_id == ALICE["id"]
            assert "Follow up with <b>Maria Lopez</b>" in ping.text
            # The ping is edited in place to say what was done, its buttons gone.
            done = await fake.tap(ALICE, ping, "Done")
            assert "✅ Done" in done.text
            assert done.keyboard == []
    assert not fake.errors
