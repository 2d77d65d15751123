"""The bot token never reaches a log line, whoever logs it and however."""

from __future__ import annotations

import io
import logging

from telegram.error import InvalidToken, NetworkError

from bot.channels.telegram.log_redaction import OneLineForKnownFailures, RedactSecrets

TOKEN = "987654:AAH-secret-part-of-the-token"


def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(OneLineForKnownFailures())
    handler.addFilter(RedactSecrets([TOKEN, None]))
    logger = logging.getLogger(f"test.redaction.{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_token_in_message_args_and_urls_is_redacted() -> None:
    logger, stream = capture()

    logger.info("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    logger.info("encoded %s", TOKEN.replace(":", "%3A"))

    assert TOKEN.split(":")[1] not in stream.getvalue()
    assert "[redacted]" in stream.getvalue()


def test_token_in_a_traceback_is_redacted() -> None:
    logger, stream = capture()

    try:
        raise RuntimeError(f"connect failed for /bot{TOKEN}/getUpdates")
    except RuntimeError:
        logger.exception("polling failed")

    assert "Traceback" in stream.getvalue()
    assert TOKEN.split(":")[1] not in stream.getvalue()


def test_rejected_token_is_one_line() -> None:
    logger, stream = capture()

    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        logger.exception("Invalid token. Aborting retry loop.")

    assert stream.getvalue().count("\n") == 1
    assert "Invalid token. Aborting retry loop. (The token `[redacted]`" in stream.getvalue()


def test_unreachable_server_is_one_line() -> None:
    logger, stream = capture()

    try:
        raise NetworkError("httpx.ConnectError: All connection attempts failed")
    except NetworkError:
        logger.exception("Failed run number 0 of 0. Aborting.")

    assert stream.getvalue().count("\n") == 1
    assert "All connection attempts failed" in stream.getvalue()
