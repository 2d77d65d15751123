from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import (
    Contact,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Repeat,
    Tier,
    UserProfile,
)
from bot.domain.notes.reading import DatedItem, NoteReading, PersonMention
from bot.domain.reminders.planning import next_occurrence, plan_log, supersede
from bot.domain.reminders.replan import replan

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)  # Friday, 11:00 in Berlin
PROFILE = UserProfile("u", timezone="Europe/Berlin")


def contact(cid: str, name: str, **kw: object) -> Contact:
    return Contact(id=cid, name=name, created_at=NOW - timedelta(days=400), **kw)  # type: ignore[arg-type]


def log(reading: NoteReading, contacts: list[Contact], existing: list[Reminder] | None = None):
    interaction = Interaction(
        id="i-1", contact_ids=[c.id for c in contacts], kind=reading.kind, occurred_at=NOW, note=""
    )
    for c in contacts:
        c.last_interaction_at = NOW
    return plan_log(reading, interaction, contacts, existing or [], PROFILE, NOW)


def kinds(reminders: list[Reminder]) -> list[str]:
    return sorted(r.kind.value for r in reminders)


def test_a_plain_meeting_plans_a_next_morning_follow_up_and_replanning_adds_keep_in_touch() -> None:
    maria = contact("c-m", "Maria Lopez", tier=Tier.CLOSE)
    plan = log(NoteReading("Coffee", [PersonMention("Maria Lopez", "c-m")]), [maria])

    (follow,) = plan.created
    assert follow.kind is ReminderKind.FOLLOW_UP
    assert follow.due_at == datetime(2026, 11, 28, 8, tzinfo=UTC)  # 09:00 Berlin
    (keep,) = replan([maria], plan.created, PROFILE, NOW).created
    assert keep.kind is ReminderKind.KEEP_IN_TOUCH
    assert keep.due_at == datetime(2026, 12, 27, 8, tzinfo=UTC)  # close tier: 30 days


def test_follow_up_delay_comes_from_the_profile_and_hours_are_an_exact_moment() -> None:
    maria = contact("c-m", "Maria")
    profile = UserProfile("u", timezone="Europe/Berlin", follow_up_after=timedelta(hours=3))
    interaction = Interaction("i-1", ["c-m"], InteractionKind.CALL, NOW, "")
    plan = plan_log(
        NoteReading("Call", [PersonMention("Maria", "c-m")]), interaction, [maria], [], profile, NOW
    )
    (follow,) = plan.created
    assert follow.due_at == NOW + timedelta(hours=3)
    assert follow.exact


def test_help_plans_a_thank_you_and_a_later_impact_update_instead_of_a_follow_up() -> None:
    tom = contact("c-t", "Tom")
    reading = NoteReading(
        "Tom introduced me to Priya",
        [PersonMention("Tom", "c-t")],
        gratitude=[DatedItem("introduced me to Priya", person="Tom")],
    )
    plan = log(reading, [tom])

    assert kinds(plan.created) == ["gratitude", "impact update"]
    impact = next(r for r in plan.created if r.kind is ReminderKind.IMPACT_UPDATE)
    assert impact.due_at == datetime(2026, 12, 18, 8, tzinfo=UTC)  # 3 weeks, 09:00 Berlin
    assert impact.text == "introduced me to Priya"


def test_promises_are_nudged_the_day_before_their_deadline_or_the_default_one() -> None:
    maria = contact("c-m", "Maria")
    reading = NoteReading(
        "…",
        [PersonMention("Maria", "c-m")],
        promises=[
            DatedItem("send the podcast link", person="Maria", on=date(2026, 12, 4)),
            DatedItem("share the deck", person="Maria"),
        ],
    )
    promises = [r for r in log(reading, [maria]).created if r.kind is ReminderKind.PROMISE]
    assert sorted((r.on, r.due_at) for r in promises) == [
        (date(2026, 11, 30), datetime(2026, 11, 29, 8, tzinfo=UTC)),  # in three days
        (date(2026, 12, 4), datetime(2026, 12, 3, 8, tzinfo=UTC)),
    ]


