"""Fixtures for the Telegram channel tests (helpers live in telegram_fakes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram_fakes import FakeTelegram

from bot.domain.clock import ManualClock


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def telegram(data_dir: Path, clock: ManualClock) -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(data_dir, clock)
    async with fake.app:
        yield fake
    assert not fake.errors, f"handlers raised: {fake.errors!r}"
