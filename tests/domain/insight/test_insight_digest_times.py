"""When the digests fall due, and how their reminders are kept planned."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from bot.domain.insight.digests import digest_at, next_digest, plan_digests
from bot.domain.model import Reminder, ReminderKind, ReminderStatus, UserProfile

MORNING, WEEKLY = ReminderKind.MORNING_DIGEST, ReminderKind.WEEKLY_REVIEW
BERLIN = UserProfile(user_id="u", timezone="Europe/Berlin")
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # 11:00 in Berlin


def test_the_morning_digest_is_the_next_local_morning() -> None:
    assert digest_at(BERLIN, MORNING, FRIDAY) == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    early = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert digest_at(BERLIN, MORNING, early) == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    # Exactly at 09:00 the next is tomorrow's: never twice for the same morning.
    at_nine = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert digest_at(BERLIN, MORNING, at_nine) == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def test_the_weekly_review_defaults_to_sunday_18_00_local_and_follows_the_settings() -> None:
    assert digest_at(BERLIN, WEEKLY, FRIDAY) == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    friday_five = replace(BERLIN, weekly_review_day=4, weekly_review_time=time(17, 0))
    assert digest_at(friday_five, WEEKLY, FRIDAY) == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    later = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert digest_at(friday_five, WEEKLY, later) == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    new_york = replace(BERLIN, timezone="America/New_York")
    assert digest_at(new_york, WEEKLY, FRIDAY) == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)


def test_daylight_saving_keeps_the_local_time() -> None:
    before_change = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Saturday; clocks go forward Sunday
    assert digest_at(BERLIN, WEEKLY, before_change) == datetime(2026, 3, 29, 16, 0, tzinfo=UTC)


def test_turned_off_means_never() -> None:
    off = replace(BERLIN, morning_digest=False, weekly_review=False)
    assert digest_at(off, MORNING, FRIDAY) is None
    assert digest_at(off, WEEKLY, FRIDAY) is None


def digest(kind: ReminderKind, due: datetime, status: ReminderStatus = ReminderStatus.PENDING):
    return Reminder(
        id=f"{kind.value}-{due:%d%H}", kind=kind, due_at=due, contact_id="", status=status
    )


def test_a_delivered_digest_plans_the_next_after_the_moment_it_went_out() -> None:
    due = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    late = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)  # the bot was down all morning
    following = next_digest(digest(MORNING, due), BERLIN, late)
    assert following is not None
    assert following.due_at == datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    assert following.contact_id == ""
    assert next_digest(digest(MORNING, due), replace(BERLIN, morning_digest=False), late) is None


def test_planning_creates_what_is_missing_and_nothing_when_all_is_in_order() -> None:
    created = plan_digests(BERLIN, [], FRIDAY)
    assert sorted((r.kind, r.due_at) for r in created) == [
        (MORNING, datetime(2026, 11, 28, 8, 0, tzinfo=UTC)),
        (WEEKLY, datetime(2026, 11, 29, 17, 0, tzinfo=UTC)),
    ]
    assert all(r.contact_id == "" for r in created)
    assert plan_digests(BERLIN, created, FRIDAY) == []


def test_planning_moves_a_digest_when_the_zone_or_time_changes() -> None:
    planned = plan_digests(BERLIN, [], FRIDAY)
    moved = plan_digests(replace(BERLIN, timezone="Asia/Tokyo"), planned, FRIDAY)
    assert sorted(r.due_at for r in moved) == [
        datetime(2026, 11, 28, 0, 0, tzinfo=UTC),  # 09:00 in Tokyo
        datetime(2026, 11, 29, 9, 0, tzinfo=UTC),  # Sunday 18:00 in Tokyo
    ]
    assert {r.id for r in moved} == {r.id for r in planned}


def test_planning_cancels_what_is_turned_off_or_doubled_and_leaves_a_due_one_alone() -> None:
    morning = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    twice = [digest(MORNING, morning), replace(digest(MORNING, morning), id="dup")]
    changes = plan_digests(replace(BERLIN, weekly_review=False), twice, FRIDAY)
    assert [(r.id, r.status) for r in changes] == [("dup", ReminderStatus.CANCELLED)]
    off = plan_digests(replace(BERLIN, morning_digest=False, weekly_review=False), twice, FRIDAY)
    assert {r.status for r in off} == {ReminderStatus.CANCELLED}
    # Already due (the service will send it in a moment) or being sent: left alone.
    overdue = digest(MORNING, FRIDAY - timedelta(hours=1))
    sending = digest(WEEKLY, FRIDAY - timedelta(hours=1), ReminderStatus.SENDING)
    assert plan_digests(BERLIN, [overdue, sending], FRIDAY) == []
