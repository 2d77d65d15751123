"""/due, /week, /find, the ledger and "Sent" through the real coach and TinyDB store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.content.pillars import Pillar
from bot.domain.model import Exchange, InteractionKind, ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

EVENING = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)  # Friday 20:00 in Berlin


def berlin(coach: Coach, clock: ManualClock) -> None:
    clock.set(EVENING)
    coach.handle_text("u", "/settings timezone Berlin")


def labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


# -- /due ------------------------------------------------------------------------
def test_due_on_a_conference_evening_lists_what_the_logs_left_to_do(
    coach: Coach, clock: ManualClock
) -> None:
    """The quoted problem: "Nobody is overdue" on the evening of a conference."""
    berlin(coach, clock)
    for note in (
        "Met Sarah Kim at ProductCon. I promised to send her the deck by tomorrow.",
        "Met Tom Baker at ProductCon, he introduced me to his CTO",
        "Met Priya Raman at ProductCon",
        "Met Sam Ortiz at ProductCon",
    ):
        coach.handle_text("u", f"/log {note}")
    (due,) = coach.handle_text("u", "/due")
    assert "Nobody is overdue" not in due.text
    assert "Your promises" in due.text
    assert "send the deck" in due.text
    assert "Thank-yous owed" in due.text
    assert "Tom Baker" in due.text
    for name in ("Sarah Kim", "Priya Raman", "Sam Ortiz"):
        assert f"Follow up with <b>{name}</b>" in due.text
    assert (
        due.text.index("Your promises")
        < due.text.index("Thank-yous")
        < due.text.index("Follow-ups")
    )
    assert "✅ Done #1" in labels(due)
    # Every button fits a signed token: showing the screen writes nothing.
    assert coach.stored_payloads == 0
    coach.handle_text("u", "/thanks Tom")
    coach.handle_text("u", "/settings digest")
    coach.handle_text("u", "/find ProductCon")
    assert coach.stored_payloads == 0


def test_done_on_a_due_line_redraws_the_list_without_it(coach: Coach, clock: ManualClock) -> None:
    berlin(coach, clock)
    coach.handle_text(
        "u", "/log Coffee with Maria Lopez. I promised to send her the podcast link by tomorrow."
    )
    (due,) = coach.handle_text("u", "/due")
    assert "podcast link" in due.text
    (redrawn,) = press(coach, "u", due, "Done #1")
    assert redrawn.text.startswith("Done: Keep your promise to Maria Lopez")
    assert "Your promises" not in redrawn.text
    assert "Follow up with <b>Maria Lopez</b>" in redrawn.text
    # The same button again: the reminder is gone, the list says so, nothing changes.
    assert "already been taken care of" in text_of(press(coach, "u", due, "Done #1"))


def test_waiting_reminders_appear_with_when_they_were_sent(
    coach: Coach, clock: ManualClock, repo: TinyRepository
) -> None:
    berlin(coach, clock)
    coach.handle_text("u", "/log Coffee with Maria Lopez")
    with repo.session("u") as store:
        follow = next(r for r in store.reminders() if r.kind is ReminderKind.FOLLOW_UP)
        store.save_reminders(
            [
                follow.__class__(
                    **{
                        **follow.__dict__,
                        "status": ReminderStatus.DELIVERED,
                        "delivered_at": EVENING,
                    }
                )
            ]
        )
    clock.advance(timedelta(days=2))
    (due,) = coach.handle_text("u", "/due")
    assert "Waiting for your answer" in due.text
    assert "(sent Fri 27 Nov)" in due.text
    assert {"✅ Done #1", "✍️ Draft #1", "⏰ Tomorrow #1"} <= set(labels(due))


def test_due_with_nothing_to_do_says_so_kindly(coach: Coach) -> None:
    assert "Nothing needs you right now" in text_of(coach.handle_text("u", "/due"))


def test_a_forged_due_action_changes_nothing(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/log Coffee with Maria Lopez")
    with repo.session("u") as store:
        before = store.reminders()
    # Signed with the user's own key: only the payload is wrong.
    forged = coach.tokens.make("u", {"op": "due.do", "which": "delete-everything", "id": "x"})
    assert "expired" in text_of(coach.handle_press("u", forged))
    with repo.session("u") as store:
        assert store.reminders() == before


# -- /week -----------------------------------------------------------------------
def test_a_promise_is_shown_with_its_deadline_not_its_reminders_day(
    coach: Coach, clock: ManualClock
) -> None:
    """Friday: "by Monday". The reminder comes Sunday; every list says Monday, once."""
    coach.handle_text("u", "/log Coffee with Maria. I promised to send her the deck by Monday.")
    clock.advance(timedelta(days=1))
    (due,) = coach.handle_text("u", "/due")
    (line,) = [x for x in due.text.splitlines() if "send the deck" in x]
    assert line.endswith("send the deck (due Mon 30 Nov)")
    (week,) = coach.handle_text("u", "/week")
    assert "send the deck (due Mon 30 Nov)." in week.text
    with coach.repository.session("u") as store:
        (promise,) = [r for r in store.reminders() if r.kind is ReminderKind.PROMISE]
    (done,) = press(coach, "u", due, "Done #1")
    assert "send the deck" not in done.text.split("\n\n", 1)[1]  # gone from the list
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # Tuesday: Monday's deadline has passed
    (week,) = coach.handle_text("u", "/week")
    assert "Promises kept on time</b>: 1 of 1" in week.text
    assert promise.on is not None


def test_week_on_demand_reports_the_week(coach: Coach, clock: ManualClock) -> None:
    berlin(coach, clock)
    coach.handle_text("u", "/log Lunch with Tom Baker. He helped me with my pitch deck.")
    coach.handle_text(
        "u", "/log Coffee with Maria Lopez. I promised to send her the podcast link by tomorrow."
    )
    (due,) = coach.handle_text("u", "/due")
    press(coach, "u", due, "Done #1")  # the promise, kept at once
    clock.advance(timedelta(days=3))
    (week,) = coach.handle_text("u", "/week")
    assert "Talked to</b>: 2 people in 2 conversations: Maria Lopez, Tom Baker." in week.text
    assert "Follow-ups within 48 hours</b>: 0% (0 of 2)" in week.text
    assert "Promises kept on time</b>: 1 of 1" in week.text
    assert "Thank-yous sent</b>: 0; 1 still owed" in week.text
    assert "Pillars this week</b>: " in week.text
    assert "Least served lately" in week.text
    assert "For the coming week" in week.text
    # Worded as in /due and /reminders: "Thank Tom Baker: helped me with my pitch deck".
    assert "Thank <b>Tom Baker</b>: helped you with your pitch deck. Say what" in week.text
    assert week.text.count("\n1. ") + week.text.count("\n2. ") + week.text.count("\n3. ") == 3


def test_the_coming_week_speaks_to_the_user(coach: Coach, clock: ManualClock) -> None:
    """Seen as a user: /week said "send my notes" where /due said "send your notes"."""
    berlin(coach, clock)
    coach.handle_text("u", "/log Dinner with Priya Raman. I'll send her my notes by Monday.")
    (week,) = coach.handle_text("u", "/week")
    assert "Keep your promise to <b>Priya Raman</b>: send your notes" in week.text
    assert "my notes" not in week.text


def test_a_quiet_week_gets_a_short_kind_nudge(coach: Coach, clock: ManualClock) -> None:
    berlin(coach, clock)
    coach.handle_text("u", "/log Coffee with Maria Lopez")
    clock.advance(timedelta(days=20))
    (week,) = coach.handle_text("u", "/week")
    assert "A quiet week" in week.text
    assert "That happens" in week.text
    for guilt in ("should have", "failed", "only", "nothing done", "0%"):
        assert guilt not in week.text
    assert len(week.text) < 600


# -- the ledger --------------------------------------------------------------------
def test_the_card_proposes_a_give_and_the_user_can_change_it(
    coach: Coach, clock: ManualClock, repo: TinyRepository
) -> None:
    berlin(coach, clock)
    (card,) = coach.handle_text(
        "u", "Coffee with Dana Levi. I said I'd put her in touch with Marc."
    )
    assert "Give and ask: you gave an intro" in card.text
    (menu,) = press(coach, "u", card, "Edit")
    (choices,) = press(coach, "u", menu, "Give/ask: intro")
    assert "gave advice" in labels(choices)
    (card,) = press(coach, "u", choices, "gave advice")
    assert "you gave advice" in card.text
    press(coach, "u", card, "Save")
    with repo.session("u") as store:
        (saved,) = list(store.interactions())
    assert saved.exchange is Exchange.ADVICE
    assert saved.pillar is not None


def test_person_shows_the_balance_and_a_give_when_it_is_mostly_asks(
    coach: Coach, clock: ManualClock
) -> None:
    berlin(coach, clock)
    coach.handle_text(
        "u", "/log Lunch with Tom Baker. I asked him for a referral. He loves sailing."
    )
    (card,) = coach.handle_text("u", "/person Tom")
    assert "Give and ask: 0 gives, 1 ask" in card.text
    assert "Mostly asks" not in card.text
    coach.handle_text("u", "/log Call with Tom Baker. Asked him to review my deck.")
    (card,) = coach.handle_text("u", "/person Tom")
    assert "Give and ask: 0 gives, 2 asks" in card.text
    assert "A give that fits Tom: something on sailing you came across" in card.text
    drafts = press(coach, "u", card, "Draft a give")
    assert "offer help" in text_of(drafts)


def test_sent_logs_the_draft_with_its_pillar_and_closes_the_thank_you(
    coach: Coach, clock: ManualClock, repo: TinyRepository
) -> None:
    berlin(coach, clock)
    coach.handle_text("u", "/log Lunch with Tom Baker. He introduced me to Sarah at Google.")
    (drafts,) = coach.handle_text("u", "/thanks Tom")
    assert "✅ Sent 1" in labels(drafts)
    (noted,) = press(coach, "u", drafts, "Sent 1")
    assert "you sent Tom Baker a thank you, and that reminder is done" in noted.text
    with repo.session("u") as store:
        latest = next(store.interactions())
        assert latest.kind is InteractionKind.MESSAGE
        assert latest.draft == "thank-you"
        assert isinstance(latest.pillar, Pillar)
        assert not [r for r in store.reminders() if r.kind is ReminderKind.GRATITUDE]
        thanked = [r for r in store.finished_reminders() if r.kind is ReminderKind.GRATITUDE]
        assert thanked[0].status is ReminderStatus.DONE
        assert thanked[0].closed_at == EVENING
    # Pressed twice, it is one message.
    assert "Already noted" in text_of(press(coach, "u", drafts, "Sent 1"))
    with repo.session("u") as store:
        assert sum(1 for i in store.interactions() if i.draft) == 1
    (week,) = coach.handle_text("u", "/week")
    assert "Thank-yous sent</b>: 1 (Tom)" in week.text


def test_a_forged_sent_button_is_refused(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/log Coffee with Maria Lopez")
    with repo.session("u") as store:
        cid = store.contacts()[0].id
    for payload in (
        {"op": "ins.sent", "contact": cid, "n": 99, "index": 0},
        {"op": "ins.sent", "contact": "c-0123456789ab", "n": 0, "index": 0},
        {"op": "ins.sent", "contact": cid, "n": "trust", "index": 0},
    ):
        assert "expired" in text_of(coach.handle_press("u", coach.tokens.make("u", payload)))
    with repo.session("u") as store:
        assert not any(i.draft for i in store.interactions())


# -- /find -------------------------------------------------------------------------
def test_find_answers_with_people_and_buttons(coach: Coach, clock: ManualClock) -> None:
    berlin(coach, clock)
    coach.handle_text("u", "/log At ProductCon today. Coffee with Maria Lopez from Acme.")
    coach.handle_text("u", "/log Met Sam Ortiz at ProductCon")
    coach.handle_text("u", "/log Call with Tom Baker from Stripe")
    (found,) = coach.handle_text("u", "/find productcon")
    assert "You met 2 people at ProductCon" in found.text
    assert set(labels(found)) == {"✍️ Suggest for Maria", "✍️ Suggest for Sam"}
    (stripe,) = coach.handle_text("u", "/find Stripe")
    assert "Tom Baker" in stripe.text
    assert "company: Stripe" in stripe.text
    assert "Tom Baker" in text_of(press(coach, "u", stripe, "Tom Baker"))
    assert "What should I look for?" in text_of(coach.handle_text("u", "/find"))
    assert "a long search" in text_of(coach.handle_text("u", "/find " + "x " * 200))
    assert "Nothing about" in text_of(coach.handle_text("u", "/find <b>{{ 7*7 }}</b>"))
    assert "&lt;b&gt;" in text_of(coach.handle_text("u", "/find <b>"))


# -- /settings ---------------------------------------------------------------------
def test_digest_settings_by_button_and_by_typing(coach: Coach, clock: ManualClock) -> None:
    berlin(coach, clock)
    (overview,) = coach.handle_text("u", "/settings")
    assert "Digests: morning on, weekly review on, Sundays 18:00" in overview.text
    (screen,) = press(coach, "u", overview, "Digests")
    (screen,) = press(coach, "u", screen, "Morning digest: on")
    assert "Morning digest: off" in screen.text
    (ask,) = press(coach, "u", screen, "Change day/time")
    assert "sunday 18:00" in ask.text
    assert "couldn't read" in text_of(coach.handle_text("u", "someday"))
    (saved,) = coach.handle_text("u", "Fri 5pm")
    assert "Fridays at 17:00" in saved.text
    assert "Weekly review: off" in text_of(coach.handle_text("u", "/settings weekly off"))
    assert "Nothing was changed" in text_of(coach.handle_text("u", "/settings digest maybe"))
