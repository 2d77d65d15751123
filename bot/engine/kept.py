"""What a feature keeps in memory for each recent user between turns.

An index over a user's records (the /due ranking) is
worth keeping while they are active: the next turn re-files only what
changed. It is a cache: a user not seen lately is dropped, and /forget drops
the user at once (register `drop` on Router.on_forget).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
# Users kept per cache (the most recent ones).
KEPT_USERS = 64


class PerUser(Generic[T]):
    """One `make()` per recent user, most recent kept."""

    def __init__(self, make: Callable[[], T], size: int = KEPT_USERS) -> None:
        self._make = make
        self._size = size
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._guard = threading.Lock()  # engine threads serve other users at once

    def of(self, user_id: str) -> T:
        """The user's own, made on first use."""
        with self._guard:
            found = self._kept.pop(user_id, None)
            if found is None:
                found = self._make()
            self._kept[user_id] = found
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
            return found

    def drop(self, user_id: str) -> None:
        """Forget what is held of the user (after /forget)."""
        with self._guard:
            self._kept.pop(user_id, None)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._kept
