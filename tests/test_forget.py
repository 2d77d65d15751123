"""Forgetting leaves no trace: a person's every mention, or a whole user, checked by grep."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from support import press, text_of

from bot.bootstrap import build_coach
from bot.cli import main
from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.model import Fact, FactKind, Reminder, ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.storage.due_index import DueIndex
from bot.storage.tinydb_repository import TinyRepository

USER = "u-4242zz"
FIXTURES = Path(__file__).parent / "data" / "import"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def indexed_coach(data: Path, clock: ManualClock) -> Coach:
    return build_coach(Settings(data_dir=data), clock=clock)


def grep(folder: Path, *needles: str) -> list[str]:
    """Every file under `folder` whose bytes contain one of `needles` (case-insensitive)."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            found += [f"{path}: {n}" for n in needles if n.lower().encode() in content]
        found += [f"{path} (name)" for n in needles if n.lower() in path.name.lower()]
    return found


def export_text(coach: Coach, user: str, tmp: Path) -> str:
    replies = coach.handle_text(user, "/export")
    return "\n".join(f.data.decode() for r in replies for f in r.files)


def seed_priya(coach: Coach) -> None:
    """The independent check's scenario: Priya is mentioned in four places besides her record."""
    coach.handle_text(USER, "/log Lunch with Priya Raman and Tom Becker at Nopa.")
    coach.handle_text(USER, "/log Coffee with Tom Becker from Acme.")
    with coach.repository.session(USER) as store:
        tom = next(c for c in store.contacts() if c.name == "Tom Becker")
        now = datetime(2026, 11, 27, tzinfo=UTC)
        tom.facts.append(Fact(FactKind.OTHER, "said Priya Raman is looking for a new role", now))
        tom.how_met = "Introduced by Priya at KubeCon"
        store.save_contact(tom)
        ask = Reminder(
            "r-ask",
            ReminderKind.CUSTOM,
            now + timedelta(days=3),
            tom.id,
            text="ask how Priya Raman's talk went",
        )
        done = Reminder(
            "r-old",
            ReminderKind.CUSTOM,
            now - timedelta(days=3),
            tom.id,
            text="send Priya's slides to Tom",
            status=ReminderStatus.DONE,
        )
        store.save_reminders([ask, done])
    # An unsaved note card about her.
    coach.handle_text(USER, "Call with Priya Raman: she is moving to Lisbon in March.")


def test_forget_a_person_leaves_no_mention_anywhere(
    indexed_coach: Coach, data: Path, tmp_path: Path
) -> None:
    seed_priya(indexed_coach)
    assert grep(data, "Priya", "Raman")

    asked = indexed_coach.handle_text(USER, "/forget Priya Raman")
    confirm = asked[-1]
    assert "Forget <b>Priya Raman</b>?" in confirm.text
    assert "1 detail kept about Tom Becker" in confirm.text
    assert "1 of your other reminders" in confirm.text
    assert "blank their name" in confirm.text
    assert "Keep" in [b.label for row in confirm.buttons for b in row]
    done = press(indexed_coach, USER, confirm, "Yes, forget")
    assert "no longer keep anything about Priya Raman" in text_of(done)

    assert grep(data, "Priya", "Raman") == []
    assert "Priya" not in export_text(indexed_coach, USER, tmp_path)
    person = text_of(indexed_coach.handle_text(USER, "/person Tom"))
    assert "[someone]" in person  # the shared lunch is still there, without her name
    assert "Tom Becker" in text_of(indexed_coach.handle_text(USER, "/people"))


def test_keep_forgets_nothing(indexed_coach: Coach, data: Path) -> None:
    seed_priya(indexed_coach)
    confirm = indexed_coach.handle_text(USER, "/forget Priya")[-1]
    kept = press(indexed_coach, USER, confirm, "Keep")
    assert "nothing about Priya Raman was deleted" in text_of(kept)
    assert "Priya Raman" in text_of(indexed_coach.handle_text(USER, "/people"))


def test_a_namesake_keeps_their_first_name(indexed_coach: Coach, data: Path) -> None:
    indexed_coach.handle_text(USER, "/log Coffee with Priya Shah from Globex. Priya loves jazz.")
    indexed_coach.handle_text(USER, "/log Lunch with Priya Raman and Tom Becker. Priya is moving.")
    confirm = indexed_coach.handle_text(USER, "/forget Priya Raman")[-1]
    press(indexed_coach, USER, confirm, "Yes, forget")
    assert grep(data, "Raman", "Priya is moving") == []  # in a note of her meeting, "Priya" is her
    person = text_of(indexed_coach.handle_text(USER, "/person Priya"))
    assert "Priya Shah" in person
    assert "Priya loves jazz" in person  # the other Priya's note keeps its name


