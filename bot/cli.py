"""`rapport-coach`: chat in the terminal, run the Telegram bot, export or import data."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.bootstrap import build_coach
from bot.channels import console
from bot.channels.telegram.runner import add_run_command
from bot.config import Settings
from bot.storage.tinydb_repository import USER_ID

CONSOLE_USER = "me"


def user_id(text: str) -> str:
    """Argparse type: a user id that is safe as a folder name."""
    if not USER_ID.fullmatch(text):
        raise argparse.ArgumentTypeError("use letters, digits, '_' or '-' (at most 64)")
    return text


def settings_for(args: argparse.Namespace) -> Settings:
    """Environment settings, with --data-dir taking precedence."""
    settings = Settings.from_env()
    if getattr(args, "data_dir", None) is not None:
        settings = replace(settings, data_dir=args.data_dir)
    return settings


def chat(args: argparse.Namespace) -> int:
    """Talk to the coach in this terminal."""
    return console.main(build_coach(settings_for(args)), args.user)


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="rapport-coach",
        description="A coach for authentic, long-term professional relationships.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    talk = commands.add_parser("chat", help="talk to the coach in this terminal (no token needed)")
    talk.add_argument(
        "--data-dir", type=Path, help="where to keep data (default: $RAPPORT_DATA_DIR or data/)"
    )
    talk.add_argument(
        "--user", type=user_id, default=CONSOLE_USER, help="which user to speak as (default: me)"
    )
    talk.set_defaults(func=chat)
    add_run_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rapport-coach` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that's not an error worth a traceback.
        sys.stderr.close()
        return 0
    return code
