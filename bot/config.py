"""Settings: the only reader of the environment and of .env."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")
# Values people paste from tutorials instead of a real token.
PLACEHOLDER_TOKENS = frozenset({"", "changeme", "your-token-here", "<token>", "token", "xxx"})


class SettingsError(ValueError):
    """A setting is missing or unusable; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Where data lives, where extra prompts live, and the Telegram token."""

    data_dir: Path = DEFAULT_DATA_DIR
    telegram_token: str | None = None
    prompts_dir: Path | None = None
    # Telegram user ids allowed to use the bot; None lets everyone in.
    allowed_users: frozenset[int] | None = None
    # Telegram user id that receives short error reports (no user content, no token).
    admin_id: int | None = None
    # Scale-out (`rapport-coach serve`): PostgreSQL instead of the data folder, and the webhook.
    database_url: str | None = None
    webhook_secret: str | None = None
    webhook_path: str = "/telegram"
    bot_api_url: str | None = None
    serve_delivery: bool = True
    # Messages a second to Telegram for all workers together (0: no limit).
    send_rate: float = 30.0

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = None
    ) -> Settings:
        """Read RAPPORT_DATA_DIR, RAPPORT_PROMPTS_DIR, TELEGRAM_BOT_TOKEN,
        RAPPORT_ALLOWED_USERS, RAPPORT_ADMIN_ID and the scale-out ones.

        Scale-out: RAPPORT_DATABASE_URL (postgresql://...: use PostgreSQL, not the
        folder), RAPPORT_WEBHOOK_SECRET, RAPPORT_WEBHOOK_PATH, RAPPORT_BOT_API_URL,
        RAPPORT_SERVE_DELIVERY ("off": webhook workers leave delivery to `deliver`) and
        RAPPORT_SEND_RATE (messages a second for all workers together, default 30).

        The process environment wins over the `dotenv` file, if one is given.
        """
        values = dict(read_dotenv(dotenv)) if dotenv is not None else {}
        values.update(os.environ if environ is None else environ)
        prompts = values.get("RAPPORT_PROMPTS_DIR")
        return cls(
            data_dir=Path(values.get("RAPPORT_DATA_DIR") or DEFAULT_DATA_DIR),
            telegram_token=values.get("TELEGRAM_BOT_TOKEN") or None,
            prompts_dir=Path(prompts) if prompts else None,
            allowed_users=_user_ids(values.get("RAPPORT_ALLOWED_USERS", "")),
            admin_id=_admin_id(values.get("RAPPORT_ADMIN_ID", "")),
            database_url=values.get("RAPPORT_DATABASE_URL") or None,
            webhook_secret=values.get("RAPPORT_WEBHOOK_SECRET") or None,
            webhook_path=values.get("RAPPORT_WEBHOOK_PATH") or "/telegram",
            bot_api_url=values.get("RAPPORT_BOT_API_URL") or None,
            serve_delivery=(values.get("RAPPORT_SERVE_DELIVERY") or "on").lower() != "off",
            send_rate=float(values.get("RAPPORT_SEND_RATE") or 30.0),
        )

    def require_token(self) -> str:
        """Return the Telegram token, or raise SettingsError saying how to set one."""
        token = (self.telegram_token or "").strip()
        if token.lower() in PLACEHOLDER_TOKENS or ":" not in token:
            raise SettingsError(
                "no usable Telegram bot token: set TELEGRAM_BOT_TOKEN (from @BotFather) "
                "in the environment or in .env"
            )
        return token


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines of a .env file; a missing file is empty."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    values = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("\"'")
    return values


def _user_ids(text: str) -> frozenset[int] | None:
    """Parse "123, 456" (commas or spaces); empty means everyone is allowed."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not parts:
        return None
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise SettingsError(
            f"RAPPORT_ALLOWED_USERS must list Telegram user ids (numbers), not {bad[0]!r}"
        )
    return frozenset(int(p) for p in parts)


def _admin_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise SettingsError("RAPPORT_ADMIN_ID must be a Telegram user id (a number)")
    return int(text)
