"""A plain message is a note: the card over Telegram, with Save / Edit / Cancel."""

from __future__ import annotations

from telegram_fakes import ALICE, FakeTelegram

NOTE = (
    "Coffee with Maria Lopez (Acme). She runs the Berlin marathon on May 3. "
    "I promised to send her the podcast link by Friday."
)


async def test_note_card_then_save(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, NOTE))[-1]
    assert "Maria Lopez" in card.text
    assert card.labels() == ["Save", "Edit", "Cancel"]

    saved = await telegram.press(ALICE, card, "Save")

    assert "Logged coffee with <b>Maria Lopez</b>" in saved[0].text
    person = await telegram.text(ALICE, "/person Maria")
    assert "marathon" in person[0].text


async def test_note_card_edit_then_back_then_save(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, NOTE))[-1]

    menu = (await telegram.press(ALICE, card, "Edit"))[-1]
    kinds = (await telegram.press(ALICE, menu, "Kind"))[-1]
    changed = (await telegram.press(ALICE, kinds, "lunch"))[-1]
    saved = await telegram.press(ALICE, changed, "Save")

    assert "Logged lunch with <b>Maria Lopez</b>" in saved[0].text


async def test_note_card_cancel_saves_nothing(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, NOTE))[-1]

    await telegram.press(ALICE, card, "Cancel")
    again = await telegram.press(ALICE, card, "Save")

    assert "Logged" not in again[0].text
    people = await telegram.text(ALICE, "/people")
    assert "Maria" not in people[0].text


async def test_user_text_is_shown_as_text_never_as_markup(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log")
    kind = (await telegram.text(ALICE, "Ann <i>{{ 7*7 }}</i> & co"))[-1]

    assert "Ann &lt;i&gt;{{ 7*7 }}&lt;/i&gt; &amp; co" in kind.text
    assert "49" not in kind.text
