"""The coach in a terminal: lines in, replies out, numbers press buttons."""

from __future__ import annotations

import asyncio
import html
import io
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from bot.engine.coach import Coach
from bot.engine.replies import Button, Reply
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import ReminderService
from bot.transfer.private_files import write_private

log = logging.getLogger(__name__)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing you saved is lost; please try again."
)
_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|a)(?:\s[^>]*)?>")


def to_plain(text: str) -> str:
    """Turn a reply's Telegram HTML into terminal text."""
    return html.unescape(_TAG.sub("", text))


def link_text(url: str) -> str:
    """What a link button means in a terminal: a share link's text to copy, else the link."""
    parts = urlsplit(url)
    if parts.netloc == "t.me" and parts.path == "/share/url":
        text = parse_qs(parts.query).get("text", [""])[0]
        return f"Copy and send:\n\n{html.escape(text)}"
    return f"Open: {html.escape(url)}"


class ConsoleChat:
    """Renders replies to a stream and remembers the buttons last shown."""

    def __init__(
        self, coach: Coach, user_id: str, out: TextIO, files_dir: Path | None = None
    ) -> None:
        self.coach = coach
        self.user_id = user_id
        self.out = out
        # Where files the coach sends (an /export) are saved; the working folder by default.
        self.files_dir = files_dir
        self.choices: list[Button] = []

    def show(self, replies: Sequence[Reply]) -> None:
        """Print replies; number their buttons from 1 so typing a number presses one."""
        self.choices = []
        for reply in replies:
            self.out.write(to_plain(reply.text) + "\n")
            for file in reply.files:
                saved = write_private(self.files_dir or Path.cwd(), file.name, file.data)
                self.out.write(f"   saved {saved.resolve()}\n")
            for row in reply.buttons:
                labels = []
                for button in row:
                    self.choices.append(button)
                    labels.append(f"[{len(self.choices)}] {button.label}")
                # One line per row, as Telegram lays the keyboard out.
                self.out.write("   " + "   ".join(labels) + "\n")
            self.out.write("\n")
        self.out.flush()

    def answer(self, line: str) -> list[Reply]:
        """Answer one typed line: a button number, or text for the coach."""
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(self.choices):
            button = self.choices[int(choice) - 1]
            if button.ref is not None:
                return self.coach.handle_press(self.user_id, button.ref)
            return [Reply(link_text(button.url or ""))]
        return self.coach.handle_text(self.user_id, line)


async def run_chat(chat: ConsoleChat, source: TextIO, *, echo: bool) -> None:
    """Answer lines until end of input, printing this user's reminders as they fall due."""

    async def show_ping(user_id: str, reply: Reply) -> Outcome:
        chat.show([reply])
        return Delivered()

    reminders = ReminderService(coach=chat.coach, send=show_ping, only_user=chat.user_id)
    await reminders.start()
    try:
        # Whatever fell due while the chat was closed comes first, before any input.
        await reminders.run_due()
        await _read_lines(chat, source, echo=echo)
    finally:
        await reminders.stop()


async def _read_lines(chat: ConsoleChat, source: TextIO, *, echo: bool) -> None:
    loop = asyncio.get_running_loop()
    if not echo:
        chat.out.write(
            "Rapport Coach. Type /help, or tell me about a meeting. Ctrl-D to leave.\n\n"
        )
    while True:
        if not echo:
            chat.out.write("> ")
            chat.out.flush()
        # Reading in a thread keeps the event loop free for reminder deliveries.
        line = await loop.run_in_executor(None, source.readline)
        if not line:
            break
        if echo:
            chat.out.write(f"> {line.rstrip()}\n")
        try:
            replies = chat.answer(line.rstrip("\n"))
        except Exception:
            # A bug must not end the conversation; the store was written atomically.
            log.exception("could not answer a message")
            replies = [Reply(SOMETHING_WENT_WRONG)]
        chat.show(replies)


def main(
    coach: Coach, user_id: str, source: TextIO | None = None, out: TextIO | None = None
) -> int:
    """Run the terminal chat until end of input (stdin and stdout by default)."""
    source, out = source or sys.stdin, out or sys.stdout
    if isinstance(source, io.TextIOWrapper):
        source.reconfigure(errors="replace")  # invalid UTF-8 in a pipe: U+FFFD, not a crash
    chat = ConsoleChat(coach, user_id, out)
    try:
        asyncio.run(run_chat(chat, source, echo=not source.isatty()))
    except KeyboardInterrupt:
        out.write("\n")
    return 0
