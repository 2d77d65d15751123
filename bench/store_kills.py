"""200 SIGKILLs while logging meetings through the engine: corrupt, lost, half-written stores.

A child process logs notes with /log for ten users and acknowledges each
reply in a file; it is killed at a random moment, 200 times over; then every
store is opened and checked (see tests/storage/kill_logger.py). The suite runs
30 of these kills; this is the full run.

    python bench/store_kills.py [--kills 200]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import offline_app  # noqa: F401  (puts the tests' helpers on the path)
from storage.kill_logger import run_log_trials


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run_log_trials(Path(tmp) / "data", trials=args.kills)
    print(
        f"{report.kills} SIGKILLs in {report.trials} trials mid-log, "
        f"{report.acknowledged} acknowledged logs ({report.seconds:.0f} s):\n"
        f"  corrupt stores {report.corrupt}, lost acknowledged {report.lost}, "
        f"half-written {report.half_written}"
    )


if __name__ == "__main__":
    main()
