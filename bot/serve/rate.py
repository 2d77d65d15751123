"""One Telegram send rate for every worker process: a PTB rate limiter backed by PostgreSQL.

PTB's AIORateLimiter keeps its budget in one process, so N workers would
send N times Telegram's limit between them. This limiter takes every message
to a chat (replies and reminders alike) from the one slot row all workers
share (bot/storage/postgres/claims.py), and retries after a 429 as
AIORateLimiter does.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import partial
from typing import Any

from psycopg_pool import ConnectionPool
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.storage.postgres import claims, open_pool

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class SharedRateLimiter(BaseRateLimiter[int]):
    """At most `per_second` messages a second across every process using database `url`."""

    def __init__(self, url: str, per_second: float, *, max_retries: int = 3) -> None:
        self.url = url
        self.per_second = per_second
        self.max_retries = max_retries
        self._pool: ConnectionPool[Any] | None = None

    async def initialize(self) -> None:
        # Its one statement needs no WAL flush (one a message, else): a slot lost with the
        # database server only lets the next few sends go a little sooner.
        self._pool = await asyncio.to_thread(
            partial(open_pool, self.url, min_size=1, max_size=2, synchronous=False)
        )

    async def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.close)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            if data.get("chat_id") is not None:
                await self.wait_for_slot()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                with warnings.catch_warnings():
                    # PTB 22 warns that the type will become timedelta; both are handled.
                    warnings.simplefilter("ignore", PTBDeprecationWarning)
                    wait = exc.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                log.info("Telegram asked to wait %.1f s before %s", seconds, endpoint)
                await asyncio.sleep(seconds + 0.1)
        raise AssertionError("unreachable")

    async def wait_for_slot(self) -> None:
        """Reserve the next shared send slot and sleep until it comes."""
        pool = self._pool
        if pool is None or not self.per_second:
            return

        def reserve() -> float:
            with pool.connection() as conn:
                return claims.reserve_send_slots(conn, 1, self.per_second)

        wait = await asyncio.to_thread(reserve)
        if wait > 0:
            await asyncio.sleep(wait)
