from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.domain.timezones import parse_timezone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("  new york ", "America/New_York"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Bangalore", "Asia/Kolkata"),
        ("utc", "UTC"),
        ("+2", "Etc/GMT-2"),
        ("UTC-5", "Etc/GMT+5"),
        ("GMT+0", "UTC"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("+05:45", "Asia/Kathmandu"),
    ],
)
def test_names_cities_and_offsets_become_iana_zones(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


def test_offsets_keep_their_meaning() -> None:
    from datetime import UTC, datetime

    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert noon.astimezone(ZoneInfo(parse_timezone("UTC+3") or "")).hour == 15


@pytest.mark.parametrize("typed", ["", "Mars", "x" * 10_000, "+15", "UTC+3:17", "<b>Berlin"])
def test_nonsense_is_refused(typed: str) -> None:
    assert parse_timezone(typed) is None
