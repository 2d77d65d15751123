"""The PostgreSQL store's copies of JSON state: deep, and what the jsonb column gives back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.storage.postgres.user_store import json_copy

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


def containers(value: Any) -> list[int]:
    """The ids of every dict and list in `value`."""
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in containers(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in containers(v))]
    return []


@given(JSON)
def test_a_copy_is_equal_and_shares_no_container(value: Any) -> None:
    original = {"v": value}
    copied = json_copy(original)
    assert copied == original
    assert not set(containers(copied)) & set(containers(original))


def test_changing_the_copy_leaves_the_original() -> None:
    original = {"envelopes": [{"id": "d-1", "sent": [1]}], "n": 1.5}
    copied = json_copy(original)
    copied["envelopes"][0]["sent"].append(2)
    assert original == {"envelopes": [{"id": "d-1", "sent": [1]}], "n": 1.5}


def test_what_json_would_change_is_copied_as_it_is() -> None:
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    for value in ({"at": moment}, {1: "int key"}, {"big": 2**70}):
        copied = json_copy(value)
        assert copied == value
        assert [type(v) for v in copied.values()] == [type(v) for v in value.values()]
    nested = {"a": [{"at": moment}]}
    copied = json_copy(nested)
    assert copied == nested
    assert copied["a"] is not nested["a"]


def test_a_tuple_reads_back_a_list_as_from_the_column() -> None:
    assert json_copy({"pair": (1, 2)}) == {"pair": [1, 2]}
