"""Turn domain dataclasses into JSON-safe records and back.

One generic codec driven by the dataclasses' type hints, so adding a field
to the model needs no storage change. Unknown keys in a record are ignored
and missing ones take the field default, which keeps old files readable.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


def to_record(obj: Any) -> Any:
    """Return a JSON-safe copy of a dataclass (recursively)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_record(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date | time):
        return obj.isoformat()
    if isinstance(obj, timedelta):
        return obj.total_seconds()
    if isinstance(obj, list | tuple):
        return [to_record(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_record(v) for k, v in obj.items()}
    return obj


def from_record(cls: type[T], record: dict[str, Any]) -> T:
    """Build a `cls` dataclass from a record made by `to_record`."""
    hints = _hints(cast(Any, cls))  # a class is hashable; typeshed can't see it
    kwargs = {name: _decode(hints[name], record[name]) for name in hints if name in record}
    return cls(**kwargs)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    return {k: v for k, v in typing.get_type_hints(cls).items() if k in names}


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_decode(item, v) for v in value]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _decode(item, v) for k, v in value.items()}
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return from_record(tp, value)
        if issubclass(tp, Enum):
            return tp(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
        if tp is date:
            return date.fromisoformat(value)
        if tp is time:
            return time.fromisoformat(value)
        if tp is timedelta:
            return timedelta(seconds=value)
    return value
