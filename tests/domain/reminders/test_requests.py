from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import Contact
from bot.domain.reminders.preferences import NO_QUIET, parse_delay, parse_quiet_hours
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
