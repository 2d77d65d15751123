"""Keeping an index of a user's records between turns: re-file only the records that changed.

Stores hand out the same object for a record until it is saved, so a record
that is not the very object an index holds is one that changed (or is new).
Both the /due ranking (bot/domain/insight/attention_index.py) and the
replanning index (replan_index.py) keep themselves up to date this way.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from operator import attrgetter, is_not
from typing import Protocol, TypeVar

_ID = attrgetter("id")
# More records changed than this (and than half of them): all are filed again in one go.
REFILED = 64


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


def refile(
    held: dict[str, R],
    given: list[R],
    add: Callable[[R], None],
    drop: Callable[[R], None],
    *,
    keep_order: bool = False,
) -> bool:
    """File again in `held` what changed in `given`; False (nothing done) if too much did.

    `drop` gets the record as held, `add` the one given; a record changed keeps
    its place in `held`, a new one goes last, as in the stores' own dicts. With
    `keep_order`, also False (after the work) when `held` does not end in the
    order given.
    """
    if not held:
        return False
    aligned = _refile_aligned(held, given, add, drop)
    if aligned is not None:
        return aligned
    ids = list(map(_ID, given))
    # map and zip keep the look at every record at C speed: most are unchanged.
    changed = [r for r, old in zip(given, map(held.get, ids), strict=True) if old is not r]
    if len(changed) > _most(given):
        return False
    for record in changed:
        old = held.get(record.id)
        if old is not None:
            drop(old)
        add(record)
        held[record.id] = record
    if len(held) != len(given):  # some are gone
        kept = set(ids)
        for key in [key for key in held if key not in kept]:
            drop(held.pop(key))
    return not keep_order or list(held) == ids


def _most(given: list[R]) -> int:
    return max(REFILED, len(given) // 2)


def _refile_aligned(
    held: dict[str, R], given: list[R], add: Callable[[R], None], drop: Callable[[R], None]
) -> bool | None:
    """`refile` when `given` is `held` in its order with some records changed and some new
    ones last (what a store hands out between turns with nothing gone); else None.

    Compares the records place by place without a Python step per record.
    """
    count = len(held)
    if len(given) < count:
        return None
    keys, records = list(held), list(held.values())
    changed = list(compress(range(count), map(is_not, given, records)))
    if len(changed) + len(given) - count > _most(given):
        return None  # many, or one gone and everyone after it out of place: look by id
    if any(given[at].id != keys[at] for at in changed):
        return None
    new = given[count:]
    if any(record.id in held for record in new) or len({r.id for r in new}) != len(new):
        return None
    for at in changed:
        drop(records[at])
        add(given[at])
        held[keys[at]] = given[at]
    for record in new:
        add(record)
        held[record.id] = record
    return True
