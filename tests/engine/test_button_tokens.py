"""Signed button tokens: remembered per user, bound to the user, dropped on /forget."""

from __future__ import annotations

import pytest

from bot.engine.buttons import ButtonTokens, DoesNotFit

OPS = ("rem.done", "rem.snooze", "due.show")


def test_the_same_payload_gives_the_same_token_and_reads_back() -> None:
    tokens = ButtonTokens(b"k" * 32, OPS)
    payload = {"op": "rem.snooze", "id": "r-3f9a1b2c4d5e", "days": 7}
    first = tokens.make("alice", payload)
    assert tokens.make("alice", dict(payload)) == first  # remembered
    assert tokens.read("alice", first) == payload
    assert tokens.read("bob", first) is None  # bound to the user it was made for
    assert tokens.make("bob", payload) != first


def test_a_remembered_token_is_made_again_after_forget_and_still_reads() -> None:
    tokens = ButtonTokens(b"k" * 32, OPS)
    payload = {"op": "rem.done", "id": "r-000000000001"}
    token = tokens.make("alice", payload)
    tokens.forget("alice")
    assert "alice" not in tokens._made
    assert tokens.make("alice", payload) == token


def test_a_payload_with_a_list_or_free_text_is_not_remembered() -> None:
    tokens = ButtonTokens(b"k" * 32, OPS)
    listed = {"op": "due.show", "contacts": ["c-000000000001"]}
    assert tokens.read("alice", tokens.make("alice", listed)) == listed
    with pytest.raises(DoesNotFit):
        tokens.make("alice", {"op": "rem.done", "what": "a sentence with spaces"})
    assert list(tokens._made.get("alice", {})) == []
