"""The PostgreSQL store for scale-out deployments (chosen by RAPPORT_DATABASE_URL).

Importing this package imports psycopg; the embedded TinyDB default never does.
"""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from bot.storage.postgres.json_codec import use_orjson
from bot.storage.postgres.schema import migrate
from bot.storage.postgres.store import PostgresRepository

__all__ = ["POOL_SIZE", "PostgresRepository", "connect", "open_pool"]

# Connections per process: a webhook worker's updates in flight, plus its delivery's.
POOL_SIZE = 20


def open_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, synchronous: bool = True
) -> ConnectionPool[Any]:
    """A connection pool over `url`; connections are autocommit, sessions open transactions.

    `synchronous=False`: its commits don't wait for the WAL flush (for bookkeeping a
    crash of the database server may lose, such as the shared send slot).
    """
    kwargs: dict[str, Any] = {"autocommit": True}
    if not synchronous:
        kwargs["options"] = "-c synchronous_commit=off"
    pool: ConnectionPool[Any] = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs=kwargs,
        configure=use_orjson,
        open=False,
        name="rapport",
    )
    pool.open(wait=True, timeout=30)
    return pool


def connect(url: str, *, min_size: int = 1, max_size: int = POOL_SIZE) -> PostgresRepository:
    """Open the database at `url`, bring its schema up to date, and return the repository."""
    pool = open_pool(url, min_size=min_size, max_size=max_size)
    with pool.connection() as conn:
        migrate(conn)
    return PostgresRepository(pool, owns_pool=True)
