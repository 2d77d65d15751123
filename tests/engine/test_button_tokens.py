"""Button tokens read back exactly the payload they were made for, only for its user."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.buttons import STORED_OP, ButtonTokens, DoesNotFit

OPS = ("rem.done", "rem.snooze", "person.edit")
USER = "20000001"


@pytest.fixture
def tokens() -> ButtonTokens:
    return ButtonTokens(b"k" * 32, OPS)


@pytest.mark.parametrize(
    "payload",
    [
        {"op": "rem.done", "id": "r-3f9a1b2c4d5e", "p": "p-0123456789ab"},
        {"op": "rem.snooze", "days": 7, "id": "r-3f9a1b2c4d5e", "p": "p-0123456789ab"},
        {"op": "person.edit", "n": 1000, "new": True, "rev": None, "value": -3},
        {"op": "person.edit", "due": "2026-05-01T09:00:00+00:00", "zone": "Europe/Lisbon"},
        {"op": "person.edit", "contacts": ["c-0123456789ab", "c-ba9876543210"], "kind": "x"},
        # Not UTC time as it reads back: travels as a word instead, still exactly.
        {"op": "person.edit", "due": "20260501T090000.000+00:00"},
        {"op": STORED_OP, "ref": "AbC_dEf-123"},
        {"op": "an.op.no.one.registered.spelled", "id": "r-3f9a1b2c4d5e"},
    ],
)
def test_a_token_reads_back_its_payload(tokens: ButtonTokens, payload: dict[str, Any]) -> None:
    try:
        token = tokens.make(USER, payload)
    except DoesNotFit:
        # An unregistered op is refused unless it travels spelled out (then it reads back).
        assert payload["op"] not in (*OPS, STORED_OP)
        return
    assert len(token) <= 64
    assert tokens.read(USER, token) == payload


def test_a_token_is_bound_to_its_user_and_signed(tokens: ButtonTokens) -> None:
    token = tokens.make(USER, {"op": "rem.done", "id": "r-3f9a1b2c4d5e"})
    assert tokens.read("20000002", token) is None
    assert ButtonTokens(b"j" * 32, OPS).read(USER, token) is None
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert tokens.read(USER, forged) is None


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "r-3f9a1b2c4d5e"},  # no op
        {"op": 3},
        {"op": "rem.done", "note": "call her about the visa"},  # text
        {"op": "rem.done", "due": "2026-05-01 09:00:00+00:00"},  # a time that would not read back
        {"op": "rem.done", "ratio": 0.5},
        {"op": "rem.done", "pair": ("a", "b")},
        {"op": "rem.done", "ids": [f"r-{n:012x}" for n in range(8)]},  # over 64 bytes
    ],
)
def test_what_a_token_cannot_carry_is_refused(
    tokens: ButtonTokens, payload: dict[str, Any]
) -> None:
    with pytest.raises(DoesNotFit):
        tokens.make(USER, payload)


def test_a_kept_token_is_the_one_made_afresh(tokens: ButtonTokens) -> None:
    """Tokens are kept per user, told apart by each value's type and the keys' order."""
    payloads: list[dict[str, Any]] = [
        {"op": "rem.snooze", "days": 1, "id": "r-3f9a1b2c4d5e"},
        {"op": "rem.snooze", "days": True, "id": "r-3f9a1b2c4d5e"},
        {"op": "rem.snooze", "id": "r-3f9a1b2c4d5e", "days": 1},
        {"op": "rem.snooze", "days": 0, "id": "r-3f9a1b2c4d5e"},
        {"op": "rem.snooze", "days": False, "id": "r-3f9a1b2c4d5e"},
    ]
    first = [tokens.make(USER, p) for p in payloads]
    again = [tokens.make(USER, p) for p in payloads]
    fresh = ButtonTokens(b"k" * 32, OPS)
    assert first == again == [fresh.make(USER, p) for p in payloads]
    assert len(set(first)) == len(payloads)
    assert [tokens.read(USER, t) for t in again] == payloads
    assert tokens.make("20000002", payloads[0]) != first[0]  # another user's own
    with pytest.raises(DoesNotFit):  # a refusal is not kept as a token
        tokens.make(USER, {"op": "rem.done", "note": "call her"})


def test_a_forget_drops_the_users_kept_tokens(tokens: ButtonTokens) -> None:
    tokens.make(USER, {"op": "person.edit", "zone": "Europe/Lisbon"})
    tokens.make("20000002", {"op": "rem.done", "id": "r-3f9a1b2c4d5e"})
    tokens.forget(USER)
    assert USER not in tokens._made
    assert "20000002" in tokens._made
