"""Turn domain dataclasses into JSON-safe records and back, checking every type.

One generic codec driven by the dataclasses' type hints, so adding a field
to the model needs no storage change. Unknown keys in a record are ignored
and missing ones take the field default, which keeps old files readable.

Decoding is compiled once per class (a decoder per field), because the store
decodes thousands of records on a cold start. It also validates: a number
where a name belongs, an unknown enum value or a naive datetime raises
`RecordError` naming the field, so a bad import file is refused instead of
breaking every later command. Records the store itself wrote are decoded
with `strict=False`, which repairs what older versions could have let in
(a naive datetime is taken as UTC, a number where text belongs becomes text).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar, cast

T = TypeVar("T")
Decoder = Callable[[Any, bool], Any]


class RecordError(ValueError):
    """A record does not fit its type; `path` names the field ("contacts.3.name")."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem

    def inside(self, name: str) -> RecordError:
        """The same error, one level further out."""
        return RecordError(f"{name}.{self.path}" if self.path else name, self.problem)


def to_record(obj: Any) -> Any:
    """Return a JSON-safe copy of a dataclass (recursively)."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    encode = _ENCODERS.get(kind)
    if encode is None:
        encode = _ENCODERS[kind] = _encoder(kind, to_record)
    return encode(obj)


def shared_record(obj: Any) -> Any:
    """`to_record(obj)`, whose parts may be the very dicts an earlier call returned.

    For records nobody changes in place (the store's). A dataclass whose fields all hold
    values that cannot change (text, numbers, dates, enums, frozen dataclasses of those:
    a contact's facts, a reminder) is encoded once for the same field values, found by
    their identity: a contact's save re-encoded dozens of unchanged facts.
    """
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    encode = _SHARED_ENCODERS.get(kind)
    if encode is None:
        encode = _SHARED_ENCODERS[kind] = _shared_encoder(kind)
    return encode(obj)


def _encoder(kind: type, inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """How to encode values of exactly type `kind` (found once per type; every save encodes
    a contact with dozens of facts); `inner` encodes what they hold."""
    if dataclasses.is_dataclass(kind):
        return _dataclass_encoder(kind, inner)
    if issubclass(kind, Enum):
        return lambda obj: obj._value_  # what .value returns, without its descriptor
    if issubclass(kind, datetime | date | time):
        return lambda obj: obj.isoformat()
    if issubclass(kind, timedelta):
        return lambda obj: obj.total_seconds()
    if issubclass(kind, list | tuple):
        return lambda obj: [v if type(v) in _PLAIN else inner(v) for v in obj]
    if issubclass(kind, dict):
        return lambda obj: {str(k): inner(v) for k, v in obj.items()}
    return lambda obj: obj


def _dataclass_encoder(kind: type, inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The encoder of dataclass `kind`, written out as one function, as dataclasses writes
    its __init__: a loop over the fields, with a to_record call per plain value, cost
    a contact's save a third more (its facts are most of a write turn's encoding)."""
    names = [f.name for f in dataclasses.fields(kind)]
    values = ", ".join(
        f"{name!r}: v{n} if type(v{n}) in plain else encode(v{n})" for n, name in enumerate(names)
    )
    source = "\n".join(
        [
            "def encode_fields(obj):",
            *(f"    v{n} = obj.{name}" for n, name in enumerate(names)),
            f"    return {{{values}}}",
        ]
    )
    scope: dict[str, Any] = {"plain": _PLAIN, "encode": inner}
    exec(source, scope)  # noqa: S102 - the source is made of the class's own field names
    encode: Callable[[Any], Any] = scope["encode_fields"]
    return encode


def _shared_encoder(kind: type) -> Callable[[Any], Any]:
    """shared_record's encoder of `kind`: a dataclass's remembered by its field values."""
    encode = _encoder(kind, shared_record)
    names = [f.name for f in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []
    if len(names) < 2:
        return encode
    values_of = attrgetter(*names)

    def encode_shared(obj: Any) -> Any:
        values = values_of(obj)
        if not _FIXED.issuperset(map(type, values)) and not _all_fixed(values):
            return encode(obj)  # a list, say: it may change in place
        # The memo holds the values, so no other object can take their ids meanwhile.
        key = (kind, *map(id, values))
        known = _MEMO.get(key)
        if known is None:
            if len(_MEMO) >= MEMO_SIZE:
                _MEMO.clear()
            known = _MEMO[key] = (values, encode(obj))
        return known[1]

    return encode_shared


def forget_shared() -> None:
    """Drop every record shared_record remembers (after a /forget: they hold its text)."""
    _MEMO.clear()


def _all_fixed(values: tuple[Any, ...]) -> bool:
    """Whether every value is of a type whose values cannot change (noting new such types)."""
    for value in values:
        kind = type(value)
        if kind in _FIXED:
            continue
        fixed = issubclass(kind, Enum | datetime | date | time | timedelta) or _frozen(kind)
        if not fixed:
            return False
        _FIXED.add(kind)
    return True


def _frozen(kind: type) -> bool:
    """A frozen dataclass whose fields are declared as text, numbers, enums or dates."""
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen:
        return False
    scalars: tuple[type, ...] = (*_PLAIN, Enum, datetime, date, time, timedelta)
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):
        return False
    for hint in hints.values():
        options = typing.get_args(hint) if typing.get_origin(hint) in _UNIONS else (hint,)
        if not all(isinstance(o, type) and issubclass(o, scalars) for o in options):
            return False
    return True


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_UNIONS = (typing.Union, types.UnionType)
_ENCODERS: dict[type, Callable[[Any], Any]] = {}
_SHARED_ENCODERS: dict[type, Callable[[Any], Any]] = {}
# Types of values that cannot change, found as met (shared_record).
_FIXED: set[type] = set(_PLAIN)
# (dataclass, id of each field's value) -> (the values, their record); see shared_record.
_MEMO: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}
MEMO_SIZE = 8192


def from_record(cls: type[T], record: Any, *, strict: bool = True) -> T:
    """Build a `cls` dataclass from a record made by `to_record`; RecordError if it doesn't fit."""
    return cast(T, _decoder(cast(Any, cls))(record, strict))


@cache
def _decoder(tp: Any) -> Decoder:
    """Return the decoder for type `tp` (compiled once per type)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _optional(_decoder(inner[0]) if len(inner) == 1 else _passthrough)
    if origin is list or origin is tuple:
        items = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return _sequence(_decoder(items[0]) if items else _passthrough, origin)
    if origin is dict:
        pair = typing.get_args(tp)
        return _mapping(_decoder(pair[1]) if pair else _passthrough)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass(tp)
        if issubclass(tp, Enum):
            return _enum(tp)
        simple = _SIMPLE.get(tp)
        if simple is not None:
            return simple
    return _passthrough


def _passthrough(value: Any, strict: bool) -> Any:
    return value


def _optional(inner: Decoder) -> Decoder:
    def decode(value: Any, strict: bool) -> Any:
        return None if value is None else inner(value, strict)

    return decode


def _sequence(item: Decoder, origin: Any) -> Decoder:
    def decode(value: Any, strict: bool) -> Any:
        if not isinstance(value, list | tuple):
            raise RecordError("", f"expected a list, got {_kind(value)}")
        out: list[Any] = []
        for n, v in enumerate(value):
            try:
                out.append(item(v, strict))
            except RecordError as exc:
                raise exc.inside(str(n)) from None
        return tuple(out) if origin is tuple else out

    return decode


def _mapping(item: Decoder) -> Decoder:
    def decode(value: Any, strict: bool) -> Any:
        if not isinstance(value, dict):
            raise RecordError("", f"expected an object, got {_kind(value)}")
        out = {}
        for k, v in value.items():
            try:
                out[str(k)] = item(v, strict)
            except RecordError as exc:
                raise exc.inside(str(k)) from None
        return out

    return decode


def _dataclass(cls: Any) -> Decoder:
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, Decoder, bool]] = []
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        plan.append((name, _decoder(hints[name]), required))

    def decode(value: Any, strict: bool) -> Any:
        if not isinstance(value, dict):
            raise RecordError("", f"expected an object, got {_kind(value)}")
        kwargs = {}
        for name, field_decoder, required in plan:
            if name in value:
                try:
                    kwargs[name] = field_decoder(value[name], strict)
                except RecordError as exc:
                    raise exc.inside(name) from None
            elif required:
                raise RecordError(name, "is missing")
        return cls(**kwargs)

    return decode


def _enum(cls: type[Enum]) -> Decoder:
    allowed = ", ".join(repr(m.value) for m in cls)

    def decode(value: Any, strict: bool) -> Any:
        try:
            return cls(value)
        except ValueError:
            raise RecordError("", f"{value!r} is not one of {allowed}") from None

    return decode


def _text(value: Any, strict: bool) -> Any:
    if isinstance(value, str):
        return value
    if not strict and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RecordError("", f"expected text, got {_kind(value)}")


def _integer(value: Any, strict: bool) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise RecordError("", f"expected a whole number, got {_kind(value)}")


def _number(value: Any, strict: bool) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise RecordError("", f"expected a number, got {_kind(value)}")


def _flag(value: Any, strict: bool) -> Any:
    if isinstance(value, bool):
        return value
    raise RecordError("", f"expected true or false, got {_kind(value)}")


def _parsed(parse: Callable[[str], Any], what: str) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        if not isinstance(value, str):
            raise RecordError("", f"expected {what}, got {_kind(value)}")
        try:
            return parse(value)
        except ValueError:
            raise RecordError("", f"{value[:40]!r} is not {what}") from None

    return run


_iso_datetime = _parsed(datetime.fromisoformat, "an ISO date and time")
_iso_date = _parsed(date.fromisoformat, "an ISO date")
_iso_time = _parsed(time.fromisoformat, "an ISO time")


def _datetime(value: Any, strict: bool) -> Any:
    moment: datetime = _iso_datetime(value)
    if moment.tzinfo is None or moment.utcoffset() is None:
        if strict:
            raise RecordError("", f"{value!r} has no time zone (expected e.g. +00:00)")
        return moment.replace(tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _date(value: Any, strict: bool) -> Any:
    if isinstance(value, str) and "T" in value:
        raise RecordError("", f"{value[:40]!r} is not an ISO date")
    return _iso_date(value)


def _time(value: Any, strict: bool) -> Any:
    return _iso_time(value)


def _duration(value: Any, strict: bool) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    raise RecordError("", f"expected a number of seconds, got {_kind(value)}")


_SIMPLE: dict[type, Decoder] = {
    str: _text,
    int: _integer,
    float: _number,
    bool: _flag,
    datetime: _datetime,
    date: _date,
    time: _time,
    timedelta: _duration,
}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    names = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