def test_forget_me_takes_two_steps_then_erases_every_trace(
    indexed_coach: Coach, data: Path, clock: ManualClock
) -> None:
    seed_priya(indexed_coach)
    indexed_coach.handle_text("someone-else", "/log Coffee with Ann Lee.")
    assert DueIndex(data / "schedule").get(USER) is not None

    first = indexed_coach.handle_text(USER, "/forget me")[-1]
    assert "Erase everything?" in first.text
    assert "/export first" in first.text
    second = press(indexed_coach, USER, first, "Continue")[-1]
    assert "Last step" in second.text
    done = press(indexed_coach, USER, second, "Erase everything now")
    assert "I erased everything I kept about you" in text_of(done)
    assert all(not r.buttons for r in done)

    assert grep(data, USER, "Priya", "Tom Becker", "Lisbon") == []
    assert DueIndex(data / "schedule").get(USER) is None
    assert DueIndex(data / "schedule").get("someone-else") is not None
    # A button from before brings nothing back (pressing it is writing again: a fresh start).
    assert "Erase" not in text_of(press(indexed_coach, USER, second, "Erase everything now"))
    assert grep(data, "Priya", "Tom Becker", "Lisbon") == []


def test_round_trip_export_forget_me_import_is_identical(
    data: Path, tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    coach = build_coach(Settings(data_dir=data), clock=clock)
    seed_priya(coach)
    coach.handle_text(USER, "/log Dinner with Ana Silva. Her birthday is 3 June.")
    with coach.repository.session(USER) as store:
        profile = store.profile()
        profile.timezone, profile.timezone_confirmed = "Europe/Lisbon", True
        profile.quiet_start, profile.quiet_end = time(22, 30), time(7, 15)
        profile.follow_up_after = timedelta(days=2)
        store.save_profile(profile)
    out = tmp_path / "out"
    args = ["--data-dir", str(data), "--user", USER]
    assert main(["export", *args, "--out", str(out)]) == 0
    before = json.loads(next(out.glob("*.json")).read_text())

    assert main(["forget", *args, "--yes"]) == 0
    assert grep(data, USER) == []
    assert main(["import", *args, "--yes", str(next(out.glob("*.json")))]) == 0
    capsys.readouterr()
    assert main(["export", *args]) == 0
    after = json.loads(capsys.readouterr().out)

    assert after == before
    assert "r-old" in {r["id"] for r in after["reminders"]}  # finished ones travel too
    assert after["profile"]["timezone"] == "Europe/Lisbon"
    assert after["profile"]["quiet_start"] == "22:30:00"


def test_cli_forget_asks_twice_and_refuses_unknown_users(
    data: Path,
    indexed_coach: Coach,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    indexed_coach.handle_text(USER, "/log Coffee with Maria Lopez.")
    args = ["forget", "--data-dir", str(data), "--user", USER]
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nwrong-id\n"))
    assert main(args) == 1
    assert "Nothing was erased" in capsys.readouterr().out
    assert grep(data, USER)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"y\n{USER}\n"))
    assert main(args) == 0
    assert grep(data, USER, "Maria") == []

    assert main(["forget", "--data-dir", str(data), "--user", "nobody", "--yes"]) == 2
    assert "no data for user 'nobody'" in capsys.readouterr().err
    assert not (data / "users" / "nobody").exists()


def stored_traces(repo: object, *needles: str) -> list[str]:
    """Every file (TinyDB) or row (PostgreSQL, any table) that holds one of `needles`."""
    if isinstance(repo, TinyRepository):
        return grep(repo.data_dir, *needles) if repo.data_dir.exists() else []
    found = []
    with repo.pool.connection() as conn:  # type: ignore[attr-defined]
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
        for (table,) in tables:
            rows = conn.execute(f'SELECT t::text FROM "{table}" t').fetchall()
            found += [
                f"{table}: {n}" for (row,) in rows for n in needles if n.lower() in row.lower()
            ]
    return found


def test_forget_me_leaves_no_row_or_file_on_either_store(coach: Coach, repo: object) -> None:
    seed_priya(coach)
    coach.handle_text(USER, f"/import {FIXTURES / 'vcard4.vcf'}")
    coach.handle_text("someone-else", "/log Coffee with Ann Lee.")
    assert stored_traces(repo, USER, "Priya")  # the check can see what is there
    first = coach.handle_text(USER, "/forget me")[-1]
    second = press(coach, USER, first, "Continue")[-1]
    press(coach, USER, second, "Erase everything now")
    assert stored_traces(repo, USER, "Priya", "Tom Becker", "Lisbon", "Nopa") == []
    assert stored_traces(repo, "someone-else", "Ann Lee")  # another user keeps their data
