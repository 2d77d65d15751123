"""An index re-filed turn by turn holds what the records given say, however they changed."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from bot.domain.reminders.refiling import REFILED, refile


@dataclass
class Record:
    id: str
    value: int


class Filing:
    """What add and drop were told, by id: each record given filed once, as it was given."""

    def __init__(self, records: list[Record]) -> None:
        self.filed = {r.id: r.value for r in records}

    def add(self, record: Record) -> None:
        assert record.id not in self.filed
        self.filed[record.id] = record.value

    def drop(self, record: Record) -> None:
        assert self.filed.pop(record.id) == record.value


def test_refiling_holds_the_records_given_with_each_filed_once() -> None:
    rng = random.Random(15)
    for trial in range(200):
        given = [Record(f"r-{n}", 0) for n in range(rng.randrange(2, 150))]
        held, filing = {r.id: r for r in given}, Filing(given)
        for step in range(10):
            given = list(given)
            for _ in range(rng.choice([0, 1, 2, 5, 80])):
                at = rng.randrange(len(given))
                given[at] = replace(given[at], value=rng.randrange(1000))
            if rng.random() < 0.3:
                given += [Record(f"r-{trial}-{step}-{n}", 1) for n in range(rng.randrange(1, 4))]
            if rng.random() < 0.2:
                del given[rng.randrange(len(given))]
            if rng.random() < 0.1:
                rng.shuffle(given)
            ids = [r.id for r in given]
            changed = [r for r in given if held.get(r.id) is not r]
            order = [key for key in held if key in set(ids)] + [
                r.id for r in changed if r.id not in held
            ]
            expected = len(changed) <= max(REFILED, len(given) // 2) and order == ids
            assert refile(held, given, filing.add, filing.drop, keep_order=True) == expected
            if expected:
                assert list(held.items()) == [(r.id, r) for r in given], (trial, step)
                assert filing.filed == {r.id: r.value for r in given}, (trial, step)
            else:  # filed again in one go, as the indexes do
                held, filing = {r.id: r for r in given}, Filing(given)
