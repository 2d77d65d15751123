"""How long an import takes: reading a vCard, planning, and writing, for 1,000 and 10,000 cards.

    python bench/import_speed.py [--runs 3]

Floors measured in the same run: one atomic small write (the cost of any
saved turn) and json.loads of a document as big as the file. Medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.tinydb_repository import TinyRepository
from bot.transfer.bundle import Restore
from bot.transfer.merge import Snapshot, apply, plan_for
from bot.transfer.people import AddressBook
from bot.transfer.upload import read_upload

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def vcards(count: int) -> bytes:
    return "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:Person {i:05d}\r\nN:{i:05d};Person;;;\r\nEMAIL;TYPE=INTERNET:p{i}@example.org\r\n"
        f"TEL;TYPE=CELL:+49 151 {i:07d}\r\nORG:Company {i % 300}\r\nTITLE:Engineer\r\n"
        f"BDAY:19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}\r\nEND:VCARD\r\n"
        for i in range(count)
    ).encode()


def median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write(book: AddressBook | Restore) -> None:
    """Plan and write an import into a fresh store, in one session."""
    repo = TinyRepository(Path(tempfile.mkdtemp()))
    try:
        with repo.session("u") as store:
            apply(store, plan_for(store, book, NOW))
    finally:
        repo.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp())
    small = AtomicJSONStorage(folder / "floor.json")
    write_floor = median(runs * 5, lambda: small.write({"t": {"1": {"a": 1}}}))
    print(f"floor: one atomic small write {write_floor * 1000:.2f} ms")
    for count in (1_000, 10_000):
        data = vcards(count)
        document = json.dumps({"x": data.decode()})
        loads_floor = median(runs, partial(json.loads, document))
        book = read_upload("bench.vcf", data)
        read = median(runs, partial(read_upload, "bench.vcf", data))
        plan = median(runs, partial(plan_for, Snapshot.empty("u"), book, NOW))
        written = median(runs, partial(write, book))
        print(
            f"{count:>6,} cards ({len(data) / 1e6:.1f} MB): read {read:.2f} s, "
            f"plan {plan:.2f} s, plan+write {written:.2f} s "
            f"= {written / write_floor:,.0f}x one small write; "
            f"read is {read / loads_floor:,.0f}x json.loads of the same size"
        )


if __name__ == "__main__":
    main()
