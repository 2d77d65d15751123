"""Each quoted reminder problem of issue 11, through the real coach and store."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scheduling.reminder_harness import Recorder, indexed_coach, log_note, service
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Reminder, ReminderKind, ReminderStatus
from bot.domain.reminders.replan import Basis, replan
from bot.engine.coach import Coach
from bot.engine.replanning import BASIS_STATE, NUDGED_STATE
from bot.engine.replies import Reply
from bot.templates import TemplateLibrary

ALICE = "1001"
OPEN = [ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED]


@pytest.fixture
def rcoach(tmp_path: Path, clock: ManualClock, templates: TemplateLibrary) -> Coach:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    coach.handle_text(ALICE, "/settings timezone Berlin")
    coach.handle_text(ALICE, "/settings digest off")  # pings, not the morning digest
    coach.handle_text(ALICE, "/settings weekly off")
    return coach


def reminders(coach: Coach, kind: ReminderKind | None = None) -> list[Reminder]:
    with coach.repository.session(ALICE) as store:
        found = store.reminders(OPEN)
    return [r for r in found if kind is None or r.kind is kind]


def still_to_replan(coach: Coach, now: datetime) -> list[Reminder]:
    """What one more replanning would change: nothing, if every change already replanned."""
    with coach.repository.session(ALICE) as store:
        state = store.state(NUDGED_STATE) or {}
        plan = replan(
            store.contacts(),
            store.reminders(OPEN),
            store.profile(),
            now,
            basis=Basis.from_state(store.state(BASIS_STATE)),
            nudged_today=int(state.get("count", 0)),
        )
    return plan.to_save


async def deliver(coach: Coach, clock: ManualClock, at: datetime) -> list[Reply]:
    sender = Recorder()
    svc = service(coach, sender)
    await svc.start()
    try:
        clock.set(at)
        await svc.run_due()
    finally:
        await svc.stop()
    return sender.replies(ALICE)


def test_a_tier_tap_moves_the_date_reminders_shows(rcoach: Coach, clock: ManualClock) -> None:
    """Quoted: tapping `inner` says 14 days; /reminders still showed the 90-day date."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    card = rcoach.handle_text(ALICE, "/person Maria")[-1]
    (redrawn,) = press(rcoach, ALICE, card, "inner")
    assert redrawn.replaces
    assert "• inner" in [b.label for row in redrawn.buttons for b in row]
    assert "14 days" in redrawn.toast
    assert "Fri 11 Dec" in redrawn.toast
    assert "Fri 11 Dec 09:00: Keep in touch with <b>Maria Lopez</b>" in text_of(
        rcoach.handle_text(ALICE, "/reminders")
    )


def test_a_new_time_zone_keeps_0900_at_0900_and_says_utc_minus_5(
    rcoach: Coach, clock: ManualClock
) -> None:
    """Quoted: UTC-5 left a 09:00-Berlin follow-up at 03:00 and echoed `Etc/GMT+5`."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    answer = text_of(rcoach.handle_text(ALICE, "/settings timezone UTC-5"))
    assert "UTC-5" in answer
    assert "Etc/GMT" not in answer
    assert "Etc/GMT" not in text_of(rcoach.handle_text(ALICE, "/settings"))
    (follow,) = reminders(rcoach, ReminderKind.FOLLOW_UP)
    local = follow.due_at.astimezone(ZoneInfo("Etc/GMT+5"))
    assert (local.date(), local.time()) == (date(2026, 11, 28), time(9, 0))
    assert "tomorrow 09:00: Follow up" in text_of(rcoach.handle_text(ALICE, "/reminders"))


def test_promises_and_birthdays_come_with_lead_time_changeable_in_settings(
    rcoach: Coach,
) -> None:
    """Quoted: promises fired on the deadline morning and birthdays on the day."""
    log_note(
        rcoach,
        ALICE,
        "Coffee with Maria Lopez. Her birthday is 12 December. "
        "I promised to send her the deck by next Friday.",
    )
    (promise,) = reminders(rcoach, ReminderKind.PROMISE)
    (birthday,) = reminders(rcoach, ReminderKind.BIRTHDAY)
    assert promise.on == date(2026, 12, 4)
    assert promise.due_at.date() == date(2026, 12, 3)  # the day before
    assert (birthday.on, birthday.due_at.date()) == (date(2026, 12, 12), date(2026, 12, 9))

    saved = text_of(rcoach.handle_text(ALICE, "/settings promise 2 days"))
    assert "reminded 2 days before" in saved
    assert "moved to fit" in saved
    rcoach.handle_text(ALICE, "/settings birthday 1 week")
    (promise,) = reminders(rcoach, ReminderKind.PROMISE)
    (birthday,) = reminders(rcoach, ReminderKind.BIRTHDAY)
    assert promise.due_at.date() == date(2026, 12, 2)
    assert birthday.due_at.date() == date(2026, 12, 5)
    assert "Nothing was changed" in text_of(rcoach.handle_text(ALICE, "/settings birthday soon"))


def test_remind_me_every_month_and_end_of_the_month_are_accepted(rcoach: Coach) -> None:
    """Quoted: `/remind me …` found nobody called me; `every month`, `end of the month` refused."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    mine = text_of(rcoach.handle_text(ALICE, "/remind me tomorrow to book the flights"))
    assert "called" not in mine
    assert "book the flights (tomorrow 09:00)" in mine
    monthly = text_of(rcoach.handle_text(ALICE, "/remind Maria every month to swap reading tips"))
    assert "Then every month" in monthly
    end = text_of(rcoach.handle_text(ALICE, "/remind Maria end of the month to send the invoice"))
    assert "Mon 30 Nov 09:00" in end
    custom = reminders(rcoach, ReminderKind.CUSTOM)
    assert sorted(r.contact_id == "" for r in custom) == [False, False, True]


