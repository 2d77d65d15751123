"""Scale-out commands refuse clearly without their settings; the default stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "123:abcdefghijk"}, "RAPPORT_DATABASE_URL"),
        (
            {"TELEGRAM_BOT_TOKEN": "123:abcdefghijk", "RAPPORT_DATABASE_URL": "postgresql://x/y"},
            "RAPPORT_WEBHOOK_SECRET",
        ),
        (
            {
                "TELEGRAM_BOT_TOKEN": "123:abcdefghijk",
                "RAPPORT_DATABASE_URL": "postgresql://x/y",
                "RAPPORT_WEBHOOK_SECRET": "has spaces",
            },
            "RAPPORT_WEBHOOK_SECRET",
        ),
    ],
)
def test_serve_says_what_is_missing(
    env: dict[str, str],
    problem: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("TELEGRAM_BOT_TOKEN", "RAPPORT_DATABASE_URL", "RAPPORT_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert problem in err
    assert len(err.strip().splitlines()) == 1


def test_deliver_and_migrate_need_a_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAPPORT_DATABASE_URL", raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abcdefghijk")
    assert main(["deliver"]) == 2
    assert main(["migrate", "--from-data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("RAPPORT_DATABASE_URL") == 2


def test_the_embedded_default_never_loads_the_scale_out_stack(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bot.cli import build_parser\n"
        "from bot.bootstrap import build_coach\n"
        "from bot.config import Settings\n"
        f"coach = build_coach(Settings(data_dir=Path({str(tmp_path)!r})))\n"
        "coach.handle_text('me', '/log Coffee with Maria Lopez')\n"
        "loaded = [m for m in ('psycopg', 'psycopg_pool', 'starlette', 'uvicorn') "
        "if m in sys.modules]\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
