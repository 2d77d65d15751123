"""The coach works installed as a wheel (no -e): prompts ship inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_prompts_and_runs_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("rapport_coach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/prompts/replies/help.html.j2" in names
    assert not any(n.startswith("prompts/") for n in names)

    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--data-dir", "d"],
        input="/log Coffee with Maria Lopez from Acme.\n/help\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=elsewhere,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "Logged coffee with Maria Lopez" in run.stdout
    assert "What I can do" in run.stdout
    where = subprocess.run(
        [sys.executable, "-c", "import bot.templates as t; print(t.default_prompts_dir())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert where.stdout.strip() == str(target / "bot" / "prompts")
