"""SIGKILL during delivery, 50 times, then restart: no reminder lost; duplicates reported."""

from __future__ import annotations

from pathlib import Path

from kill_worker import open_statuses, run_trials


def test_killed_deliveries_lose_nothing(tmp_path: Path) -> None:
    report = run_trials(tmp_path / "data", trials=50)
    print(
        f"\nkill test: {report.kills} kills in {report.trials} trials, "
        f"{report.reminders} reminders ({report.sent_before_final_run} sent by killed runs), "
        f"lost {report.lost}, duplicates {report.duplicates} "
        f"({report.seconds:.1f} s)"
    )
    assert report.kills >= 40
    # The kills landed while there was still work: the final run had something left to do.
    assert 0 < report.sent_before_final_run < report.reminders
    assert report.lost == 0
    # Each kill can repeat at most the messages in flight at that moment.
    assert report.duplicates <= report.kills
    assert open_statuses(tmp_path / "data") == {"delivered": report.reminders}
