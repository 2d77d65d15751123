"""How much does logging cost as a user's history grows?

Logs meetings for a user with 100 past interactions and for one with 100,000,
through the real engine (/log) and through the store alone, and compares
with the naive layout (every interaction in one TinyDB file). Figures are
medians, and ratios against the 100-interaction user measured in the same run.
Then what a fold of the log into the data files costs a turn: how long it
holds the user's lock (the longest a turn can wait for it) against the
whole fold, both as multiples of one atomic small write in the same run.

    python bench/store_write.py [--runs 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Interaction, InteractionKind
from bot.engine.coach import Coach
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.locking import folder_lock
from bot.storage.records import to_record
from bot.storage.tinydb_repository import TinyRepository, user_folder
from bot.storage.user_files import SEGMENT_SIZE
from bot.templates import TemplateLibrary

START = datetime(2026, 11, 27, 9, tzinfo=UTC)
CONTACTS = 50
TURNS = 250  # about 0.9 MB of log: just under the size that starts a fold by itself


def interaction(n: int) -> Interaction:
    return Interaction(
        id=f"i-{n:06d}",
        contact_ids=[f"c-{n % CONTACTS:03d}"],
        kind=InteractionKind.COFFEE,
        occurred_at=START - timedelta(hours=n),
        note=f"Coffee with person {n % CONTACTS}. Talked about hiring and her trip to Lisbon.",
    )


def seed_user(repo: TinyRepository, user: str, past: int) -> None:
    """Store `past` interactions (in batches, unsynced: set-up, not what is measured)."""
    for first in range(0, past, 5000):
        with repo.session(user, sync=False) as store:
            for n in range(first, min(past, first + 5000)):
                store.add_interaction(interaction(n))
    with repo.session(user) as store:
        for c in range(CONTACTS):
            store.save_contact(
                Contact(id=f"c-{c:03d}", name=f"Person{c} Example{c}", created_at=START)
            )
    repo.flush()


def median_ms(action: Callable[[int], object], runs: int) -> float:
    samples = []
    for n in range(runs):
        t0 = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        repo = TinyRepository(Path(tmp) / "data")
        coach = Coach(repository=repo, templates=TemplateLibrary(), clock=ManualClock(START))
        for user, past in (("small", 100), ("large", 100_000)):
            seed_user(repo, user, past)

        def store_log(user: str) -> Callable[[int], object]:
            def act(n: int) -> None:
                with repo.session(user) as store:
                    store.add_interaction(interaction(900_000 + n))
                    contact = store.contact("c-001")
                    assert contact is not None
                    contact.last_interaction_at = START
                    store.save_contact(contact)

            return act

        def engine_log(user: str) -> Callable[[int], object]:
            return lambda n: coach.handle_text(
                user, f"/log Coffee with Person1 Example1. Run {n}, she is moving to Lisbon in May."
            )

        naive_path = Path(tmp) / "naive.json"
        naive = TinyDB(naive_path, storage=JSONStorage).table("interactions")
        naive.insert_multiple(to_record(interaction(n)) for n in range(100_000))

        rows = [
            ("store: 100 past", median_ms(store_log("small"), runs)),
            ("store: 100,000 past", median_ms(store_log("large"), runs)),
            ("/log: 100 past", median_ms(engine_log("small"), runs)),
            ("/log: 100,000 past", median_ms(engine_log("large"), runs)),
            (
                "naive one-file: 100,000 past",
                median_ms(lambda n: naive.insert(to_record(interaction(n))), max(10, runs // 4)),
            ),
        ]
        naive_mb = naive_path.stat().st_size / 1e6
    base_store, base_engine = rows[0][1], rows[2][1]
    print(f"{'case':32} {'median ms':>10} {'ratio':>8}")
    for name, ms in rows:
        base = base_engine if name.startswith("/log") else base_store
        print(f"{name:32} {ms:10.2f} {ms / base:8.2f}x")
    print(f"naive file size: {naive_mb:.1f} MB; segment size: {SEGMENT_SIZE} interactions")
    fold_costs(max(5, runs // 10))


def fold_costs(runs: int) -> None:
    """A fold's time under the user's lock (plan + finish) and in all, per atomic write."""
    held, whole, sizes = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        floor = AtomicJSONStorage(Path(tmp) / "floor.json")
        write = median_ms(lambda n: floor.write_text(f'{{"n": {n}}}'), 100)
        repo = TinyRepository(Path(tmp) / "data")
        seed_user(repo, "u", 2_000)
        folder = user_folder(repo.data_dir, "u")
        for run in range(runs):
            for n in range(TURNS):  # contacts with long names, new each run
                with repo.session("u") as store:
                    contact = Contact(
                        id=f"c-{n:03d}", name=f"{run} " + "x" * 3000, created_at=START
                    )
                    store.save_contact(contact)
                    store.add_interaction(interaction(500_000 + run * TURNS + n))
            files = repo._files(folder)
            sizes.append(files.wal_size() / 1024)
            t0 = time.perf_counter()
            with folder_lock(folder):
                files.refresh(writable=True)
                plan = files.plan_fold()
            t1 = time.perf_counter()
            files.write_fold(plan)
            t2 = time.perf_counter()
            with folder_lock(folder):
                files.refresh(writable=True)
                assert files.finish_fold(plan)
            t3 = time.perf_counter()
            held.append(((t1 - t0) + (t3 - t2)) * 1000)
            whole.append((t3 - t0) * 1000)
        repo.close()
    lock, total = statistics.median(held), statistics.median(whole)
    print(
        f"\nfold of a {statistics.median(sizes):.0f} KB log (median of {runs}): "
        f"the user's lock held {lock:.1f} ms = {lock / write:.1f} atomic "
        f"writes; the whole fold {total:.1f} ms = {total / write:.1f} atomic writes "
        f"(until this change a turn could wait for all of it); one atomic write {write:.2f} ms"
    )


if __name__ == "__main__":
    main()
