"""The coach in a terminal: lines in, replies out, numbers press buttons.

Button numbers are unique for the whole session: a reminder that arrives
while you read a reply gets new numbers, so the number you type always
presses the button it was printed with. A reply that replaces the message
you pressed on is printed marked "↻", and that message's old numbers stop
working. Input is read on the main thread (with `readline` line editing and
history when it is a terminal), so Ctrl-C and Ctrl-D leave at once; the
engine and reminder delivery run on an event loop in a background thread.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import re
import sys
import threading
from collections.abc import Coroutine, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, TypeVar
from urllib.parse import parse_qs, urlsplit

from bot.engine.coach import Coach
from bot.engine.replies import Button, Reply
from bot.scheduling.outcomes import Delivered, Outcome
from bot.scheduling.service import ReminderService
from bot.transfer.private_files import write_private

log = logging.getLogger(__name__)
T = TypeVar("T")
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing you saved is lost; please try again."
)
REPLACED = "That list is gone: its message has changed since. Here it is as it is now:"
NO_SUCH_BUTTON = "No button has the number {number}. The buttons on screen are {shown}."
# Longer than any button label: a typed sentence is never taken for a press.
MAX_LABEL = 40
PROMPT = "> "
_TAG = re.compile(r"</?(?:b|i|u|s|code|pre|a)(?:\s[^>]*)?>")
# "#12" or "[12]" always presses button 12, even while a question waits for a typed answer.
_PRESS = re.compile(r"^(?:#|\[)?(\d{1,6})\]?$")


def _label_words(text: str) -> str:
    """A label as typed: "✅ Done #1" and "done #1" are the same."""
    return " ".join(re.sub(r"[^\w#]+", " ", text).split()).casefold()


def _ranges(numbers: list[int]) -> str:
    """ "1–3, 7" for [1, 2, 3, 7] (sorted, not empty)."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)


def to_plain(text: str) -> str:
    """Turn a reply's Telegram HTML into terminal text."""
    return html.unescape(_TAG.sub("", text))


def _shared_draft(url: str) -> str | None:
    """The message a t.me share link would send ("url", then "text" on a new line), if it is one."""
    parts = urlsplit(url)
    if parts.netloc != "t.me" or parts.path != "/share/url":
        return None
    query = parse_qs(parts.query)
    return "\n".join(v for key in ("url", "text") for v in query.get(key, []) if v)


def link_text(url: str) -> str:
    """What a link button means in a terminal: a share link's draft to copy, else the link."""
    draft = _shared_draft(url)
    if draft is not None:
        return f"Copy and send:\n\n{html.escape(draft)}"
    return f"Open: {html.escape(url)}"


@dataclass
class _Shown:
    """A message on screen as it is now: its text and its button lines, with their numbers."""

    text: str = ""
    numbers: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def again(self) -> str:
        """The message printed again, with the numbers that work on it now."""
        return "".join(f"{part}\n" for part in [self.text, *self.lines] if part)


