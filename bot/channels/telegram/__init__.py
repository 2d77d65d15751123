"""The coach over the Telegram Bot API (python-telegram-bot 22)."""

from bot.channels.telegram.application import build_application

__all__ = ["build_application"]
