"""A courtesy (a coffee, their time) is told from help (an intro, a review)."""

from __future__ import annotations

import pytest

from bot.domain.content.courtesy import is_courtesy
from bot.domain.memory.phrase import Phrase
from bot.domain.memory.wording import word_detail
from bot.domain.model import FactKind


def thanked_for(text: str) -> Phrase:
    worded = word_detail(FactKind.HELPED_ME, text)
    assert isinstance(worded, Phrase)
    return worded


@pytest.mark.parametrize(
    "text",
    [
        "the coffee",
        "lunch today",
        "the lovely dinner last night",
        "your time",
        "hosting me in Lisbon",
        "having us over for dinner",
        "making time for me",
        "buying me lunch",
        "the coffee and for hosting me at their office",
    ],
)
def test_hospitality_and_time_are_courtesies(text: str) -> None:
    assert is_courtesy(thanked_for(text))


@pytest.mark.parametrize(
    "text",
    [
        "the intro to Gareth",
        "the referral",
        "the advice over coffee",
        "the coffee and the intro to Sam",  # one part is help: thanked as help
        "the time you spent on my deck",
        "covering the booth",
        "the feedback on my talk",
        "getting me the job",
    ],
)
def test_help_is_not(text: str) -> None:
    assert not is_courtesy(thanked_for(text))