class ConsoleChat:
    """Renders replies to a stream and remembers every button shown this session."""

    def __init__(
        self, coach: Coach, user_id: str, out: TextIO, pictures_dir: Path | None = None
    ) -> None:
        self.coach = coach
        self.user_id = user_id
        self.out = out
        # A picture (/garden's) is a view of the user's data: it is kept with it (the chat
        # command gives the user's folder: owner-only, erased by /forget). A document (an
        # /export) is the copy they asked to take away: it goes where they are, so /forget
        # after /export, as the coach suggests, leaves their copy.
        self.pictures_dir = pictures_dir
        self.buttons: dict[int, Button] = {}
        self.message_of: dict[int, int] = {}
        self.messages: dict[int, _Shown] = {}
        self.replaced: set[int] = set()
        self._next_number = 1
        self._next_message = 1
        # Set while the user is typing at the prompt (an interactive terminal).
        self.prompting = False
        # The last message asked for a typed answer: a bare number is that answer.
        self.awaiting_text = False

    async def deliver(self, user_id: str, reply: Reply) -> Outcome:
        """Show a reminder that arrives on its own (the reminder service's sender)."""
        self.show([reply], arrived=True)
        return Delivered()

    def show(
        self, replies: Sequence[Reply], *, pressed_on: int | None = None, arrived: bool = False
    ) -> None:
        """Print replies, numbering their buttons on from the last number used.

        Replies that `arrived` on their own (reminders) leave a question that waits
        for a typed answer waiting: a bare number typed next is still its answer.
        """
        if self.prompting:
            self.out.write("\r\033[K")  # a reminder arrived mid-typing: clear the prompt line
        for reply in replies:
            if reply.toast and (pressed_on is not None or not reply.is_message):
                gap = "\n" if not reply.is_message and not reply.buttons else ""
                self.out.write(f"  · {to_plain(reply.toast)}\n{gap}")
            if reply.replaces and pressed_on is not None and pressed_on in self.messages:
                self._replace(pressed_on, reply)
                continue
            if reply.is_message:
                self._print_message(reply, arrived=arrived)
        if self.prompting:
            self.out.write(PROMPT + _typed_so_far())  # and put back what they were typing
        self.out.flush()

    def _print_message(
        self,
        reply: Reply,
        *,
        number: int | None = None,
        updated: bool = False,
        arrived: bool = False,
    ) -> None:
        if number is None:
            number, self._next_message = self._next_message, self._next_message + 1
        self.messages[number] = shown = _Shown(to_plain(reply.text))
        self.out.write(("↻ " if updated else "") + shown.text + "\n")
        for file in reply.files:
            folder = self.pictures_dir if file.photo and self.pictures_dir else Path.cwd()
            saved = write_private(folder, file.name, file.data)
            self.out.write(f"   saved {saved.resolve()}\n")
        self._print_buttons(reply, number, shown)
        if reply.placeholder and not reply.buttons:
            self.out.write(f"   (type your answer: {reply.placeholder})\n")
        if not arrived:
            self.awaiting_text = bool(reply.placeholder)
        self.out.write("\n")

    def _print_buttons(self, reply: Reply, message: int, shown: _Shown) -> None:
        # In a terminal, Share already prints the draft to copy: a Copy beside it is noise.
        shared = {_shared_draft(b.url) for row in reply.buttons for b in row if b.url}
        for row in reply.buttons:
            labels = []
            for button in row:
                if button.copy is not None and button.copy in shared:
                    continue
                number, self._next_number = self._next_number, self._next_number + 1
                self.buttons[number] = button
                self.message_of[number] = message
                shown.numbers.append(number)
                labels.append(f"[{number}] {button.label}")
            if labels:  # one line per row, as Telegram lays the keyboard out
                shown.lines.append("   " + "   ".join(labels))
                self.out.write(shown.lines[-1] + "\n")

    def _replace(self, message: int, reply: Reply) -> None:
        """Show `reply` in place of `message`: its old buttons stop working."""
        for number in self.messages[message].numbers:
            self.replaced.add(number)
            self.buttons.pop(number, None)
        if reply.is_message:
            self._print_message(reply, number=message, updated=True)
            return
        # Only its buttons change: the text on screen stays.
        shown = self.messages[message] = _Shown(self.messages[message].text)
        if reply.buttons:
            self.out.write("↻ (new buttons)\n")
            self._print_buttons(reply, message, shown)
            self.out.write("\n")

    def answer(self, line: str) -> tuple[list[Reply], int | None]:
        """Answer one typed line: a button number, or text for the coach.

        Returns the replies and, for a press, the message the button was on.
        """
        choice = line.strip()
        press = _PRESS.fullmatch(choice)
        bare = choice.isdigit()
        if press is not None and not (bare and self.awaiting_text):
            number = int(press.group(1))
            if number in self.replaced:
                # Never a wrong action: say so, and show that message as it is now.
                shown = self.messages[self.message_of[number]]
                return [Reply(html.escape(f"{REPLACED}\n\n{shown.again()}".rstrip()))], None
            button = self.buttons.get(number)
            if button is not None:
                return self._press(button), self.message_of[number]
            live = [n for n in self.buttons if n not in self.replaced]
            if live:
                # Buttons are on screen, just not this one: say which numbers are.
                numbers = _ranges(sorted(live))
                return [Reply(NO_SUCH_BUTTON.format(number=number, shown=numbers))], None
        labelled = None if self.awaiting_text else self._labelled(choice)
        if labelled is not None:
            return self._press(self.buttons[labelled]), self.message_of[labelled]
        self.awaiting_text = False
        return self.coach.handle_text(self.user_id, line), None

    def _labelled(self, typed: str) -> int | None:
        """The newest live button whose label is what was typed ("save" for [1] Save)."""
        wanted = _label_words(typed)
        if not wanted or len(wanted) > MAX_LABEL:
            return None
        for number in sorted(self.buttons, reverse=True):
            if number not in self.replaced and _label_words(self.buttons[number].label) == wanted:
                return number
        return None

    def _press(self, button: Button) -> list[Reply]:
        if button.ref is not None:
            return self.coach.handle_press(self.user_id, button.ref)
        if button.copy is not None:
            return [Reply(f"Copy and send:\n\n{html.escape(button.copy)}")]
        return [Reply(link_text(button.url or ""))]

    def turn(self, line: str) -> None:
        """Answer a line and print the answer; a bug gets an apology, not a crash."""
        try:
            replies, pressed_on = self.answer(line)
        except Exception:
            # A bug must not end the conversation; the store was written atomically.
            log.exception("could not answer a message")
            replies, pressed_on = [Reply(SOMETHING_WENT_WRONG)], None
        self.show(replies, pressed_on=pressed_on)


