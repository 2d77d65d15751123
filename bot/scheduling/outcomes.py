"""What a channel's sender reports back for one message, and the sender's type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.engine.replies import Reply


@dataclass(frozen=True)
class Delivered:
    """The user's chat accepted the message."""


@dataclass(frozen=True)
class RetryLater:
    """A transient failure; `after` seconds is the server's wish (None: use backoff)."""

    after: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Blocked:
    """The user blocked the bot (or the chat is gone): pause until they write again."""

    reason: str = ""


Outcome = Delivered | RetryLater | Blocked

# Sends one reply to one user; must not raise for delivery problems, only report them.
Send = Callable[[str, Reply], Awaitable[Outcome]]
