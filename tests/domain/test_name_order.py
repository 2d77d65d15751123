"""Greeting someone whose name is said family name first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.model import Contact


@pytest.mark.parametrize(
    ("name", "greeted"),
    [
        ("Li Na", "Li Na"),  # a Chinese name is said whole, never by the family name
        ("Wang Fang", "Wang Fang"),
        ("Park Ji-Hoon", "Ji-Hoon"),  # a Korean one by the given name
        ("Nguyen Van Minh", "Minh"),  # a Vietnamese one by its last word
        ("Le Van Minh", "Minh"),
        # Western names that start like one stay as they were.
        ("Kim Wilde", "Kim"),
        ("Lee Child", "Lee"),
        ("Le Roux", "Le"),
        ("Lin Andersson", "Lin"),
        ("Tom Becker", "Tom"),
    ],
)
def test_the_name_to_greet_by(name: str, greeted: str) -> None:
    assert Contact(id="c", name=name, created_at=datetime(2026, 12, 7, tzinfo=UTC)).first_name == (
        greeted
    )
