"""JSON for the store's jsonb columns through orjson instead of the standard library.

Every record the store reads or writes is a jsonb value, and a delivery burst
decodes and encodes several per message: the standard json module was a tenth
of a delivery worker's CPU, orjson does the same work in about a quarter of it.
Non-string keys become strings, as json.dumps makes them.
"""

from __future__ import annotations

from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_dumps, set_json_loads


def dumps(value: Any) -> bytes:
    """Encode a JSON value (UTF-8 bytes, which psycopg sends as they are)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def use_orjson(conn: psycopg.Connection[Any]) -> None:
    """Make `conn` load and dump json and jsonb with orjson (a pool's `configure` hook)."""
    set_json_loads(orjson.loads, conn)
    set_json_dumps(dumps, conn)
