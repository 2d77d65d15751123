from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.model import UserProfile
from bot.domain.reminders.timing import at_local, deliverable_at, next_allowed, next_yearly

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
QUIET = (time(21), time(8))


def test_daytime_reminders_go_out_at_once() -> None:
    moment = datetime(2026, 11, 27, 10, tzinfo=UTC)  # 11:00 in Berlin
    assert next_allowed(moment, BERLIN, *QUIET) == moment


def test_evening_reminder_waits_for_the_morning() -> None:
    late = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 22:30 Berlin
    assert next_allowed(late, BERLIN, *QUIET) == datetime(2026, 11, 28, 7, tzinfo=UTC)


def test_early_morning_reminder_waits_until_quiet_hours_end_the_same_day() -> None:
    early = datetime(2026, 11, 27, 4, tzinfo=UTC)  # 05:00 Berlin
    assert next_allowed(early, BERLIN, *QUIET) == datetime(2026, 11, 27, 7, tzinfo=UTC)


def test_quiet_hours_across_the_berlin_autumn_change() -> None:
    # 24 Oct 2026 23:00 CEST; clocks go back at 03:00 on the 25th, so 08:00 is CET (UTC+1).
    late = datetime(2026, 10, 24, 21, tzinfo=UTC)
    assert next_allowed(late, BERLIN, *QUIET) == datetime(2026, 10, 25, 7, tzinfo=UTC)


def test_quiet_hours_across_the_new_york_spring_change() -> None:
    late = datetime(2026, 3, 8, 3, tzinfo=UTC)  # 7 Mar 22:00 EST
    # Clocks jump forward at 02:00 on 8 Mar: 08:00 is EDT (UTC-4).
    assert next_allowed(late, NEW_YORK, *QUIET) == datetime(2026, 3, 8, 12, tzinfo=UTC)


def test_a_wall_time_skipped_by_dst_lands_just_after_the_jump() -> None:
    skipped = at_local(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert skipped.astimezone(NEW_YORK).hour == 3


def test_quiet_hours_within_one_day_and_switched_off() -> None:
    lunch = datetime(2026, 11, 27, 11, 30, tzinfo=UTC)  # 12:30 Berlin
    assert next_allowed(lunch, BERLIN, time(12), time(13)) == datetime(2026, 11, 27, 12, tzinfo=UTC)
    assert next_allowed(lunch, BERLIN, time(0), time(0)) == lunch


def test_deliverable_at_uses_the_profile() -> None:
    profile = UserProfile("u", timezone="America/New_York")
    due = datetime(2026, 11, 27, 3, tzinfo=UTC)  # 22:00 in New York
    assert deliverable_at(due, profile) == datetime(2026, 11, 27, 13, tzinfo=UTC)


def test_yearly_dates_roll_to_next_year_and_handle_leap_days() -> None:
    after = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert next_yearly(3, 14, after, BERLIN) == datetime(2027, 3, 14, 8, tzinfo=UTC)
    assert next_yearly(2, 29, after, BERLIN).date() == date(2027, 2, 28)
    assert next_yearly(11, 27, after, BERLIN).year == 2027  # today's morning has passed
