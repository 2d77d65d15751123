"""Webhook updates a second with 1, 2 and 4 `rapport-coach serve` workers, as a ratio to 1.

Simulated users POST real Update JSON (mostly /log, every fifth /people) to
`serve --workers N` over loopback, with duplicated and late deliveries
(tests/serve/webhook_trials.py); every run also checks each user's turns
were applied once, in order, and no reply named another user's people.
RAPPORT_SEND_RATE=0 lifts the shared 30 msg/s Telegram limit, so the figure
is the workers' capacity, not Telegram's. Floor measured in the same run:
PTB's echo bot through `Application.process_update`, in one process.

Beside each rate, the CPU one update cost the workers and the driver (this
process: the simulated users and the stand-in Bot API), and the ceiling that
sets: no number of workers goes past os.cpu_count() / (CPU per update).

    python bench/scale_webhook.py [--users 200] [--updates 20] [--workers 1 2 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from scale_common import OfflineBotAPI, bench_database, load_average, ok, run_webhook_trial
from telegram import Update
from telegram.ext import Application, MessageHandler, filters


class Answers(OfflineBotAPI):
    """Answers every Bot API call at once (the echo floor's Telegram)."""

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        if endpoint == "getMe":
            return ok({"id": 1, "is_bot": True, "first_name": "B", "username": "b"})
        return ok({"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"})


async def echo_floor(count: int) -> float:
    """Updates a second through PTB's echo bot, in one process."""
    request = Answers()
    app = Application.builder().token("1:x").request(request).get_updates_request(request).build()

    async def echo(update: Update, context: Any) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    body = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1, "type": "private"},
        "from": {"id": 1, "is_bot": False, "first_name": "A"},
        "text": "hello",
    }
    async with app:
        started = time.perf_counter()
        for n in range(count):
            await app.process_update(Update.de_json({"update_id": n, "message": body}, app.bot))
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    os.environ["RAPPORT_SEND_RATE"] = "0"
    floor = asyncio.run(echo_floor(2000))
    print(f"floor: PTB echo bot through process_update, one process: {floor:,.0f} updates/s")
    rates: dict[int, float] = {}
    costs: dict[int, float] = {}
    with bench_database() as url:
        for workers in args.workers:
            report = run_webhook_trial(url, workers=workers, users=args.users, updates=args.updates)
            rates[workers] = report.per_second
            serve, driver = report.cpu_per_update()
            costs[workers] = serve + driver
            print(f"  {report.line()}  [load {load_average()}]")
            print(
                f"    CPU a update: workers {serve * 1000:.1f} ms, driver {driver * 1000:.1f} ms; "
                f"{(serve + driver) * report.per_second:.2f} cores busy with this trial"
            )
            if report.problems:
                print("  PROBLEMS: " + "; ".join(report.problems[:5]))
    base = rates[args.workers[0]]
    for workers, rate in rates.items():
        print(
            f"{workers} worker(s): {rate:.1f} updates/s = {rate / base:.2f}x {args.workers[0]} "
            f"worker(s), {rate / floor:.3f}x the echo floor"
        )
    cores = os.cpu_count() or 1
    cost = statistics.median(costs.values())
    print(
        f"ceiling on {cores} idle cores at {cost * 1000:.1f} ms CPU an update (workers + driver): "
        f"{cores / cost:.0f} updates/s, {cores / cost / base:.2f}x {args.workers[0]} worker(s)"
    )


if __name__ == "__main__":
    main()
