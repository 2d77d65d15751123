"""One date format everywhere: every template writes dates through the humanize filters."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

from support import text_of

from bot.domain.humanize import clock, day, day_month, moment
from bot.engine.coach import Coach
from bot.templates import default_prompts_dir

# "Wed 02 Dec" was the second way dates were written.
_PADDED_DAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 0\d ")


def test_no_template_formats_a_date_itself() -> None:
    offenders = [
        str(path.relative_to(default_prompts_dir()))
        for path in default_prompts_dir().rglob("*.j2")
        if "strftime" in path.read_text()
    ]
    assert offenders == []


def test_the_one_format() -> None:
    today = date(2026, 11, 27)
    assert day(date(2026, 12, 2), today) == "Wed 2 Dec"
    assert day(date(2027, 12, 2), today) == "Thu 2 Dec 2027"
    assert day(date(2026, 11, 28), today) == "tomorrow"
    assert moment(datetime(2026, 12, 2, 9, 5), today) == "Wed 2 Dec 09:05"
    assert clock(time(21, 0)) == "21:00"
    assert day_month(date(1990, 4, 9)) == "9 Apr"


def test_replies_across_features_write_dates_one_way(coach: Coach) -> None:
    """Quoted: dates were written two ways ("Wed 02 Dec" and "Wed 2 Dec")."""
    coach.handle_text("u", "/settings timezone Berlin")
    coach.handle_text(
        "u",
        "/log Coffee with Maria Lopez. She gives a talk on 2 December. "
        "I promised to send her the deck by next Wednesday.",
    )
    coach.handle_text("u", "/remind Maria in 5 days to call")
    replies = []
    for line in ("/reminders", "/person Maria", "/settings", "/due", "/remind Maria on 2 Dec to x"):
        replies += coach.handle_text("u", line)
    everything = text_of(replies)
    assert "Wed 2 Dec" in everything
    assert not _PADDED_DAY.search(everything)


def test_the_checkout_has_no_second_date_helper() -> None:
    root = Path(__file__).resolve().parents[2] / "bot"
    users = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if re.search(r"strftime\(\s*[\"']%a", p.read_text())
    ]
    assert users == []
