"""Pure domain: keep-in-touch cadence and human wording of time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.cadence import overdue_contacts
from bot.domain.humanize import ago, day, span
from bot.domain.model import Contact, Tier

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def contact(name: str, tier: Tier, days_ago: int | None, **kw: object) -> Contact:
    last = NOW - timedelta(days=days_ago) if days_ago is not None else None
    return Contact(
        id=name,
        name=name,
        tier=tier,
        last_interaction_at=last,
        created_at=NOW - timedelta(days=400),
        **kw,
    )  # type: ignore[arg-type]


def test_overdue_by_tier_most_overdue_first() -> None:
    people = [
        contact("inner-ok", Tier.INNER, 10),
        contact("inner-late", Tier.INNER, 20),  # 6 days over
        contact("close-late", Tier.CLOSE, 72),  # 42 days over
        contact("network-ok", Tier.NETWORK, 80),
        contact("acq-late", Tier.ACQUAINTANCE, 190),  # 10 days over
        contact("never-logged", Tier.NETWORK, None),  # created 400 days ago
        contact("drifting", Tier.INNER, 300, drifting=True),
    ]
    result = overdue_contacts(people, NOW)
    assert [o.contact.id for o in result] == [
        "never-logged",
        "close-late",
        "acq-late",
        "inner-late",
    ]
    assert result[1].overdue_by == timedelta(days=42)


def test_custom_cadence_wins_over_tier() -> None:
    c = contact("custom", Tier.ACQUAINTANCE, 8, cadence_days=7)
    assert [o.contact.id for o in overdue_contacts([c], NOW)] == ["custom"]


def test_spans_read_naturally() -> None:
    assert span(timedelta(hours=3)) == "today"
    assert span(timedelta(days=1)) == "1 day"
    assert span(timedelta(days=16)) == "2 weeks"
    assert span(timedelta(days=45)) == "6 weeks"
    assert span(timedelta(days=100)) == "3 months"
    assert span(timedelta(days=800)) == "2 years"
    assert ago(timedelta(days=1)) == "yesterday"
    assert ago(timedelta(days=3)) == "3 days ago"


def test_days_are_relative_to_today() -> None:
    today = date(2026, 11, 27)
    assert day(today, today) == "today"
    assert day(date(2026, 11, 28), today) == "tomorrow"
    assert day(date(2026, 12, 1), today) == "Tue 1 Dec"
    assert day(date(2027, 5, 3), today) == "Mon 3 May 2027"
