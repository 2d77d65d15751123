"""Registers the insight features: /week, the digests and their settings, "Sent it"."""

from __future__ import annotations

from bot.engine.insight import digest_settings, digests, find, garden, sent, week
from bot.engine.router import Router


def register(router: Router) -> None:
    """Register every insight command, button and hook."""
    for feature in (week, find, garden, digests, digest_settings, sent):
        feature.register(router)
