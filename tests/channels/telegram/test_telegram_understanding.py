"""The user test's defects over Telegram: near names, small talk, meetings ahead, months."""

from __future__ import annotations

from telegram_fakes import ALICE, FakeTelegram


async def test_a_near_name_is_asked_and_small_talk_gets_no_card(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Lunch with Maria Lopez from Acme")
    card = (await telegram.text(ALICE, "drinks w/ mara from the climate meetup"))[-1]
    assert "is this Maria Lopez, or someone new?" in card.text
    assert {"Maria Lopez", "Someone new: Mara"} <= set(card.labels())

    thanks = (await telegram.text(ALICE, "thanks!"))[-1]
    assert "welcome" in thanks.text
    assert not thanks.labels()

    fixed = await telegram.tap(ALICE, card, "Someone new: Mara")
    saved = await telegram.tap(ALICE, fixed, "Save")
    assert "drinks with <b>Mara</b>" in saved.text
    shown = (await telegram.text(ALICE, "/person Maria Lopez"))[-1]
    assert "drinks" not in shown.text.split("Recent meetings")[-1]


async def test_a_meeting_ahead_is_planned_and_a_month_is_kept(telegram: FakeTelegram) -> None:
    card = (await telegram.text(ALICE, "lunch with Omar next week"))[-1]
    assert "still ahead" in card.text
    planned = await telegram.tap(ALICE, card, "Save")
    assert "Planned: lunch with <b>Omar</b>" in planned.text

    card = (await telegram.text(ALICE, "call w/ Anna Berg. she's running berlin in march!"))[-1]
    assert "running Berlin (March 2027, no day yet)" in card.text