def test_their_event_gets_an_ask_how_it_went_and_the_follow_up_wishes_them_luck() -> None:
    priya = contact("c-p", "Priya")
    reading = NoteReading(
        "…",
        [PersonMention("Priya", "c-p")],
        events=[
            DatedItem("the KubeCon talk", person="Priya", on=date(2026, 12, 3)),
            DatedItem("a trip someday", person="Priya"),
        ],
    )
    created = log(reading, [priya]).created
    asks = [r for r in created if r.kind is ReminderKind.EVENT_FOLLOW_UP]
    assert [(r.due_at, r.text, r.on) for r in asks] == [
        (datetime(2026, 12, 4, 8, tzinfo=UTC), "the KubeCon talk", date(2026, 12, 3))
    ]
    (follow,) = [r for r in created if r.kind is ReminderKind.FOLLOW_UP]
    assert (follow.text, follow.on) == ("the KubeCon talk", date(2026, 12, 3))


def test_items_go_to_the_person_they_name_in_a_group_meeting() -> None:
    tom, priya = contact("c-t", "Tom"), contact("c-p", "Priya")
    reading = NoteReading(
        "…",
        [PersonMention("Tom", "c-t"), PersonMention("Priya", "c-p")],
        promises=[DatedItem("send notes", person="Priya")],
    )
    (promise,) = [r for r in log(reading, [tom, priya]).created if r.kind is ReminderKind.PROMISE]
    assert promise.contact_id == "c-p"


def test_a_new_interaction_retires_follow_ups_it_covered_even_unanswered_ones() -> None:
    old_follow = Reminder(
        "r-f",
        ReminderKind.FOLLOW_UP,
        NOW - timedelta(hours=20),
        "c-m",
        interaction_id="i-0",
        created_at=NOW - timedelta(days=1),
        status=ReminderStatus.DELIVERED,
    )
    event = Reminder(
        "r-e",
        ReminderKind.EVENT_FOLLOW_UP,
        NOW - timedelta(hours=2),
        "c-m",
        text="race",
        interaction_id="i-0",
        created_at=NOW - timedelta(days=9),
        on=date(2026, 11, 26),
    )
    promise = Reminder(
        "r-p", ReminderKind.PROMISE, NOW + timedelta(days=1), "c-m", interaction_id="i-0"
    )
    cancelled = supersede("c-m", [old_follow, event, promise], NOW, "i-1", ZoneInfo("UTC"))
    assert {r.id for r in cancelled} == {"r-f", "r-e"}  # a promise still stands
    assert {r.status for r in cancelled} == {ReminderStatus.CANCELLED}


def test_birthdays_are_nudged_three_days_ahead_and_come_back_every_year() -> None:
    maria = contact("c-m", "Maria", birthday=date(1990, 3, 14), last_interaction_at=NOW)
    (birthday,) = [
        r for r in replan([maria], [], PROFILE, NOW).created if r.kind is ReminderKind.BIRTHDAY
    ]
    assert birthday.on == date(2027, 3, 14)
    assert birthday.due_at == datetime(2027, 3, 11, 8, tzinfo=UTC)
    again = replan([maria], [birthday], PROFILE, NOW).created
    assert [r.kind for r in again] == [ReminderKind.KEEP_IN_TOUCH]
    following = next_occurrence(birthday, PROFILE, birthday.due_at)
    assert following is not None
    assert (following.on, following.due_at) == (
        date(2028, 3, 14),
        datetime(2028, 3, 11, 8, tzinfo=UTC),
    )
    assert next_occurrence(Reminder("x", ReminderKind.PROMISE, NOW, "c-m"), PROFILE, NOW) is None


