"""Insight features: /week and the digests (/due lives in bot/engine/due.py)."""

from __future__ import annotations

from bot.engine.insight import digest_settings, digests, week
from bot.engine.router import Router


def register(router: Router) -> None:
    """Register every insight command, button and hook."""
    for feature in (week, digests, digest_settings):
        feature.register(router)
