"""The /review rules against drafts written for the purpose (tests/data/review_drafts.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.content.review import ADD_DETAIL, Weakness, improve, review, weaknesses

DRAFTS = json.loads((Path(__file__).parents[2] / "data" / "review_drafts.json").read_text())[
    "drafts"
]


def test_the_set_covers_every_weakness_and_good_drafts() -> None:
    assert len(DRAFTS) >= 20
    seen = {flag for d in DRAFTS for flag in d["flags"]}
    assert seen == {w.value for w in Weakness}
    assert sum(1 for d in DRAFTS if not d["flags"]) >= 3


@pytest.mark.parametrize("case", DRAFTS, ids=lambda c: c["draft"][:40])
def test_flags_exactly_the_weaknesses(case: dict[str, object]) -> None:
    assert [w.value for w in weaknesses(str(case["draft"]))] == case["flags"]


@pytest.mark.parametrize("case", [d for d in DRAFTS if d["flags"]], ids=lambda c: c["draft"][:40])
def test_improved_version_fixes_the_fixable_flags(case: dict[str, object]) -> None:
    result = review(str(case["draft"]), specific_question="How is the Lisbon move going?")
    left = set(weaknesses(result.improved))
    # What the coach can fix by itself: filler, missing question, ask without give, length.
    fixable = {
        Weakness.GENERIC_OPENING,
        Weakness.NO_QUESTION,
        Weakness.ASK_WITHOUT_GIVE,
        Weakness.TOO_LONG,
        Weakness.NO_SPECIFICS,
    }
    assert not left & fixable & set(result.weaknesses)
    assert "  " not in result.improved


def test_improvement_keeps_the_users_own_words() -> None:
    draft = "Hi Tom, just checking in to see how the Lisbon move went."
    improved = review(draft).improved
    assert improved.startswith("Hi Tom,")
    assert "how the Lisbon move went" in improved
    assert "checking in" not in improved.lower()


def test_a_good_draft_is_left_alone() -> None:
    good = next(d["draft"] for d in DRAFTS if not d["flags"])
    result = review(str(good))
    assert result.weaknesses == ()
    assert result.improved == good


def test_without_a_known_detail_the_improvement_asks_for_one() -> None:
    improved = improve("Hi Ben, how is everything?", (Weakness.NO_SPECIFICS,))
    assert ADD_DETAIL in improved


def test_long_draft_is_trimmed_but_keeps_its_question() -> None:
    long_draft = next(str(d["draft"]) for d in DRAFTS if "too-long" in d["flags"])
    improved = review(long_draft).improved
    assert len(improved.split()) <= 110
    assert improved.rstrip().endswith("?")


@pytest.mark.parametrize("draft", ["", "   ", "?", "x" * 10_000, "hi " * 5000])
def test_odd_input_does_not_break(draft: str) -> None:
    result = review(draft)
    assert isinstance(result.improved, str)
