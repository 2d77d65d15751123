"""A database that is down: a clear reply in the chat, and a 500 for Telegram to retry."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from psycopg_pool import ConnectionPool
from support import text_of

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.storage.postgres.store import PostgresRepository
from bot.templates import TemplateLibrary


@pytest.fixture
def nowhere() -> Iterator[ConnectionPool]:  # type: ignore[type-arg]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    pool: ConnectionPool = ConnectionPool(  # type: ignore[type-arg]
        f"postgresql://postgres@127.0.0.1:{port}/x",
        min_size=0,
        max_size=1,
        timeout=0.5,
        open=True,
        kwargs={"autocommit": True},
    )
    yield pool
    pool.close()


def test_an_unreachable_database_gets_a_clear_reply(
    nowhere: ConnectionPool,
    clock: ManualClock,  # type: ignore[type-arg]
) -> None:
    coach = Coach(repository=PostgresRepository(nowhere), templates=TemplateLibrary(), clock=clock)
    reply = text_of(coach.handle_text("42", "/log Coffee with Maria Lopez"))
    assert "<code>database</code> is unreachable" in reply
    assert "Nothing was changed" in reply
