"""The /review rules against drafts written for the purpose (tests/data/review_drafts.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.content.review import Weakness, improve, review, weaknesses

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


def test_never_a_placeholder_behind_a_share_button() -> None:
    for case in DRAFTS:
        improved = review(str(case["draft"])).improved
        assert "[" not in improved
        assert "]" not in improved
    assert "[" not in improve("Hi Ben, how is everything?", (Weakness.NO_SPECIFICS,))


def test_filler_goes_whole_and_no_sentence_is_left_broken() -> None:
    draft = (
        "Dear Mr. Becker, I hope this email finds you well. I am writing to follow up on our "
        "previous conversation. Please let me know if you have any questions."
    )
    improved = review(draft, specific_question="How is the move to Lisbon going?").improved
    assert improved.startswith("Dear Mr. Becker,")
    assert "finds you well" not in improved
    assert "I am writing to  on" not in improved
    assert "I've been thinking about our previous conversation." in improved
    assert "Please let me know if you have any questions." in improved
    assert improved.endswith("How is the move to Lisbon going?")


def test_profile_watching_and_personal_questions_are_flagged_for_distant_contacts() -> None:
    creepy = "I noticed on LinkedIn you looked at my profile 3 times this week 😉"
    assert Weakness.TOO_PERSONAL in weaknesses(creepy, close=True)
    personal = "Hi Tom, how is your wife feeling?"
    assert Weakness.TOO_PERSONAL in weaknesses(personal)
    assert Weakness.TOO_PERSONAL not in weaknesses(personal, close=True)
    improved = review(personal, specific_question="How did the talk at KubeCon go?").improved
    assert "wife" not in improved
    assert improved == "Hi Tom, how did the talk at KubeCon go?"


def test_long_draft_is_trimmed_but_keeps_its_question() -> None:
    long_draft = next(str(d["draft"]) for d in DRAFTS if "too-long" in d["flags"])
    improved = review(long_draft).improved
    assert len(improved.split()) <= 110
    assert improved.rstrip().endswith("?")


@pytest.mark.parametrize("draft", ["", "   ", "?", "x" * 10_000, "hi " * 5000])
def test_odd_input_does_not_break(draft: str) -> None:
    result = review(draft)
    assert isinstance(result.improved, str)