class _LoopThread:
    """An asyncio event loop running in a daemon thread, for the engine and reminders."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="chat")

    def __enter__(self) -> _LoopThread:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=2)
        if not self.thread.is_alive():
            self.loop.close()

    def run(self, work: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(work, self.loop)
        return future.result(timeout)


def main(
    coach: Coach,
    user_id: str,
    source: TextIO | None = None,
    out: TextIO | None = None,
    pictures_dir: Path | None = None,
) -> int:
    """Run the terminal chat until /quit, end of input, Ctrl-D or Ctrl-C (stdin and stdout).

    Pictures the coach sends (/garden's) are saved in `pictures_dir`, documents (an
    /export) in the working folder.
    """
    source, out = source or sys.stdin, out or sys.stdout
    interactive = source.isatty()
    if isinstance(source, io.TextIOWrapper) and not interactive:
        source.reconfigure(errors="replace")  # invalid UTF-8 in a pipe: U+FFFD, not a crash
    if interactive:
        import readline  # noqa: F401  (importing it gives input() line editing and history)
    chat = ConsoleChat(coach, user_id, out, pictures_dir)

    async def answer(line: str) -> None:
        chat.turn(line)

    with _LoopThread() as background:
        reminders = ReminderService(coach=coach, send=chat.deliver, only_user=user_id)
        background.run(reminders.start())
        try:
            # Whatever fell due while the chat was closed comes first, before any input.
            background.run(reminders.run_due())
            if interactive:
                out.write(
                    "Rapport Coach. Type /help, or tell me about a meeting."
                    " /quit or Ctrl-D to leave.\n\n"
                )
            for line in _lines(chat, source, interactive):
                background.run(answer(line))
        except KeyboardInterrupt:
            pass  # Ctrl-C: leave at once
        finally:
            if interactive:
                out.write("\n")
            try:
                background.run(reminders.stop(timeout=2), timeout=3)
            except (TimeoutError, KeyboardInterrupt):
                log.warning("left with a reminder delivery still running; it resumes next time")
    out.flush()
    return 0


# Typed to leave the terminal (Telegram has no such thing: these stay its own).
LEAVE = frozenset({"/quit", "/exit"})


def _lines(chat: ConsoleChat, source: TextIO, interactive: bool) -> Iterator[str]:
    """Yield typed lines until end of input; echo piped ones, as a transcript reads."""
    while True:
        if interactive:
            chat.prompting = True
            try:
                line = input(PROMPT)
            except EOFError:
                return
            finally:
                chat.prompting = False
        else:
            raw = source.readline()
            if not raw:
                return
            line = raw.rstrip("\n")
            chat.out.write(f"{PROMPT}{line.rstrip()}\n")
        if line.strip().lower() in LEAVE:
            return
        yield line


def _typed_so_far() -> str:
    """What the user has typed at the prompt so far (known only with readline)."""
    readline = sys.modules.get("readline")
    return str(readline.get_line_buffer()) if readline is not None else ""
