"""/remind, /reminders, /settings and every ping button, through the real coach and store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scheduling.reminder_harness import Recorder, indexed_coach, log_note, service
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.templates import TemplateLibrary

ALICE, BOB = "1001", "2002"


@pytest.fixture
def rcoach(tmp_path: Path, clock: ManualClock, templates: TemplateLibrary) -> Coach:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    coach.handle_text(ALICE, "/settings timezone Berlin")
    # These tests are about pings; the digests have their own (tests/engine/insight).
    coach.handle_text(ALICE, "/settings digest off")
    coach.handle_text(ALICE, "/settings weekly off")
    return coach


def open_reminders(coach: Coach, user: str = ALICE) -> list:
    with coach.repository.session(user) as store:
        return store.reminders(
            [ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED]
        )


async def ping_for(coach: Coach, clock: ManualClock, until: datetime) -> Reply:
    """Move the clock to `until`, run delivery, and return Alice's newest ping."""
    sender = Recorder()
    svc = service(coach, sender)
    await svc.start()
    try:
        clock.set(until)
        await svc.run_due()
    finally:
        await svc.stop()
    return sender.replies(ALICE)[-1]


def test_logging_a_note_says_what_will_be_reminded(rcoach: Coach) -> None:
    replies = log_note(rcoach, ALICE, "Coffee with Maria Lopez. I promised to send her the deck.")
    text = text_of(replies)
    assert "I'll remind you" in text
    assert "send the deck" in text
    assert {r.kind for r in open_reminders(rcoach)} == {
        ReminderKind.FOLLOW_UP,
        ReminderKind.PROMISE,
        ReminderKind.KEEP_IN_TOUCH,
    }


def test_remind_by_hand_and_its_mistakes(rcoach: Coach) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    before = len(open_reminders(rcoach))

    assert "/remind Maria" in text_of(rcoach.handle_text(ALICE, "/remind"))
    assert "couldn't tell when" in text_of(rcoach.handle_text(ALICE, "/remind Maria someday to x"))
    assert "Zed" in text_of(rcoach.handle_text(ALICE, "/remind Zed tomorrow to x"))
    assert "too long" in text_of(
        rcoach.handle_text(ALICE, "/remind Maria tomorrow to " + "x" * 500)
    )
    assert len(open_reminders(rcoach)) == before  # nothing half-saved

    done = text_of(rcoach.handle_text(ALICE, "/remind Maria in 2 weeks to share the deck"))
    assert "Fri 11 Dec 09:00" in done
    assert "share the deck" in done
    custom = [r for r in open_reminders(rcoach) if r.kind is ReminderKind.CUSTOM]
    assert [r.due_at for r in custom] == [datetime(2026, 12, 11, 8, tzinfo=UTC)]


def test_remind_asks_which_person_when_the_name_is_ambiguous(rcoach: Coach) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    log_note(rcoach, ALICE, "Lunch with Maria Schmidt")
    replies = rcoach.handle_text(ALICE, "/remind Maria tomorrow to call")
    chosen = press(rcoach, ALICE, replies[-1], "Schmidt")
    assert "Maria Schmidt" in text_of(chosen)
    (custom,) = [r for r in open_reminders(rcoach) if r.kind is ReminderKind.CUSTOM]
    assert custom.text == "call"


def test_reminders_list_cancel_and_edit(rcoach: Coach) -> None:
    assert "Nothing is waiting" in text_of(rcoach.handle_text(ALICE, "/reminders"))
    rcoach.handle_text(ALICE, "/log Call with Tom Baker")
    rcoach.handle_text(ALICE, "/remind Tom in 3 days to send the paper")
    listing = rcoach.handle_text(ALICE, "/reminders")[-1]
    assert "send the paper" in listing.text

    custom_n = 1 + [line for line in listing.text.splitlines() if line[:1].isdigit()].index(
        next(line for line in listing.text.splitlines() if "send the paper" in line)
    )
    ask = press(rcoach, ALICE, listing, f"Change #{custom_n}")
    assert "When should it be" in text_of(ask)
    assert "couldn't tell" in text_of(rcoach.handle_text(ALICE, "the twelfth of never"))
    moved = text_of(rcoach.handle_text(ALICE, "in 5 days"))
    assert "Wed 2 Dec 09:00" in moved
    (custom,) = [r for r in open_reminders(rcoach) if r.kind is ReminderKind.CUSTOM]
    assert custom.due_at == datetime(2026, 12, 2, 8, tzinfo=UTC)

    listing = rcoach.handle_text(ALICE, "/reminders")[-1]
    count = len(open_reminders(rcoach))
    assert "Cancelled" in text_of(press(rcoach, ALICE, listing, "Cancel #1"))
    assert len(open_reminders(rcoach)) == count - 1
    # The same button again: nothing changes, and the user is told why.
    assert "already been taken care of" in text_of(press(rcoach, ALICE, listing, "Cancel #1"))
    assert len(open_reminders(rcoach)) == count - 1


