"""At DEBUG, the logs show what happened but never the token or what a user wrote."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from telegram_fakes import ALICE, TOKEN, FakeTelegram

from bot.channels.telegram.log_redaction import configure_logging
from bot.domain.clock import ManualClock

SECRET_WORDS = "zanzibar quokka surprise party"
NOTE = f"Coffee with Maria Lopez. She is planning a {SECRET_WORDS} on May 3."


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The process's logging as `rapport-coach run --log-level DEBUG` sets it up."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN], stream=stream)
    try:
        yield stream
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(logging.NOTSET)


async def test_debug_logs_keep_out_the_token_and_the_users_words(
    debug_log: io.StringIO, data_dir: Path, clock: ManualClock
) -> None:
    fake = FakeTelegram(data_dir, clock)
    async with fake.app:
        card = (await fake.text(ALICE, NOTE))[-1]
        assert SECRET_WORDS in card.text.lower()  # the card quotes the note back
        await fake.tap(ALICE, card, "Save")
        await fake.text(ALICE, "/person Maria")
    # httpx's request line, as the real HTTPXRequest would make it (level raised to show it).
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    url = httpx.URL(f"https://api.telegram.org/bot{TOKEN}/sendMessage")
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"', "POST", url, "HTTP/1.1", 200, "OK"
    )
    logging.getLogger("telegram.ext._utils.webhookhandler").debug(
        "Webhook received data: %s", json.dumps({"message": {"text": NOTE}})
    )
    assert not fake.errors

    written = debug_log.getvalue()
    # It did log at DEBUG: each API call, the base URL, httpx's request.
    assert "Calling Bot API endpoint `sendMessage` with parameters `[withheld]`" in written
    assert "Set Bot API URL: [withheld]" in written
    assert 'HTTP Request: POST [withheld] "[withheld] 200 OK"' in written
    for secret in (TOKEN, TOKEN.split(":")[1], "zanzibar", "quokka", "maria lopez"):
        assert secret.lower() not in written.lower(), secret  # the card writes "Zanzibar"


def test_a_librarys_warning_keeps_its_error_but_not_an_update(debug_log: io.StringIO) -> None:
    from telegram import Update

    update = Update.de_json({"update_id": 1, "message": None}, None)
    logging.getLogger("telegram.ext.Updater").warning(
        "Error while getting Updates: %s (%s)", ConnectionError(f"no route to /bot{TOKEN}"), update
    )
    line = debug_log.getvalue()
    assert "Error while getting Updates: no route to /bot[redacted] ([withheld])" in line
