"""Worker processes over one database, killed at random (short versions of bench/scale_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from delivery_trials import run_burst
from webhook_trials import run_webhook_trial

pytestmark = pytest.mark.slow


def test_three_delivery_workers_killed_ten_times_lose_nothing(pg_url: str, tmp_path: Path) -> None:
    report = run_burst(
        pg_url,
        tmp_path,
        users=1500,
        workers=3,
        kills=10,
        kill_gap=(0.05, 0.25),
        lease=1.0,
        answer_delay=0.01,
    )
    print("\n" + report.line())
    assert report.kills == 10
    assert report.lost == 0
    assert report.not_delivered_in_db == 0
    # A duplicate needs a kill between Telegram's answer and the confirmation: each one
    # is flagged to the user, and only attempts of killed workers are ever uncertain.
    assert report.unflagged_repeats == 0
    assert report.duplicates <= report.uncertain_attempts
    assert report.uncertain_by_survivors == 0


def test_three_webhook_workers_apply_each_update_once_in_order(pg_url: str) -> None:
    report = run_webhook_trial(pg_url, workers=3, users=20, updates=10)
    print("\n" + report.line())
    assert report.duplicates_sent > 0
    assert report.problems == []
    assert report.lost == 0
    assert report.applied_twice == 0
    assert report.out_of_order == 0
    assert report.applied_in_order == report.users
    assert report.cross_user_replies == 0
