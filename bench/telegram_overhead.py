"""Cost of the Telegram layer: an update through the real PTB Application vs the bare engine call.

Prints per-message times and their ratio (baseline: Coach.handle_text in the same run).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# The offline Telegram fakes live with the channel tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "channels" / "telegram"))
from telegram_fakes import ALICE, FakeTelegram

from bot.bootstrap import build_coach
from bot.config import Settings
from bot.domain.clock import ManualClock

N = 300
TEXTS = ["/people", "/due", "/help"]


def engine_baseline(data: Path) -> float:
    coach = build_coach(
        Settings(data_dir=data), clock=ManualClock(datetime(2026, 11, 27, 10, tzinfo=UTC))
    )
    start = time.perf_counter()
    for i in range(N):
        coach.handle_text(str(ALICE["id"]), TEXTS[i % 3])
    return (time.perf_counter() - start) / N


async def through_telegram(data: Path) -> float:
    fake = FakeTelegram(data, ManualClock(datetime(2026, 11, 27, 10, tzinfo=UTC)))
    # The rate limiter would pace 30 msg/s by design; measure the layer, not the limiter.
    fake.app.bot._rate_limiter = None
    async with fake.app:
        start = time.perf_counter()
        for i in range(N):
            await fake.text(ALICE, TEXTS[i % 3])
        return (time.perf_counter() - start) / N


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        engine_baseline(data)  # warm up: create the user's files
        base = engine_baseline(data)
        tg = asyncio.run(through_telegram(data))
    print(f"engine only      {base * 1000:7.2f} ms/message (baseline 1.00x)")
    print(f"through PTB app  {tg * 1000:7.2f} ms/message ({tg / base:.2f}x)")


if __name__ == "__main__":
    main()
