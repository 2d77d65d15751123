"""What the scale_* benches share: a database of their own, and the trial helpers in tests/serve."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "serve"), str(ROOT / "tests"), str(ROOT)]

# The trial helpers the suite's short versions use (tests/serve), re-exported for the benches.
from delivery_trials import Report, run_burst  # noqa: E402
from offline_bot_api import OfflineBotAPI, ok  # noqa: E402
from pg_seed import seed_due  # noqa: E402
from webhook_trials import run_webhook_trial  # noqa: E402

from bot.storage.postgres import connect  # noqa: E402

__all__ = [
    "ROOT",
    "OfflineBotAPI",
    "Report",
    "bench_database",
    "load_average",
    "ok",
    "run_burst",
    "run_webhook_trial",
    "seed_due",
]

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def load_average() -> str:
    """The machine's load, printed beside every figure (it is shared)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@contextmanager
def bench_database(server: str | None = None) -> Iterator[str]:
    """A fresh database with the schema on `server` ($RAPPORT_TEST_DATABASE_URL), dropped after."""
    server = server or os.environ.get("RAPPORT_TEST_DATABASE_URL") or DEFAULT_SERVER
    name = f"rapport_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = {**conninfo_to_dict(server), "dbname": "postgres"}
    with psycopg.connect(make_conninfo(**admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(**{**admin, "dbname": name})
    connect(url).close()
    try:
        yield url
    finally:
        with psycopg.connect(make_conninfo(**admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
