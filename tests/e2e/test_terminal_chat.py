"""`rapport-coach chat` as a user runs it: a subprocess fed by a pipe."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = (
    "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.\n"
    "/people\n/suggest Maria\n/due\n"
)


def chat(
    data_dir: Path, stdin: str, *extra: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--data-dir", str(data_dir), *extra],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "RAPPORT_DATA_DIR": "/nonexistent-should-be-overridden"},
    )


def test_scripted_session_remembers_across_runs(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    first = chat(data, SCRIPT)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Logged coffee with Maria Lopez" in out
    assert "Maria Lopez, Acme" in out  # /people
    suggest = out.split("> /suggest Maria", 1)[1].split("> /due", 1)[0]
    assert "marathon" in suggest.lower()
    # /due shows what the evening's log left to do, not "nobody is overdue".
    assert "Follow up with Maria Lopez" in out.split("> /due", 1)[1]
    assert first.stderr == ""

    second = chat(data, "/person Maria\n")
    assert "Berlin marathon" in second.stdout

    files = [p for p in data.rglob("*") if p.is_file()]
    assert files
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    folders = [data, *(p for p in data.rglob("*") if p.is_dir())]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders)


def test_numbers_press_buttons_and_users_are_separate(tmp_path: Path) -> None:
    data = tmp_path / "d"
    out = chat(
        data, "Lunch with Tom Becker, he is moving to Lisbon in May\n1\n", "--user", "ann"
    ).stdout
    assert "[1] Save" in out
    assert "↻ ✅ Saved: lunch with Tom Becker" in out  # the card, replaced by its receipt
    other = chat(data, "/people\n", "--user", "ben").stdout
    assert "No one yet" in other


def test_bad_user_id_and_end_of_input(tmp_path: Path) -> None:
    bad = chat(tmp_path, "", "--user", "../x")
    assert bad.returncode == 2
    assert "--user" in bad.stderr
    empty = chat(tmp_path, "")
    assert empty.returncode == 0
    assert empty.stderr == ""


def test_garden_is_saved_in_the_users_data_folder_not_where_the_terminal_is(
    tmp_path: Path,
) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "somewhere"
    elsewhere.mkdir()
    run = chat(data, "/log coffee w maria\n/garden\n", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    saved = next(x for x in run.stdout.splitlines() if x.strip().startswith("saved "))
    path = Path(saved.strip().removeprefix("saved "))
    assert path == (data / "users" / "me" / "files" / "garden.png").resolve()
    assert path.read_bytes().startswith(b"\x89PNG")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list(elsewhere.iterdir()) == []
    # An /export is the copy the user takes away: where they are, and /forget leaves it.
    exported = chat(data, "/export\n", cwd=elsewhere)
    copies = sorted(p.name for p in elsewhere.iterdir())
    assert len(copies) == 3, exported.stdout
    # /forget takes the picture along with everything else.
    forgot = chat(data, "/forget me\n1\n3\n", cwd=elsewhere)
    assert not path.exists(), forgot.stdout
    assert sorted(p.name for p in elsewhere.iterdir()) == copies
