"""A delivered reminder whose subject changed since is out of date: its old buttons never act.

Quoted: after the promise was done elsewhere, the person forgotten or the
reminder moved to another day, the ping's old buttons still acted. Each
press on such a ping is answered once with "out of date", and the ping is
edited in place to show how things stand now.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram_fakes import ALICE, FakeTelegram, Sent
from test_telegram_taps import ping

from bot.domain.clock import ManualClock
from bot.domain.model import ReminderKind, ReminderStatus

SATURDAY = datetime(2026, 11, 28, 8, 1, tzinfo=UTC)  # 09:01 in Berlin


async def delivered(telegram: FakeTelegram, clock: ManualClock, note: str) -> Sent:
    await telegram.text(ALICE, "/settings timezone Berlin")
    await telegram.text(ALICE, "/settings digest off")
    await telegram.text(ALICE, f"/log {note}")
    return await ping(telegram, clock, SATURDAY)


def number_of(message: Sent, words: str) -> int:
    """The number a message's list gives the line with `words`."""
    return next(
        int(line.split(".")[0])
        for line in message.text.splitlines()
        if words in line and ". " in line
    )


def reminders(telegram: FakeTelegram) -> dict[ReminderKind, ReminderStatus]:
    coach = telegram.app.bot_data.coach
    assert coach is not None
    with coach.repository.session(str(ALICE["id"])) as store:
        return {r.kind: r.status for r in [*store.reminders(), *store.finished_reminders()]}


async def test_a_promise_done_elsewhere_leaves_its_ping_out_of_date(
    telegram: FakeTelegram, clock: ManualClock
) -> None:
    sent = await delivered(
        telegram, clock, "Coffee with Maria Lopez. I promised to send her the deck by Sunday."
    )
    promise, follow_up = number_of(sent, "send the deck"), number_of(sent, "Follow up")
    listing = (await telegram.text(ALICE, "/reminders"))[-1]
    await telegram.tap(ALICE, listing, f"Done #{number_of(listing, 'send the deck')}")
    after = await telegram.tap(ALICE, sent, f"1 week #{promise}")  # the ping's, pressed after
    assert "out of date" in telegram.toast()
    assert "send the deck (due tomorrow) · already done" in after.text
    assert f"⏰ 1 week #{promise}" not in after.labels()
    assert f"✅ Done #{follow_up}" in after.labels()  # the follow-up beside it still works
    assert reminders(telegram)[ReminderKind.PROMISE] is ReminderStatus.DONE


async def test_a_forgotten_person_s_ping_is_out_of_date_and_logs_nothing(
    telegram: FakeTelegram, clock: ManualClock
) -> None:
    sent = await delivered(telegram, clock, "Coffee with Maria Lopez")
    question = (await telegram.text(ALICE, "/forget Maria"))[-1]
    await telegram.tap(ALICE, question, "Yes, forget")
    after = await telegram.tap(ALICE, sent, "Talked already")
    # Forgetting dropped every ping record that named her: the keyboard goes, nothing acts.
    assert "out of date" in telegram.toast()
    assert after.keyboard == []
    assert [c.method for c in telegram.last_calls].count("editMessageReplyMarkup") == 1
    coach = telegram.app.bot_data.coach
    assert coach is not None
    with coach.repository.session(str(ALICE["id"])) as store:
        assert list(store.contacts()) == []
        assert list(store.interactions()) == []


async def test_a_reminder_moved_to_another_day_is_not_done_by_its_old_ping(
    telegram: FakeTelegram, clock: ManualClock
) -> None:
    sent = await delivered(telegram, clock, "Coffee with Maria Lopez")
    listing = (await telegram.text(ALICE, "/reminders"))[-1]
    await telegram.tap(ALICE, listing, "Tomorrow #1")
    after = await telegram.tap(ALICE, sent, "Done")
    assert "out of date" in telegram.toast()
    assert "now due tomorrow 09:01" in after.text
    assert after.keyboard == []
    assert reminders(telegram)[ReminderKind.FOLLOW_UP] is ReminderStatus.PENDING
