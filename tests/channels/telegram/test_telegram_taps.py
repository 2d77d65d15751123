"""Issue 11 over Telegram: presses edit their message, every callback is answered exactly once.

Each test drives the real Application with the offline Bot API; `tap` checks
that the press was answered once, sent nothing new and edited the message
it was pressed on (editMessageText or editMessageReplyMarkup).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from telegram_fakes import ALICE, FakeTelegram, Sent

from bot.channels.telegram.delivery import start_reminders, stop_reminders
from bot.domain.clock import ManualClock

NOTE = "Coffee with Maria Lopez (Acme). She runs the Berlin marathon on May 3."


async def logged(telegram: FakeTelegram, note: str = NOTE) -> None:
    await telegram.text(ALICE, "/settings digest off")
    await telegram.text(ALICE, f"/log {note}")


async def ping(telegram: FakeTelegram, clock: ManualClock, at: datetime) -> Sent:
    """Start delivery at `at` through post_init and return the ping Telegram got."""
    before = len(telegram.calls_since("sendMessage"))
    clock.set(at)
    await start_reminders(telegram.app)
    try:
        for _ in range(500):
            calls = telegram.calls_since("sendMessage")[before:]
            if calls:
                return Sent.of(calls[-1])
            await asyncio.sleep(0.01)
        raise AssertionError("no ping was sent")
    finally:
        await stop_reminders(telegram.app)


async def test_a_saved_card_becomes_one_receipt_with_undo(telegram: FakeTelegram) -> None:
    """Quoted: Save left Save/Edit/Cancel live and sent three new messages."""
    card = (await telegram.text(ALICE, NOTE))[-1]
    receipt = await telegram.tap(ALICE, card, "Save")
    assert receipt.text.startswith("✅ Saved: coffee with <b>Maria Lopez</b>")
    assert "I'll remind you" in receipt.text
    assert "A moment to reflect" in receipt.text
    assert receipt.labels() == ["↩ Undo", "Skip"]
    assert telegram.toast() == "Saved"
    undone = await telegram.tap(ALICE, receipt, "Undo")
    assert "Undone" in undone.text
    assert undone.keyboard == []


async def test_the_tier_picker_is_redrawn_with_the_new_choice_marked(
    telegram: FakeTelegram,
) -> None:
    await logged(telegram)
    card = (await telegram.text(ALICE, "/person Maria"))[-1]
    assert "• network" in card.labels()
    redrawn = await telegram.tap(ALICE, card, "inner")
    assert "• inner" in redrawn.labels()
    assert "network" in redrawn.labels()
    assert "Tier: inner" in redrawn.text
    assert "14 days" in telegram.toast()


async def test_a_snoozed_ping_says_so_and_loses_the_buttons_that_no_longer_make_sense(
    telegram: FakeTelegram, clock: ManualClock
) -> None:
    """Quoted: a snoozed ping still offered Done, and pressing it marked the reminder done."""
    await telegram.text(ALICE, "/settings timezone Berlin")
    await logged(telegram)
    sent = await ping(telegram, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    snoozed = await telegram.tap(ALICE, sent, "1 day")
    assert "⏰ Snoozed until tomorrow 09:01" in snoozed.text
    assert snoozed.keyboard == []
    assert "Snoozed" in telegram.toast()
    # The old Done, pressed anyway: a short answer, and the reminder stays snoozed.
    assert await telegram.press(ALICE, sent, "Done") == []
    assert len(telegram.last_answers) == 1
    assert "already been taken care of" in telegram.toast()
    listing = (await telegram.text(ALICE, "/reminders"))[-1]
    assert "tomorrow 09:01: Follow up with <b>Maria Lopez</b>" in listing.text


async def test_message_is_not_modified_is_harmless(telegram: FakeTelegram) -> None:
    await logged(telegram)
    card = (await telegram.text(ALICE, "/person Maria"))[-1]
    telegram.request.refuse["editMessageText"] = (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    sent = await telegram.press(ALICE, card, "network")
    assert sent == []
    assert len(telegram.last_answers) == 1
    assert [c.method for c in telegram.last_calls].count("editMessageText") == 1


async def test_a_failed_edit_falls_back_to_a_new_message(telegram: FakeTelegram) -> None:
    await logged(telegram)
    card = (await telegram.text(ALICE, "/person Maria"))[-1]
    telegram.request.refuse["editMessageText"] = "Bad Request: message can't be edited"
    sent = await telegram.press(ALICE, card, "close")
    (fresh,) = sent
    assert "Tier: close" in fresh.text
    assert "• close" in fresh.labels()
    assert len(telegram.last_answers) == 1


async def test_stale_and_foreign_presses_get_a_toast_not_a_message(
    telegram: FakeTelegram,
) -> None:
    """Quoted: stale presses got a new chat message rather than a short callback answer."""
    card = (await telegram.text(ALICE, NOTE))[-1]
    await telegram.tap(ALICE, card, "Cancel")
    assert await telegram.press(ALICE, card, "Save") == []
    assert "no longer open" in telegram.toast()
    assert not telegram.last_edits
    assert await telegram.press_data(ALICE, "made-up") == []
    assert "expired" in telegram.toast()


async def test_share_links_carry_the_draft_and_a_copy_button_copies_it(
    telegram: FakeTelegram,
) -> None:
    """Quoted: share links carried only `text=`; desktop clients refuse an empty url."""
    await logged(telegram)
    drafts = (await telegram.text(ALICE, "/suggest Maria"))[-1]
    shares = [b for row in drafts.keyboard for b in row if "url" in b]
    copies = [b for row in drafts.keyboard for b in row if "copy_text" in b]
    assert shares
    assert len(copies) == len(shares)
    for share, copy in zip(shares, copies, strict=True):
        parts = urlsplit(share["url"])
        assert (parts.netloc, parts.path) == ("t.me", "/share/url")
        query = parse_qs(parts.query)
        assert query["url"] == [copy["copy_text"]["text"]]  # the draft, where clients accept it
        assert "Maria" in query["url"][0]


async def test_the_menu_is_ordered_by_use_and_the_descriptions_are_set(
    telegram: FakeTelegram,
) -> None:
    """Quoted: the menu started with /start /help /cancel, and no description was set."""
    assert telegram.app.post_init is not None
    assert telegram.app.post_shutdown is not None
    telegram.request.refuse["setMyShortDescription"] = "Bad Request: too many requests"
    await telegram.app.post_init(telegram.app)
    await telegram.app.post_shutdown(telegram.app)
    (menu,) = telegram.calls_since("setMyCommands")
    names = [c["command"] for c in menu.params["commands"]]
    assert names[:3] == ["log", "people", "person"]
    assert names[-3:] == ["help", "start", "cancel"]
    (description,) = telegram.calls_since("setMyDescription")
    assert "trust, mutual respect and genuineness" in description.params["description"]
    assert len(description.params["description"]) <= 512
    # A refused short description does not stop the start (it was tried, once).
    (short,) = telegram.calls_since("setMyShortDescription")
    assert len(short.params["short_description"]) <= 120


async def test_typed_answers_open_the_keyboard_with_a_hint(telegram: FakeTelegram) -> None:
    overview = (await telegram.text(ALICE, "/settings"))[-1]
    (question,) = await telegram.press(ALICE, overview, "Quiet hours")
    markup = question.raw["reply_markup"]
    assert markup["force_reply"] is True
    assert markup["input_field_placeholder"] == "e.g. 21:00-08:00"
    assert len(telegram.last_answers) == 1


async def test_bare_commands_offer_recent_people_and_a_choice_replaces_the_picker(
    telegram: FakeTelegram, clock: ManualClock
) -> None:
    """Quoted: bare /person, /suggest and /forget asked for a name instead of a picker."""
    await logged(telegram)
    clock.advance(timedelta(hours=1))
    await telegram.text(ALICE, "/log Lunch with Tom Baker")
    for command in ("/person", "/suggest", "/openers", "/thanks", "/forget"):
        (picker,) = await telegram.text(ALICE, command)
        assert picker.labels()[:2] == ["Tom Baker", "Maria Lopez (Acme)"], command
    picker = (await telegram.text(ALICE, "/person"))[-1]
    chosen = await telegram.tap(ALICE, picker, "Maria")
    assert "<b>Maria Lopez</b>" in chosen.text
    meetings = (await telegram.text(ALICE, "/openers"))[-1]
    assert "meal" in meetings.labels()
    dinner = await telegram.tap(ALICE, meetings, "meal")
    assert "Openers for a meal" in dinner.text


async def test_forget_has_a_keep_button_and_both_answers_edit_the_question(
    telegram: FakeTelegram,
) -> None:
    await logged(telegram)
    question = (await telegram.text(ALICE, "/forget Maria"))[-1]
    assert "Keep" in question.labels()
    kept = await telegram.tap(ALICE, question, "Keep")
    assert "Kept" in kept.text
    assert kept.keyboard == []
    question = (await telegram.text(ALICE, "/forget Maria"))[-1]
    gone = await telegram.tap(ALICE, question, "Yes, forget")
    assert "no longer keep anything" in gone.text


async def test_paging_reminders_edits_the_list_in_place(telegram: FakeTelegram) -> None:
    await logged(telegram)
    for n in range(1, 8):
        await telegram.text(ALICE, f"/remind Maria in {n} days to send part {n}")
    listing = (await telegram.text(ALICE, "/reminders"))[-1]
    later = await telegram.tap(ALICE, listing, "Later")
    assert "Page 2 of " in later.text
    earlier = await telegram.tap(ALICE, later, "Earlier")
    assert "Page 1 of " in earlier.text


async def test_the_first_presses_all_edit_their_message(telegram: FakeTelegram) -> None:
    """Quoted: none of 11 first presses edited its message or removed its keyboard."""
    start = (await telegram.text(ALICE, "/start"))[-1]
    zone = await telegram.tap(ALICE, start, "Berlin")
    assert "Got it: Europe/Berlin" in zone.text
    await telegram.text(ALICE, "/settings digest off")
    card = (await telegram.text(ALICE, NOTE))[-1]
    menu = await telegram.tap(ALICE, card, "Edit")
    kinds = await telegram.tap(ALICE, menu, "Kind")
    back = await telegram.tap(ALICE, kinds, "lunch")
    assert "What: lunch" in back.text
    await telegram.tap(ALICE, back, "Save")
    who = (await telegram.text(ALICE, "/log"))[-1]
    kind = await telegram.tap(ALICE, who, "Maria")
    talk = await telegram.tap(ALICE, kind, "Call")
    follow = await telegram.tap(ALICE, talk, "Skip")
    saved = await telegram.tap(ALICE, follow, "Nothing to follow up")
    assert "Logged call" in saved.text
    person = (await telegram.text(ALICE, "/person Maria"))[-1]
    await telegram.tap(ALICE, person, "close")
    answers = telegram.calls_since("answerCallbackQuery")
    queries = [c.params["callback_query_id"] for c in answers]
    assert len(queries) == len(set(queries)) == 10  # each press answered exactly once
