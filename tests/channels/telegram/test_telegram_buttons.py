"""Buttons carry opaque per-user refs: forged, foreign or stale ones change nothing."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from telegram_fakes import ALICE, BOB, FakeTelegram, Sent

from bot.engine.replies import Button, Reply
from bot.engine.turn import Turn
from bot.storage.tinydb_repository import TinyRepository


def snapshot(data_dir: Path, user: dict[str, Any]) -> dict[str, bytes]:
    """Every file of a user's data, byte for byte."""
    folder = data_dir / "users" / str(user["id"])
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


async def log_someone(telegram: FakeTelegram, user: dict[str, Any], note: str) -> None:
    saved = await telegram.text(user, f"/log {note}")
    assert "Logged" in saved[0].text


def contact_id(data_dir: Path, user: dict[str, Any]) -> str:
    with TinyRepository(data_dir).session(str(user["id"])) as store:
        (contact,) = store.contacts()
    return contact.id


async def people_of(telegram: FakeTelegram, user: dict[str, Any]) -> Sent:
    return (await telegram.text(user, "/people"))[-1]


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "x",
        "not-a-ref-at-all",
        '{"op":"person.forget.yes","contact":"CONTACT"}',
        "person.forget.yes:CONTACT",
        "A" * 64,
    ],
)
async def test_forged_callback_data_naming_another_users_record_is_rejected(
    telegram: FakeTelegram, forged: str
) -> None:
    await log_someone(telegram, ALICE, "Coffee with Maria Lopez")
    await log_someone(telegram, BOB, "Lunch with Tom Baker")
    alice_contact = contact_id(telegram.data_dir, ALICE)
    before = {u["id"]: snapshot(telegram.data_dir, u) for u in (ALICE, BOB)}

    answer = await telegram.press_data(BOB, forged.replace("CONTACT", alice_contact))

    # A stale or forged press is answered with a toast, not a chat message.
    assert answer == []
    assert "expired" in telegram.toast()
    assert not telegram.last_edits
    after = {u["id"]: snapshot(telegram.data_dir, u) for u in (ALICE, BOB)}
    assert after == before


async def test_a_button_from_another_users_message_does_nothing(telegram: FakeTelegram) -> None:
    await log_someone(telegram, ALICE, "Coffee with Maria Lopez")
    await log_someone(telegram, BOB, "Lunch with Tom Baker")
    alice_people = await people_of(telegram, ALICE)
    before = {u["id"]: snapshot(telegram.data_dir, u) for u in (ALICE, BOB)}

    answer = await telegram.press(BOB, alice_people, "Maria")

    assert answer == []
    assert "Maria" not in telegram.toast()
    assert "expired" in telegram.toast()
    # Bob pressed on Alice's message: nothing of hers is edited.
    assert not telegram.last_edits
    assert {u["id"]: snapshot(telegram.data_dir, u) for u in (ALICE, BOB)} == before


async def test_alice_and_bob_never_see_each_others_people(telegram: FakeTelegram) -> None:
    await log_someone(telegram, ALICE, "Coffee with Marisol Okonkwo. She loves sailing.")
    await log_someone(telegram, BOB, "Lunch with Tiberius Vance. He is moving to Lisbon.")
    seen: dict[int, list[Sent]] = {ALICE["id"]: [], BOB["id"]: []}

    def record(user: dict[str, Any], sent: list[Sent]) -> None:
        assert {message.chat_id for message in sent} <= {user["id"]}
        seen[user["id"]].extend(sent)

    # Each asks about the other's contact by first name only, so a surname or a
    # fact appearing could only come from the other user's data.
    for user, other in ((ALICE, "Tiberius"), (BOB, "Marisol")):
        for command in ("/people", "/due", "/help", f"/person {other}", f"/forget {other}"):
            record(user, await telegram.text(user, command))
            await telegram.text(user, "/cancel")
        record(user, await telegram.text(user, "/log"))
        await telegram.text(user, "/cancel")
        people = await people_of(telegram, user)
        record(user, [people])
        for label in people.labels():
            shown = await telegram.press(user, people, label)
            record(user, shown)
            for message in shown:
                for tier_label in message.labels():
                    record(user, await telegram.press(user, message, tier_label))

    def everything(user: dict[str, Any]) -> str:
        return " ".join(s.text + " " + " ".join(s.labels()) for s in seen[user["id"]])

    assert "Marisol Okonkwo" in everything(ALICE)
    assert "sailing" in everything(ALICE)
    assert "Vance" not in everything(ALICE)
    assert "Lisbon" not in everything(ALICE)
    assert "Tiberius Vance" in everything(BOB)
    assert "Okonkwo" not in everything(BOB)
    assert "sailing" not in everything(BOB)
    # Bob's "/forget Marisol" found nobody of his: Alice still has her.
    assert "Marisol Okonkwo" in (await people_of(telegram, ALICE)).text


async def test_share_button_is_a_url_button_and_messages_nobody_else(
    telegram: FakeTelegram,
) -> None:
    coach = telegram.app.bot_data.coach
    assert coach is not None
    share = "https://t.me/share/url?text=Hi%20Maria%2C%20how%20did%20the%20marathon%20go%3F"

    @coach.router.command("sharetest", "A draft with a share button", in_menu=False)
    def draft(turn: Turn, args: str) -> list[Reply]:
        buttons = ((Button("Share in Telegram", url=share), Button("Done", payload={"op": "x"})),)
        return [Reply("Hi Maria, how did the marathon go?", buttons)]

    (sent,) = await telegram.text(ALICE, "/sharetest")

    button = sent.button("Share in Telegram")
    assert button == {"text": "Share in Telegram", "url": share}
    assert len(sent.button("Done")["callback_data"]) <= 64
    assert {c.params.get("chat_id") for c in telegram.request.calls if "chat_id" in c.params} == {
        ALICE["id"]
    }


async def test_long_reply_is_split_on_lines_with_buttons_on_the_last_piece(
    telegram: FakeTelegram,
) -> None:
    coach = telegram.app.bot_data.coach
    assert coach is not None
    lines = [f"<b>{i:04}</b> line with a &amp; and some words to fill space" for i in range(300)]

    @coach.router.command("longtest", "A very long reply", in_menu=False)
    def long_reply(turn: Turn, args: str) -> list[Reply]:
        return [Reply("\n".join(lines), ((Button("OK", payload={"op": "x"}),),))]

    sent = await telegram.text(ALICE, "/longtest")

    assert len(sent) > 1
    assert "\n".join(s.text for s in sent) == "\n".join(lines)
    assert [bool(s.keyboard) for s in sent] == [False] * (len(sent) - 1) + [True]


async def test_suggest_drafts_come_with_share_in_telegram_links(telegram: FakeTelegram) -> None:
    await log_someone(telegram, ALICE, "Coffee with Maria Lopez. She is training for a marathon.")

    drafts = (await telegram.text(ALICE, "/suggest Maria"))[-1]

    links = [b for row in drafts.keyboard for b in row if "url" in b]
    copies = [b for row in drafts.keyboard for b in row if "copy_text" in b]
    assert links
    assert len(copies) == len(links)
    assert all(b["url"].startswith("https://t.me/share/url?url=") for b in links)
    assert "Maria" in urllib.parse.unquote(links[0]["url"])
    # Sharing is the user's own tap: the bot itself only ever wrote to Alice.
    assert {c.params["chat_id"] for c in telegram.calls_since("sendMessage")} == {ALICE["id"]}
