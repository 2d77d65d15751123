"""What the coach says it will remember is in its own voice: their offer to you, not to it."""

from __future__ import annotations

from support import press, text_of

from bot.domain.content.told_to_you import told_to_you
from bot.engine.coach import Coach


def test_an_offer_to_vouch_is_theirs_for_you_in_the_saved_summary(coach: Coach) -> None:
    card = coach.handle_text("u", "coffee w priya, she offered to vouch for me for the staff role")
    saved = text_of(press(coach, "u", card[0], "Save"))
    assert "• Priya offered: vouch for you for the staff role" in saved
    assert "for me" not in saved


def test_told_to_you_swaps_the_first_person_only() -> None:
    assert told_to_you("helped me negotiate my raise") == "helped you negotiate your raise"
    assert told_to_you("I got the intro to Alibaba Cloud") == "you got the intro to Alibaba Cloud"
    assert told_to_you("the MY office in Kuala Lumpur") == "the MY office in Kuala Lumpur"
    assert told_to_you("a tour of their Istanbul office") == "a tour of their Istanbul office"


def test_reminders_say_the_note_back_to_you(coach: Coach) -> None:
    card = coach.handle_text("u", "coffee w priya, she vouched for me for the staff role")
    saved = text_of(press(coach, "u", card[0], "Save"))
    assert "Thank <b>Priya</b>: vouched for you for the staff role" in saved
    assert "for me" not in saved
    listed = text_of(coach.handle_text("u", "/reminders"))
    assert "vouched for you for the staff role" in listed
