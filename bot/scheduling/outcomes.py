"""What a channel's sender reports back for one message, and the sender's type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.engine.replies import Reply


@dataclass(frozen=True)
class Delivered:
    """The user's chat accepted the message (`message_id` when the channel has one)."""

    message_id: int | None = None


@dataclass(frozen=True)
class RetryLater:
    """A failure that certainly sent nothing; `after` seconds is the server's wish."""

    after: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Uncertain:
    """No answer (a timeout): the message may or may not have arrived.

    It is sent again later, saying that it may be a repeat.
    """

    reason: str = ""


@dataclass(frozen=True)
class Blocked:
    """The user blocked the bot (or the chat is gone): pause until they write again."""

    reason: str = ""


Outcome = Delivered | RetryLater | Uncertain | Blocked
Send = Callable[[str, Reply], Awaitable[Outcome]]


@runtime_checkable
class Splitter(Protocol):
    """A sender whose channel cuts long replies into pieces (Telegram: 4,096 characters)."""

    def split(self, reply: Reply, *, room: int) -> list[Reply]:
        """The pieces `reply` is sent as, each leaving `room` characters for a note."""
        ...
