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


def test_told_to_you_makes_be_agree_with_you() -> None:
    assert told_to_you("check I am free on the 3rd") == "check you are free on the 3rd"
    assert told_to_you("i'm hiring in march") == "you're hiring in march"
    assert told_to_you("said I was right abt pricing") == "said you were right about pricing"
    assert told_to_you("ask if I’m still in Lisbon") == "ask if you’re still in Lisbon"
    assert told_to_you("tell me was he there") == "tell you was he there"


def test_reminders_say_the_note_back_to_you(coach: Coach) -> None:
    card = coach.handle_text("u", "coffee w priya, she vouched for me for the staff role")
    saved = text_of(press(coach, "u", card[0], "Save"))
    assert "Thank <b>Priya</b>: vouched for you for the staff role" in saved
    assert "for me" not in saved
    listed = text_of(coach.handle_text("u", "/reminders"))
    assert "vouched for you for the staff role" in listed


def test_the_coach_writes_phone_shorthand_out(coach: Coach) -> None:
    card = coach.handle_text(
        "u",
        "coffee w ana lopez. she'll put me in touch w ruben by fri. she's moving to lyon w "
        "her wife in march",
    )
    saved = text_of(press(coach, "u", card[0], "Save"))

    assert "• moving to Lyon with her wife in March" in saved
    assert "offered: put you in touch with Ruben" in saved
    # Asked after the move, she is still "her", not "their".
    assert "how the move to Lyon with her wife went" in saved
