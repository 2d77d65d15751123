"""The TinyDB store on disk: atomic writes, private files, loud corruption, separate users."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.model import (
    Contact,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from bot.storage.atomic_json import AtomicJSONStorage, CorruptStoreError
from bot.storage.history_log import HistoryLog
from bot.storage.tinydb_repository import TinyRepository

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.tinydb_only
def test_files_and_folders_are_private(repo: TinyRepository) -> None:
    with repo.session("alice") as store:
        store.save_contact(Contact(id="c-1", name="Maria Lopez"))
        store.add_interaction(Interaction("i-1", ["c-1"], InteractionKind.COFFEE, NOW, "coffee"))
    user_dir = repo.data_dir / "users" / "alice"
    files = [p for p in user_dir.rglob("*") if p.is_file()]
    assert any(p.name == "coach.json" for p in files)
    assert all(_mode(p) == 0o600 for p in files), {p: oct(_mode(p)) for p in files}
    assert _mode(user_dir) == 0o700


def test_write_replaces_atomically_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"v": "old"}}})
    inode = path.stat().st_ino

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # A failure mid-write must leave the old file whole and no temp file behind.
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        storage.write({"t": {"1": {"v": "new"}}})
    monkeypatch.undo()
    assert json.loads(path.read_text()) == {"t": {"1": {"v": "old"}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]

    storage.write({"t": {"1": {"v": "new"}}})
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert storage.read() == {"t": {"1": {"v": "new"}}}


@pytest.mark.tinydb_only
@pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b"\xff\xfe", b'{"t": 3}'])
def test_corrupt_file_is_named_and_never_replaced(repo: TinyRepository, content: bytes) -> None:
    with repo.session("bob") as store:
        store.save_contact(Contact(id="c-1", name="Tom"))
    path = repo.data_dir / "users" / "bob" / "coach.json"
    path.write_bytes(content)
    with repo.session("bob") as store, pytest.raises(CorruptStoreError) as info:
        store.contacts()
    assert "coach.json" in str(info.value)
    with repo.session("bob") as store, pytest.raises(CorruptStoreError):
        store.save_contact(Contact(id="c-2", name="Ann"))
    assert path.read_bytes() == content


@pytest.mark.tinydb_only
def test_two_users_live_in_two_files(repo: TinyRepository) -> None:
    with repo.session("alice") as store:
        store.save_contact(Contact(id="c-a", name="Maria"))
    with repo.session("bob") as store:
        store.save_contact(Contact(id="c-b", name="Tom"))
        assert [c.name for c in store.contacts()] == ["Tom"]
        assert store.contact("c-a") is None
    with repo.session("alice") as store:
        assert [c.name for c in store.contacts()] == ["Maria"]
    assert sorted(repo.user_ids()) == ["alice", "bob"]
    assert (repo.data_dir / "users" / "alice" / "coach.json").is_file()
    assert (repo.data_dir / "users" / "bob" / "coach.json").is_file()


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", "x" * 65, "ünï"])
def test_user_ids_cannot_escape_the_data_folder(repo: TinyRepository, bad: str) -> None:
    with pytest.raises(ValueError, match="invalid user id"), repo.session(bad):
        pass


def test_records_round_trip_with_types(repo: TinyRepository) -> None:
    reminder = Reminder("r-1", ReminderKind.PROMISE, NOW, "c-1", "send the deck")
    with repo.session("u") as store:
        store.save_reminders([reminder])
    with repo.session("u") as store:
        assert store.reminder("r-1") == reminder


def test_finished_reminders_move_to_history(repo: TinyRepository) -> None:
    reminder = Reminder("r-1", ReminderKind.PROMISE, NOW, "c-1", "send the deck")
    with repo.session("u") as store:
        store.save_reminders([reminder])
        reminder.status = ReminderStatus.DONE
        store.save_reminders([reminder])
        assert store.reminders() == []


def test_history_segments_are_capped(tmp_path: Path) -> None:
    log = HistoryLog(tmp_path / "log", segment_size=3)
    for n in range(7):
        log.append({"id": f"r{n}", "n": n})
    assert sorted(p.name for p in (tmp_path / "log").iterdir()) == [
        "000001.json",
        "000002.json",
        "000003.json",
    ]
    assert [r["n"] for r in log.newest_first()] == [6, 5, 4, 3, 2, 1, 0]
    assert log.delete("r4")
    assert not log.delete("r4")
    log.scrub(lambda r: None if r["n"] % 2 else {**r, "seen": True})
    assert [r["n"] for r in log.newest_first()] == [6, 2, 0]
    assert all(r["seen"] for r in log.newest_first())


def test_interactions_newest_first_by_contact(repo: TinyRepository) -> None:
    with repo.session("u") as store:
        for n in range(5):
            store.add_interaction(
                Interaction(
                    f"i-{n}", ["c-1"] if n % 2 else ["c-2"], InteractionKind.CALL, NOW, f"n{n}"
                )
            )
        assert [i.id for i in store.interactions(contact_id="c-1")] == ["i-3", "i-1"]


def test_forget_contact_scrubs_their_part_of_history(repo: TinyRepository) -> None:
    with repo.session("u") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_contact(Contact(id="c-2", name="Tom"))
        store.add_interaction(Interaction("i-1", ["c-1"], InteractionKind.CALL, NOW, "just Maria"))
        store.add_interaction(
            Interaction("i-2", ["c-1", "c-2"], InteractionKind.LUNCH, NOW, "both")
        )
        store.save_reminders([Reminder("r-1", ReminderKind.PROMISE, NOW, "c-1")])
        store.forget_contact("c-1")
        assert [c.id for c in store.contacts()] == ["c-2"]
        assert [(i.id, i.contact_ids) for i in store.interactions()] == [("i-2", ["c-2"])]
        assert store.reminders() == []


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files written, in order."""
    written: list[str] = []
    real_write = AtomicJSONStorage.write_text

    def counting(self: AtomicJSONStorage, text: str) -> None:
        written.append(self.path.name)
        real_write(self, text)

    monkeypatch.setattr(AtomicJSONStorage, "write_text", counting)
    return written


