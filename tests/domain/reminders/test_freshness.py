"""Reminders that go out late are made right for the day they go out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus, UserProfile
from bot.domain.reminders.freshness import freshen

PROFILE = UserProfile("u", timezone="Europe/Berlin")
MEETING = datetime(2026, 12, 1, 19, tzinfo=UTC)
MARCH = datetime(2027, 3, 1, 9, tzinfo=UTC)  # three months later, 10:00 in Berlin


def person(cid: str, **kw: object) -> Contact:
    return Contact(id=cid, name=cid.title(), created_at=MEETING, last_interaction_at=MEETING, **kw)  # type: ignore[arg-type]


def reminder(rid: str, kind: ReminderKind, due: datetime, cid: str = "maria", **kw: object):
    return Reminder(rid, kind, due, cid, created_at=MEETING, **kw)  # type: ignore[arg-type]


def run(due: list[Reminder], *, others: list[Reminder] = (), now: datetime = MARCH, **kw: object):  # type: ignore[assignment]
    contacts = [person("maria"), person("tom"), person("ana"), person("ben"), person("eve")]
    return freshen(due, [*due, *others], contacts, PROFILE, now, **kw)  # type: ignore[arg-type]


def test_luck_for_a_past_event_becomes_ask_how_it_went_once_not_twice() -> None:
    """The quoted problem: one message held "wish her luck for the talk" and "ask how it went"."""
    talk = date(2026, 12, 10)
    luck = reminder("r-l", ReminderKind.FOLLOW_UP, MEETING, text="the talk", on=talk)
    ask = reminder("r-a", ReminderKind.EVENT_FOLLOW_UP, MEETING, text="the talk", on=talk)
    fresh = run([luck, ask])
    assert [(r.id, r.kind) for r in fresh.send] == [("r-a", ReminderKind.EVENT_FOLLOW_UP)]
    assert [(r.id, r.status) for r in fresh.changed] == [("r-l", ReminderStatus.CANCELLED)]
    # With no question planned, the luck itself turns into one.
    (alone,) = run([luck]).send
    assert alone.kind is ReminderKind.EVENT_FOLLOW_UP


def test_a_follow_up_days_late_is_a_keep_in_touch_nudge() -> None:
    """The quoted problem: a 1 Dec "while the conversation is fresh" went out on 1 Mar."""
    follow = reminder("r-f", ReminderKind.FOLLOW_UP, datetime(2026, 12, 2, 8, tzinfo=UTC))
    (sent,) = run([follow]).send
    assert sent.kind is ReminderKind.KEEP_IN_TOUCH
    on_time = run([follow], now=datetime(2026, 12, 2, 8, 5, tzinfo=UTC)).send
    assert [r.kind for r in on_time] == [ReminderKind.FOLLOW_UP]


def test_one_person_one_nudge_a_keep_in_touch_beside_another_waits_a_week() -> None:
    keep = reminder("r-k", ReminderKind.KEEP_IN_TOUCH, MARCH)
    promise = reminder("r-p", ReminderKind.PROMISE, MARCH, text="the deck", on=date(2027, 3, 2))
    thanks = reminder("r-t", ReminderKind.GRATITUDE, MARCH, cid="tom")
    follow = reminder("r-f", ReminderKind.FOLLOW_UP, MARCH, cid="tom")
    fresh = run([keep, promise, thanks, follow])
    assert [r.id for r in fresh.send] == ["r-p", "r-t"]
    changed = {r.id: r for r in fresh.changed}
    assert changed["r-k"].due_at == datetime(2027, 3, 8, 8, tzinfo=UTC)  # put off a week
    assert changed["r-k"].not_before == changed["r-k"].due_at
    assert changed["r-f"].status is ReminderStatus.CANCELLED  # the thank-you is the follow-up


def test_keep_in_touch_nudges_beyond_the_cap_wait_for_tomorrow() -> None:
    keeps = [
        reminder(f"r-{cid}", ReminderKind.KEEP_IN_TOUCH, MARCH, cid=cid)
        for cid in ("maria", "tom", "ana", "ben", "eve")
    ]
    fresh = run(keeps)
    assert len(fresh.send) == 3
    assert fresh.nudges == 3
    assert {r.due_at for r in fresh.changed} == {datetime(2027, 3, 2, 8, tzinfo=UTC)}
    assert len(run(keeps, nudged_today=2).send) == 1


def test_a_birthday_long_gone_is_let_go_and_a_recent_one_is_belated() -> None:
    gone = reminder("r-b", ReminderKind.BIRTHDAY, MEETING, on=date(2026, 12, 20))
    fresh = run([gone])
    assert fresh.send == []
    assert [r.status for r in fresh.changed if r.id == "r-b"] == [ReminderStatus.CANCELLED]
    # An anniversary has no birthday on the contact to plan from: its next year comes here.
    yearly = reminder("r-y", ReminderKind.YEARLY, MEETING, on=date(2026, 12, 20))
    following = [r for r in run([yearly]).changed if r.id != "r-y"]
    assert [r.on for r in following] == [date(2027, 12, 20)]
    recent = reminder("r-b", ReminderKind.BIRTHDAY, MARCH, on=date(2027, 2, 26))
    assert [r.id for r in run([recent]).send] == ["r-b"]


def test_asking_how_it_went_is_dropped_once_they_have_talked_since() -> None:
    ask = reminder("r-a", ReminderKind.EVENT_FOLLOW_UP, MARCH, on=date(2026, 12, 10))
    talked = Contact("maria", "Maria", created_at=MEETING, last_interaction_at=MARCH)
    fresh = freshen([ask], [ask], [talked], PROFILE, MARCH)
    assert fresh.send == []


def test_a_send_already_claimed_goes_out_as_it_was() -> None:
    claimed = reminder("r-s", ReminderKind.FOLLOW_UP, MEETING, status=ReminderStatus.SENDING)
    fresh = run([claimed])
    assert fresh.send == [claimed]
    assert fresh.changed == []
