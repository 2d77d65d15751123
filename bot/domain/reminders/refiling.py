"""Keeping an index of a user's records between turns: re-file only the records that changed.

Stores hand out the same object for a record until it is saved, so a record
that is not the very object an index holds is one that changed (or is new).
Both the /due ranking (bot/domain/insight/attention_index.py) and the
replanning index (replan_index.py) keep themselves up to date this way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import compress
from operator import attrgetter, is_not
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.domain.model import Contact, Reminder

_ID = attrgetter("id")
# More records changed than this (and than half of them): all are filed again in one go.
REFILED = 64


# What may have changed since an index last looked: contacts and reminders by id (None:
# gone), and whether the records given may come in another order (one gone and back).
Changed = tuple[Mapping[str, "Contact | None"], Mapping[str, "Reminder | None"], bool]


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
    ids = list(map(_ID, given))
    # map, compress and set operations look at every record at C speed, without a
    # Python step per record: most are unchanged, and there may be 1,000.
    count = len(held)
    if ids[:count] == list(held):
        # As held, with new ones last (nothing gone): compared place by place.
        changed = [*compress(given, map(is_not, given, held.values())), *given[count:]]
    else:
        changed = list(compress(given, map(is_not, given, map(held.get, ids))))
    if len(changed) > max(REFILED, len(given) // 2):
        return False
    for record in changed:
        old = held.get(record.id)
        if old is not None:
            drop(old)
        add(record)
        held[record.id] = record
    if len(held) != len(given):  # some are gone
        for key in held.keys() - set(ids):
            drop(held.pop(key))
    return not keep_order or list(held) == ids


def refile_changed(
    held: dict[str, R],
    changed: Mapping[str, R | None],
    add: Callable[[R], None],
    drop: Callable[[R], None],
) -> bool:
    """`refile` when the store names what may have changed (by id; None: gone), so only
    those are looked at. False (nothing done) when nothing is held yet."""
    if not held:
        return False
    for key, record in changed.items():
        old = held.get(key)
        if record is old:
            continue
        if old is not None:
            if record is None:
                drop(held.pop(key))  # gone
                continue
            drop(old)
        if record is not None:
            add(record)
            held[key] = record
    return True
