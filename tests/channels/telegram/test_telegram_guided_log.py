"""The guided /log over Telegram: buttons, typing, /cancel at any step, a restart mid-flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram_fakes import ALICE, FakeTelegram

from bot.domain.clock import ManualClock


async def test_guided_log_by_taps_and_typing_saves_one_meeting(telegram: FakeTelegram) -> None:
    who = (await telegram.text(ALICE, "/log"))[-1]
    assert "Who did you meet" in who.text

    kind = (await telegram.text(ALICE, "Maria Lopez"))[-1]
    assert kind.labels()[:5] == ["Coffee", "Call", "Event", "Meeting", "Message"]
    talk = await telegram.tap(ALICE, kind, "Coffee")  # the question becomes the next one
    assert "talk about" in talk.text
    follow_up = (await telegram.text(ALICE, "Her marathon training for Berlin on May 3."))[-1]
    assert "follow up" in follow_up.text
    saved = await telegram.text(ALICE, "I promised to send her the podcast link by Friday.")

    assert "Logged coffee with <b>Maria Lopez</b>" in saved[0].text
    people = await telegram.text(ALICE, "/people")
    assert "Maria Lopez" in people[0].text
    # The flow is over: its buttons are closed, and a press says so in a toast.
    assert await telegram.press(ALICE, kind, "Call") == []
    assert "closed" in telegram.toast()


async def test_second_guided_log_offers_recent_contacts_as_buttons(
    telegram: FakeTelegram,
) -> None:
    await telegram.text(ALICE, "/log Coffee with Maria Lopez")
    who = (await telegram.text(ALICE, "/log"))[-1]

    kind = await telegram.tap(ALICE, who, "Maria Lopez")
    talk = await telegram.tap(ALICE, kind, "Call")
    follow_up = await telegram.tap(ALICE, talk, "Skip")
    saved = await telegram.tap(ALICE, follow_up, "Nothing to follow up")

    assert "Logged call with <b>Maria Lopez</b>" in saved.text
    assert "(new" not in saved.text
    people = await telegram.text(ALICE, "/people")
    assert people[0].text.count("Maria Lopez") == 1


@pytest.mark.parametrize(
    "answers",
    [[], ["Maria Lopez"], ["Maria Lopez", "coffee"], ["Maria Lopez", "coffee", "Her new job"]],
)
async def test_cancel_works_at_every_step(telegram: FakeTelegram, answers: list[str]) -> None:
    await telegram.text(ALICE, "/log")
    for answer in answers:
        await telegram.text(ALICE, answer)

    stopped = await telegram.text(ALICE, "/cancel")

    assert "Stopped" in stopped[0].text
    people = await telegram.text(ALICE, "/people")
    assert "Maria" not in people[0].text


async def test_cancel_button_and_then_an_old_button_change_nothing(
    telegram: FakeTelegram,
) -> None:
    await telegram.text(ALICE, "/log")
    kind = (await telegram.text(ALICE, "Maria Lopez"))[-1]
    cancelled = await telegram.tap(ALICE, kind, "Cancel")
    assert cancelled.keyboard == []

    assert await telegram.press(ALICE, kind, "Coffee") == []

    assert "closed" in telegram.toast() or "expired" in telegram.toast()
    people = await telegram.text(ALICE, "/people")
    assert "Maria" not in people[0].text


async def test_half_finished_log_survives_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    data = tmp_path / "data"
    first = FakeTelegram(data, clock)
    async with first.app:
        await first.text(ALICE, "/log")
        await first.text(ALICE, "Maria Lopez")
        kind = await first.text(ALICE, "at the Berlin tech meetup")
        talk = kind[-1]
    assert "talk about" in talk.text

    second = FakeTelegram(data, clock)  # a new process: new Application, new Coach
    async with second.app:
        follow_up = (await second.text(ALICE, "Her move into developer relations"))[-1]
        assert "follow up" in follow_up.text
        # A button sent before the restart still works after it.
        saved = await second.tap(ALICE, follow_up, "Nothing to follow up")
        people = await second.text(ALICE, "/person Maria")
    assert not first.errors
    assert not second.errors
    assert "Logged event with <b>Maria Lopez</b>" in saved.text
    assert "developer relations" in people[0].text
