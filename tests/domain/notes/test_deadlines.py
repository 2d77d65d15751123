"""A vague deadline's last day: "b4 xmas" leaves no day, but a latest one."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.notes.deadlines import latest_day

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("phrase", "latest"),
    [
        ("b4 xmas", date(2026, 12, 24)),
        ("before Christmas", date(2026, 12, 24)),
        ("by new year", date(2026, 12, 31)),
        ("before easter", date(2027, 3, 27)),  # Easter 2027 is 28 March
        ("by end of q1", date(2027, 3, 31)),
        ("in q1", date(2027, 3, 31)),
        ("by the end of Q2", date(2027, 6, 30)),
        ("by Q3 2027", date(2027, 9, 30)),
        ("end of q4", date(2026, 12, 31)),  # the quarter we are in
        ("next quarter", date(2027, 3, 31)),
        ("this quarter", date(2026, 12, 31)),
    ],
)
def test_a_bounded_vague_time_has_its_last_day(phrase: str, latest: date) -> None:
    assert latest_day(phrase, TODAY) == latest


@pytest.mark.parametrize("phrase", ["over xmas", "after easter", "during the holidays", "", "soon"])
def test_a_time_without_an_upper_bound_has_none(phrase: str) -> None:
    assert latest_day(phrase, TODAY) is None


def test_a_holiday_already_past_this_year_is_next_years() -> None:
    assert latest_day("b4 xmas", date(2026, 12, 27)) == date(2027, 12, 24)
    assert latest_day("by end of q1", date(2027, 4, 2)) == date(2028, 3, 31)
