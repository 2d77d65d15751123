"""SIGKILL mid-log, again and again: no store corrupt, no acknowledged log lost, none half-written.

The full 200-kill run is `python bench/store_kills.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from storage.kill_logger import run_log_trials

pytestmark = pytest.mark.slow


def test_killed_logs_leave_every_store_whole(tmp_path: Path) -> None:
    report = run_log_trials(tmp_path / "data", trials=30)
    print(f"\nlog kill test: {report}")
    assert report.kills >= 20
    assert report.acknowledged > report.kills  # the kills landed while logging
    assert (report.corrupt, report.lost, report.half_written) == (0, 0, 0)
