"""Every correction over Telegram, through the real Application: the card, /person, /cancel."""

from __future__ import annotations

from telegram_fakes import ALICE, FakeTelegram, Sent

NOTE = (
    "Coffee with Tobias Brandt and Ben Okoro. Tobias is a designer at Miro and loves sailing. "
    "I offered to introduce him to José."
)


async def card_of(telegram: FakeTelegram, text: str) -> Sent:
    return (await telegram.text(ALICE, text))[-1]


async def edit(telegram: FakeTelegram, card: Sent) -> Sent:
    """Open the card's Edit menu, which replaces the card in place."""
    return await telegram.tap(ALICE, card, "Edit")


async def person(telegram: FakeTelegram, text: str) -> Sent:
    return (await telegram.text(ALICE, f"/person {text}"))[-1]


async def test_the_card_changes_when_work_and_presence(telegram: FakeTelegram) -> None:
    card = await card_of(telegram, NOTE)
    await telegram.press(ALICE, await edit(telegram, card), "When:")
    card = (await telegram.text(ALICE, "yesterday 9am"))[-1]
    assert "09:00" in card.text

    tobias = await telegram.tap(ALICE, await edit(telegram, card), "Person: Tobias")
    await telegram.press(ALICE, tobias, "Company / role")
    card = (await telegram.text(ALICE, "Head of Design at Figma"))[-1]
    assert "Head of Design at Figma" in card.text

    ben = await telegram.tap(ALICE, await edit(telegram, card), "Person: Ben")
    card = await telegram.tap(ALICE, ben, "Only mentioned")
    assert "Mentioned, not met: José, Ben Okoro" in card.text
    saved = await telegram.tap(ALICE, card, "Save")
    assert "coffee with <b>Tobias Brandt</b>" in saved.text
    assert "Ben Okoro" not in saved.text.split("I'll remind you")[0]

    shown = await person(telegram, "Tobias")
    assert "Head of Design, Figma" in shown.text
    assert "anyone called" in (await person(telegram, "Ben Okoro")).text


async def test_the_card_adds_edits_and_drops_details(telegram: FakeTelegram) -> None:
    card = await card_of(telegram, "Coffee with Tobias Brandt. He loves sailing.")
    await telegram.press(ALICE, await edit(telegram, card), "Add a detail")
    card = (await telegram.text(ALICE, "has two kids"))[-1]
    await telegram.press(ALICE, await edit(telegram, card), "Edit: loves sailing")
    card = (await telegram.text(ALICE, "races dinghies"))[-1]
    card = await telegram.tap(ALICE, await edit(telegram, card), "Drop: has two kids")
    assert "races dinghies" in card.text
    assert "two kids" not in card.text
    await telegram.press(ALICE, card, "Save")

    remembered = (await person(telegram, "Tobias")).text.split("Recent meetings")[0]
    assert "races dinghies" in remembered
    assert "sailing" not in remembered


async def test_log_asks_when_unsure_and_cancel_discards(telegram: FakeTelegram) -> None:
    card = await card_of(telegram, "/log ask lena abt the offsite + send Jonas the invoice")
    assert "sure who was there" in card.text

    cancelled = await telegram.text(ALICE, "/cancel")
    assert "threw the unsaved note card away" in cancelled[-1].text
    again = await telegram.press(ALICE, card, "Save")
    assert not again
    assert "Saved" not in telegram.toast()
    nothing = await telegram.text(ALICE, "3")
    assert "no button to press" in nothing[-1].text


async def test_reflection_mix_ups_are_undone_in_one_tap(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Coffee with Maria Lopez from Acme.")
    card = await card_of(telegram, "Lunch with her team made me think: Maria Lopez trusted me")
    kept = await telegram.tap(ALICE, card, "It was my answer")
    assert "Kept as your answer" in kept.text

    await telegram.text(ALICE, "/log Call with Maria Lopez.")
    answer = (await telegram.text(ALICE, "Priya is launching her app next week"))[-1]
    note = await telegram.press(ALICE, answer, "That was a new note")
    assert "Here's what I understood" in note[-1].text


async def test_person_edits_details_names_birthday_and_cadence(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Lunch with Li Na. She loves bouldering.")
    menu = await telegram.tap(ALICE, await person(telegram, "Li Na"), "Edit details")

    details = await telegram.tap(ALICE, menu, "Details")
    chosen = await telegram.tap(ALICE, details, "bouldering")
    await telegram.press(ALICE, chosen, "Change the words")
    changed = await telegram.text(ALICE, "loves bouldering at the Arch")
    assert "at the Arch" in changed[0].text

    await telegram.press(ALICE, menu, "Other names")
    await telegram.text(ALICE, "李娜")
    assert "<b>Li Na</b>" in (await person(telegram, "李娜")).text

    await telegram.press(ALICE, menu, "Birthday")
    birthday = await telegram.text(ALICE, "3 March")
    assert "3 Mar" in birthday[0].text

    menu = await telegram.tap(ALICE, await person(telegram, "Li Na"), "Edit details")
    cadences = await telegram.tap(ALICE, menu, "Keep in touch")
    monthly = await telegram.tap(ALICE, cadences, "Monthly")
    assert "after 30 days" in monthly.text

    details = await telegram.tap(ALICE, monthly, "Details")
    chosen = await telegram.tap(ALICE, details, "bouldering")
    deleted = await telegram.tap(ALICE, chosen, "Delete it")
    assert "Deleted" in deleted.text


async def test_lookup_by_title_and_a_choice_between_two(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Coffee with Chidi Okafor.")
    await telegram.text(ALICE, "/log Call with Sam Lee.")
    await telegram.text(ALICE, "/log Call with Sam Ortiz.")

    assert "<b>Chidi Okafor</b>" in (await person(telegram, "Mr. Okafor")).text
    which = await person(telegram, "Sam")
    assert "More than one person" in which.text
    chosen = await telegram.tap(ALICE, which, "Sam Ortiz")
    assert "<b>Sam Ortiz</b>" in chosen.text
