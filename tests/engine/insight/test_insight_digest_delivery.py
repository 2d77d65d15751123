"""The digests through the real reminder service: local time, quiet hours, opt-out, once a day.

Every test drives the real ReminderService (its APScheduler job and the due
index) over TinyDB stores on disk, with the clock injected; a restart is a
new coach and a new service over the same data folder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduling.reminder_harness import Recorder, indexed_coach, log_note, service

from bot.domain.clock import ManualClock
from bot.domain.model import ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.templates import TemplateLibrary

USER = "1001"
NINE = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # Saturday 09:00 in Berlin
SUNDAY_SIX = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # Sunday 18:00 in Berlin


def setup_user(data: Path, clock: ManualClock, templates: TemplateLibrary, *notes: str) -> Coach:
    coach = indexed_coach(data, clock, templates)
    coach.handle_text(USER, "/settings timezone Berlin")
    for note in notes:
        log_note(coach, USER, note)
    return coach


async def deliver_at(
    data: Path, clock: ManualClock, templates: TemplateLibrary, moment: datetime
) -> list[Reply]:
    """Restart (a new coach and service over `data`), move the clock, deliver; return the sends."""
    clock.set(moment)
    coach = indexed_coach(data, clock, templates)
    sender = Recorder()
    svc = service(coach, sender)
    await svc.start()
    await svc.run_due()
    await svc.stop()
    return sender.replies(USER)


def digests(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if "things for today" in r.text]


def user_level(coach: Coach, kind: ReminderKind) -> list:
    with coach.repository.session(USER) as store:
        return [r for r in store.reminders() if r.kind is kind]


def planned(coach: Coach, kind: ReminderKind) -> list[datetime]:
    """When the pending reminders of `kind` are due."""
    return [r.due_at for r in user_level(coach, kind) if r.status is ReminderStatus.PENDING]


async def test_several_pings_due_in_the_morning_arrive_as_one_digest(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    setup_user(
        tmp_path / "data",
        clock,
        templates,
        "Coffee with Maria Lopez. I promised to send her the podcast link by tomorrow.",
        "Lunch with Tom Baker",
    )
    sent = await deliver_at(tmp_path / "data", clock, templates, NINE)
    (digest,) = sent  # one message, not three pings
    assert "Good morning" in digest.text
    assert "3 things for today" in digest.text
    assert "podcast link" in digest.text
    labels = [b.label for row in digest.buttons for b in row]
    assert {"✅ Done #1", "✍️ Draft #2", "⏰ Tomorrow #3"} <= set(labels)
    assert "📋 Everything that needs you" in labels
    with indexed_coach(tmp_path / "data", clock, templates).repository.session(USER) as store:
        delivered = store.reminders([ReminderStatus.DELIVERED])
    assert len(delivered) == 3  # each reminder is delivered, waiting for its button


async def test_a_digest_button_acts_on_its_reminder(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = setup_user(
        tmp_path / "data", clock, templates, "Coffee with Maria Lopez", "Lunch with Tom Baker"
    )
    (digest,) = await deliver_at(tmp_path / "data", clock, templates, NINE)
    done = next(b for row in digest.buttons for b in row if b.label == "✅ Done #1")
    assert done.ref is not None
    assert "Done" in coach.handle_press(USER, done.ref)[0].text
    assert len(coach.handle_text(USER, "/due")[0].button_refs()) > 0


async def test_a_single_ping_stays_a_ping_and_no_empty_digest_is_sent(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    setup_user(tmp_path / "data", clock, templates, "Coffee with Maria Lopez")
    (ping,) = await deliver_at(tmp_path / "data", clock, templates, NINE)
    assert "Good morning" not in ping.text
    assert "Follow up with <b>Maria Lopez</b>" in ping.text
    # A morning with nothing due sends nothing, and the digest still moves on to tomorrow.
    assert await deliver_at(tmp_path / "data", clock, templates, NINE + timedelta(days=1)) == []
    coach = indexed_coach(tmp_path / "data", clock, templates)
    assert planned(coach, ReminderKind.MORNING_DIGEST) == [NINE + timedelta(days=2)]


async def test_the_digest_waits_for_quiet_hours_to_end(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = setup_user(
        tmp_path / "data", clock, templates, "Coffee with Maria Lopez", "Lunch with Tom Baker"
    )
    coach.handle_text(USER, "/settings quiet 21:00-10:30")
    assert await deliver_at(tmp_path / "data", clock, templates, NINE) == []
    assert await deliver_at(tmp_path / "data", clock, templates, NINE + timedelta(hours=1)) == []
    sent = await deliver_at(
        tmp_path / "data", clock, templates, NINE + timedelta(hours=1, minutes=30)
    )
    assert len(digests(sent)) == 1
    assert len(sent) == 1


async def test_turned_off_the_pings_come_as_before(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = setup_user(
        tmp_path / "data", clock, templates, "Coffee with Maria Lopez", "Lunch with Tom Baker"
    )
    assert "off" in coach.handle_text(USER, "/settings digest off")[0].text
    assert user_level(coach, ReminderKind.MORNING_DIGEST) == []  # cancelled, so in history
    sent = await deliver_at(tmp_path / "data", clock, templates, NINE)
    assert digests(sent) == []
    assert "A few people to get back to" in sent[0].text


async def test_never_twice_for_the_same_day_across_restarts(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    data = tmp_path / "data"
    coach = setup_user(data, clock, templates, "Coffee with Maria Lopez", "Lunch with Tom Baker")
    # The bot was down at 09:00; it comes back at 14:00 and the digest goes out late, once.
    late = await deliver_at(data, clock, templates, NINE + timedelta(hours=5))
    assert len(digests(late)) == 1
    assert "Good afternoon" in late[0].text
    # More pings fall due later that day; restarts the same day never bring a second digest.
    clock.set(NINE + timedelta(hours=6))
    coach.handle_text(USER, "/remind Maria in 1 hour to send the deck")
    coach.handle_text(USER, "/remind Tom in 1 hour to share the notes")
    later = []
    for hours in (7.5, 9, 11):
        again = await deliver_at(data, clock, templates, NINE + timedelta(hours=hours))
        assert digests(again) == []
        later += again
    (ping,) = later  # the afternoon's two reminders, as an ordinary ping
    assert "send the deck" in ping.text
    assert "share the notes" in ping.text
    # The next morning there is a digest again (the two custom pings went out as pings).
    log_note(coach, USER, "Call with Sam Ortiz. I promised to send him the deck by tomorrow.")
    log_note(coach, USER, "Drinks with Ana Costa")
    tomorrow = await deliver_at(data, clock, templates, NINE + timedelta(days=1))
    assert len(digests(tomorrow)) == 1


async def test_the_weekly_review_arrives_sunday_at_18_00_and_plans_the_next_week(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    data = tmp_path / "data"
    coach = setup_user(data, clock, templates, "Coffee with Maria Lopez")
    coach.handle_text(USER, "/settings digest off")  # only the review in this test
    await deliver_at(data, clock, templates, NINE)  # Saturday's ping
    assert await deliver_at(data, clock, templates, SUNDAY_SIX - timedelta(minutes=1)) == []
    (review,) = await deliver_at(data, clock, templates, SUNDAY_SIX)
    assert "Your week" in review.text
    assert "Maria Lopez" in review.text
    assert await deliver_at(data, clock, templates, SUNDAY_SIX + timedelta(hours=1)) == []
    later = planned(indexed_coach(data, clock, templates), ReminderKind.WEEKLY_REVIEW)
    assert later == [SUNDAY_SIX + timedelta(days=7)]


async def test_a_weekly_review_days_late_is_dropped_not_sent_as_old_news(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    data = tmp_path / "data"
    coach = setup_user(data, clock, templates)
    coach.handle_text(USER, "/settings digest off")
    sent = await deliver_at(data, clock, templates, SUNDAY_SIX + timedelta(days=3))
    assert sent == []
    later = planned(indexed_coach(data, clock, templates), ReminderKind.WEEKLY_REVIEW)
    assert later == [SUNDAY_SIX + timedelta(days=7)]


async def test_the_review_time_and_zone_from_settings_move_the_next_review(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    data = tmp_path / "data"
    coach = setup_user(data, clock, templates, "Coffee with Maria Lopez")
    coach.handle_text(USER, "/settings digest off")
    coach.handle_text(USER, "/settings weekly friday 17:00")
    coach.handle_text(USER, "/settings timezone America/New_York")
    coach.handle_text(USER, "/help")  # any message replans after the zone change
    friday_five = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # today, 17:00 in New York
    assert planned(coach, ReminderKind.WEEKLY_REVIEW) == [friday_five]
    assert await deliver_at(data, clock, templates, friday_five - timedelta(minutes=1)) == []
    (sent,) = await deliver_at(data, clock, templates, friday_five)
    assert "Your week" in sent.text
