"""`rapport-coach`: chat in the terminal, run the Telegram bot, export or import data."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.bootstrap import build_coach, build_repository
from bot.channels import console
from bot.channels.console import to_plain
from bot.config import Settings, SettingsError
from bot.domain.clock import SystemClock
from bot.engine.data import describe_plan, local_files_allowed
from bot.serve.cli import add_scale_commands
from bot.storage.due import TERMINAL
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import USER_ID, user_folder
from bot.templates import TemplateLibrary

CONSOLE_USER = "me"
EXIT_USAGE = 2
# Smaller imports finish before a bar would be worth drawing.
PROGRESS_FROM = 500


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
    # The terminal is the one channel where /import may read a path on this machine.
    settings = settings_for(args)
    coach = build_coach(settings, channel=TERMINAL)
    # /garden's picture: inside the user's own folder, owner-only like their data, and gone
    # with /forget (an /export stays in the working folder: the user's copy to keep).
    pictures = user_folder(settings.data_dir, args.user) / "files"
    try:
        with local_files_allowed():
            return console.main(coach, args.user, pictures_dir=pictures)
    finally:
        coach.repository.close()


def with_repository(
    command: Callable[[argparse.Namespace, Repository], int],
) -> Callable[[argparse.Namespace], int]:
    """Run a data command with the store open, and close the store after it."""

    def run(args: argparse.Namespace) -> int:
        repository = build_repository(settings_for(args))
        try:
            return command(args, repository)
        finally:
            repository.close()

    return run


@with_repository
def export(args: argparse.Namespace, repository: Repository) -> int:
    """Write one user's three export files to --out, or their JSON to stdout."""
    from bot.transfer.exports import build_export
    from bot.transfer.private_files import write_private

    settings = settings_for(args)
    if not _known(repository, args.user, "export"):
        return EXIT_USAGE
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print(f"rapport-coach export: {args.out} is a file; give a folder", file=sys.stderr)
        return EXIT_USAGE
    with repository.session(args.user) as store:
        files = build_export(store, TemplateLibrary(settings.prompts_dir), SystemClock().now())
    if args.out is None:
        sys.stdout.write(files[0].data.decode())
        return 0
    for file in files:
        # The files hold personal notes: owner-only, like the store itself.
        print(write_private(args.out, file.name, file.data))
    return 0


@with_repository
def import_(args: argparse.Namespace, repository: Repository) -> int:
    """Show what importing a file would do, ask, then import it in one go."""
    from bot.transfer.merge import Snapshot, apply, plan_for
    from bot.transfer.people import UnreadableFile
    from bot.transfer.upload import MAX_BYTES, read_upload

    settings = settings_for(args)
    path: Path = args.file
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableFile(f"is over {MAX_BYTES // 1_048_576} MB; I read files up to that")
        upload = read_upload(path.name, path.read_bytes(), columns=dict(args.map or []))
    except OSError as exc:
        return _refuse_import(path, f"cannot be read ({exc.strerror or exc})")
    except UnreadableFile as exc:
        return _refuse_import(path, str(exc))
    templates = TemplateLibrary(settings.prompts_dir)
    clock = SystemClock()
    # Planning reads only; a user who isn't here yet is planned against nothing, so a
    # "no" leaves no trace.
    if args.user in set(repository.user_ids()):
        with repository.session(args.user) as store:
            plan = plan_for(store, upload, clock.now())
    else:
        plan = plan_for(Snapshot.empty(args.user), upload, clock.now())
    if not plan.changes_anything:
        print(to_plain(describe_plan(templates, "import_nothing_new", path.name, plan)))
        return 0
    print(to_plain(describe_plan(templates, "import_preview", path.name, plan)))
    if not args.yes and not _ask("Import now? [y/N] "):
        print("Nothing was imported.")
        return 1
    with import_progress() as report, repository.session(args.user) as store:
        plan = plan_for(store, upload, clock.now(), report)
        apply(store, plan)
    print(to_plain(describe_plan(templates, "import_done", path.name, plan)))
    return 0


