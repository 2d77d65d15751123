"""Keeping an index of a user's records between turns: re-file only the records that changed.

Stores hand out the same object for a record until it is saved, so a record
that is not the very object an index holds is one that changed (or is new).
Both the /due ranking (bot/domain/insight/attention_index.py) and the
replanning index (replan_index.py) keep themselves up to date this way.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
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
) -> bool:
    """File again in `held` what changed in `given`; False (nothing done) if too much did.

    `drop` gets the record as held, `add` the one given; a record changed keeps
    its place in `held`, a new one goes last, as in the stores' own dicts.
    """
    ids = list(map(_ID, given))
    # map and zip keep the look at every record at C speed: most are unchanged.
    changed = [r for r, old in zip(given, map(held.get, ids), strict=True) if old is not r]
    if not held or len(changed) > max(REFILED, len(given) // 2):
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
    return True