async def test_ping_done_and_a_stale_second_press(rcoach: Coach, clock: ManualClock) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    ping = await ping_for(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    assert "Follow up with <b>Maria Lopez</b>" in ping.text
    assert "Done" in text_of(press(rcoach, ALICE, ping, "Done"))
    assert [r.kind for r in open_reminders(rcoach)] == [ReminderKind.KEEP_IN_TOUCH]
    assert "already been taken care of" in text_of(press(rcoach, ALICE, ping, "Done"))


async def test_snooze_brings_it_back_after_a_day_not_before(
    rcoach: Coach, clock: ManualClock
) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    morning = datetime(2026, 11, 28, 8, 1, tzinfo=UTC)
    ping = await ping_for(rcoach, clock, morning)
    assert "Snoozed" in text_of(press(rcoach, ALICE, ping, "1 day"))

    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    try:
        clock.set(morning + timedelta(hours=23))
        await svc.run_due()
        assert sender.sent == []
        clock.set(morning + timedelta(days=1, minutes=1))
        await svc.run_due()
        assert len(sender.sent) == 1
        week = press(rcoach, ALICE, sender.replies(ALICE)[0], "1 week")
        assert "Snoozed until Sun 6 Dec" in text_of(week)
    finally:
        await svc.stop()


async def test_suggest_drafts_a_message_for_that_person(rcoach: Coach, clock: ManualClock) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez. She is training for the Berlin marathon.")
    ping = await ping_for(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    drafts = text_of(press(rcoach, ALICE, ping, "Suggest"))
    assert "Maria" in drafts
    assert len(open_reminders(rcoach)) == 2  # suggesting changes nothing


async def test_talked_already_logs_and_resets_the_cadence(
    rcoach: Coach, clock: ManualClock
) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    talked_at = datetime(2026, 11, 28, 8, 1, tzinfo=UTC)
    ping = await ping_for(rcoach, clock, talked_at)
    answer = text_of(press(rcoach, ALICE, ping, "Talked already"))
    assert "Noted that you talked with Maria Lopez" in answer

    with rcoach.repository.session(ALICE) as store:
        (maria,) = store.contacts()
        assert maria.last_interaction_at == talked_at
        assert next(store.interactions(contact_id=maria.id)).occurred_at == talked_at
    (keep,) = open_reminders(rcoach)
    assert keep.kind is ReminderKind.KEEP_IN_TOUCH
    assert keep.due_at == datetime(2027, 2, 26, 8, tzinfo=UTC)  # 90 days after the talk


async def test_let_it_drift_stops_keep_in_touch(rcoach: Coach, clock: ManualClock) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    ping = await ping_for(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    assert "no more keep-in-touch" in text_of(press(rcoach, ALICE, ping, "drift"))
    with rcoach.repository.session(ALICE) as store:
        assert store.contacts()[0].drifting
    kinds = [r.kind for r in open_reminders(rcoach)]
    assert ReminderKind.KEEP_IN_TOUCH not in kinds


async def test_a_new_log_moves_keep_in_touch_instead_of_pinging(
    rcoach: Coach, clock: ManualClock
) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    clock.advance(timedelta(days=80))
    log_note(rcoach, ALICE, "Call with Maria Lopez")
    keep = [r for r in open_reminders(rcoach) if r.kind is ReminderKind.KEEP_IN_TOUCH]
    assert len(keep) == 1
    assert keep[0].due_at.date() == (clock.now() + timedelta(days=90)).date()


async def test_one_user_cannot_press_anothers_buttons(rcoach: Coach, clock: ManualClock) -> None:
    log_note(rcoach, ALICE, "Coffee with Maria Lopez")
    ping = await ping_for(rcoach, clock, datetime(2026, 11, 28, 8, 1, tzinfo=UTC))
    ref = ping.button_refs()[0]
    assert "expired" in text_of(rcoach.handle_press(BOB, ref))
    assert "expired" in text_of(rcoach.handle_press(ALICE, "forged-ref"))
    assert len(open_reminders(rcoach)) == 2


def test_settings_show_change_and_refuse_nonsense(rcoach: Coach) -> None:
    overview = rcoach.handle_text(ALICE, "/settings")[-1]
    assert "Europe/Berlin" in overview.text
    assert "21:00–08:00" in overview.text
    assert "Nothing was changed" in text_of(rcoach.handle_text(ALICE, "/settings quiet soonish"))
    assert "22:00–07:30" in text_of(rcoach.handle_text(ALICE, "/settings quiet 22:00-07:30"))
    assert "Nothing was changed" in text_of(rcoach.handle_text(ALICE, "/settings timezone Mars"))

    ask = press(rcoach, ALICE, overview, "Follow-up")
    assert "How long after a meeting" in text_of(ask)
    assert "Nothing was changed" in text_of(rcoach.handle_text(ALICE, "x" * 10_00))
    assert "Saved" in text_of(rcoach.handle_text(ALICE, "2 days"))
    with rcoach.repository.session(ALICE) as store:
        profile = store.profile()
    assert profile.follow_up_after == timedelta(days=2)
    assert profile.timezone == "Europe/Berlin"
    rcoach.handle_text(ALICE, "/settings timezone New York")
    assert "America/New_York" in text_of(rcoach.handle_text(ALICE, "/settings"))


async def test_a_ping_whose_item_changed_but_still_waits_shows_it_anew(
    rcoach: Coach, clock: ManualClock
) -> None:
    """Out of date but still open: the press does nothing, the line is redrawn, live."""
    rcoach.handle_text(ALICE, "/remind me tomorrow at 10:00 to send the invoices")
    ping = await ping_for(rcoach, clock, datetime(2026, 11, 28, 9, 1, tzinfo=UTC))
    assert "send the invoices" in ping.text
    with rcoach.repository.session(ALICE) as store:
        (sent,) = store.reminders([ReminderStatus.DELIVERED])
        # What another change leaves: the same reminder, about something else now.
        store.save_reminders([replace(sent, text="send the corrected invoices")])
    (stale,) = press(rcoach, ALICE, ping, "Done")
    assert "out of date" in stale.toast
    assert stale.replaces
    assert "send the corrected invoices" in stale.text
    assert [r.status for r in open_reminders(rcoach)] == [ReminderStatus.DELIVERED]
    (done,) = press(rcoach, ALICE, stale, "Done")  # the redrawn ping's own button works
    assert "✅ Done" in done.text
    assert open_reminders(rcoach) == []