async def test_a_reminder_for_me_pings_with_done_and_snooze_and_comes_back_every_week(
    rcoach: Coach, clock: ManualClock
) -> None:
    rcoach.handle_text(ALICE, "/remind me every monday to plan the week")
    (ping,) = await deliver(rcoach, clock, datetime(2026, 11, 30, 8, 1, tzinfo=UTC))
    assert "plan the week" in ping.text
    labels = [b.label for row in ping.buttons for b in row]
    assert labels == ["✅ Done", "⏰ 1 day", "⏰ 1 week"]  # nobody to talk to or drift from
    (following,) = [r for r in reminders(rcoach) if r.status is ReminderStatus.PENDING]
    assert following.due_at == datetime(2026, 12, 7, 8, tzinfo=UTC)


def test_a_time_moved_by_quiet_hours_is_explained(rcoach: Coach, clock: ManualClock) -> None:
    """Quoted: `/remind … in 3 hours` silently became tomorrow 08:00."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    clock.set(datetime(2026, 11, 27, 21, 0, tzinfo=UTC))  # 22:00 in Berlin
    answer = text_of(rcoach.handle_text(ALICE, "/remind Maria in 3 hours to call"))
    assert "quiet hours (21:00–08:00)" in answer
    assert "comes tomorrow 08:00" in answer
    assert "/settings quiet" in answer


async def test_reminders_pages_and_delivered_items_can_be_acted_on(
    rcoach: Coach, clock: ManualClock
) -> None:
    """Quoted: no paging ("…and 23 more later"); delivered items piled up with no Done."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    for n in range(1, 9):
        rcoach.handle_text(ALICE, f"/remind Maria in {n} days to send part {n}")
    await deliver(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    first = rcoach.handle_text(ALICE, "/reminders")[-1]
    assert "Waiting for you" in first.text
    assert "Page 1 of 2" in first.text
    labels = [b.label for row in first.buttons for b in row]
    assert "✅ Done #1" in labels
    assert "Later ▶" in labels
    (second,) = press(rcoach, ALICE, first, "Later")
    assert second.replaces
    assert "Page 2 of 2" in second.text
    assert "◀ Earlier" in [b.label for row in second.buttons for b in row]
    waiting = len([r for r in reminders(rcoach) if r.status is ReminderStatus.DELIVERED])
    # Every button here fits a signed token: showing the pages wrote no payloads.
    assert rcoach.stored_payloads == 0
    (after,) = press(rcoach, ALICE, first, "Done #1")
    assert after.replaces
    assert after.toast.startswith("Done:")
    assert len([r for r in reminders(rcoach) if r.status is ReminderStatus.DELIVERED]) == (
        waiting - 1
    )


async def test_a_pressed_ping_is_redrawn_with_what_was_done_and_old_buttons_do_nothing(
    rcoach: Coach, clock: ManualClock
) -> None:
    """Quoted: a snoozed ping still offered Done, and pressing it marked the reminder done."""
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    log_note(rcoach, ALICE, "Lunch with Tom Baker")
    (ping,) = await deliver(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    assert rcoach.stored_payloads == 0  # the ping's buttons, ping id and all, are tokens
    (snoozed,) = press(rcoach, ALICE, ping, "1 day #1")
    assert snoozed.replaces
    assert "⏰ Snoozed until tomorrow 09:01" in snoozed.text
    labels = [b.label for row in snoozed.buttons for b in row]
    assert not [label for label in labels if label.endswith("#1")]
    assert "✅ Done #2" in labels
    # The old Done of the snoozed item: a toast, and the reminder stays snoozed.
    (stale,) = press(rcoach, ALICE, ping, "Done #1")
    assert "already been taken care of" in stale.toast
    assert "Done #1" not in [b.label for row in stale.buttons for b in row]
    follow_ups = reminders(rcoach, ReminderKind.FOLLOW_UP)
    assert ReminderStatus.PENDING in {r.status for r in follow_ups}


def test_every_change_replans_so_nothing_is_left_to_replan(
    rcoach: Coach, clock: ManualClock
) -> None:
    """One mechanism, called by every change: after each turn, replanning finds nothing to do."""
    script = [
        "/log Coffee with Maria Lopez. Her birthday is 3 March. I promised to intro her to Sam.",
        "/log Lunch with Tom Baker, he is interviewing at Stripe next Tuesday",
        "/log Call with Priya Raman",
        "/settings timezone New York",
        "/settings followup 2 days",
        "/settings quiet 22:00-07:00",
        "/settings nudges 1",
        "/settings promise 3 days",
        "/settings birthday on the day",
        "/remind me end of the month to file expenses",
        "/settings timezone UTC+2",
    ]
    for line in script:
        rcoach.handle_text(ALICE, line)
        assert still_to_replan(rcoach, clock.now()) == [], line
    card = rcoach.handle_text(ALICE, "/person Tom")[-1]
    press(rcoach, ALICE, card, "inner")
    assert still_to_replan(rcoach, clock.now()) == []
    confirm = rcoach.handle_text(ALICE, "/forget Priya")[-1]
    press(rcoach, ALICE, confirm, "Yes")
    assert still_to_replan(rcoach, clock.now()) == []
    clock.advance(timedelta(days=1))
    undo = rcoach.handle_text(ALICE, "/log Drinks with Tom Baker")[-1]
    press(rcoach, ALICE, undo, "Undo")
    assert still_to_replan(rcoach, clock.now()) == []
