"""Erasing a user on PostgreSQL leaves nothing of theirs decoded in the process either."""

from __future__ import annotations

from typing import Any

from bot.domain.model import UserProfile
from bot.storage.postgres import user_store


def test_erase_drops_the_decoded_profile(pg_repository_for: Any) -> None:
    repo = pg_repository_for()
    with repo.session("1001") as store:
        store.save_profile(UserProfile("1001", timezone="Europe/Berlin"))
    with repo.session("1001") as store:
        assert store.profile().timezone == "Europe/Berlin"
    assert "1001" in user_store._PROFILES  # kept decoded for the next read...
    assert repo.erase("1001")
    assert "1001" not in user_store._PROFILES  # ...until the user is forgotten
