"""The TinyDB store on disk: one fsync a turn, private files, torn logs, faults as clear errors."""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from bot.domain.model import (
    Contact,
    Fact,
    FactKind,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UserProfile,
)
from bot.storage import atomic_json, records, wal
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.due import WAITING, next_attempt
from bot.storage.errors import CorruptStoreError, StoreError
from bot.storage.locking import folder_lock
from bot.storage.records import to_record
from bot.storage.tinydb_repository import TinyRepository, TinyUserStore, user_folder
from bot.storage.user_files import CHECKPOINT_BYTES

# These tests read the embedded store's files: the PostgreSQL run of `repo` leaves them out.
pytestmark = pytest.mark.tinydb_only


NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def log_a_meeting(repo: TinyRepository, user: str = "u", n: int = 1) -> None:
    with repo.session(user) as s:
        s.save_contact(Contact(id=f"c-{n}", name=f"Person {n}", created_at=NOW))
        s.add_interaction(Interaction(f"i-{n}", [f"c-{n}"], InteractionKind.COFFEE, NOW, "note"))
        s.save_reminders([Reminder(f"r-{n}", ReminderKind.FOLLOW_UP, NOW, f"c-{n}")])


def test_files_and_folders_are_private(repo: TinyRepository) -> None:
    log_a_meeting(repo)
    with repo.session("u") as s:
        s.rewrite()  # folds the log into the data files
    data = repo.data_dir
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {"wal", "coach.json"} <= {p.name for p in files}
    assert all(_mode(p) == 0o600 for p in files), {p: oct(_mode(p)) for p in files}
    assert all(_mode(p) == 0o700 for p in data.rglob("*") if p.is_dir())


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every fsync and fdatasync, by kind."""
    calls: list[str] = []
    real_fsync, real_fdatasync = os.fsync, os.fdatasync

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def fdatasync(fd: int) -> None:
        calls.append("fdatasync")
        real_fdatasync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "fdatasync", fdatasync)
    return calls


def test_a_turn_that_changes_something_syncs_once(repo: TinyRepository, syncs: list[str]) -> None:
    log_a_meeting(repo, n=1)  # the first commit also creates the folder and the log
    syncs.clear()
    log_a_meeting(repo, n=2)
    assert syncs == ["fdatasync"]


def test_a_turn_that_reads_touches_no_file(repo: TinyRepository, syncs: list[str]) -> None:
    log_a_meeting(repo)
    before = {p: p.stat().st_mtime_ns for p in repo.data_dir.rglob("*") if p.is_file()}
    syncs.clear()
    with repo.session("u") as s:
        s.contacts()
        list(s.interactions(contact_id="c-1"))
        s.reminders()
        s.set_state("flow", None)  # nothing to clear: no write
        s.save_contact(s.contacts()[0])  # unchanged: no write
    assert syncs == []
    assert {p: p.stat().st_mtime_ns for p in repo.data_dir.rglob("*") if p.is_file()} == before


def test_the_log_is_folded_into_tinydb_files(repo: TinyRepository) -> None:
    for n in range(400):
        with repo.session("u") as s:
            s.save_contact(Contact(id=f"c-{n:03d}", name="x" * 3000, created_at=NOW))
    repo.close()  # folds run in the background: let the last one finish
    folder = user_folder(repo.data_dir, "u")
    assert (folder / "wal").stat().st_size < CHECKPOINT_BYTES
    # Every data file is a TinyDB database any TinyDB can query.
    found = []
    for bucket in sorted((folder / "contacts").glob("*.json")):
        found += TinyDB(bucket).table("contacts").search(Query().id.exists())
    in_log = wal.read(folder / "wal").commits
    assert found  # folded at least once
    assert len(found) + len(in_log) >= 400
    with TinyRepository(repo.data_dir).session("u") as s:
        assert len(s.contacts()) == 400


def test_a_torn_last_line_is_dropped_and_the_rest_kept(repo: TinyRepository) -> None:
    log_a_meeting(repo, n=1)
    path = user_folder(repo.data_dir, "u") / "wal"
    with path.open("ab") as fh:
        fh.write(b'0badc0de {"seq": 2, "ops": [["contacts", "c-9"')  # a kill mid-append
    fresh = TinyRepository(repo.data_dir)
    with fresh.session("u") as s:
        assert [c.id for c in s.contacts()] == ["c-1"]
    log_a_meeting(fresh, n=2)
    with TinyRepository(repo.data_dir).session("u") as s:
        assert sorted(c.id for c in s.contacts()) == ["c-1", "c-2"]


def test_a_damaged_line_in_the_middle_is_kept_aside(repo: TinyRepository) -> None:
    log_a_meeting(repo, n=1)
    log_a_meeting(repo, n=2)
    folder = user_folder(repo.data_dir, "u")
    lines = (folder / "wal").read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Person 1", b"Person X")  # the CRC no longer matches
    (folder / "wal").write_bytes(b"\n".join(lines))
    with TinyRepository(repo.data_dir).session("u") as s:
        assert s.contacts() == []  # stops at the damage: never applies a later turn alone
    assert list(folder.glob("wal.damaged-*"))


def test_temp_files_left_by_a_kill_are_swept(repo: TinyRepository) -> None:
    log_a_meeting(repo)
    folder = user_folder(repo.data_dir, "u")
    leftover = folder / ".coach.json.abc123.tmp"
    leftover.write_text('{"contacts": "Priya Raman"}')
    with TinyRepository(repo.data_dir).session("u") as s:
        s.contacts()
    assert not leftover.exists()


@pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b"\xff\xfe", b'{"t": 3}'])
def test_a_corrupt_file_is_named_and_never_replaced(repo: TinyRepository, content: bytes) -> None:
    log_a_meeting(repo)
    path = user_folder(repo.data_dir, "u") / "coach.json"
    path.write_bytes(content)
    with pytest.raises(CorruptStoreError) as info, repo.session("u") as s:
        s.profile()
    assert "coach.json" in str(info.value)
    with pytest.raises(CorruptStoreError), repo.session("u") as s:
        s.save_contact(Contact(id="c-2", name="Ann"))
    assert path.read_bytes() == content


def test_a_bad_record_is_named(repo: TinyRepository) -> None:
    log_a_meeting(repo)
    path = user_folder(repo.data_dir, "u") / "coach.json"
    AtomicJSONStorage(path).write({"profile": {"1": {"user_id": "u", "quiet_start": "noon"}}})
    with pytest.raises(CorruptStoreError, match="quiet_start"), repo.session("u") as s:
        s.profile()


def test_files_of_the_older_layout_load_and_are_split_at_the_next_fold(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = user_folder(data, "u")
    tables = {
        "profile": {"1": to_record(UserProfile("u", timezone="Europe/Berlin"))},
        "contacts": {"1": to_record(Contact(id="c-1", name="Maria Lopez", created_at=NOW))},
        "reminders": {"1": to_record(Reminder("r-1", ReminderKind.FOLLOW_UP, NOW, "c-1"))},
        "buttons": {"1": {"ref": "oldref", "payload": {"op": "person.show"}, "at": 1.0}},
        "state": {"1": {"name": "flow", "value": {"name": "x"}}},
    }
    AtomicJSONStorage(folder / "coach.json").write(tables)
    segment = {"records": {str(n): to_record(
        Interaction(f"i-{n}", ["c-1"], InteractionKind.CALL, NOW, f"n{n}")) for n in range(1, 501)
    }}  # fmt: skip
    AtomicJSONStorage(folder / "history" / "interactions" / "000001.json").write(segment)
    repo = TinyRepository(data)
    with repo.session("u") as s:
        assert s.profile().timezone == "Europe/Berlin"
        assert [c.name for c in s.contacts()] == ["Maria Lopez"]
        assert s.button("oldref") == {"op": "person.show"}
        assert next(s.interactions(contact_id="c-1")).id == "i-500"
        s.add_interaction(Interaction("i-501", ["c-1"], InteractionKind.CALL, NOW, "new"))
        s.rewrite()  # fold now
    main = json.loads((folder / "coach.json").read_text())
    assert "contacts" not in main
    assert "reminders" not in main
    with TinyRepository(data).session("u") as s:
        assert [i.id for i in s.interactions(contact_id="c-1")][:2] == ["i-501", "i-500"]
        assert [r.id for r in s.reminders()] == ["r-1"]
        assert s.state("flow") == {"name": "x"}


def test_a_full_disk_keeps_everything_as_it_was(
    repo: TinyRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_a_meeting(repo, n=1)
    before = files_of(user_folder(repo.data_dir, "u"))
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if b'"seq"' in data:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StoreError) as info:
        log_a_meeting(repo, n=2)
    monkeypatch.undo()
    assert info.value.reason == "full"
    assert files_of(user_folder(repo.data_dir, "u")) == before
    with repo.session("u") as s:
        assert [c.id for c in s.contacts()] == ["c-1"]  # the cache holds no half-turn either
        assert [i.id for i in s.interactions()] == ["i-1"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_can_still_be_read(repo: TinyRepository) -> None:
    log_a_meeting(repo)
    for path in [repo.data_dir, *repo.data_dir.rglob("*")]:
        if path.is_dir():
            path.chmod(0o500)
    try:
        fresh = TinyRepository(repo.data_dir)
        with fresh.session("u") as s:
            assert [c.id for c in s.contacts()] == ["c-1"]
        with pytest.raises(StoreError) as info:
            log_a_meeting(fresh, n=2)
        assert info.value.reason in ("read-only", "denied")
    finally:
        for path in [repo.data_dir, *repo.data_dir.rglob("*")]:
            if path.is_dir():
                path.chmod(0o700)


def test_a_data_folder_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_text("not a folder")
    with pytest.raises(StoreError) as info, TinyRepository(path).session("u"):
        pass
    assert info.value.reason == "not-a-folder"


def test_erase_leaves_no_trace_of_the_user_in_any_file(repo: TinyRepository) -> None:
    log_a_meeting(repo, user="1001")
    log_a_meeting(repo, user="2002")
    deliverer = repo.schedule.deliverer(channel="telegram")
    assert deliverer is not None
    deliverer.close()
    repo.erase("1001")
    leftovers = [
        str(p) for p in repo.data_dir.rglob("*") if p.is_file() and b"1001" in p.read_bytes()
    ]
    assert leftovers == []
    assert not (repo.data_dir / "users" / "1001").exists()


def test_delivered_statuses_stay_open(repo: TinyRepository) -> None:
    log_a_meeting(repo)
    with repo.session("u") as s:
        (r,) = s.reminders()
        r.status = ReminderStatus.DELIVERED
        s.save_reminders([r])
    with TinyRepository(repo.data_dir).session("u") as s:
        assert [x.status for x in s.reminders()] == [ReminderStatus.DELIVERED]


def _big_turns(repo: TinyRepository, first: int, count: int) -> None:
    for n in range(first, first + count):
        with repo.session("u") as s:
            s.save_contact(Contact(id=f"c-{n:03d}", name=f"P{n} " + "x" * 3000, created_at=NOW))


def _fold_between(repo: TinyRepository, during: object) -> bool:
    """Fold the way the background thread does, running `during()` while the files are written."""
    folder = user_folder(repo.data_dir, "u")
    files = repo._files(folder)
    with folder_lock(folder):
        files.refresh(writable=True)
        plan = files.plan_fold()
    files.write_fold(plan)
    during()  # type: ignore[operator]
    with folder_lock(folder):
        files.refresh(writable=True)
        return files.finish_fold(plan)


def test_turns_during_a_fold_wait_for_nothing_and_stay_in_the_log(repo: TinyRepository) -> None:
    _big_turns(repo, 0, 20)
    folder = user_folder(repo.data_dir, "u")
    # The turns commit while the fold writes: the fold holds no lock then.
    assert _fold_between(repo, lambda: _big_turns(repo, 20, 5))
    commits = wal.read(folder / "wal").commits
    assert len(commits) == 5  # the fold's turns left the log; the five later ones stayed
    assert not list(folder.rglob("*.tmp"))
    with TinyRepository(repo.data_dir).session("u") as s:  # a cold start: files, then log
        assert len(s.contacts()) == 25
    with repo.session("u") as s:
        assert len(s.contacts()) == 25


def test_a_fold_that_lost_a_race_with_another_changes_nothing(repo: TinyRepository) -> None:
    _big_turns(repo, 0, 20)

    def checkpoint_and_delete() -> None:
        with repo.session("u") as s:
            s.delete_contact("c-003")
            s.rewrite()  # a synchronous fold: the log is replaced

    folder = user_folder(repo.data_dir, "u")
    assert not _fold_between(repo, checkpoint_and_delete)
    assert not list(folder.rglob("*.tmp"))  # its temp copies (with c-003) are gone
    for store in (TinyRepository(repo.data_dir), repo):
        with store.session("u") as s:
            assert len(s.contacts()) == 19
            assert s.contact("c-003") is None
    assert b"c-003" not in b"".join(files_of(folder).values())


def test_the_due_entry_follows_each_change_as_a_full_count_would(repo: TinyRepository) -> None:
    """A turn computes only the reminders it changed; the result must equal counting them all."""

    def stored_due() -> float | None:
        with repo.session("u") as s:
            assert isinstance(s, TinyUserStore)
            found = s.stored_due()
            full = next_attempt(s.profile(), s.reminders(WAITING))
            assert found is not None
            assert found[0] == (full.timestamp() if full else None)
            return found[0]

    day = datetime(2026, 12, 1, tzinfo=UTC)
    with repo.session("u") as s:
        s.save_reminders([
            Reminder(f"r-{n}", ReminderKind.FOLLOW_UP, day.replace(hour=n + 6), "c")
            for n in range(5)
        ])  # fmt: skip
    first = stored_due()
    with repo.session("u") as s:  # a change to one: the others' times are kept
        changed = s.reminder("r-0")
        assert changed is not None
        changed.text = "bring the deck"
        s.save_reminders([changed])
    assert stored_due() == first
    with repo.session("u") as s:
        profile = s.profile()
        profile.quiet_start, profile.quiet_end = time(20, 0), time(9, 30)  # 06:00 is now quiet
        s.save_profile(profile)
    assert stored_due() != first
    with repo.session("u") as s:
        sending = s.reminder("r-4")
        assert sending is not None
        sending.status, sending.due_at = ReminderStatus.SENDING, day.replace(hour=3)
        s.save_reminders([sending])
    assert stored_due() == day.replace(hour=3).timestamp()
    with repo.session("u") as s:
        s.delete_reminders(["r-4"])
    assert stored_due() == day.replace(hour=9, minute=30).timestamp()
    with repo.session("u") as s:
        profile = s.profile()
        profile.paused = True
        s.save_profile(profile)
    assert stored_due() is None


def test_a_key_written_back_as_it_was_is_still_named_to_kept_indexes(
    repo: TinyRepository,
) -> None:
    # An index may file the version written in between; nothing is committed, so only the
    # journal can tell it to file the record again (else it kept the wrong due date).
    log_a_meeting(repo)
    with repo.session("u") as s:
        mark, _, _ = s.journal_changes("reminders", None)
    with repo.session("u") as s:
        (original,) = s.reminders()
        s.save_reminders([replace(original, due_at=NOW + timedelta(days=5))])
        _, seen, _ = s.journal_changes("reminders", mark)
        assert seen is not None
        assert seen["r-1"].due_at == NOW + timedelta(days=5)
        s.save_reminders([original])
        mark, _, _ = s.journal_changes("reminders", mark)
    with repo.session("u") as s:
        _, named, _ = s.journal_changes("reminders", mark)
    assert named is not None
    assert named["r-1"].due_at == NOW


def test_the_records_a_session_writes_are_named_to_kept_indexes_in_the_order_written(
    repo: TinyRepository,
) -> None:
    # An index refreshed mid-turn adds new records in the order named; the store hands them
    # out in the order written. Named otherwise (a set's order), the index's order strayed
    # from the store's and the next record gone and back filed every record again.
    log_a_meeting(repo)
    with repo.session("u") as s:
        mark, _, _ = s.journal_changes("reminders", None)
    ids = [f"r-new-{n}" for n in (5, 1, 9, 3, 7, 2, 8, 4, 6, 0)]
    with repo.session("u") as s:
        for rid in ids:
            s.save_reminders([Reminder(rid, ReminderKind.FOLLOW_UP, NOW, "c-1")])
        _, named, _ = s.journal_changes("reminders", mark)
        assert named is not None
        assert list(named) == ids
        assert [r.id for r in s.reminders()] == ["r-1", *ids]


def test_an_undoable_turn_logs_the_records_as_they_were_byte_for_byte(
    repo: TinyRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The undo record keeps a contact as it was from the commit that wrote it, serialised
    # then: the line must read as if everything were serialised afresh.
    lines: list[tuple[bytes, bytes]] = []
    append = wal.append

    def logged(path: Path | str, commit: wal.Commit, **kwargs: object) -> object:
        dumped = kwargs.get("dumped")
        assert isinstance(dumped, dict)
        lines.append((wal.encode(commit, dict(dumped)), wal.encode(commit)))
        return append(path, commit, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(wal, "append", logged)
    facts = [Fact(FactKind.INTEREST, f"likes topic {n} ünïcode", NOW) for n in range(30)]
    for n in range(3):
        with repo.session("u") as s:
            undo = s.mark_undoable()
            s.save_contact(Contact(id="c-1", name=f"Maria {n}", created_at=NOW, facts=facts))
    assert len(lines) == 3
    for kept, afresh in lines:
        assert kept == afresh
    with repo.session("u") as s:
        assert s.revert(undo) is not None
        contact = s.contact("c-1")
        assert contact is not None
        assert contact.name == "Maria 1"


def test_forgetting_someone_leaves_no_copy_of_their_text_in_what_saving_keeps(
    repo: TinyRepository,
) -> None:
    facts = [Fact(FactKind.INTEREST, f"collects rare orchids {n}", NOW) for n in range(3)]
    for n in range(2):
        with repo.session("u") as s:
            s.mark_undoable()
            s.save_contact(Contact(id="c-1", name=f"Orla {n}", created_at=NOW, facts=facts))
    kept = (records._MEMO, atomic_json._PARTS)
    assert "orchids" in repr(kept)
    with repo.session("u") as s:
        s.forget_contact("c-1")
    assert "orchids" not in repr(kept)
    with repo.session("u") as s:
        s.save_contact(Contact(id="c-2", name="Orla", created_at=NOW, facts=facts))
    repo.erase("u")
    assert "orchids" not in repr(kept)
