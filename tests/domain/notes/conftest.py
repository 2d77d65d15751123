"""Shared fixtures for the note extractor's tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

# A Friday afternoon in Berlin; tests never read the wall clock.
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return FRIDAY
