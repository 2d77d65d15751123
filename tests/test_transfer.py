"""Export and import through the CLI: round trip, private file, corrupt input refused."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.due_index import DueIndex

MARIA = "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.\n"


def chat(
    data: Path,
    text: str,
    user: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["chat", "--data-dir", str(data), "--user", user]) == 0
    return capsys.readouterr().out


def test_round_trip_into_another_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "maria.json"
    chat(data, MARIA, "ann", capsys, monkeypatch)
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text())
    assert [c["name"] for c in document["contacts"]] == ["Maria Lopez"]

    assert main(["import", "--data-dir", str(data), "--user", "ben", str(out)]) == 0
    assert "1 contacts, 1 interactions" in capsys.readouterr().out
    assert "Berlin marathon" in chat(data, "/person Maria\n", "ben", capsys, monkeypatch)
    # Imported reminders are on the delivery schedule, not just in the store.
    assert DueIndex(data / "schedule").get("ben") is not None
    # Importing again adds nothing twice.
    assert main(["import", "--data-dir", str(data), "--user", "ben", str(out)]) == 0
    assert "0 contacts, 0 interactions" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"format": "something-else"}',
        '{"format": "rapport-coach/1", "contacts": [1]}',
        '{"format": "rapport-coach/1", "profile": {"user_id": "x"}, "contacts": [],'
        ' "interactions": [],'
        ' "reminders": [{"id": "r", "kind": "nonsense", "due_at": "x", "contact_id": "c"}]}',
    ],
)
def test_corrupt_import_changes_nothing(
    tmp_path: Path,
    content: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, bad = tmp_path / "data", tmp_path / "bad.json"
    chat(data, MARIA, "ann", capsys, monkeypatch)
    before = sorted((p.name, p.read_bytes()) for p in data.rglob("*.json"))
    bad.write_text(content)
    assert main(["import", "--data-dir", str(data), "--user", "ann", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err
    assert "Nothing was changed" in err
    assert sorted((p.name, p.read_bytes()) for p in data.rglob("*.json")) == before


def test_missing_import_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--data-dir", str(tmp_path), str(tmp_path / "nope.json")]) == 2
    assert "cannot be read" in capsys.readouterr().err
