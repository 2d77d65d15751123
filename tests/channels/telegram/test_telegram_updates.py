"""Updates that aren't private text: each gets a short helpful reply, never an exception."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram_fakes import ALICE, BOT, DATE, FakeTelegram

GROUP = {"id": -100555, "type": "supergroup", "title": "Team chat"}


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (
            {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
            "photo",
        ),
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "u2",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "sticker",
        ),
        ({"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 4}}, "voice message"),
        (
            {"audio": {"file_id": "a1", "file_unique_id": "u4", "duration": 30}},
            "audio file",
        ),
        ({"location": {"latitude": 52.5, "longitude": 13.4}}, "location"),
    ],
)
async def test_non_text_gets_a_short_helpful_reply(
    telegram: FakeTelegram, content: dict[str, Any], named: str
) -> None:
    sent = await telegram.process({"message": telegram.message(ALICE, **content)})

    assert len(sent) == 1
    assert named in sent[0].text
    assert "text" in sent[0].text


async def test_photo_with_a_caption_is_not_silently_logged(telegram: FakeTelegram) -> None:
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    content = {"photo": photo, "caption": "Coffee with Maria"}
    sent = await telegram.process({"message": telegram.message(ALICE, **content)})

    assert "photo" in sent[0].text
    await_people = await telegram.text(ALICE, "/people")
    assert "Maria" not in await_people[0].text


async def test_edited_message_is_explained_and_changes_nothing(telegram: FakeTelegram) -> None:
    edited = telegram.message(ALICE, text="Coffee with Maria", edit_date=DATE + 60)
    sent = await telegram.process({"edited_message": edited})

    assert len(sent) == 1
    assert "edit" in sent[0].text.lower()


async def test_group_message_is_declined_and_the_bot_leaves(telegram: FakeTelegram) -> None:
    message = {
        "message_id": 7,
        "date": DATE,
        "chat": GROUP,
        "from": ALICE,
        "text": "/start@rapport_coach_bot",
        "entities": [{"type": "bot_command", "offset": 0, "length": 24}],
    }
    sent = await telegram.process({"message": message})

    assert len(sent) == 1
    assert sent[0].chat_id == GROUP["id"]
    assert "private" in sent[0].text
    assert [c.params["chat_id"] for c in telegram.calls_since("leaveChat")] == [GROUP["id"]]


async def test_added_to_a_group_declines_and_leaves(telegram: FakeTelegram) -> None:
    change = {
        "chat": GROUP,
        "from": ALICE,
        "date": DATE,
        "old_chat_member": {"user": BOT, "status": "left"},
        "new_chat_member": {"user": BOT, "status": "member"},
    }
    sent = await telegram.process({"my_chat_member": change})

    assert [s.chat_id for s in sent] == [GROUP["id"]]
    assert telegram.calls_since("leaveChat")


async def test_user_blocking_the_bot_sends_nothing_and_keeps_their_data(
    telegram: FakeTelegram,
) -> None:
    await telegram.text(ALICE, "/start")
    private = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
    change = {
        "chat": private,
        "from": ALICE,
        "date": DATE,
        "old_chat_member": {"user": BOT, "status": "member"},
        "new_chat_member": {"user": BOT, "status": "kicked", "until_date": 0},
    }
    before = len(telegram.request.calls)

    sent = await telegram.process({"my_chat_member": change})

    assert sent == []
    assert len(telegram.request.calls) == before
    assert (telegram.data_dir / "users" / str(ALICE["id"]) / "wal").exists()


async def test_ten_thousand_characters_are_refused_politely(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/people")
    sent = await telegram.text(ALICE, "Coffee with Maria. " + "x" * 9_981)

    assert len(sent) == 1
    assert "10000" in sent[0].text.replace(",", "").replace("\u202f", "")
    people = await telegram.text(ALICE, "/people")
    assert "Maria" not in people[0].text


async def test_a_handler_failure_is_logged_and_the_user_told_without_details(
    telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    coach = telegram.app.bot_data.coach
    assert coach is not None

    def explode(user_id: str, text: str) -> list[Any]:
        raise RuntimeError("secret internals /srv/data/users")

    coach.handle_text = explode  # type: ignore[method-assign]
    sent = await telegram.text(ALICE, "/help")
    telegram.errors.clear()  # expected here

    assert len(sent) == 1
    assert "went wrong" in sent[0].text
    assert "internals" not in sent[0].text
    assert "secret internals" in caplog.text


async def test_answering_a_user_who_just_blocked_the_bot_is_not_an_error(
    telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    async def forbidden(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return 403, b'{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked"}'

    caplog.set_level(logging.INFO, logger="bot")
    telegram.request.do_request = forbidden  # type: ignore[method-assign]
    sent = await telegram.text(ALICE, "/help")
    telegram.errors.clear()  # PTB reports it; our handler must only note it

    assert sent == []
    assert "blocked" in caplog.text
    assert "ERROR" not in {r.levelname for r in caplog.records if r.name.startswith("bot.")}
