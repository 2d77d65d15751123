"""A commit's line reads the same whether its records come serialised or not."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.storage import wal
from bot.storage.atomic_json import dump, dump_record

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
_ops = st.lists(st.tuples(st.text(), st.text(), st.none() | _json), max_size=5)


@given(seq=st.integers(min_value=0), ops=_ops, which=st.lists(st.booleans(), max_size=5))
def test_a_line_with_serialised_records_is_the_same_line(
    seq: int, ops: list[tuple[str, str, Any]], which: list[bool]
) -> None:
    commit = wal.Commit(seq, [list(op) for op in ops])
    dumped: wal.Dumped = {
        id(op[2]): (op[2], dump(op[2])) for op, kept in zip(commit.ops, which, strict=False) if kept
    }
    dumped[id(object())] = (object(), "stale")  # an id no record has: never used
    assert wal.encode(commit, dumped) == wal.encode(commit)
    assert wal._commit(wal.encode(commit, dumped)[:-1]) == commit


_records = st.dictionaries(
    st.text(),
    _json | st.lists(st.dictionaries(st.text(), _json, max_size=3) | _json, max_size=4),
    max_size=5,
)


@given(record=_records)
def test_a_record_serialised_with_its_parts_kept_reads_the_same(record: dict[str, Any]) -> None:
    assert dump_record(record) == dump(record)
    assert dump_record(record) == dump(record)  # again, from the parts kept
