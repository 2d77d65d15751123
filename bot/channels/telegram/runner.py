"""`rapport-coach run`: the coach as a Telegram bot, by long polling or a webhook.

This module is imported to build the command line, so Telegram itself is
only imported when `run` actually runs (the terminal chat never loads it).
"""

from __future__ import annotations

import argparse
import importlib.util
import secrets
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.config import Settings, SettingsError

EXIT_USAGE = 2
EXIT_UNREACHABLE = 1
# Only what the handlers use; Telegram then doesn't send the rest (telegram.Update's names).
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "callback_query", "my_chat_member"]


def add_run_command(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `run` subcommand to the CLI."""
    parser = subparsers.add_parser(
        "run",
        help="run the Telegram bot",
        description="Run the coach as a Telegram bot. Long polling by default; "
        "give --webhook-url to receive updates by webhook instead. "
        "The token comes from TELEGRAM_BOT_TOKEN (environment or .env).",
    )
    parser.add_argument("--data-dir", type=Path, help="where user data lives (default: data/)")
    parser.add_argument(
        "--base-url",
        help="Bot API server to use, e.g. http://localhost:8081 for a self-hosted one",
    )
    parser.add_argument(
        "--webhook-url", help="public URL Telegram posts updates to (turns on webhook mode)"
    )
    parser.add_argument("--listen", default="127.0.0.1", help="address the webhook server binds to")
    parser.add_argument("--port", type=int, default=8443, help="port the webhook server binds to")
    parser.add_argument(
        "--secret-token",
        help="webhook secret Telegram must send back (default: a new random one each start)",
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Start the bot; return the process exit code."""
    from telegram.error import InvalidToken, NetworkError, TelegramError
    from telegram.ext import Application

    from bot.channels.telegram.application import build_application
    from bot.channels.telegram.log_redaction import configure_logging

    try:
        settings = Settings.from_env(dotenv=Path(".env"))
        token = settings.require_token()
    except SettingsError as exc:
        return _refuse(str(exc))
    if args.data_dir is not None:
        settings = replace(settings, data_dir=args.data_dir)
    problem = _option_problem(args)
    if problem:
        return _refuse(problem)

    secret_token = args.secret_token or secrets.token_urlsafe(32)
    redactor = configure_logging(args.log_level, [token, secret_token])
    builder = Application.builder().token(token)
    if args.base_url:
        api, files = bot_api_urls(args.base_url)
        builder = builder.base_url(api).base_file_url(files)
    application = build_application(builder, settings)
    try:
        if args.webhook_url:
            application.run_webhook(
                listen=args.listen,
                port=args.port,
                url_path=urlsplit(args.webhook_url).path.lstrip("/"),
                webhook_url=args.webhook_url,
                secret_token=secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        return _refuse("Telegram rejected the bot token; check it with @BotFather")
    except NetworkError as exc:
        where = args.base_url or "api.telegram.org"
        # The same redaction as the logs: a server may echo the request path, token and all.
        problem = redactor.redact(_one_line(exc))
        print(f"rapport-coach run: can't reach the Bot API at {where} ({problem})", file=sys.stderr)
        return EXIT_UNREACHABLE
    except TelegramError as exc:
        where = args.base_url or "api.telegram.org"
        problem = redactor.redact(_one_line(exc))
        print(
            f"rapport-coach run: the Bot API at {where} answered oddly ({problem})", file=sys.stderr
        )
        return EXIT_UNREACHABLE
    return 0


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """An error's message on one short line (servers can answer with a whole HTML page)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse(problem: str) -> int:
    print(f"rapport-coach run: {problem}", file=sys.stderr)
    return EXIT_USAGE


def bot_api_urls(base_url: str) -> tuple[str, str]:
    """Return PTB's (base_url, base_file_url) for a Bot API server's root URL."""
    root = base_url.rstrip("/").removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def _option_problem(args: argparse.Namespace) -> str:
    """Say what is wrong with the options, or return ""."""
    for name in ("base_url", "webhook_url"):
        value = getattr(args, name)
        parts = urlsplit(value or "")
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            return f"--{name.replace('_', '-')} must be an http(s) URL, got {value!r}"
    if args.webhook_url and importlib.util.find_spec("tornado") is None:
        return (
            'webhook mode needs PTB\'s webhook server: pip install "python-telegram-bot[webhooks]"'
        )
    if not 0 < args.port < 65536:
        return f"--port must be between 1 and 65535, got {args.port}"
    secret = args.secret_token
    if secret is not None and not (
        1 <= len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
    ):
        return "--secret-token must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    return ""
