"""The terminal never renumbers what is on screen; Ctrl-C and Ctrl-D leave at once."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scheduling.reminder_harness import indexed_coach

from bot.channels.console import REPLACED, ConsoleChat
from bot.domain.clock import ManualClock
from bot.domain.model import ReminderKind, ReminderStatus
from bot.scheduling.service import ReminderService
from bot.templates import TemplateLibrary

USER = "me"
NOTE = "Lunch with Tom Becker, he is moving to Lisbon in May"


@pytest.fixture
def chat(tmp_path: Path, clock: ManualClock, templates: TemplateLibrary) -> ConsoleChat:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    coach.handle_text(USER, "/settings timezone Berlin")
    coach.handle_text(USER, "/settings digest off")
    return ConsoleChat(coach, USER, io.StringIO())


def screen(chat: ConsoleChat) -> str:
    assert isinstance(chat.out, io.StringIO)
    return chat.out.getvalue()


async def a_reminder_arrives(chat: ConsoleChat, clock: ManualClock, at: datetime) -> None:
    service = ReminderService(
        coach=chat.coach, send=chat.deliver, only_user=USER, max_per_second=None
    )
    await service.start()
    try:
        clock.set(at)
        await service.run_due()
    finally:
        await service.stop()


async def test_a_reminder_between_a_reply_and_the_number_keeps_the_number_meaning(
    chat: ConsoleChat, clock: ManualClock
) -> None:
    """Quoted: a reminder mid-conversation reused the numbers, so `2` snoozed a reminder."""
    chat.coach.handle_text(USER, "/log Coffee with Maria Lopez")
    chat.turn("/remind Maria tomorrow at 9:00 to send the deck")
    chat.turn(NOTE)  # the card: [n] Save [n+1] Edit [n+2] Cancel
    assert "] Save" in screen(chat)
    cancel = next(n for n, b in chat.buttons.items() if b.label == "Cancel")
    # Tomorrow morning the reminders arrive, before the user types a number.
    await a_reminder_arrives(chat, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    assert "A few people to get back to" in screen(chat)
    assert f"[{cancel}] Cancel" in screen(chat)
    assert not any(f"[{cancel}] " in line for line in screen(chat).split("back to")[1].splitlines())
    chat.turn(str(cancel))
    assert "↻ Cancelled. I didn't save that note." in screen(chat)
    with chat.coach.repository.session(USER) as store:
        waiting = store.reminders([ReminderStatus.DELIVERED])
    assert {r.kind for r in waiting} == {ReminderKind.FOLLOW_UP, ReminderKind.CUSTOM}


def test_a_replaced_message_s_numbers_stop_working_and_toasts_show(chat: ConsoleChat) -> None:
    chat.turn(NOTE)
    save = next(n for n, b in chat.buttons.items() if b.label == "Save")
    chat.turn(str(save))
    out = screen(chat)
    assert "  · Saved" in out
    assert "↻ ✅ Saved: lunch with Tom Becker" in out
    chat.turn(str(save))
    assert REPLACED in screen(chat)


def test_a_number_typed_as_an_answer_is_the_answer(chat: ConsoleChat) -> None:
    chat.turn(NOTE)  # buttons 1, 2, 3 are on screen
    chat.turn("/settings")
    nudges = next(n for n, b in chat.buttons.items() if "Nudges" in b.label)
    chat.turn(str(nudges))
    assert "(type your answer: e.g. 3)" in screen(chat)
    chat.turn("2")  # not button 2 (Edit on the card): the answer to the question
    assert "at most 2 a day" in screen(chat)


def test_piped_scripts_still_press_buttons(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--data-dir", str(tmp_path / "d")],
        input=f"{NOTE}\n1\n/people\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "↻ ✅ Saved: lunch with Tom Becker" in run.stdout
    assert "Tom Becker · network · today" in run.stdout


def interactive_chat(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """The chat on a pseudo-terminal, as a person runs it; returns the process and pty end."""
    main, child = pty.openpty()

    def own_terminal() -> None:
        # A session of its own whose controlling terminal is the pty: Ctrl-C becomes SIGINT.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--data-dir", str(tmp_path / "d")],
        stdin=child,
        stdout=child,
        stderr=child,
        preexec_fn=own_terminal,
    )
    os.close(child)
    read_until(main, b"> ")
    return process, main


def read_until(fd: int, wanted: bytes, timeout: float = 60.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_leave_at_once(tmp_path: Path, key: bytes) -> None:
    """Quoted: Ctrl-C did not exit until Enter was pressed."""
    process, main = interactive_chat(tmp_path)
    try:
        os.write(main, b"/hel")  # half a line typed: Ctrl-C must not wait for Enter
        time.sleep(0.2)
        os.write(main, key if key == b"\x03" else b"\x15" + key)  # Ctrl-D on an empty line
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(main)


def test_line_editing_comes_from_readline(tmp_path: Path) -> None:
    """Quoted: arrow keys inserted escape codes."""
    process, main = interactive_chat(tmp_path)
    try:
        # Type "/elp", go left three times, put the "h" in: readline edits the line.
        os.write(main, b"/elp\x1b[D\x1b[D\x1b[Dh\r")
        seen = read_until(main, b"What I can do")
        assert b"I don't know" not in seen
        if not seen.rstrip().endswith(b">"):
            read_until(main, b"> ")  # the next prompt: Ctrl-D is read by the next input()
        # Clear the line and press Ctrl-D until the chat leaves: on a loaded machine
        # the key can land while the terminal is between prompts and be swallowed.
        for _ in range(10):
            os.write(main, b"\x15\x04")
            try:
                assert process.wait(timeout=2) == 0
                break
            except subprocess.TimeoutExpired:
                continue
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(main)


async def test_a_reminder_arriving_while_a_question_waits_leaves_the_number_an_answer(
    chat: ConsoleChat, clock: ManualClock
) -> None:
    """A ping printed after a question must not turn the typed answer into a press."""
    chat.coach.handle_text(USER, "/log Coffee with Maria Lopez")
    chat.turn(NOTE)  # the card: Save, Edit, Cancel
    chat.turn("/settings")
    nudges = next(n for n, b in chat.buttons.items() if "Nudges" in b.label)
    chat.turn(str(nudges))
    assert "(type your answer: e.g. 3)" in screen(chat)
    await a_reminder_arrives(chat, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    assert "Follow up with Maria Lopez" in screen(chat)
    chat.turn("2")  # still the answer to the question, not button 2 (Edit on the card)
    assert "at most 2 a day" in screen(chat)
    assert "What should change" not in screen(chat)


def test_a_number_from_a_replaced_message_shows_that_message_as_it_is_now(
    chat: ConsoleChat,
) -> None:
    """An old number does nothing, and the message it was on is shown again, live."""
    chat.turn(NOTE)
    save = next(n for n, b in chat.buttons.items() if b.label == "Save")
    chat.turn(str(save))
    undo = next(n for n, b in chat.buttons.items() if "Undo" in b.label)
    chat.out = io.StringIO()
    chat.turn(str(save))  # Save again, on the card that became its receipt
    again = screen(chat)
    assert REPLACED in again
    assert "✅ Saved: lunch with Tom Becker" in again
    assert f"[{undo}] ↩ Undo" in again  # the receipt's own, working number
    with chat.coach.repository.session(USER) as store:
        assert len(list(store.interactions())) == 1  # nothing saved twice
    chat.turn(str(undo))
    assert "Tom Becker" not in chat.coach.handle_text(USER, "/people")[0].text


def test_a_number_no_button_has_says_which_numbers_are_on_screen(chat: ConsoleChat) -> None:
    """It said "There's no button to press right now" under a card with three buttons."""
    chat.turn(NOTE)  # [1] Save [2] Edit [3] Cancel
    chat.turn("99")
    assert "No button has the number 99. The buttons on screen are 1–3." in screen(chat)
    assert "no button to press right now" not in screen(chat)
    chat.turn("2")  # Edit: the card's message is replaced, its old numbers gone
    chat.turn("3")
    assert REPLACED in screen(chat)
    before = screen(chat)
    chat.turn("98")
    after = screen(chat)[len(before) :]
    assert "No button has the number 98. The buttons on screen are 4–" in after


def test_typing_a_button_label_presses_it(chat: ConsoleChat) -> None:
    """Seen as a user: "save" under the card was read as small talk and the note never saved."""
    chat.turn(NOTE)
    before = len(screen(chat))
    chat.turn("save")

    assert "Saved" in screen(chat)[before:]
    with chat.coach.repository.session(USER) as store:
        assert [c.name for c in store.contacts()] == ["Tom Becker"]


def test_a_sentence_that_starts_like_a_label_is_still_a_note(chat: ConsoleChat) -> None:
    chat.turn(NOTE)
    chat.turn("save the date for the offsite")

    with chat.coach.repository.session(USER) as store:
        assert store.contacts() == []
