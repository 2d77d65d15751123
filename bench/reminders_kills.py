"""Delivery under SIGKILL and with several processes on one folder: lost, repeated, flagged.

1. File transport: 200 deliverers killed at random moments, then a final run.
2. The real TelegramSender whose Bot API takes 30 ms to answer (the network
   return path): 100 kills, most landing while an answer is on its way.
3. Two bots and two terminal chats for `me`, all at once on one folder.

Each repeat must say it may be one ("In case this already reached you…");
nothing may be lost. The suite runs short versions (tests/scheduling/test_reminder_kills.py).

    python bench/reminders_kills.py [--kills 200]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import offline_app  # noqa: F401  (puts the tests' helpers on the path)
from scheduling.kill_worker import KillReport, run_overlapping, run_trials


def show(title: str, report: KillReport) -> None:
    print(
        f"{title}: {report.kills} kills, {report.reminders:,} reminders, lost {report.lost}, "
        f"repeated {report.duplicates} ({report.unflagged_duplicates} not flagged), "
        f"{report.seconds:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        show(
            "file transport",
            run_trials(Path(tmp) / "a", trials=args.kills, users=5000, max_delay=0.03),
        )
        show(
            "Telegram, 30 ms answers",
            run_trials(
                Path(tmp) / "b", trials=args.kills // 2, users=600, transport="telegram30",
                max_delay=0.1,
            ),
        )  # fmt: skip
        show("two bots + two chats", run_overlapping(Path(tmp) / "c", rounds=5, users=200))


if __name__ == "__main__":
    main()
