"""`rapport-coach migrate` of a 1,000-user TinyDB folder into PostgreSQL: time, and identical after.

The folder is made as in tests/serve/test_migrate.py: a dozen users written
by the engine itself (history, reminders, a /log flow left half-way under
signed buttons, a stored button payload), copied through the port to 1,000
users. Then `migrate_users` (the command's body) copies it, and the bench
checks what the command promises: every user's export, conversation state
and stored buttons identical on both stores, the signing key moved, and a
button shown before the move answering the same after it.

Floor measured in the same run: one atomic small write (any saved turn's cost).

    python bench/scale_migrate.py [--users 1000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from offline_app import write_floor
from scale_common import ROOT, bench_database, load_average

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.serve.migrate import kept_state, migrate_users
from bot.storage.postgres import connect
from bot.templates import TemplateLibrary

assert (ROOT / "tests" / "serve" / "test_migrate.py").exists()
from serve.test_migrate import exports, fill_mid_flow, replicate  # noqa: E402

TEMPLATES = 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    floor = statistics.median(write_floor(200))
    print(f"floor: one atomic small write {floor * 1000:.2f} ms  [load {load_average()}]")
    with bench_database() as url, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        source, shown = fill_mid_flow(Path(tmp) / "data", TEMPLATES, clock)
        for n in range(TEMPLATES, args.users):
            replicate(source, str(5000 + n % TEMPLATES), str(5000 + n))
        source.flush()
        print(f"folder of {args.users:,} users made in {time.perf_counter() - started:.1f} s")
        target = connect(url)
        started = time.perf_counter()
        report = migrate_users(source, target)
        seconds = time.perf_counter() - started
        for line in report.lines():
            print("  " + line)
        per_user = seconds / max(report.users, 1)
        print(
            f"migrate: {seconds:.1f} s, {per_user * 1000:.1f} ms a user "
            f"({per_user / floor:.0f}x the write floor)  [load {load_average()}]"
        )
        started = time.perf_counter()
        same_exports = exports(target) == exports(source)
        users = sorted(source.user_ids())
        same_state = all(kept_state(target, u) == kept_state(source, u) for u in users)
        same_key = target.secret() == source.secret()
        after = Coach(repository=target, templates=TemplateLibrary(), clock=clock)
        before = Coach(repository=source, templates=TemplateLibrary(), clock=clock)
        presses = sum(
            [r.text for r in after.handle_press(u, b[0].ref or "")]
            == [r.text for r in before.handle_press(u, b[0].ref or "")]
            for u, b in shown.items()
        )
        print(
            f"identical after: exports {same_exports}, state and stored buttons {same_state}, "
            f"signing key {same_key}, old buttons answering the same {presses}/{len(shown)} "
            f"(checked in {time.perf_counter() - started:.1f} s)"
        )
        target.close()


if __name__ == "__main__":
    main()
