"""An offline Telegram: the real PTB Application fed Update JSON, with a recording BaseRequest."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from offline_bot_api import OfflineBotAPI, answer_json, ok
from telegram import Update
from telegram.ext import ApplicationBuilder
from telegram.request import RequestData

from bot.channels.telegram import build_application
from bot.channels.telegram.context import CoachApplication, CoachContext
from bot.channels.telegram.render import telegram_length
from bot.config import Settings
from bot.domain.clock import ManualClock

TOKEN = "123456:TEST-token-never-logged-abcdefghijk"
BOT = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Rapport Coach",
    "username": "rapport_coach_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
ALICE: dict[str, Any] = {"id": 1001, "is_bot": False, "first_name": "Alice", "language_code": "en"}
BOB: dict[str, Any] = {"id": 2002, "is_bot": False, "first_name": "Bob", "language_code": "en"}
DATE = 1_795_000_000


ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


class _TelegramHTML(HTMLParser):
    """Fails on anything Telegram's HTML parse mode would reject."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> is not Telegram HTML"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1:] == [tag], f"unbalanced </{tag}>"
        self.open.pop()

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, f"&{name}; is not Telegram HTML"


def check_telegram_rules(message: Sent) -> None:
    """Assert a sent message (or photo) is one Telegram would accept."""
    if "photo" in message.raw:
        assert telegram_length(message.text) <= 1024  # a caption's limit
        if not message.text:
            return
    assert message.raw.get("parse_mode") == "HTML"
    assert 0 < telegram_length(message.text) <= 4096
    checker = _TelegramHTML()
    checker.feed(message.text)
    checker.close()
    assert not checker.open, f"unclosed tags {checker.open}"
    for row in message.keyboard:
        for button in row:
            assert sum(k in button for k in ("callback_data", "url", "copy_text")) == 1
            if "copy_text" in button:
                assert 0 < len(button["copy_text"]["text"]) <= 256
            if "callback_data" in button:
                assert len(button["callback_data"].encode()) <= 64


@dataclass
class Call:
    """One Bot API call the application made, and what the fake answered."""

    method: str
    params: dict[str, Any]
    result: Any = None


