"""`rapport-coach migrate`: a data folder into PostgreSQL, identical exports, safe to re-run."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.serve.migrate import BUTTON, kept_state, migrate_users
from bot.storage.postgres.store import PostgresRepository
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary
from bot.transfer.bundle import collect, export_document

FINISHED = ("done", "cancelled")
NOTES = [
    "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.",
    "/remind Maria tomorrow to call her",
    "/log Lunch with Tom Becker and Priya Raman. I promised Priya feedback on her talk by Friday.",
    "/log Call with Sam Okafor. His daughter starts school next week.",
    "/remind Maria in 2 weeks to send the podcast link",
    "/log Drinks with Maria Lopez. She got the job at Stripe!",
]


def fill(folder: Path, users: int, clock: ManualClock) -> TinyRepository:
    """Users with real history, written by the engine itself."""
    repository = TinyRepository(folder)
    coach = Coach(repository=repository, templates=TemplateLibrary(), clock=clock)
    for n in range(users):
        user = str(5000 + n)
        coach.handle_text(user, "/start")
        coach.handle_text(user, "Berlin")
        for note in NOTES[: 1 + n % len(NOTES)]:
            coach.handle_text(user, note)
    return repository


def export_user(repository: Any, user_id: str) -> dict[str, Any]:
    """What `rapport-coach export` writes for the user (its JSON document)."""
    with repository.session(user_id) as store:
        return export_document(collect(store))


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """An export with its unordered parts sorted by id.

    The port lists contacts and reminders oldest first; records made in the same
    instant (the tests' manual clock) have no order of their own, and the embedded
    store shows them in the order of its log or of its files. History keeps its order.
    """
    return {
        **document,
        "contacts": sorted(document["contacts"], key=lambda c: c["id"]),
        # Open ones by id; finished ones keep the order they finished in.
        "reminders": sorted(
            (r for r in document["reminders"] if r["status"] not in FINISHED),
            key=lambda r: r["id"],
        )
        + [r for r in document["reminders"] if r["status"] in FINISHED],
    }


def exports(repository: Any) -> dict[str, Any]:
    return {u: canonical(export_user(repository, u)) for u in sorted(repository.user_ids())}


@pytest.fixture
def target(pg_repository_for: Any, clock: ManualClock) -> PostgresRepository:
    repository: PostgresRepository = pg_repository_for(clock)
    return repository


def test_migrated_users_export_identically(
    tmp_path: Path, clock: ManualClock, target: PostgresRepository
) -> None:
    source = fill(tmp_path / "data", 12, clock)
    report = migrate_users(source, target)
    assert report.ok, report.lines()
    assert report.users == 12
    assert report.source["interactions"] > 12
    assert exports(target) == exports(source)


def test_a_second_run_changes_nothing(
    tmp_path: Path, clock: ManualClock, target: PostgresRepository
) -> None:
    source = fill(tmp_path / "data", 4, clock)
    migrate_users(source, target)
    first = exports(target)
    again = migrate_users(source, target)
    assert again.ok
    assert exports(target) == first == exports(source)


def test_migrated_reminders_are_due_in_postgres(
    tmp_path: Path, clock: ManualClock, target: PostgresRepository
) -> None:
    source = fill(tmp_path / "data", 2, clock)
    migrate_users(source, target)
    with target.pool.connection() as conn:
        due = conn.execute("SELECT user_id FROM due_users ORDER BY 1").fetchall()
    assert [u for (u,) in due] == ["5000", "5001"]


def test_the_command(
    tmp_path: Path,
    clock: ManualClock,
    target: PostgresRepository,
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(tmp_path / "data", 3, clock)
    code = main(["migrate", "--from-data-dir", str(tmp_path / "data"), "--to", pg_url])
    out = capsys.readouterr().out
    assert code == 0
    assert "copied 3 users" in out
    assert "verified" in out
    assert main(["migrate", "--from-data-dir", str(tmp_path / "nowhere"), "--to", pg_url]) == 2


def test_export_files_match(tmp_path: Path, clock: ManualClock, target: PostgresRepository) -> None:
    source = fill(tmp_path / "data", 1, clock)
    migrate_users(source, target)
    a = json.dumps(canonical(export_user(source, "5000")), sort_keys=True)
    b = json.dumps(canonical(export_user(target, "5000")), sort_keys=True)
    assert a == b


# A half-finished /log: the flow waits for "who", under buttons signed with the folder's key.
OPEN_FLOW = "/log"
USERS = 200
STORED_BUTTON = {"op": "note.save", "text": "a payload with free text is kept in the store"}


def fill_mid_flow(
    folder: Path, users: int, clock: ManualClock
) -> tuple[TinyRepository, dict[str, list[Any]]]:
    """Engine-made users left in the middle of a flow; returns the buttons each was last shown."""
    repository = fill(folder, users, clock)
    coach = Coach(repository=repository, templates=TemplateLibrary(), clock=clock)
    shown = {}
    for n in range(users):
        user = str(5000 + n)
        (reply,) = coach.handle_text(user, OPEN_FLOW)
        shown[user] = [b for row in reply.buttons for b in row if b.ref]
        with repository.session(user) as store:
            store.put_buttons({f"stored-{n}": STORED_BUTTON})
    return repository, shown


def replicate(repository: TinyRepository, template: str, user_id: str) -> None:
    """A new user holding a copy of `template`'s records, state and stored buttons."""
    state = kept_state(repository, template)
    with repository.session(template) as old, repository.session(user_id, sync=False) as new:
        new.save_profile(replace(old.profile(), user_id=user_id))
        for contact in old.contacts():
            new.save_contact(contact)
        for interaction in reversed(list(old.interactions())):
            new.add_interaction(interaction)
        new.save_reminders(list(reversed(list(old.finished_reminders()))))
        new.save_reminders(old.reminders())
        for name, value in state.items():
            if name.startswith(BUTTON):
                new.put_buttons({name.removeprefix(BUTTON): value})
            else:
                new.set_state(name, value)


@pytest.mark.slow
def test_many_users_move_whole(
    tmp_path: Path, clock: ManualClock, target: PostgresRepository
) -> None:
    """Records, state, stored buttons and the signing key all identical after.

    200 users here; bench/scale_migrate.py runs the same checks on 1,000.
    """
    source, shown = fill_mid_flow(tmp_path / "data", 12, clock)
    for n in range(12, USERS):
        replicate(source, str(5000 + n % 12), str(5000 + n))
    source.flush()
    report = migrate_users(source, target)
    assert report.ok, report.lines()
    assert report.users == USERS
    assert report.source["state"] >= USERS
    assert report.source["buttons"] == USERS
    assert exports(target) == exports(source)
    users = sorted(source.user_ids())
    assert [kept_state(target, u) for u in users] == [kept_state(source, u) for u in users]
    assert target.secret() == source.secret()
    # A button shown before the move answers the same after it, from either store.
    for user, buttons in shown.items():
        assert buttons, "the open flow shows buttons to press"
        ref = buttons[0].ref or ""
        after = Coach(repository=target, templates=TemplateLibrary(), clock=clock)
        before = Coach(repository=source, templates=TemplateLibrary(), clock=clock)
        pressed = [r.text for r in after.handle_press(user, ref)]
        assert pressed == [r.text for r in before.handle_press(user, ref)]
        assert pressed
        assert "expired" not in pressed[0].lower()