@pytest.mark.tinydb_only
def test_a_session_writes_its_main_file_once_at_the_end(
    repo: TinyRepository, writes: list[str]
) -> None:
    batch = [Reminder(f"r-{n}", ReminderKind.FOLLOW_UP, NOW, "c-1") for n in range(6)]
    with repo.session("u") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_reminders(batch)
        store.set_state("flow", {"name": "x"})
        assert [r.id for r in store.reminders()] == [r.id for r in batch]  # reads see writes
        assert writes == []
    assert writes == ["coach.json"]
    writes.clear()
    with repo.session("u") as store:
        for r in batch:
            r.status = ReminderStatus.DELIVERED if r.id < "r-3" else ReminderStatus.DONE
        store.save_reminders(batch)
    # Finished ones go to a history segment; the main file is written once.
    assert sorted(writes) == ["000001.json", "coach.json"]
    with repo.session("u") as store:
        assert [r.id for r in store.reminders()] == ["r-0", "r-1", "r-2"]


def test_a_failed_session_changes_nothing(repo: TinyRepository) -> None:
    with repo.session("u") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))

    def half_done() -> None:
        with repo.session("u") as store:
            store.delete_contact("c-1")
            store.save_contact(Contact(id="c-2", name="Tom"))
            raise RuntimeError("a bug half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        half_done()
    with repo.session("u") as store:
        assert [c.name for c in store.contacts()] == ["Maria"]


def test_a_nested_session_shares_the_outer_one(repo: TinyRepository) -> None:
    with repo.session("u") as outer:
        outer.save_contact(Contact(id="c-1", name="Maria"))
        with repo.session("u") as inner:
            assert inner is outer
            inner.save_contact(Contact(id="c-2", name="Tom"))
    with repo.session("u") as store:
        assert sorted(c.name for c in store.contacts()) == ["Maria", "Tom"]


def test_what_a_caller_changes_in_a_read_stays_out_of_the_store(repo: TinyRepository) -> None:
    with repo.session("u") as store:
        store.set_state("flow", {"name": "x", "items": [1]})
        store.state("flow")["items"].append(2)  # type: ignore[index]
        assert store.state("flow") == {"name": "x", "items": [1]}