class RecordingRequest(OfflineBotAPI):
    """Answers Bot API calls like Telegram would, and records every one."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._message_ids = itertools.count(5000)
        # endpoint -> the Bad Request description Telegram answers it with (for fault tests).
        self.refuse: dict[str, str] = {}
        # Files users sent, by file_id: served by getFile and the file download.
        self.files: dict[str, bytes] = {}
        # Documents the bot sent: (chat id, file name, content).
        self.documents: list[tuple[int, str, bytes]] = []

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        if "/file/bot" in url and endpoint in self.files:
            return 200, self.files[endpoint]
        if endpoint == "sendDocument" and request_data is not None:
            for name, data, *_ in (request_data.multipart_data or {}).values():
                chat_id = int(request_data.parameters["chat_id"])
                self.documents.append((chat_id, str(name), bytes(data)))
        return await super().do_request(url, method, request_data)

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        call = Call(endpoint, params)
        self.calls.append(call)
        refusal = self.refuse.get(endpoint)
        if refusal is not None:
            return answer_json(400, {"ok": False, "error_code": 400, "description": refusal})
        call.result = self._result(endpoint, params)
        return ok(call.result)

    def _result(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT
        if endpoint == "getFile":
            file_id = str(params["file_id"])
            size = len(self.files.get(file_id, b""))
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": size,
                "file_path": f"documents/{file_id}",
            }
        if endpoint == "sendDocument":
            return {
                "message_id": next(self._message_ids),
                "date": DATE,
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT,
                "document": {"file_id": "sent", "file_unique_id": "sent"},
            }
        if endpoint in ("sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            message_id = params.get("message_id") or next(self._message_ids)
            message = {
                "message_id": int(message_id),
                "date": DATE,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT,
                "text": params.get("text", "…"),
            }
            if endpoint == "sendPhoto":
                photo = {"file_id": "p1", "file_unique_id": "u1", "width": 1200, "height": 800}
                message["photo"] = [photo]
                del message["text"]
                if "caption" in params:
                    message["caption"] = params["caption"]
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            return message
        return True


@dataclass
class Sent:
    """A message the bot sent (or edited), as Telegram received it."""

    chat_id: int
    text: str
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    message_id: int = 1

    @classmethod
    def of(cls, call: Call, before: Sent | None = None) -> Sent:
        """The message as it stands after `call` (an edit keeps what it did not change)."""
        params = call.params
        markup = params.get("reply_markup") or {}
        return cls(
            int(params["chat_id"]),
            str(params.get("text", params.get("caption", before.text if before else ""))),
            markup.get("inline_keyboard", []) if isinstance(markup, dict) else [],
            params,
            int((call.result or {}).get("message_id", 1)) if isinstance(call.result, dict) else 1,
        )

    def labels(self) -> list[str]:
        return [b["text"] for row in self.keyboard for b in row]

    def button(self, label: str) -> dict[str, Any]:
        for row in self.keyboard:
            for button in row:
                if label.lower() in button["text"].lower():
                    return button
        raise AssertionError(f"no button like {label!r} in {self.labels()}")


class FakeTelegram:
    """Drives one real Application: builds Update JSON, records what it sends back."""

    def __init__(
        self, data_dir: Path, clock: ManualClock, settings: Settings | None = None
    ) -> None:
        self.data_dir = data_dir
        self.request = RecordingRequest()
        builder = ApplicationBuilder().token(TOKEN).request(self.request)
        self.app: CoachApplication = build_application(
            builder.get_updates_request(self.request),
            settings or Settings(data_dir=data_dir),
            clock=clock,
        )
        self.errors: list[BaseException] = []
        self.app.add_error_handler(self._record_error)
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self.last_calls: list[Call] = []
        self.last_edits: list[Sent] = []
        self.last_answers: list[dict[str, Any]] = []
        self._pressed_on: Sent | None = None

    @asynccontextmanager
    async def delivering(self) -> AsyncIterator[None]:
        """Run the application's own reminder delivery, as run_polling starts and stops it."""
        assert self.app.post_init is not None
        assert self.app.post_shutdown is not None
        await self.app.post_init(self.app)
        try:
            yield
        finally:
            await self.app.post_shutdown(self.app)

    async def _record_error(self, update: object, context: CoachContext) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    async def process(self, update: dict[str, Any]) -> list[Sent]:
        """Feed one update; return the messages sent in answer (edits: see `last_edits`)."""
        before = len(self.request.calls)
        update = {"update_id": next(self._update_ids), **update}
        await self.app.process_update(Update.de_json(update, self.app.bot))
        self.last_calls = self.request.calls[before:]
        sent = [Sent.of(c) for c in self.last_calls if c.method in ("sendMessage", "sendPhoto")]
        for message in sent:
            check_telegram_rules(message)
        self.last_edits = [
            Sent.of(c, self._pressed_on)
            for c in self.last_calls
            if c.method in ("editMessageText", "editMessageReplyMarkup") and c.result is not None
        ]
        for edit in self.last_edits:
            if "text" in edit.raw:
                check_telegram_rules(edit)
        self.last_answers = [c.params for c in self.last_calls if c.method == "answerCallbackQuery"]
        return sent

    def calls_since(self, method: str) -> list[Call]:
        return [c for c in self.request.calls if c.method == method]

    def message(self, user: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": DATE,
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            **content,
        }

    async def text(self, user: dict[str, Any], text: str) -> list[Sent]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self.process({"message": self.message(user, **content)})

    async def press_data(
        self, user: dict[str, Any], data: str, on: Sent | None = None
    ) -> list[Sent]:
        """Press a button carrying `data` (real or made up) under message `on`."""
        chat_id = on.chat_id if on else user["id"]
        self._pressed_on = on
        message = {
            "message_id": on.message_id if on else 1,
            "date": DATE,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT,
            "text": on.text if on else "…",
        }
        query = {
            "id": f"cq{next(self._update_ids)}",
            "from": user,
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": message,
        }
        return await self.process({"callback_query": query})

    async def document(
        self, user: dict[str, Any], name: str, data: bytes, *, size: int | None = None
    ) -> list[Sent]:
        """Send a file as a document (Telegram holds it until the bot downloads it)."""
        file_id = f"f{next(self._message_ids)}"
        self.request.files[file_id] = data
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": name,
            "file_size": len(data) if size is None else size,
        }
        return await self.process({"message": self.message(user, document=document)})

    async def press(self, user: dict[str, Any], on: Sent, label: str) -> list[Sent]:
        return await self.press_data(user, on.button(label)["callback_data"], on)

    async def tap(self, user: dict[str, Any], on: Sent, label: str) -> Sent:
        """Press a button that should edit its message in place; return the message after.

        Checks the press was answered exactly once and nothing new was sent.
        """
        sent = await self.press(user, on, label)
        assert len(self.last_answers) == 1, self.last_answers
        assert not sent, [s.text for s in sent]
        assert self.last_edits, "the pressed message was not edited"
        edited = self.last_edits[-1]
        assert edited.message_id == on.message_id
        return (
            edited
            if "text" in edited.raw
            else Sent(on.chat_id, on.text, edited.keyboard, edited.raw, on.message_id)
        )

    def toast(self) -> str:
        """The text of the last press's callback answer ("" for none)."""
        (answer,) = self.last_answers
        return str(answer.get("text", ""))
