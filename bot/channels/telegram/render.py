"""Engine replies as Bot API messages: HTML text in pieces Telegram accepts, and keyboards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.engine.replies import Reply

# Telegram's limit, counted in UTF-16 code units (an emoji counts twice).
MAX_MESSAGE = 4096
MAX_CALLBACK_DATA = 64  # bytes
MAX_COPY_TEXT = 256
MAX_PLACEHOLDER = 64
MAX_CAPTION = 1024  # a photo's caption, in the same units

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


@dataclass(frozen=True)
class OutgoingMessage:
    """One sendMessage call: HTML text and an optional keyboard (or a typed-answer prompt),
    as the Bot API's JSON."""

    text: str
    markup: dict[str, Any] | None = None


def telegram_length(text: str) -> int:
    """Return the length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def keyboard_json(reply: Reply) -> dict[str, Any] | None:
    """Return the reply's buttons as Bot API inline-keyboard JSON (refs as callback data).

    Plain JSON, not PTB objects: building and serialising a dozen
    InlineKeyboardButtons per reply cost more than the rest of the send.
    """
    rows = []
    for row in reply.buttons:
        buttons: list[dict[str, Any]] = []
        for button in row:
            if button.url is not None:
                buttons.append({"text": button.label, "url": button.url})
            elif button.copy is not None:
                # Telegram copies at most 256 characters; a longer draft keeps its Share link.
                if 0 < len(button.copy) <= MAX_COPY_TEXT:
                    buttons.append({"text": button.label, "copy_text": {"text": button.copy}})
            elif button.ref is not None:
                if len(button.ref.encode()) > MAX_CALLBACK_DATA:
                    raise ValueError(f"callback data over {MAX_CALLBACK_DATA} bytes")
                buttons.append({"text": button.label, "callback_data": button.ref})
            # A button still holding a raw payload never leaves the engine: skip it.
        if buttons:
            rows.append(buttons)
    return {"inline_keyboard": rows} if rows else None


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Return the reply's buttons as an inline keyboard (refs as callback data)."""
    data = keyboard_json(reply)
    return None if data is None else InlineKeyboardMarkup.de_json(data, None)


def markup_json(reply: Reply) -> dict[str, Any] | None:
    """The reply's buttons, or for a question answered by typing a force_reply with its hint."""
    buttons = keyboard_json(reply)
    if buttons is None and reply.placeholder:
        placeholder = reply.placeholder[:MAX_PLACEHOLDER]
        return {"force_reply": True, "input_field_placeholder": placeholder}
    return buttons


def messages(reply: Reply, limit: int = MAX_MESSAGE) -> list[OutgoingMessage]:
    """Split a reply into messages of at most `limit`; the keyboard goes on the last one."""
    pieces = split_html(reply.text, limit)
    markup = markup_json(reply)
    return [
        OutgoingMessage(piece, markup if i == len(pieces) - 1 else None)
        for i, piece in enumerate(pieces)
    ]


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML at line boundaries into pieces of at most `limit`.

    Tags open at a cut are closed at the end of one piece and reopened at the
    start of the next, so every piece is valid HTML on its own. A single line
    longer than a piece is cut at a space (or, failing that, anywhere outside
    a tag or an entity).
    """
    if telegram_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    # Room for a line once the tags reopened before it and closed after it are counted.
    room = max(limit - 200, limit // 2)
    opened_before: list[tuple[str, str]] = []  # (name, opening tag as written)
    body = ""
    open_after: list[tuple[str, str]] = []
    for line in _lines_within(text, room):
        candidate = f"{body}\n{line}" if body else line
        after = _track(line, open_after)
        size = telegram_length(_opening(opened_before) + candidate + _closing(after))
        if body and size > limit:
            pieces.append(_opening(opened_before) + body + _closing(open_after))
            opened_before, body = open_after, line
            after = _track(line, opened_before)
        else:
            body = candidate
        open_after = after
    pieces.append(_opening(opened_before) + body)
    return [p for p in pieces if p.strip()]


def _track(piece: str, open_tags: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the tags still open after `piece`, given those open before it."""
    stack = list(open_tags)
    for match in _TAG.finditer(piece):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack


def _opening(open_tags: list[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in open_tags)


def _closing(open_tags: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(open_tags))


def _lines_within(text: str, room: int) -> list[str]:
    """Return the lines of `text`, cutting any line longer than `room`."""
    out: list[str] = []
    for line in text.split("\n"):
        while telegram_length(line) > room:
            cut = _safe_cut(line, room)
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip(" ")
        out.append(line)
    return out


def _safe_cut(line: str, room: int) -> int:
    """Return an index to cut `line` at: within `room`, at a space, not inside <...> or &...;."""
    end = room
    while telegram_length(line[:end]) > room:
        end -= 1
    head = line[:end]
    # Never cut inside a tag or an HTML entity.
    for opener, closer in (("<", ">"), ("&", ";")):
        start = head.rfind(opener)
        if start > head.rfind(closer) and start > 0:
            end = start
            head = line[:end]
    space = head.rfind(" ")
    return space if space > room // 2 else max(end, 1)
