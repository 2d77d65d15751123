"""A note's event is listed once on the card and in what was saved, not again as a detail."""

from __future__ import annotations

from support import press, text_of

from bot.domain.content.restating import restates
from bot.engine.coach import Coach


def test_a_month_only_family_event_is_one_line_on_the_card_and_after_saving(coach: Coach) -> None:
    card = coach.handle_text("u", "coffee w maria, her wedding is in june")[0]
    assert "• Maria: wedding (June 2027, no day yet)" in card.text
    assert "Worth remembering" not in card.text
    saved = text_of(press(coach, "u", card, "Save"))
    remembered = saved.split("I'll remember:")[1].split("\n\n")[0]
    assert remembered.strip().splitlines() == ["• wedding in June"]


def test_a_dated_event_is_listed_once_too_and_a_detail_saying_more_stays(coach: Coach) -> None:
    card = coach.handle_text("u", "coffee w tom, his son starts school on sept 3. tom has two kids")
    text = card[0].text
    assert text.count("son starts school") == 1
    assert "Worth remembering:\n• Tom: two kids" in text


def test_restates_compares_words_not_dates_or_fillers() -> None:
    assert restates("wedding is in june", ["wedding in June"])
    assert restates("Getting married in June", ["getting married June Jun"])
    assert not restates("has two kids", ["daughter starts uni in September"])
    assert not restates("wedding is in june", [])


def test_person_lists_the_event_once_and_says_an_offer_back_to_you(coach: Coach) -> None:
    note = "coffee w priya, she offered to vouch for me for the staff role. her wedding is in june"
    press(coach, "u", coach.handle_text("u", note)[0], "Save")
    shown = coach.handle_text("u", "/person priya")[0].text
    matters = shown.split("What matters to them:")[1].split("\n\n")[0].strip().splitlines()
    assert matters == ["• Offered: vouch for you for the staff role", "• wedding in June"]
