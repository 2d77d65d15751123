"""The coach over the Telegram Bot API (python-telegram-bot 22).

`build_application` is imported on first use, so that the command line (which
lists `run` beside `chat`) never loads Telegram for a terminal chat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.channels.telegram.application import build_application

__all__ = ["build_application"]


def __getattr__(name: str) -> Any:
    if name == "build_application":
        from bot.channels.telegram.application import build_application

        return build_application
    raise AttributeError(name)
