"""RAPPORT_ALLOWED_USERS and RAPPORT_ADMIN_ID: read once, refused clearly when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings, SettingsError


def test_allowed_users_and_admin_are_read() -> None:
    settings = Settings.from_env(
        {"RAPPORT_ALLOWED_USERS": "1001, 2002;3003 ", "RAPPORT_ADMIN_ID": "7"}
    )
    assert settings.allowed_users == frozenset({1001, 2002, 3003})
    assert settings.admin_id == 7
    assert Settings.from_env({}).allowed_users is None  # open to everyone by default
    assert Settings.from_env({}).admin_id is None


@pytest.mark.parametrize(
    ("name", "value"), [("RAPPORT_ALLOWED_USERS", "1001,@alice"), ("RAPPORT_ADMIN_ID", "me")]
)
def test_a_wrong_value_is_refused_with_one_line(
    name: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert name in err
    assert len(err.strip().splitlines()) == 1
    assert "123:abc" not in err
