"""SIGKILL during delivery, then restart: nothing lost, and every repeat says it may be one.

Short runs for the suite; `python bench/reminders_kills.py` runs the full ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scheduling.kill_worker import open_statuses, run_overlapping, run_trials

pytestmark = pytest.mark.slow


def test_killed_deliveries_lose_nothing_and_flag_every_repeat(tmp_path: Path) -> None:
    report = run_trials(tmp_path / "data", trials=30, users=1500, max_delay=0.03)
    print(f"\nkill test (file): {report}")
    assert report.kills >= 20
    # The kills landed while there was still work: the final run had something left to do.
    assert 0 < report.sent_before_final_run < report.reminders
    assert report.lost == 0
    assert report.unflagged_duplicates == 0
    assert report.duplicates <= 8 * report.kills  # at most the messages in flight at each kill
    assert open_statuses(tmp_path / "data") == {"delivered": report.reminders}


def test_telegram_answering_in_30_ms_loses_nothing_and_flags_every_repeat(tmp_path: Path) -> None:
    report = run_trials(
        tmp_path / "data", trials=20, users=150, transport="telegram30", max_delay=0.1
    )
    print(f"\nkill test (telegram, 30 ms answers): {report}")
    assert report.kills >= 15
    assert report.lost == 0
    assert report.duplicates > 0  # kills during the 30 ms did land: the test tests something
    assert report.unflagged_duplicates == 0
    assert open_statuses(tmp_path / "data") == {"delivered": report.reminders}


def test_two_bots_and_two_chats_on_one_folder_send_nothing_twice(tmp_path: Path) -> None:
    report = run_overlapping(tmp_path / "data", rounds=2, users=100)
    print(f"\noverlap test: {report}")
    assert report.lost == 0
    assert report.duplicates == 0
