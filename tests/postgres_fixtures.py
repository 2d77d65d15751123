"""PostgreSQL for the tests: a database of this run's own on the server named by the environment.

RAPPORT_TEST_DATABASE_URL names a server (`.ci/run` always sets it: the
machine's, or one it started). pytest-postgresql's `postgresql_noproc`
builds a template database with the schema; each run gets a fresh database
from it, so runs never see each other's rows, and every test starts from
empty tables. Without the variable these tests skip, except under CI, where
they fail: CI must never pass by skipping the scale-out store.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pytest_postgresql import factories
from pytest_postgresql.janitor import DatabaseJanitor

from bot.domain.clock import Clock

URL_VARIABLE = "RAPPORT_TEST_DATABASE_URL"
RUN_DATABASE = f"rapport_test_{os.getpid()}_{secrets.token_hex(3)}"
TABLES = (
    "users, contacts, interactions, interaction_contacts, reminders, due_users, "
    "conversation_state, buttons, processed_updates, send_journal, undo_records"
)

_server = conninfo_to_dict(os.environ.get(URL_VARIABLE, ""))


def load_schema(*, host: str, port: int, user: str, dbname: str, password: str | None, **_: Any):  # type: ignore[no-untyped-def]
    """pytest-postgresql loader: apply every migration to the template database."""
    import psycopg

    from bot.storage.postgres.schema import migrate

    with psycopg.connect(
        host=host, port=port, user=user, dbname=dbname, password=password, autocommit=True
    ) as conn:
        migrate(conn)


pg_server = factories.postgresql_noproc(
    host=str(_server.get("host", "127.0.0.1")),
    port=int(_server.get("port", 5432)),
    user=str(_server.get("user", "postgres")),
    password=_server.get("password"),
    dbname=RUN_DATABASE,
    load=[load_schema],
)


def require_server() -> None:
    """Skip (or under CI, fail) when no test server is configured."""
    if os.environ.get(URL_VARIABLE):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{URL_VARIABLE} is not set under CI; .ci/run sets it before pytest")
    pytest.skip(
        f"needs PostgreSQL: set {URL_VARIABLE}, e.g. postgresql://postgres@127.0.0.1:5432/test "
        "(.ci/run does)"
    )


@pytest.fixture(scope="session")
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of this run's own database, with the schema applied."""
    require_server()
    server = request.getfixturevalue("pg_server")
    janitor = DatabaseJanitor(
        user=server.user,
        host=server.host,
        port=server.port,
        password=server.password,
        dbname=RUN_DATABASE,
        template_dbname=server.template_dbname,
    )
    with janitor:
        yield make_conninfo(
            host=server.host,
            port=server.port,
            user=server.user,
            password=server.password or None,
            dbname=RUN_DATABASE,
        )


@pytest.fixture(scope="session")
def pg_pool(pg_url: str) -> Iterator[Any]:
    from bot.storage.postgres import open_pool

    pool = open_pool(pg_url, min_size=1, max_size=8)
    yield pool
    pool.close()


def empty_tables(pool: Any) -> None:
    with pool.connection() as conn:
        conn.execute(f"TRUNCATE {TABLES}")
        conn.execute("UPDATE send_rate SET next_slot = '-infinity'")


@pytest.fixture
def pg_repository_for(pg_pool: Any) -> Iterator[Any]:
    """Return a maker of PostgresRepository over this run's database, emptied for each test."""
    from bot.storage.postgres.store import PostgresRepository

    empty_tables(pg_pool)

    def make(clock: Clock | None = None) -> PostgresRepository:
        # The engine's clock is the coach's; the store itself needs none.
        return PostgresRepository(pg_pool)

    yield make
    empty_tables(pg_pool)
