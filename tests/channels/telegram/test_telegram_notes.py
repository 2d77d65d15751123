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

    # The card itself becomes the receipt: one edited message, nothing new, with Undo.
    saved = await telegram.tap(ALICE, card, "Save")

    assert "✅ Saved: coffee with <b>Maria Lopez</b>" in saved.text
    assert "I'll remind you" in saved.text
    assert "↩ Undo" in saved.labels()
    assert "Save" not in saved.labels()
    assert telegram.toast() == "Saved"
    person = await telegram.text(ALICE, "/person Maria")
    assert "marathon" in person[0].text


async def test_note_card_edit_then_back_then_save(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, NOTE))[-1]

    menu = await telegram.tap(ALICE, card, "Edit")
    kinds = await telegram.tap(ALICE, menu, "Kind")
    changed = await telegram.tap(ALICE, kinds, "lunch")
    saved = await telegram.tap(ALICE, changed, "Save")

    assert "Saved: lunch with <b>Maria Lopez</b>" in saved.text


async def test_note_card_cancel_saves_nothing(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, NOTE))[-1]

    cancelled = await telegram.tap(ALICE, card, "Cancel")
    assert "Cancelled" in cancelled.text
    assert cancelled.keyboard == []
    assert await telegram.press(ALICE, card, "Save") == []

    assert "no longer open" in telegram.toast()
    people = await telegram.text(ALICE, "/people")
    assert "Maria" not in people[0].text


async def test_user_text_is_shown_as_text_never_as_markup(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log")
    kind = (await telegram.text(ALICE, "Ann <i>{{ 7*7 }}</i> & co"))[-1]

    assert "Ann &lt;i&gt;{{ 7*7 }}&lt;/i&gt; &amp; co" in kind.text
    assert "49" not in kind.text


async def test_a_planned_meeting_has_undo_in_place_and_a_stale_undo_changes_nothing(
    telegram: FakeTelegram,
) -> None:
    card = (await telegram.text(ALICE, "meeting lea thurs to talk funding"))[-1]
    planned = await telegram.tap(ALICE, card, "Save")
    assert "Planned: meeting with <b>Lea</b>" in planned.text
    assert planned.labels() == ["↩ Undo"]
    undone = await telegram.tap(ALICE, planned, "↩ Undo")
    assert undone.text == "Undone: that plan and its two reminders are gone."
    people = await telegram.text(ALICE, "/people")
    assert "Lea" not in people[0].text
    again = await telegram.tap(ALICE, planned, "↩ Undo")
    assert again.text == "That plan was already removed."
