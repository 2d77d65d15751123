"""Regressions found by using the coach: a promise keeps its object, a need is an ask."""

from __future__ import annotations

import pytest

from bot.domain.content.review import Weakness, weaknesses
from bot.domain.memory.memory import promised


@pytest.mark.parametrize(
    ("promise", "thing"),
    [
        ("feedback on her talk", "feedback on your talk"),
        ("send her the podcast link by Friday", "the podcast link"),
        ("the deck on Monday morning", "the deck"),
        ("intro to Sam by the end of the month", "an intro to Sam"),
        ("the slides tomorrow", "the slides"),
    ],
)
def test_only_a_date_ends_a_promise(promise: str, thing: str) -> None:
    assert promised(promise).noun == thing


def test_needing_an_intro_is_an_ask() -> None:
    draft = "Hi Priya, I am launching my startup and need an intro to your VP of Engineering."
    assert Weakness.ASK_WITHOUT_GIVE in weaknesses(draft)
