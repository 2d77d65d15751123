"""Keep secrets (the bot token, the webhook secret) and what users wrote out of every log line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TextIO

from telegram import TelegramObject
from telegram.error import InvalidToken, NetworkError, TelegramError

REDACTED = "[redacted]"
WITHHELD = "[withheld]"
# A value a library may log as it is: an endpoint name, a method, a number.
_PLAIN = re.compile(r"[A-Za-z_][\w.]{0,63}")


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's message and traceback before any handler writes it."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        parts: set[str] = set()
        for secret in secrets:
            if secret:
                parts.add(secret)
                # The part after the colon is the real secret, and survives URL-encoding.
                _, _, tail = secret.partition(":")
                if len(tail) >= 8:
                    parts.add(tail)
        # Longest first, so a whole token is replaced before its tail.
        self.secrets = sorted(parts, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return `text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the redacted one is what's written.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class OneLineForKnownFailures(logging.Filter):
    """Log a rejected token, an unreachable server or a garbled answer as one line.

    Each is a condition to fix outside the code (the token, the network, a
    proxy answering with a web page), and the runner explains it; a page of
    httpx or json frames would only hide that.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        from_ptb = record.name.startswith("telegram")
        garbled = from_ptb and isinstance(error, json.JSONDecodeError | TelegramError)
        if isinstance(error, InvalidToken | NetworkError) or garbled:
            record.msg, record.args = f"{record.getMessage()} ({error})", None
            record.exc_info, record.exc_text = None, None
        return True


class WithholdPayloads(logging.Filter):
    """Drop the payloads libraries log at DEBUG: updates, API parameters and answers, URLs.

    PTB logs every update and every Bot API call's parameters and result (the
    user's text, our replies quoting it); httpx logs request URLs (the token is
    in the path). Their message templates stay, so DEBUG still shows what
    happened; our own loggers ("bot.…") never log user text and are left alone.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "bot" or record.name.startswith("bot."):
            return True
        # Below WARNING only plain values pass; a warning keeps its error, not an update.
        keep = _plain if record.levelno < logging.WARNING else _not_a_payload
        if not isinstance(record.msg, str):
            record.msg, record.args = WITHHELD, None
        elif isinstance(record.args, tuple):
            record.args = tuple(arg if keep(arg) else WITHHELD for arg in record.args)
        elif record.args:  # a mapping: logger.debug("%(update)s", {...})
            record.msg, record.args = f"{record.msg} {WITHHELD}", None
        return True


def _plain(value: object) -> bool:
    if isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and _PLAIN.fullmatch(value) is not None


def _not_a_payload(value: object) -> bool:
    return not isinstance(value, TelegramObject | Mapping | list | tuple | set | bytes)


def configure_logging(
    level: str, secrets: Iterable[str | None], *, stream: TextIO | None = None
) -> RedactSecrets:
    """Log to stderr (or `stream`) at `level` with secrets and payloads kept out.

    httpx's per-request lines are quieted too.
    """
    # force: a long-running bot wants timestamps and its own level, whatever was set before.
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
        stream=stream,
    )
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(WithholdPayloads())
        handler.addFilter(OneLineForKnownFailures())
        handler.addFilter(redactor)
    return redactor
