"""Button payloads as signed, user-bound tokens of at most 64 bytes.

A button's payload ({"op": "rem.snooze", "id": "r-3f9a1b2c4d5e", "days": 7})
is packed into a few bytes, signed with a key only the store knows and the
presser's user id, and base64url-encoded: so showing buttons writes nothing,
and a forged button, or one pressed by anyone but the user it was made for,
fails the signature and changes nothing.

Only small values go into a token: numbers, record ids and short words
(enum values, zone names, ISO dates). Free text never does: a payload with
text, or too big for Telegram's 64-byte callback_data, is kept in the user's
store and the token points to it (that needs a write; keep payloads small).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Collection
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

MAX_TOKEN = 64  # Telegram's callback_data limit, in bytes
TAG_BYTES = 8  # 64-bit signature: forging one takes 2**64 tries
VERSION = 1
STORED_OP = "_stored"
MAX_MADE = 512  # tokens kept per user
MAX_MADE_USERS = 1024  # the payload lives in the store under "ref"
# Payload keys packed as one byte. Append only: a token names its keys by position.
KEYS = (
    "id", "contact", "days", "rev", "index", "kind", "what", "field", "tier", "which",
    "zone", "flow", "interaction", "contacts", "new", "reminder", "situation", "undo",
    "ref", "due", "name", "value", "choice", "page", "n", "step", "answer", "person",
)  # fmt: skip
_KEY_CODE = {k: n for n, k in enumerate(KEYS)}
_RECORD_ID = re.compile(r"^([a-z])-([0-9a-f]{12})$")
# Words, never text: what may travel inside a token as a string.
_WORD = re.compile(r"^[\w.:/+@-]{0,40}$", re.ASCII)

_NONE, _FALSE, _TRUE, _BYTE, _INT, _WORDTAG, _ID, _LIST, _TIME = range(9)


class DoesNotFit(ValueError):
    """The payload holds something a token can't carry (or is too big)."""


@lru_cache(maxsize=512)
def op_code(op: str) -> bytes:
    return hashlib.blake2b(op.encode(), digest_size=3).digest()


class ButtonTokens:
    """Makes and checks tokens with `secret` (per store) for the ops in `ops`."""

    def __init__(self, secret: bytes, ops: Collection[str]) -> None:
        self._secret = secret
        self._ops = ops
        self._by_code: dict[bytes, str] = {}
        self._seen = -1
        self._keys: dict[str, bytes] = {}  # per-user signing keys, derived once
        # Tokens made, per user: a screen shows the same buttons turn after turn (/due signs
        # up to 30), and a token is a pure function of (user, payload). Keyed by each value
        # with its type (True == 1, 1.0 == 1); dropped with the user's forget (`forget`).
        self._made: dict[str, dict[tuple[Any, ...], str]] = {}

    def make(self, user_id: str, payload: dict[str, Any]) -> str:
        """Return the token for `payload`, or raise DoesNotFit.

        Each part packs so that it reads back exactly, or is refused: a token
        always carries its payload unchanged, without unpacking it to check
        (a reminder ping signs eight of these).
        """
        key = (*payload.items(), *map(type, payload.values()))
        try:
            hash(key)
        except TypeError:  # a list in it: made afresh each time
            return self._make(user_id, payload)
        made = self._made.get(user_id)
        token = made.get(key) if made is not None else None
        if token is None:
            token = self._make(user_id, payload)
            if made is None:
                if len(self._made) >= MAX_MADE_USERS:
                    self._made.clear()
                made = self._made[user_id] = {}
            elif len(made) >= MAX_MADE:
                made.clear()
            made[key] = token
        return token

    def forget(self, user_id: str) -> None:
        """Drop the tokens kept for `user_id` (a word in a payload may be someone's)."""
        self._made.pop(user_id, None)

    def _make(self, user_id: str, payload: dict[str, Any]) -> str:
        op = payload.get("op")
        if not isinstance(op, str):
            raise DoesNotFit("no op")
        parts = [bytes([VERSION]), self._pack_op(op)]
        for key, value in payload.items():
            if key != "op":
                parts += (_pack_key(key), _pack(value))
        body = b"".join(parts)
        if (4 * (len(body) + TAG_BYTES) + 2) // 3 > MAX_TOKEN:
            raise DoesNotFit(f"{len(body) + TAG_BYTES} bytes before encoding")
        return _b64(body + self._tag(user_id, body))

    def read(self, user_id: str, token: str) -> dict[str, Any] | None:
        """Return the payload a genuine token of `user_id` carries; None for anything else."""
        if not token or len(token) > MAX_TOKEN:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        body, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
        if len(body) < 2 or not hmac.compare_digest(tag, self._tag(user_id, body)):
            return None
        try:
            return self._unpack(body)
        except (IndexError, ValueError, UnicodeDecodeError):
            return None  # signed by us, so only an older format could get here

    def _tag(self, user_id: str, body: bytes) -> bytes:
        key = self._keys.get(user_id)
        if key is None:
            if len(self._keys) > 4096:
                self._keys.clear()
            key = hmac.new(self._secret, b"buttons:" + user_id.encode(), hashlib.sha256).digest()
            self._keys[user_id] = key
        # hmac.digest is the one-shot C path: a keyboard signs up to 30 of these per reply.
        return hmac.digest(key, body, "sha256")[:TAG_BYTES]

    def _codes(self) -> dict[bytes, str]:
        if self._seen != len(self._ops):
            by_code: dict[bytes, str] = {}
            for op in (*self._ops, STORED_OP):
                code = op_code(op)
                # Two ops with one code (rare): both travel spelled out.
                by_code[code] = "" if code in by_code else op
            self._by_code, self._seen = by_code, len(self._ops)
        return self._by_code

    def _pack_op(self, op: str) -> bytes:
        code = op_code(op)
        if code[0] != 0:
            known = self._codes().get(code)
            if known == op:
                return code
            if known is None:
                raise DoesNotFit(f"unknown op {op!r}")  # its code would read back as nothing
        raw = op.encode()
        if len(raw) > 255:
            raise DoesNotFit("op too long")
        return b"\x00" + bytes([len(raw)]) + raw

    def _unpack(self, body: bytes) -> dict[str, Any]:
        if body[0] != VERSION:
            raise ValueError("unknown version")
        position = 1
        if body[position] == 0:
            size = body[position + 1]
            op = body[position + 2 : position + 2 + size].decode()
            position += 2 + size
        else:
            op = self._codes().get(body[position : position + 3], "")
            position += 3
            if not op:
                raise ValueError("unknown op")
        payload: dict[str, Any] = {"op": op}
        while position < len(body):
            key, position = _unpack_key(body, position)
            payload[key], position = _unpack(body, position)
        return payload


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@lru_cache(maxsize=256)
def _pack_key(key: str) -> bytes:
    code = _KEY_CODE.get(key)
    if code is not None:
        return bytes([code])
    if not _WORD.fullmatch(key):
        raise DoesNotFit("key")
    return b"\x80" + _word(key)