def test_a_weekly_reminder_comes_back_a_week_later_at_the_same_time() -> None:
    weekly = Reminder(
        "r-w", ReminderKind.CUSTOM, datetime(2026, 11, 30, 8, tzinfo=UTC), "", repeat=Repeat.WEEK
    )
    following = next_occurrence(weekly, PROFILE, datetime(2026, 11, 30, 8, 5, tzinfo=UTC))
    assert following is not None
    assert following.due_at == datetime(2026, 12, 7, 8, tzinfo=UTC)
    monthly = replace(weekly, repeat=Repeat.MONTH, due_at=datetime(2027, 1, 31, 8, tzinfo=UTC))
    following = next_occurrence(monthly, PROFILE, monthly.due_at)
    assert following is not None
    assert following.due_at == datetime(2027, 2, 28, 8, tzinfo=UTC)  # the month's last day


def test_a_birthday_in_a_note_becomes_a_yearly_reminder_not_an_ask_how_it_went() -> None:
    maria = contact("c-m", "Maria")
    reading = NoteReading(
        "…",
        [PersonMention("Maria", "c-m")],
        events=[DatedItem("her birthday", person="Maria", on=date(2026, 12, 3))],
    )
    plan = log(reading, [maria])
    kinds_made = kinds(plan.created)
    assert "ask how it went" not in kinds_made
    (birthday,) = [r for r in plan.created if r.kind is ReminderKind.BIRTHDAY]
    assert birthday.due_at == datetime(2026, 11, 30, 8, tzinfo=UTC)  # three days ahead
    assert plan.birthdays == {"c-m": date(2026, 12, 3)}
    maria.birthday = date(2026, 12, 3)
    again = log(reading, [maria], existing=[birthday])
    assert ReminderKind.BIRTHDAY not in {r.kind for r in again.created}


def test_the_follow_up_wishes_luck_only_for_an_event_close_to_it() -> None:
    # "her half marathon is in april": "wish them luck … (tomorrow)" read as if it were tomorrow.
    maria = contact("c-m", "Maria")
    reading = NoteReading(
        "…",
        [PersonMention("Maria", "c-m")],
        events=[
            DatedItem("half marathon", person="Maria", on=date(2027, 4, 1), approximate=True),
            DatedItem("the Lisbon talk", person="Maria", on=date(2026, 12, 12)),
        ],
    )
    created = log(reading, [maria]).created
    (follow,) = [r for r in created if r.kind is ReminderKind.FOLLOW_UP]
    assert (follow.text, follow.on) == ("", None)
    asks = sorted((r.on, r.text) for r in created if r.kind is ReminderKind.EVENT_FOLLOW_UP)
    assert asks == [(date(2026, 12, 12), "the Lisbon talk"), (date(2027, 4, 30), "half marathon")]
    # A week out it still does: the KubeCon case above, and the day it falls on the edge.
    edge = replace(reading, events=[DatedItem("the demo", person="Maria", on=date(2026, 12, 5))])
    (follow,) = [r for r in log(edge, [maria]).created if r.kind is ReminderKind.FOLLOW_UP]
    assert (follow.text, follow.on) == ("the demo", date(2026, 12, 5))


def test_being_away_is_no_venture_to_wish_luck_for() -> None:
    # "he's out on the 9th": "wish them luck: out" read as if being out were a feat.
    hamid = contact("c-h", "Hamid")
    reading = NoteReading(
        "…",
        [PersonMention("Hamid", "c-h")],
        events=[DatedItem("out", person="Hamid", on=date(2026, 12, 4))],
    )
    created = log(reading, [hamid]).created
    (follow,) = [r for r in created if r.kind is ReminderKind.FOLLOW_UP]
    assert follow.text == ""
    # How it went is still asked after it.
    assert [r.text for r in created if r.kind is ReminderKind.EVENT_FOLLOW_UP] == ["out"]


def test_a_promise_logged_after_its_lead_morning_is_nudged_on_the_deadline_morning() -> None:
    maria = contact("c-m", "Maria")
    reading = NoteReading(
        "…",
        [PersonMention("Maria", "c-m")],
        promises=[
            DatedItem("send the hiring doc", person="Maria", on=date(2026, 11, 28)),
            DatedItem("call the venue", person="Maria", on=date(2026, 11, 27)),
        ],
    )
    plan = log(reading, [maria])
    promises = {r.text: r.due_at for r in plan.created if r.kind is ReminderKind.PROMISE}

    # Friday 11:00 in Berlin: Saturday's deadline gets Saturday 09:00, not "now";
    # one due today is worth a nudge now.
    assert promises == {
        "send the hiring doc": datetime(2026, 11, 28, 8, tzinfo=UTC),
        "call the venue": NOW,
    }
    assert replan([maria], plan.created, PROFILE, NOW).changed == []


