"""Date phrases resolve against the user's own today, never to a past or wrong date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.notes.dates import find_dates
from bot.domain.notes.extractor import read_note

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 3, 9)


def resolve(text: str, today: date, *, month_first: bool = False) -> date | None:
    [mention] = find_dates(text, today, month_first=month_first)
    return mention.on


@pytest.mark.parametrize(
    ("phrase", "today", "expected"),
    [
        ("next Thursday", FRIDAY, date(2026, 12, 3)),  # the coming one: already next week
        ("next Thursday", MONDAY, date(2026, 3, 19)),  # not this week's Thursday
        ("this Thursday", MONDAY, date(2026, 3, 12)),
        ("on Thursday", MONDAY, date(2026, 3, 12)),
        ("by Friday", FRIDAY, date(2026, 12, 4)),  # a bare weekday is never today
        ("tomorrow", FRIDAY, date(2026, 11, 28)),
        ("in two weeks", FRIDAY, date(2026, 12, 11)),
        ("in 3 days", FRIDAY, date(2026, 11, 30)),
        ("in a couple of weeks", FRIDAY, date(2026, 12, 11)),
        ("two weeks from now", FRIDAY, date(2026, 12, 11)),
        ("end of the month", FRIDAY, date(2026, 11, 30)),
        ("by the end of next month", FRIDAY, date(2026, 12, 31)),
        ("end of the week", MONDAY, date(2026, 3, 13)),
        ("EOD", FRIDAY, FRIDAY),
        ("next week", FRIDAY, date(2026, 12, 4)),
        ("next month", date(2026, 1, 31), date(2026, 2, 28)),  # clamped to the month's end
        ("this weekend", MONDAY, date(2026, 3, 14)),
        ("May 3", FRIDAY, date(2027, 5, 3)),  # the next May 3, not last May's
        ("May 3", date(2026, 5, 3), date(2026, 5, 3)),
        ("on 3rd of May", MONDAY, date(2026, 5, 3)),
        ("Dec 5th", FRIDAY, date(2026, 12, 5)),
        ("May 3, 2028", FRIDAY, date(2028, 5, 3)),
        ("2027-01-15", FRIDAY, date(2027, 1, 15)),
        ("on the 15th", FRIDAY, date(2026, 12, 15)),
        ("12/5", FRIDAY, date(2027, 5, 12)),  # day first outside the US
        ("Feb 29", FRIDAY, date(2028, 2, 29)),  # the next one that exists
    ],
)
def test_relative_and_absolute_dates(phrase: str, today: date, expected: date) -> None:
    assert resolve(phrase, today) == expected


def test_month_first_in_us_zones() -> None:
    assert resolve("12/5", FRIDAY, month_first=True) == date(2026, 12, 5)


@pytest.mark.parametrize(
    "phrase",
    ["31/02", "on Feb 30", "31/13", "in September", "in a few weeks", "this week", "in the spring"],
)
def test_unclear_dates_are_kept_but_not_guessed(phrase: str) -> None:
    [mention] = find_dates(phrase, FRIDAY)

    assert mention.on is None
    assert mention.text.endswith(phrase.split()[-1])


@pytest.mark.parametrize(
    "text",
    [
        "I may send it",
        "sat down with her",
        "the sun was out",
        "march on",
        "3/4 of us",
        "version 3.5",
        "we",
        "second",
    ],
)
def test_ordinary_words_are_not_dates(text: str) -> None:
    assert find_dates(text, FRIDAY) == []


def test_past_phrases_are_marked_past() -> None:
    mentions = find_dates("yesterday, last Tuesday and two days ago", FRIDAY)

    assert [(m.text, m.on, m.past) for m in mentions] == [
        ("yesterday", date(2026, 11, 26), True),
        ("last Tuesday", date(2026, 11, 24), True),
        ("two days ago", date(2026, 11, 25), True),
    ]


def test_dateparser_covers_forms_the_rules_do_not_know() -> None:
    [mention] = find_dates("The next round is in a fortnight", FRIDAY)

    assert (mention.text, mention.on) == ("in a fortnight", date(2026, 12, 11))


def test_dates_follow_the_users_zone_not_utc() -> None:
    # 23:30 UTC on Friday is already Saturday in Tokyo, still Friday in New York.
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    note = "Call with Tom, he launches tomorrow"

    tokyo = read_note(note, now=late, timezone="Asia/Tokyo", contacts=[])
    new_york = read_note(note, now=late, timezone="America/New_York", contacts=[])

    assert tokyo.events[0].on == date(2026, 11, 29)
    assert new_york.events[0].on == date(2026, 11, 28)


def test_occurred_this_morning_is_today_at_nine_local() -> None:
    now = datetime(2026, 6, 17, 23, 30, tzinfo=UTC)  # Thursday 08:30 in Tokyo

    reading = read_note(
        "Coffee with Kenji this morning", now=now, timezone="Asia/Tokyo", contacts=[]
    )

    assert reading.occurred_at == now  # 09:00 would be in the future: capped at now


def test_occurred_last_monday() -> None:
    reading = read_note(
        "Met Ana on Monday, she starts at Stripe on Monday",
        now=datetime(2026, 11, 27, 15, tzinfo=UTC),
        timezone="Europe/Berlin",
        contacts=[],
    )

    assert reading.occurred_at == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert reading.events[0].on == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("phrase", "month"),
    [
        ("in march", date(2027, 3, 1)),  # the next March, not this year's gone one
        ("in jan", date(2027, 1, 1)),
        ("in November", date(2026, 11, 1)),  # this month still counts
        ("in March 2028", date(2028, 3, 1)),
        ("since March", None),  # looking back: no month ahead
        ("last March", None),
    ],
)
def test_a_month_alone_names_its_month_not_a_day(phrase: str, month: date | None) -> None:
    [mention] = find_dates(phrase, FRIDAY)
    assert (mention.on, mention.month) == (None, month)


@pytest.mark.parametrize(
    ("note", "words", "month"),
    [
        ("call w/ anna. she's running berlin in march!", "running Berlin", date(2027, 3, 1)),
        ("Drinks with Marco, he starts at google in jan", "starts at google", date(2027, 1, 1)),
    ],
)
def test_an_event_in_a_month_is_that_month_flagged_approximate(
    note: str, words: str, month: date
) -> None:
    now = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    reading = read_note(note, now=now, timezone="Europe/Berlin", contacts=[])
    [event] = reading.events
    assert (event.text, event.on, event.approximate) == (words, month, True)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("she's off to japan in may", [date(2027, 5, 1)]),
        ("running the lisbon half in may, so training hard", [date(2027, 5, 1)]),
        ("the offer may help her", []),
        ("in may we could try it", []),  # a word follows: the "may" of "we may"
    ],
)
def test_lowercase_may_at_the_end_of_a_clause_is_the_month(text: str, found: list[date]) -> None:
    assert [m.month for m in find_dates(text, date(2026, 12, 3))] == found


@pytest.mark.parametrize(
    ("note", "local", "said"),
    [
        ("coffee w tom yesterday at 3pm. he is off to japan", "2026-12-02 15:00", True),
        ("call with Li at 2pm today", "2026-12-03 14:00", True),
        ("lunch with Omar tomorrow at 1pm", "2026-12-04 13:00", True),  # planned
        ("dinner w Sam last night, she starts at 9am monday", "2026-12-02 20:00", False),
        ("coffee with Ben at 21:30", "2026-12-03 18:00", False),  # ahead: not yet, so now
        ("Coffee with Maria. Her flight is at 6pm.", "2026-12-03 18:00", False),
    ],
)
def test_a_time_of_day_said_with_the_meeting_is_its_time(note: str, local: str, said: bool) -> None:
    now = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    reading = read_note(note, now=now, timezone="Europe/Berlin", contacts=[])
    assert reading.occurred_at is not None
    berlin = reading.occurred_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (f"{berlin:%Y-%m-%d %H:%M}", reading.time_said) == (local, said)


def test_a_time_said_that_is_still_ahead_today_is_not_shown_as_the_meetings() -> None:
    now = datetime(2026, 12, 3, 7, 50, tzinfo=UTC)  # the user's zone is UTC: 8:15 is ahead
    reading = read_note(
        "breakfast w jana at 8:15 this morning", now=now, timezone="UTC", contacts=[]
    )

    assert (reading.occurred_at, reading.time_said) == (now, False)


def test_a_time_before_the_day_is_read_whole() -> None:
    now = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    reading = read_note("call w ana 10:30 a.m. yesterday", now=now, timezone="UTC", contacts=[])

    assert reading.occurred_at == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)  # not 00:30
