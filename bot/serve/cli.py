"""`rapport-coach serve | deliver | migrate`: the scale-out commands (PostgreSQL).

Nothing here is imported until one of them runs, so `chat` and `run` never
load psycopg, Starlette or uvicorn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.config import Settings, SettingsError

EXIT_USAGE = 2
LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


def add_scale_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `serve`, `deliver` and `migrate` to the CLI."""
    serve = subparsers.add_parser(
        "serve",
        help="run N webhook workers over PostgreSQL (scale-out)",
        description="Serve Telegram webhooks from N worker processes sharing one PostgreSQL "
        "database. Needs TELEGRAM_BOT_TOKEN, RAPPORT_DATABASE_URL and RAPPORT_WEBHOOK_SECRET "
        "(environment or .env). Each worker also delivers reminders unless --no-deliver.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--webhook-url",
        help="public https URL to register with Telegram at start (default: leave it as set)",
    )
    serve.add_argument(
        "--no-deliver",
        action="store_true",
        help="don't deliver reminders from the workers (run `rapport-coach deliver` instead)",
    )
    serve.add_argument("--log-level", default="INFO", choices=LOG_LEVELS)
    serve.set_defaults(func=serve_command)

    deliver = subparsers.add_parser(
        "deliver",
        help="deliver reminders from PostgreSQL (any number of these may run)",
        description="Deliver due reminders to Telegram from the PostgreSQL store, sharing the "
        "work (and the send rate, RAPPORT_SEND_RATE messages a second, default 30) with every "
        "other deliverer and worker. Needs TELEGRAM_BOT_TOKEN and RAPPORT_DATABASE_URL.",
    )
    deliver.add_argument("--log-level", default="INFO", choices=LOG_LEVELS)
    deliver.set_defaults(func=deliver_command)

    migrate = subparsers.add_parser(
        "migrate",
        help="copy every user of a data folder into PostgreSQL",
        description="Copy every user of a TinyDB data folder into a PostgreSQL database. "
        "Safe to run again: each user is replaced whole. Verifies the counts at the end.",
    )
    migrate.add_argument("--from-data-dir", type=Path, required=True, help="the data folder")
    migrate.add_argument(
        "--to", help="postgresql://... (default: $RAPPORT_DATABASE_URL)", default=None
    )
    migrate.set_defaults(func=migrate_command)


def _settings() -> Settings:
    return Settings.from_env(dotenv=Path(".env"))


def _refuse(command: str, problem: str) -> int:
    print(f"rapport-coach {command}: {problem}", file=sys.stderr)
    return EXIT_USAGE


def serve_command(args: argparse.Namespace) -> int:
    """Register the webhook (if asked), then run uvicorn with N workers of the ASGI app."""
    from bot.serve.webhook import require_scale_settings

    settings = _settings()
    try:
        token, url, secret = require_scale_settings(settings)
    except SettingsError as exc:
        return _refuse("serve", str(exc))
    if args.workers < 1 or not 0 < args.port < 65536:
        return _refuse("serve", "--workers must be at least 1 and --port between 1 and 65535")
    from bot.channels.telegram.log_redaction import configure_logging
    from bot.storage.postgres import connect

    configure_logging(args.log_level, [token, secret])
    # Once here, so the workers start on an up-to-date schema.
    connect(url, max_size=1).close()
    if args.webhook_url:
        asyncio.run(_register_webhook(settings, args.webhook_url, secret))
    # The workers are new processes: they read their settings from the environment.
    os.environ["RAPPORT_SERVE_DELIVERY"] = "off" if args.no_deliver else "on"
    os.environ["RAPPORT_SERVE_LOG_LEVEL"] = args.log_level
    import uvicorn

    uvicorn.run(
        "bot.serve.cli:worker_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level.lower(),
        access_log=False,
    )
    return 0


def worker_app() -> Any:
    """uvicorn's factory in each worker process."""
    from bot.serve.webhook import create_app

    level = os.environ.get("RAPPORT_SERVE_LOG_LEVEL", "INFO")
    return create_app(log_level=level, settle=True)


async def _register_webhook(settings: Settings, url: str, secret: str) -> None:
    from telegram import Bot

    from bot.channels.telegram.runner import ALLOWED_UPDATES, bot_api_urls

    options: dict[str, Any] = {}
    if settings.bot_api_url:
        options["base_url"], options["base_file_url"] = bot_api_urls(settings.bot_api_url)
    async with Bot(settings.require_token(), **options) as bot:
        await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)


def deliver_command(args: argparse.Namespace) -> int:
    """Deliver reminders until SIGTERM or Ctrl-C."""
    settings = _settings()
    try:
        token = settings.require_token()
    except SettingsError as exc:
        return _refuse("deliver", str(exc))
    if not settings.database_url:
        return _refuse(
            "deliver", "set RAPPORT_DATABASE_URL=postgresql://... (deliver is for PostgreSQL)"
        )
    from bot.channels.telegram.log_redaction import configure_logging

    configure_logging(args.log_level, [token])
    asyncio.run(_deliver(settings))
    return 0


async def _deliver(settings: Settings) -> None:
    from telegram.ext import ExtBot

    from bot.bootstrap import build_coach
    from bot.channels.telegram.delivery import TelegramSender
    from bot.channels.telegram.runner import bot_api_urls
    from bot.serve.deliver import PostgresDelivery
    from bot.serve.heap import settle_heap
    from bot.serve.rate import SharedRateLimiter
    from bot.storage.postgres.store import PostgresRepository

    coach = await asyncio.to_thread(build_coach, settings)
    repository = coach.repository
    assert isinstance(repository, PostgresRepository)
    options: dict[str, Any] = {}
    if settings.bot_api_url:
        options["base_url"], options["base_file_url"] = bot_api_urls(settings.bot_api_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    assert settings.database_url is not None
    limiter = SharedRateLimiter(settings.database_url, settings.send_rate)
    async with ExtBot(settings.require_token(), rate_limiter=limiter, **options) as bot:
        worker = PostgresDelivery(coach=coach, repository=repository, send=TelegramSender(bot))
        settle_heap()
        await worker.run(stop)
    repository.close()


def migrate_command(args: argparse.Namespace) -> int:
    """Copy a data folder into PostgreSQL and verify the counts."""
    settings = _settings()
    url = args.to or settings.database_url
    if not url:
        return _refuse("migrate", "give --to postgresql://... or set RAPPORT_DATABASE_URL")
    if not args.from_data_dir.is_dir():
        return _refuse("migrate", f"{args.from_data_dir} is not a folder")
    from bot.serve.migrate import migrate_folder

    report = migrate_folder(replace(settings, data_dir=args.from_data_dir), url)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1
