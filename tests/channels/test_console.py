"""The terminal channel: plain text, numbered buttons, share links, and no crash on a bug."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.bootstrap import build_coach
from bot.channels import console
from bot.config import Settings
from bot.engine.replies import Reply


def test_html_becomes_plain_text() -> None:
    assert console.to_plain("<b>Maria</b> &lt;3 <i>runs</i> &amp; <code>/log</code>") == (
        "Maria <3 runs & /log"
    )


def test_a_share_link_prints_the_draft_to_copy() -> None:
    url = "https://t.me/share/url?text=Hi%20Maria%2C%20how%20did%20the%20race%20go%3F"
    assert console.link_text(url) == "Copy and send:\n\nHi Maria, how did the race go?"
    assert console.link_text("https://example.org/x") == "Open: https://example.org/x"


def test_a_bug_gets_an_apology_and_the_chat_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach = build_coach(Settings(data_dir=tmp_path))
    real = coach.handle_text

    def flaky(user_id: str, text: str) -> list[Reply]:
        if text == "boom":
            raise RuntimeError("a bug")
        return real(user_id, text)

    monkeypatch.setattr(coach, "handle_text", flaky)
    out = io.StringIO()
    assert console.main(coach, "me", io.StringIO("boom\n/help\n"), out) == 0
    assert console.SOMETHING_WENT_WRONG in out.getvalue()
    assert "What I can do" in out.getvalue()


def test_the_garden_picture_is_saved_as_a_private_file_and_its_path_printed(
    tmp_path: Path,
) -> None:
    coach = build_coach(Settings(data_dir=tmp_path / "data"))
    out = io.StringIO()
    files = tmp_path / "data" / "users" / "me" / "files"
    assert console.main(coach, "me", io.StringIO("/garden\n"), out, pictures_dir=files) == 0
    line = next(x for x in out.getvalue().splitlines() if x.strip().startswith("saved "))
    path = Path(line.strip().removeprefix("saved "))
    assert path == (files / "garden.png").resolve()
    assert path.read_bytes().startswith(b"\x89PNG")
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("leave", ["/quit", "/exit", " /QUIT "])
def test_quit_leaves_the_terminal_chat_and_nothing_after_it_runs(
    tmp_path: Path, leave: str
) -> None:
    coach = build_coach(Settings(data_dir=tmp_path))
    out = io.StringIO()
    assert console.main(coach, "me", io.StringIO(f"/help\n{leave}\n/people\n"), out) == 0
    assert "What I can do" in out.getvalue()
    assert "I don't know" not in out.getvalue()
    assert "/people\n" not in out.getvalue()  # never read: the chat had left
