"""Faults get one clear reply and one log line, lose nothing, and never stop the coach starting."""

from __future__ import annotations

import errno
import io
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from support import text_of

from bot.cli import main
from bot.domain.clock import ManualClock
from bot.domain.model import Reminder, ReminderKind
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

MARIA = "/log Coffee with Maria Lopez. She is training for the Berlin marathon."
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Make everything under tmp_path behave like a read-only mount (EROFS), even for root."""
    real_open, real_mkdir = os.open, os.mkdir
    root = str(tmp_path)

    def refuse(path: object) -> None:
        if str(path).startswith(root):
            raise OSError(errno.EROFS, "Read-only file system", str(path))

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & WRITE_FLAGS:
            refuse(path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def mkdir(path: object, *args: object, **kwargs: object) -> None:
        refuse(path)
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    for name in ("replace", "rename", "unlink"):
        real = getattr(os, name)

        def guarded(src: object, *args: object, _real: object = real, **kwargs: object) -> object:
            refuse(src)
            return _real(src, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(os, name, guarded)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)


def store_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.tinydb_only
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk that holds your data is full"),
        (errno.EACCES, "not allowed to write"),
        (errno.EROFS, "read-only"),
    ],
)
def test_a_write_fault_gets_its_own_reply_and_one_log_line(
    coach: Coach,
    repo: TinyRepository,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    code: int,
    words: str,
) -> None:
    coach.handle_text("u", MARIA)
    real_write = os.write

    def failing(fd: int, data: bytes) -> int:
        if b'"seq"' in data:
            raise OSError(code, os.strerror(code))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing)
    caplog.clear()
    reply = text_of(coach.handle_text("u", "/log Lunch with Tom Baker"))
    assert words in reply
    assert "Nothing was changed" in reply
    assert "Traceback" not in reply
    (line,) = store_errors(caplog)
    assert line.exc_info is None
    monkeypatch.undo()
    people = text_of(coach.handle_text("u", "/people"))
    assert "Maria Lopez" in people
    assert "Tom Baker" not in people  # not half-saved, and a retry won't store it twice
    coach.handle_text("u", "/log Lunch with Tom Baker")
    with repo.session("u") as store:
        assert sum(1 for i in store.interactions() if "Tom" in i.note) == 1


def test_a_data_folder_that_is_a_file_gets_a_clear_reply(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data"
    path.write_text("oops")
    coach = Coach(repository=TinyRepository(path), templates=templates, clock=clock)
    reply = text_of(coach.handle_text("u", "/people"))
    assert "not a folder" in reply
    assert len(store_errors(caplog)) == 1


@pytest.mark.tinydb_only
def test_a_read_only_folder_still_lets_the_chat_read(
    coach: Coach,
    repo: TinyRepository,
    clock: ManualClock,
    templates: TemplateLibrary,
    request: pytest.FixtureRequest,
) -> None:
    coach.handle_text("u", MARIA)
    request.getfixturevalue("read_only")
    fresh = Coach(repository=TinyRepository(repo.data_dir), templates=templates, clock=clock)
    assert "Maria Lopez" in text_of(fresh.handle_text("u", "/people"))
    assert "marathon" in text_of(fresh.handle_text("u", "/person Maria"))
    assert "read-only" in text_of(fresh.handle_text("u", "/log Lunch with Tom Baker"))


def chat(
    data: Path, text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["chat", "--data-dir", str(data)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "schedule" / "due.json").write_bytes(b"\xff garbage"),
        lambda d: (d / "schedule" / "due.json").write_text('{"due": {"someone-else": "x"}}'),
        lambda d: (d / "schedule" / "due.log").write_text('[1, 2]\n{"u": "me", "t": 1}\n'),
        lambda d: (d / "schedule" / "due.log").write_bytes(b'\xff\xfe{"u"\n'),
    ],
)
def test_a_damaged_schedule_is_set_aside_and_rebuilt_and_the_chat_starts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: object,
) -> None:
    data = tmp_path / "data"
    chat(data, MARIA + "\n", monkeypatch, capsys)
    repo = TinyRepository(data)
    with repo.session("me") as store:
        (maria,) = store.contacts()
        due = datetime.now(UTC) - timedelta(hours=1)
        store.save_reminders([Reminder("r-call", ReminderKind.CUSTOM, due, maria.id, "call")])
        profile = store.profile()
        profile.quiet_start = profile.quiet_end = time(0)
        store.save_profile(profile)
    repo.close()
    damage(data)  # type: ignore[operator]
    out = chat(data, "/people\n", monkeypatch, capsys)
    assert "Maria Lopez" in out
    assert "call" in out  # the rebuilt schedule still delivered the due reminder
    assert list((data / "schedule").glob("*.bad-*"))


def test_the_bot_starts_on_a_damaged_schedule(tmp_path: Path, clock: ManualClock) -> None:
    import asyncio

    from channels.telegram.telegram_fakes import ALICE, FakeTelegram

    async def run() -> None:
        fake = FakeTelegram(tmp_path / "data", clock)
        async with fake.app:
            await fake.text(ALICE, MARIA)
        schedule = tmp_path / "data" / "schedule"
        schedule.mkdir(exist_ok=True)
        (schedule / "due.json").write_bytes(b"{{{ not json")
        fake = FakeTelegram(tmp_path / "data", clock)
        async with fake.app, fake.delivering():
            assert fake.app.bot_data.reminders is not None
            assert fake.app.bot_data.reminders.deliverer is not None

    asyncio.run(run())


def test_invalid_utf8_piped_into_the_chat_is_saved_not_lost(tmp_path: Path) -> None:
    note = "/log Coffee with Maria Lopez. She loves caf\xe9s.\n".encode("latin-1")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--data-dir", str(tmp_path / "data")],
        input=note + b"/person Maria\n",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode()
    assert "Logged coffee with Maria Lopez" in out
    assert "caf\ufffds" in out


def test_lone_surrogates_are_cleaned_where_text_enters(coach: Coach, repo: TinyRepository) -> None:
    reply = text_of(
        coach.handle_text("u", "/log Coffee with Maria Lopez \ud83d. She loves \udce9 tea.")
    )
    assert "Logged" in reply
    with repo.session("u") as store:
        (meeting,) = store.interactions()
    assert "\ufffd" in meeting.note
    meeting.note.encode("utf-8")  # valid everywhere now


def test_the_terminal_chat_never_imports_telegram() -> None:
    code = "import sys, bot.cli; bot.cli.build_parser(); print('telegram' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.tinydb_only
def test_an_unreadable_schedule_folder_leaves_the_chat_working(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = tmp_path / "data"
    chat(data, MARIA + "\n", monkeypatch, capsys)
    schedule = str(data / "schedule")
    real_open = os.open

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).startswith(schedule):  # as a folder of mode 000 would (root ignores modes)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    out = chat(data, "/people\n/log Lunch with Tom Baker\n/people\n", monkeypatch, capsys)
    assert "Maria Lopez" in out
    assert "Logged lunch with Tom Baker" in out  # the turn is safe in the user's own store
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len({r.getMessage()[:40] for r in warnings}) <= 2  # said once each, not per message