def _unpack_key(body: bytes, position: int) -> tuple[str, int]:
    if body[position] < 0x80:
        return KEYS[body[position]], position + 1
    size = body[position + 1]
    return body[position + 2 : position + 2 + size].decode(), position + 2 + size


def _word(text: str) -> bytes:
    raw = text.encode()
    return bytes([len(raw)]) + raw


def _pack(value: Any) -> bytes:
    if value is None:
        return bytes([_NONE])
    if value is True or value is False:
        return bytes([_TRUE if value else _FALSE])
    if isinstance(value, int):
        if 0 <= value < 256:
            return bytes([_BYTE, value])
        return bytes([_INT]) + _varint(value)
    if isinstance(value, str):
        return _pack_text(value)
    if isinstance(value, list) and len(value) < 256:
        return bytes([_LIST, len(value)]) + b"".join(_pack(v) for v in value)
    raise DoesNotFit(type(value).__name__)


def _pack_text(value: str) -> bytes:
    """A string value packed: a record id, a UTC time, or a short word."""
    if _RECORD_ID.fullmatch(value):
        return _pack_id(value)
    moment = _utc_iso(value)
    if moment is not None:
        return bytes([_TIME]) + _varint(moment)
    if _WORD.fullmatch(value):
        return bytes([_WORDTAG]) + _word(value)
    raise DoesNotFit("text")


@lru_cache(maxsize=4096)
def _pack_id(record_id: str) -> bytes:
    """A record id packed. Kept: the ids of one ping recur on each of its buttons (only
    ids are kept: a word may be someone's, and /forget must leave no trace)."""
    kind, _, digits = record_id.partition("-")
    return bytes([_ID]) + kind.encode() + bytes.fromhex(digits)


def _unpack(body: bytes, position: int) -> tuple[Any, int]:
    tag = body[position]
    position += 1
    if tag == _NONE:
        return None, position
    if tag in (_FALSE, _TRUE):
        return tag == _TRUE, position
    if tag == _BYTE:
        return body[position], position + 1
    if tag in (_INT, _TIME):
        number, position = _read_varint(body, position)
        if tag == _TIME:
            return datetime.fromtimestamp(number, UTC).isoformat(), position
        return number, position
    if tag == _WORDTAG:
        size = body[position]
        return body[position + 1 : position + 1 + size].decode(), position + 1 + size
    if tag == _ID:
        prefix = chr(body[position])
        return f"{prefix}-{body[position + 1 : position + 7].hex()}", position + 7
    if tag == _LIST:
        count, position = body[position], position + 1
        items = []
        for _ in range(count):
            item, position = _unpack(body, position)
            items.append(item)
        return items, position
    raise ValueError(f"unknown tag {tag}")


def _utc_iso(text: str) -> int | None:
    """Whole seconds since 1970 if `text` is a UTC time exactly as it reads back
    ("2026-05-01T09:00:00+00:00"); any other spelling is not a time here."""
    if len(text) != 25 or not text.endswith("+00:00"):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return int(moment.timestamp()) if moment.isoformat() == text else None


def _varint(number: int) -> bytes:
    zigzag = number * 2 if number >= 0 else -number * 2 - 1
    out = bytearray()
    while True:
        low, zigzag = zigzag & 0x7F, zigzag >> 7
        out.append(low | (0x80 if zigzag else 0))
        if not zigzag:
            return bytes(out)


def _read_varint(body: bytes, position: int) -> tuple[int, int]:
    shift = zigzag = 0
    while True:
        byte = body[position]
        position += 1
        zigzag |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    number = zigzag // 2 if zigzag % 2 == 0 else -(zigzag + 1) // 2
    return number, position