@with_repository
def forget(args: argparse.Namespace, repository: Repository) -> int:
    """Erase one user's data for good, after two questions (or none with --yes)."""
    if not _known(repository, args.user, "forget"):
        return EXIT_USAGE
    with repository.session(args.user) as store:
        people, reminders = len(store.contacts()), len(store.reminders())
        logs = sum(1 for _ in store.interactions())
    print(
        f"This erases everything kept for {args.user}: {people} people, {logs} logs, "
        f"{reminders} reminders, settings and scheduled deliveries. It can't be undone."
    )
    if not args.yes and not (
        _ask("Erase it all? [y/N] ")
        and _ask(f"Type the user id ({args.user}) to confirm: ", args.user)
    ):
        print("Nothing was erased.")
        return 1
    repository.erase(args.user)
    print(f"Erased all data of {args.user}.")
    return 0


def _refuse_import(path: Path, problem: str) -> int:
    print(f"rapport-coach import: {path} {problem}. Nothing was changed.", file=sys.stderr)
    return EXIT_USAGE


def _known(repository: Repository, user: str, command: str) -> bool:
    """Tell whether `user` has data; say so on stderr if not (and create nothing)."""
    if user in set(repository.user_ids()):
        return True
    print(f"rapport-coach {command}: there is no data for user {user!r}", file=sys.stderr)
    return False


def _ask(question: str, expected: str | None = None) -> bool:
    """Ask on the terminal; yes (or exactly `expected`) counts, end of input is a no."""
    try:
        answer = input(question).strip()
    except EOFError:
        return False
    return answer == expected if expected is not None else answer.lower() in ("y", "yes")


@contextmanager
def import_progress() -> Iterator[Callable[[int, int], None]]:
    """Yield a progress callback: a bar on the terminal for a large import, else silence."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("Importing", total=None)

        def report(done: int, total: int) -> None:
            if total >= PROGRESS_FROM and (done == total or done % 50 == 0):
                bar.update(task, completed=done, total=total)

        yield report


def column_mapping(text: str) -> tuple[str, str]:
    """Argparse type: FIELD=HEADER, naming the CSV column to read a field from."""
    from bot.transfer.tables import FIELDS

    field, sep, header = text.partition("=")
    if not sep or field.strip() not in FIELDS or not header.strip():
        raise argparse.ArgumentTypeError(f"use FIELD=HEADER with FIELD one of {', '.join(FIELDS)}")
    return field.strip(), header.strip()


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

    def data_command(name: str, func: Callable[[argparse.Namespace], int], summary: str) -> Any:
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.add_argument(
            "--data-dir", type=Path, help="where data lives (default: $RAPPORT_DATA_DIR or data/)"
        )
        sub.add_argument(
            "--user", type=user_id, default=CONSOLE_USER, help="whose data (default: me)"
        )
        sub.set_defaults(func=func)
        return sub

    out = data_command("export", export, "write one user's data: JSON, contacts CSV, calendar")
    out.add_argument(
        "--out", type=Path, help="folder for the three files (default: print the JSON)"
    )
    erase = data_command("forget", forget, "erase one user's data for good (asks twice)")
    erase.add_argument("--yes", action="store_true", help="erase without asking (for scripts)")
    into = data_command(
        "import", import_, "import contacts (vCard, LinkedIn or other CSV) or an export"
    )
    into.add_argument("file", type=Path, help="a .vcf, .csv, or .json from `rapport-coach export`")
    into.add_argument("--yes", action="store_true", help="import without asking (for scripts)")
    into.add_argument(
        "--map",
        action="append",
        type=column_mapping,
        metavar="FIELD=HEADER",
        help="read FIELD (name, first, last, email, phone, company, role, ...) from a CSV "
        "column named HEADER; repeat as needed",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rapport-coach` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except SettingsError as exc:
        print(f"rapport-coach {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that's not an error worth a traceback.
        sys.stderr.close()
        return 0
    return code