def test_no_luck_is_wished_again_when_the_note_says_it_was() -> None:
    marek = contact("c-k", "Marek")
    reading = NoteReading(
        "texted marek good luck for his demo day tmrw",
        [PersonMention("Marek", "c-k")],
        events=[DatedItem("demo day", person="Marek", on=date(2026, 11, 28))],
    )
    follow = [r for r in log(reading, [marek]).created if r.kind is ReminderKind.FOLLOW_UP]

    assert [r.text for r in follow] == [""]


def test_a_promise_by_a_vague_time_is_due_on_the_last_day_it_leaves_not_a_default() -> None:
    maria = contact("c-m", "Maria")
    reading = NoteReading(
        "…",
        [PersonMention("Maria", "c-m")],
        promises=[
            DatedItem("intro to Karim", person="Maria", date_text="b4 xmas"),
            DatedItem("send the plan", person="Maria", date_text="after the holidays"),
        ],
    )
    promises = [r for r in log(reading, [maria]).created if r.kind is ReminderKind.PROMISE]
    assert sorted((r.text, r.on) for r in promises) == [
        ("intro to Karim", date(2026, 12, 24)),
        ("send the plan", date(2026, 11, 30)),  # no upper bound said: the default three days
    ]


def test_thanks_for_a_courtesy_plans_no_report_back_on_how_it_turned_out() -> None:
    tom = contact("c-t", "Tom")
    reading = NoteReading(
        "…",
        [PersonMention("Tom", "c-t")],
        gratitude=[
            DatedItem("the coffee and for hosting me at their office", person="Tom"),
            DatedItem("introducing me to Priya", person="Tom"),
        ],
    )
    plan = log(reading, [tom])

    assert kinds(plan.created) == ["gratitude", "gratitude", "impact update"]
    (impact,) = [r for r in plan.created if r.kind is ReminderKind.IMPACT_UPDATE]
    assert impact.text == "introducing me to Priya"


def test_a_promise_said_again_replaces_the_open_one_and_a_new_promise_does_not() -> None:
    maria = contact("c-m", "Maria")
    deck = DatedItem("send her the deck", person="Maria", on=date(2026, 12, 4))
    first = log(NoteReading("Coffee", [PersonMention("Maria", "c-m")], promises=[deck]), [maria])
    (earlier,) = [r for r in first.created if r.kind is ReminderKind.PROMISE]

    again = DatedItem("Send her the  deck", person="Maria", on=date(2026, 12, 11))
    other = DatedItem("send her the budget", person="Maria", on=date(2026, 12, 11))
    second = log(
        NoteReading("Call", [PersonMention("Maria", "c-m")], promises=[again, other]),
        [maria],
        first.created,
    )

    assert [(r.id, r.status) for r in second.changed if r.kind is ReminderKind.PROMISE] == [
        (earlier.id, ReminderStatus.CANCELLED)
    ]
    promised = sorted(r.on for r in second.created if r.kind is ReminderKind.PROMISE)
    assert promised == [date(2026, 12, 11), date(2026, 12, 11)]


def test_the_same_words_for_someone_else_are_their_own_promise() -> None:
    maria, tom = contact("c-m", "Maria"), contact("c-t", "Tom")
    deck = DatedItem("send the deck", person="Maria", on=date(2026, 12, 4))
    first = log(NoteReading("Coffee", [PersonMention("Maria", "c-m")], promises=[deck]), [maria])
    second = log(
        NoteReading(
            "Call",
            [PersonMention("Tom", "c-t")],
            promises=[DatedItem("send the deck", person="Tom", on=date(2026, 12, 4))],
        ),
        [tom],
        first.created,
    )
    assert not [r for r in second.changed if r.kind is ReminderKind.PROMISE]
