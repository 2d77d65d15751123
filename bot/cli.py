"""`rapport-coach`: chat in the terminal, run the Telegram bot, export or import data."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.bootstrap import build_coach, build_repository
from bot.channels import console
from bot.config import Settings
from bot.serve.cli import add_scale_commands
from bot.storage.due import TERMINAL
from bot.storage.tinydb_repository import USER_ID
from bot.transfer import BadImportFile, export_user, import_user, read_bundle

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
    coach = build_coach(settings_for(args), channel=TERMINAL)
    try:
        return console.main(coach, args.user)
    finally:
        coach.repository.close()


def export(args: argparse.Namespace) -> int:
    """Write one user's data as JSON to --out (private file) or stdout."""
    document = json.dumps(export_user(build_repository(settings_for(args)), args.user), indent=1)
    if args.out is None:
        print(document)
        return 0
    # The export holds personal notes: owner-only, like the store itself.
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(document)
    print(f"exported {args.user} to {args.out}")
    return 0


def import_(args: argparse.Namespace) -> int:
    """Merge an export file into one user's data; a bad file changes nothing."""
    try:
        bundle = read_bundle(args.file)
    except BadImportFile as exc:
        print(f"rapport-coach import: {exc}. Nothing was changed.", file=sys.stderr)
        return 2
    # Indexed, so imported reminders reach the delivery schedule.
    counts = import_user(build_repository(settings_for(args)), args.user, bundle)
    print("imported " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


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
    # Imported here: the terminal chat never pays for loading Telegram.
    from bot.channels.telegram.runner import add_run_command

    add_run_command(commands)
    add_scale_commands(commands)
    for name, func, summary in (
        ("export", export, "write one user's data as JSON"),
        ("import", import_, "merge an export file into one user's data"),
    ):
        sub = commands.add_parser(name, help=summary)
        sub.add_argument(
            "--data-dir", type=Path, help="where data lives (default: $RAPPORT_DATA_DIR or data/)"
        )
        sub.add_argument(
            "--user", type=user_id, default=CONSOLE_USER, help="whose data (default: me)"
        )
        if name == "export":
            sub.add_argument("--out", type=Path, help="file to write (default: print it)")
        else:
            sub.add_argument("file", type=Path, help="a file written by `rapport-coach export`")
        sub.set_defaults(func=func)
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
