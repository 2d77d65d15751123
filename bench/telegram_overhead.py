"""Cost of the Telegram layer: an update through the real PTB Application vs the bare engine call.

Prints per-message medians for /people, /due and /help three ways, in the
same run: PTB's echo bot through process_update (the floor), the bare
Coach.handle_text, and the coach through the real Application (offline Bot API).

    python bench/telegram_overhead.py [--runs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from offline_app import NOW, Driver, coach_app, echo_floor, ms, p50

from bot.bootstrap import build_coach
from bot.config import Settings
from bot.domain.clock import ManualClock

USER = 1001
TEXTS = ["/people", "/due", "/help"]


def engine_only(data: Path, runs: int) -> float:
    coach = build_coach(Settings(data_dir=data), clock=ManualClock(NOW), channel="telegram")
    samples = []
    for n in range(runs):
        start = time.perf_counter()
        coach.handle_text(str(USER), TEXTS[n % 3])
        samples.append(time.perf_counter() - start)
    return p50(samples)


async def through_telegram(data: Path, runs: int) -> float:
    app, api = coach_app(data)
    async with app:
        driver = Driver(app, api)
        return p50(
            [await driver.timed(driver.text_update(USER, TEXTS[n % 3])) for n in range(runs)]
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    echo = p50(asyncio.run(echo_floor(runs)))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        coach = build_coach(Settings(data_dir=data), clock=ManualClock(NOW), channel="telegram")
        coach.handle_text(str(USER), "/log Coffee with Maria Lopez from Acme")
        engine_only(data, 30)  # warm up
        base = engine_only(data, runs)
        tg = asyncio.run(through_telegram(data, runs))
    print(f"PTB echo bot       {ms(echo)} ms/update (the floor)")
    print(f"engine only        {ms(base)} ms/message")
    extra = ms(tg - echo).strip()
    print(
        f"through PTB app    {ms(tg)} ms/message ({tg / base:.2f}x the engine, echo + {extra} ms)"
    )


if __name__ == "__main__":
    main()
