"""Serve many users at once while each user's updates are handled in the order they came."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates handled at once; the engine turns themselves run on a small thread pool.
CONCURRENT_UPDATES = 64


class PerUserOrder(BaseUpdateProcessor):
    """Runs updates concurrently, except that one user's wait for each other, in order.

    PTB starts one task per update in arrival order and each takes its
    user's lock before its first pause, so a user's turns keep their order
    (a press is never answered before the message that made its button).
    """

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = _user_of(update)
        if user is None:
            await coroutine
            return
        lock = self._locks.setdefault(user, asyncio.Lock())
        self._queued[user] = self._queued.get(user, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[user] -= 1
            if not self._queued[user]:
                del self._queued[user], self._locks[user]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _user_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
