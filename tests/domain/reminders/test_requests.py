from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import Contact, Repeat
from bot.domain.reminders.preferences import (
    NO_QUIET,
    parse_delay,
    parse_lead,
    parse_nudge_cap,
    parse_quiet_hours,
)
from bot.domain.reminders.requests import RemindProblem, RemindRequest, parse_remind

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
PEOPLE = [Contact("c-m", "Maria Lopez"), Contact("c-t", "Tom Baker")]


def test_remind_reads_name_when_and_what() -> None:
    request = parse_remind("Maria in 2 weeks to share the deck", PEOPLE, NOW, BERLIN)
    assert isinstance(request, RemindRequest)
    assert [c.id for c in request.matches] == ["c-m"]
    assert request.due_at == datetime(2026, 12, 11, 8, tzinfo=UTC)  # 09:00 Berlin
    assert request.what == "share the deck"


def test_remind_keeps_a_named_clock_time_and_full_names() -> None:
    request = parse_remind("Tom Baker tomorrow at 3pm to call", PEOPLE, NOW, BERLIN)
    assert isinstance(request, RemindRequest)
    assert request.name == "Tom Baker"
    assert request.due_at == datetime(2026, 11, 28, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "part"),
    [
        ("Maria", "format"),
        ("Maria whenever to x", "when"),
        ("Maria yesterday to x", "when"),
        ("Maria tomorrow to " + "x" * 400, "what"),
    ],
)
def test_remind_explains_what_it_could_not_read(args: str, part: str) -> None:
    problem = parse_remind(args, PEOPLE, NOW, BERLIN)
    assert isinstance(problem, RemindProblem)
    assert problem.part == part


def test_quiet_hours_and_delays_as_typed() -> None:
    assert parse_quiet_hours("22:00-07:30") == (time(22), time(7, 30))
    assert parse_quiet_hours("10pm to 7am") == (time(22), time(7))
    assert parse_quiet_hours("off") == NO_QUIET
    assert parse_quiet_hours("25:00-07:00") is None
    assert parse_quiet_hours("soon") is None
    assert parse_delay("2 days") is not None
    assert parse_delay("12h") is not None
    assert parse_delay("1000 weeks") is None
    assert parse_delay("0 days") is None


def test_remind_me_is_about_the_user_not_someone_called_me() -> None:
    """The quoted problem: `/remind me …` said "I don't have anyone called me"."""
    request = parse_remind("me tomorrow to book the flights", PEOPLE, NOW, BERLIN)
    assert isinstance(request, RemindRequest)
    assert request.for_self
    assert (request.what, request.due_at) == (
        "book the flights",
        datetime(2026, 11, 28, 8, tzinfo=UTC),
    )
    # The date may also end the sentence.
    later = parse_remind("me to call Tom Baker tomorrow at 10", PEOPLE, NOW, BERLIN)
    assert isinstance(later, RemindRequest)
    assert (later.what, later.due_at) == ("call Tom Baker", datetime(2026, 11, 28, 9, tzinfo=UTC))


@pytest.mark.parametrize(
    ("when", "repeat", "first"),
    [
        ("every week", Repeat.WEEK, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("every month", Repeat.MONTH, datetime(2026, 12, 27, 8, tzinfo=UTC)),
        ("every year", Repeat.YEAR, datetime(2027, 11, 27, 8, tzinfo=UTC)),
        ("every monday", Repeat.WEEK, datetime(2026, 11, 30, 8, tzinfo=UTC)),
        ("monthly from 1 December", Repeat.MONTH, datetime(2026, 12, 1, 8, tzinfo=UTC)),
    ],
)
def test_every_week_month_and_year_repeat(when: str, repeat: Repeat, first: datetime) -> None:
    """The quoted problem: `every month` and `every year` were refused."""
    request = parse_remind(f"Maria {when} to swap reading tips", PEOPLE, NOW, BERLIN)
    assert isinstance(request, RemindRequest)
    assert (request.repeat, request.due_at) == (repeat, first)


@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("end of the month", date(2026, 11, 30)),
        ("by the end of the month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("end of the week", date(2026, 11, 27)),
        ("end of the year", date(2026, 12, 31)),
    ],
)
def test_end_of_the_month_is_read(when: str, day: date) -> None:
    """The quoted problem: `end of the month` was refused, though the README lists it."""
    request = parse_remind(f"Tom {when} to send the invoice", PEOPLE, NOW, BERLIN)
    assert isinstance(request, RemindRequest)
    assert request.due_at.astimezone(BERLIN).date() == day


def test_a_span_in_hours_is_an_exact_moment_and_a_clock_time_is_not() -> None:
    soon = parse_remind("Maria in 3 hours to call", PEOPLE, NOW, BERLIN)
    at_ten = parse_remind("Maria tomorrow at 10 to call", PEOPLE, NOW, BERLIN)
    assert isinstance(soon, RemindRequest)
    assert isinstance(at_ten, RemindRequest)
    assert soon.exact
    assert soon.due_at == NOW + timedelta(hours=3)
    assert not at_ten.exact
    assert at_ten.due_at == datetime(2026, 11, 28, 9, tzinfo=UTC)


def test_lead_times_and_the_daily_cap_as_typed() -> None:
    assert parse_lead("the day before") == timedelta(days=1)
    assert parse_lead("3 days") == timedelta(days=3)
    assert parse_lead("1 week before") == timedelta(days=7)
    assert parse_lead("on the day") == timedelta(0)
    assert parse_lead("12h") is None  # a lead nudge comes on a morning
    assert parse_lead("2 months") is None
    assert parse_nudge_cap("5 a day") == 5
    assert parse_nudge_cap("off") == 0
    assert parse_nudge_cap("0") is None
    assert parse_nudge_cap("lots") is None


@pytest.mark.parametrize(
    ("args", "due"),
    [
        ("me tmrw 9am to call the bank", datetime(2026, 11, 28, 8, tzinfo=UTC)),
        ("Maria nxt thurs to share the deck", datetime(2026, 12, 3, 8, tzinfo=UTC)),
        ("me to book the flights b4 mon", datetime(2026, 11, 30, 8, tzinfo=UTC)),
        ("Tom Baker in 2 wks to send the intro", datetime(2026, 12, 11, 8, tzinfo=UTC)),
    ],
)
def test_remind_reads_dates_as_phones_type_them(args: str, due: datetime) -> None:
    request = parse_remind(args, PEOPLE, NOW, BERLIN)

    assert isinstance(request, RemindRequest), args
    assert request.due_at == due
    assert request.what in args


def test_phone_shorthand_beside_words_that_are_no_time_is_still_unreadable() -> None:
    problem = parse_remind("me tmrw-ish maybe to x", PEOPLE, NOW, BERLIN)

    assert isinstance(problem, RemindProblem)
    assert problem.part == "when"
