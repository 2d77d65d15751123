"""Every command through the real PTB Application, and how the application is set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram_fakes import ALICE, TOKEN, FakeTelegram, RecordingRequest

from bot.channels.telegram import build_application


async def test_start_answers_in_html_with_the_menu(telegram: FakeTelegram) -> None:
    sent = await telegram.text(ALICE, "/start")

    assert sent[0].chat_id == ALICE["id"]
    assert "/help" in sent[0].text
    assert all(s.raw["parse_mode"] == ParseMode.HTML for s in sent)


async def test_every_menu_command_answers_without_error(telegram: FakeTelegram) -> None:
    coach = telegram.app.bot_data.coach
    assert coach is not None
    names = [name for name, _ in coach.menu()]
    assert {"start", "help", "cancel"} <= set(names)

    for name in names:
        sent = await telegram.text(ALICE, f"/{name}")
        assert sent, f"/{name} sent nothing"
        await telegram.text(ALICE, "/cancel")  # leave any flow the command started

    assert not telegram.errors


async def test_command_addressed_to_the_bot_by_name_works(telegram: FakeTelegram) -> None:
    sent = await telegram.text(ALICE, "/help@rapport_coach_bot")

    assert "/cancel" in sent[0].text


async def test_unknown_command_gets_a_friendly_pointer(telegram: FakeTelegram) -> None:
    sent = await telegram.text(ALICE, "/frobnicate now")

    assert len(sent) == 1
    assert "/frobnicate" in sent[0].text
    assert "/help" in sent[0].text


async def test_start_hook_publishes_the_engine_menu(telegram: FakeTelegram) -> None:
    assert telegram.app.post_init is not None
    assert telegram.app.post_shutdown is not None
    await telegram.app.post_init(telegram.app)
    await telegram.app.post_shutdown(telegram.app)

    (call,) = telegram.calls_since("setMyCommands")
    published = [(c["command"], c["description"]) for c in call.params["commands"]]
    coach = telegram.app.bot_data.coach
    assert coach is not None
    assert published == coach.menu()


def test_application_is_built_the_ptb_way(telegram: FakeTelegram) -> None:
    app = telegram.app
    assert app.bot.defaults is not None
    assert app.bot.defaults.parse_mode == ParseMode.HTML
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, AIORateLimiter)
    assert limiter._max_retries > 0
    assert app.error_handlers
    assert app.post_init is not None
    assert app.post_shutdown is not None


async def test_without_settings_the_data_folder_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(tmp_path / "from-env"))
    request = RecordingRequest()
    builder = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request)

    app = build_application(builder)

    settings = app.bot_data.settings
    assert settings is not None
    assert settings.data_dir == tmp_path / "from-env"
    async with app:
        coach = app.bot_data.coach
        assert coach is not None
        coach.handle_text(str(ALICE["id"]), "/log Coffee with Maria Lopez")
    assert (tmp_path / "from-env" / "users" / str(ALICE["id"]) / "wal").exists()
