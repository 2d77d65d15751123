"""Versioned schema migrations: numbered SQL files, applied once each, in order.

    migrations/0001_initial.sql, 0002_....sql

A small table records which versions are applied. Every worker runs
`migrate` at start; a session-level advisory lock makes concurrent starts
take turns, so each file runs exactly once, in its own transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

# Arbitrary, fixed: the advisory lock key that serialises migrations.
MIGRATION_LOCK = 0x52415050
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with the package, by version."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def migrate(conn: psycopg.Connection[Any]) -> list[int]:
    """Apply the migrations `conn`'s database lacks; return the versions applied now.

    `conn` must be in autocommit mode: each migration is its own transaction.
    """
    applied_now = []
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS rapport_schema ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM rapport_schema")}
        for migration in migrations():
            if migration.version in done:
                continue
            with conn.transaction():
                conn.execute(migration.sql.encode())
                conn.execute(
                    "INSERT INTO rapport_schema (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            applied_now.append(migration.version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied_now


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The newest applied version (0 for an empty database)."""
    exists = conn.execute("SELECT to_regclass('rapport_schema') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM rapport_schema").fetchone()
    return int(row[0]) if row else 0
