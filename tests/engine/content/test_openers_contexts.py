"""/openers accepts the contexts the help lists, in the words it lists them."""

from __future__ import annotations

import pytest
from support import text_of

from bot.engine.coach import Coach


@pytest.mark.parametrize(
    ("words", "setting"),
    [
        ("someone you know well", "someone you know well"),
        ("a reunion", "a reunion"),
        ("an online call", "an online call"),
        ("dinner", "a meal"),
        ("lunch", "a meal"),
        ("coffee", "a coffee"),
    ],
)
def test_context_openers_take_the_help_s_own_words(coach: Coach, words: str, setting: str) -> None:
    """Quoted: `/openers someone you know well` and `a reunion` said "I don't have anyone"."""
    answer = text_of(coach.handle_text("u", f"/openers {words}"))
    assert f"Openers for {setting}" in answer
    assert "don't have anyone" not in answer


def test_dinner_does_not_show_coffee_questions(coach: Coach) -> None:
    """Quoted: `/openers dinner` quietly showed coffee questions."""
    dinner = text_of(coach.handle_text("u", "/openers dinner"))
    coffee = text_of(coach.handle_text("u", "/openers coffee"))
    questions = {line for line in coffee.splitlines() if line.startswith("•")}
    assert not questions & {line for line in dinner.splitlines() if line.startswith("•")}
    assert "coffee" not in dinner.lower()
