"""Reminder delivery from PostgreSQL with N worker processes: lateness, kills, the shared rate.

A burst of reminders all due at one instant (one per user), delivered by
worker processes running the real PostgresDelivery, PTB's ExtBot and the
real TelegramSender; only the Bot API server is stood in for (an outbox
file, tests/serve/delivery_worker.py). Reported, each as medians of --runs:

  - unthrottled lateness p50 / p99 (sent - due), and messages a second;
  - the same with a random worker SIGKILLed and restarted --kills times (answer
    delay 30 ms, as from Telegram): lost, duplicates, every repeat flagged;
  - with the shared 30 msg/s limit, the same burst: lateness against the due
    time (10,000 at 30 a second take 333 s, so p99 is about 330 s whatever the
    deliverer does), and lateness behind the limit's own schedule (the k-th
    send against due + k/30 s: the deliverer's own delay), and the rate reached;
  - the workers' CPU per message, and what it implies on this machine: sending
    N messages needs N x that CPU, spread over os.cpu_count() cores at best.

Floor measured in the same run: the same pipeline with 100 reminders.

    python bench/scale_delivery.py [--reminders 10000] [--workers 3] [--runs 3]
                                   [--throttled 10000] [--kills 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from scale_common import Report, bench_database, load_average, run_burst


def median_of(reports: list[Report], field: str) -> float:
    return float(statistics.median(getattr(r, field) for r in reports))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs in the kill run (0: skip)")
    parser.add_argument(
        "--throttled", type=int, default=10_000, help="reminders at 30 msg/s (0: skip)"
    )
    args = parser.parse_args()
    with bench_database() as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = [run_burst(url, folder, users=100, workers=args.workers) for _ in range(args.runs)]
        print(f"load average {load_average()}")
        print(
            f"floor, 100 reminders: p50 {median_of(floor, 'p50'):.3f} s, "
            f"p99 {median_of(floor, 'p99'):.3f} s"
        )
        burst = [
            run_burst(url, folder, users=args.reminders, workers=args.workers)
            for _ in range(args.runs)
        ]
        for report in burst:
            print("  " + report.line())
            print("    " + report.server_line())
        p50, p99 = median_of(burst, "p50"), median_of(burst, "p99")
        rate = statistics.median(r.sent / r.seconds for r in burst)
        print(
            f"unthrottled, {args.reminders:,} due at once, {args.workers} workers: "
            f"p50 {p50:.2f} s ({p50 / max(median_of(floor, 'p50'), 1e-3):.0f}x floor), "
            f"p99 {p99:.2f} s ({p99 / max(median_of(floor, 'p99'), 1e-3):.0f}x floor), "
            f"{rate:,.0f} msg/s  [load {load_average()}]"
        )
        cpu = median_of(burst, "cpu_per_message")
        cores = os.cpu_count() or 1
        print(
            f"worker CPU {cpu * 1000:.2f} ms a message (floor run "
            f"{median_of(floor, 'cpu_per_message') * 1000:.2f} ms): {args.reminders:,} messages "
            f"need {cpu * args.reminders:.1f} CPU s, at least {cpu * args.reminders / cores:.1f} s "
            f"on {cores} idle cores; p99 <= 5 s needs <= {5 * cores / args.reminders * 1000:.2f} "
            f"ms a message"
        )
        server = median_of(burst, "server_cpu_per_message")
        print(
            f"PostgreSQL CPU {server * 1000:.2f} ms a message; workers and server together "
            f"{(cpu + server) * 1000:.2f} ms"
        )
        if args.kills > 0:
            show_kills(url, folder, args, p99)
        if args.throttled:
            show_throttled(url, folder, args)


def show_kills(url: str, folder: Path, args: argparse.Namespace, p99: float) -> None:
    """The burst again, a random worker SIGKILLed and restarted --kills times."""
    # Spread the kills over the sending, so they land between sends and their
    # confirmations rather than all in the first claim, and all of them land before
    # the burst is out: a fixed gap of 1-3 s let only 6 of 10 land on a quiet machine.
    gap = p99 / args.kills
    killed = run_burst(
        url,
        folder,
        users=args.reminders,
        workers=args.workers,
        kills=args.kills,
        kill_gap=(0.5 * gap, 1.5 * gap),
        answer_delay=0.03,
        lease=2.0,
    )
    print(
        f"with {killed.kills} of {args.kills} SIGKILLs landed: lost {killed.lost}, "
        f"duplicates {killed.duplicates} (unflagged {killed.unflagged_repeats}), "
        f"uncertain attempts {killed.uncertain_attempts} "
        f"(by surviving workers {killed.uncertain_by_survivors}), "
        f"p50 {killed.p50:.2f} s, p99 {killed.p99:.2f} s"
    )


def show_throttled(url: str, folder: Path, args: argparse.Namespace) -> None:
    """The burst with the shared 30 msg/s limit."""
    limited = run_burst(
        url, folder, users=args.throttled, workers=args.workers, rate=30.0, limit=3600
    )
    print(
        f"shared 30 msg/s limit, {args.throttled:,} due at once: lost {limited.lost}, "
        f"duplicates {limited.duplicates}; lateness after the due time p50 "
        f"{limited.p50:.1f} s, p99 {limited.p99:.1f} s (the limit alone: "
        f"{args.throttled / 2 / 30:.1f} s, {args.throttled * 0.99 / 30:.1f} s); behind the "
        f"limit's schedule p50 {limited.behind_p50:.2f} s, p99 {limited.behind_p99:.2f} s; "
        f"{limited.sent / limited.seconds:.1f} msg/s for all {args.workers} workers "
        f"together  [load {load_average()}]"
    )


if __name__ == "__main__":
    main()
