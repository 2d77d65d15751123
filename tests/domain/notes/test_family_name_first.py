"""Names said family name first ("li na", "park ji-hoon"), typed in lowercase."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.notes.extractor import read_note

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _people(text: str) -> list[tuple[str, str]]:
    reading = read_note(text, now=NOW, timezone="Europe/Berlin", contacts=[])
    return [(p.name, p.company) for p in reading.people]


def test_a_short_given_name_after_a_family_name_is_the_given_name() -> None:
    # "na" is an everyday word in the word list, but not after "li".
    assert _people("lunch w li na from bytedance") == [("Li Na", "Bytedance")]
    assert _people("coffee w nguyen lan") == [("Nguyen Lan", "")]


def test_a_family_name_that_is_an_everyday_word_starts_a_name_before_a_given_name() -> None:
    assert _people("coffee w park ji-hoon from naver") == [("Park Ji-Hoon", "Naver")]
    assert _people("went to the park with ana") == [("Ana", "")]
    assert _people("lunch w lee and tom") == [("Lee", ""), ("Tom", "")]


def test_the_given_name_said_later_is_the_same_person() -> None:
    """Found as a user: "thx ji-hoon" after "park ji-hoon" made a second contact."""
    reading = read_note(
        "lunch w park ji-hoon from naver. thx ji-hoon for lunch",
        now=NOW,
        timezone="Europe/Berlin",
        contacts=[],
    )
    assert [p.name for p in reading.people] == ["Park Ji-Hoon"]
    assert [(g.person, g.text) for g in reading.gratitude] == [("Park Ji-Hoon", "lunch")]
