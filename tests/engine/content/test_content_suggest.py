"""/suggest end to end through the real coach, TinyDB store and templates."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.content.pillars import Pillar
from bot.domain.ids import new_id
from bot.domain.model import Contact, Fact, FactKind, Reminder, ReminderKind, Tier
from bot.engine.coach import Coach
from bot.engine.content import suggest_for_reminder
from bot.engine.content.drafts import SHARE_URL
from bot.engine.replies import Button, Reply
from bot.engine.turn import Turn
from bot.storage.tinydb_repository import TinyRepository

USER = "u1"
DETAILS = [
    "training for the Berlin marathon",
    "hiring a first designer",
    "sourdough baking",
    "the Lisbon offsite",
    "Acme",
    "the intro to Sam",
]


def drafts_in(reply: Reply) -> list[str]:
    """The draft texts, read from the share buttons."""
    return [
        unquote(b.url.removeprefix(SHARE_URL))
        for row in reply.buttons
        for b in row
        if b.url is not None
    ]


def add_maria(repo: TinyRepository, clock: ManualClock, user: str = USER) -> Contact:
    now = clock.now()
    maria = Contact(
        id=new_id("c"),
        name="Maria Lopez",
        company="Acme",
        tier=Tier.CLOSE,
        created_at=now - timedelta(days=200),
        last_interaction_at=now - timedelta(days=3),
        facts=[
            Fact(
                FactKind.INTEREST,
                "She is training for the Berlin marathon",
                now - timedelta(days=3),
            ),
            Fact(FactKind.GOAL, "hiring a first designer", now - timedelta(days=3)),
            Fact(FactKind.INTEREST, "sourdough baking", now - timedelta(days=40)),
            Fact(
                FactKind.EVENT, "the Lisbon offsite", now - timedelta(days=3), on=date(2026, 12, 10)
            ),
            Fact(FactKind.HELPED_ME, "the intro to Sam", now - timedelta(days=3)),
        ],
    )
    with repo.session(user) as store:
        store.save_contact(maria)
    return maria


def test_walking_skeleton_suggest_mentions_the_marathon(coach: Coach) -> None:
    coach.handle_text(
        USER, "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon."
    )
    replies = coach.handle_text(USER, "/suggest Maria")
    assert "marathon" in text_of(replies)


def test_drafts_are_specific_fresh_and_varied(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add_maria(repo, clock)
    seen: list[str] = []
    pillars: set[str] = set()
    for _ in range(10):
        (reply,) = coach.handle_text(USER, "/suggest Maria")
        drafts = drafts_in(reply)
        assert 2 <= len(drafts) <= 3, reply.text
        for draft in drafts:
            assert any(d in draft for d in DETAILS), draft
            assert "None" not in draft
            assert "  " not in draft
        pillars |= {p.short for p in Pillar if f"· {p.short}</i>" in reply.text}
        seen += drafts
        clock.advance(timedelta(days=1))
    assert len(seen) == len(set(seen)), "a draft repeated within 90 days"
    assert len(pillars) >= 2


def test_each_reply_offers_different_pillars(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add_maria(repo, clock)
    (reply,) = coach.handle_text(USER, "/suggest Maria")
    assert sum(f"· {p.short}</i>" in reply.text for p in Pillar) >= 2


def test_numbered_in_text_and_shareable(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add_maria(repo, clock)
    (reply,) = coach.handle_text(USER, "/suggest Maria")
    drafts = drafts_in(reply)
    for number in range(1, len(drafts) + 1):
        assert f"<b>{number}.</b>" in reply.text
    share = [b for row in reply.buttons for b in row if b.url]
    assert [b.label for b in share] == [f"Share {n}" for n in range(1, len(drafts) + 1)]
    assert all(" " not in (b.url or "") for b in share)


def test_repeats_allowed_again_after_90_days(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add_maria(repo, clock)
    first = drafts_in(coach.handle_text(USER, "/suggest Maria")[0])
    clock.advance(timedelta(days=91))
    with repo.session(USER) as store:
        maria = store.contacts()[0]
        for f in maria.facts:
            f.learned_at += timedelta(days=91)
        maria.last_interaction_at = clock.now() - timedelta(days=3)
        store.save_contact(maria)
    again = drafts_in(coach.handle_text(USER, "/suggest Maria")[0])
    assert set(first) & set(again)


def test_nothing_known_says_so_and_offers_a_question(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    with repo.session(USER) as store:
        store.save_contact(Contact(id="c-tom", name="Tom Reed", created_at=clock.now()))
    (reply,) = coach.handle_text(USER, "/suggest Tom")
    assert "don't know anything specific" in reply.text
    (question,) = drafts_in(reply)
    assert question.endswith("?")
    assert "Tom" in question


def test_more_and_favour_buttons(coach: Coach, repo: TinyRepository, clock: ManualClock) -> None:
    add_maria(repo, clock)
    (reply,) = coach.handle_text(USER, "/suggest Maria")
    (more,) = press(coach, USER, reply, "More ideas")
    assert not set(drafts_in(more)) & set(drafts_in(reply))
    (favour,) = press(coach, USER, reply, "favour")
    assert "asking a favour" in favour.text
    assert drafts_in(favour)


def test_reminder_button_gives_drafts_for_its_purpose(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria = add_maria(repo, clock)
    reminder = Reminder(
        id="r-1",
        kind=ReminderKind.PROMISE,
        due_at=clock.now(),
        contact_id=maria.id,
        text="send the podcast link",
    )
    with repo.session(USER) as store:
        store.save_reminders([reminder])
        store.put_buttons(
            {"ref-1": {"op": "content.suggest", "contact": maria.id, "reminder": "r-1"}}
        )
    (reply,) = coach.handle_press(USER, "ref-1")
    drafts = drafts_in(reply)
    assert drafts
    assert all("the podcast link" in d for d in drafts)
    assert "promise kept" in reply.text


def test_unknown_person_and_bad_input(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add_maria(repo, clock)
    assert "Nobody" in text_of(coach.handle_text(USER, "/suggest Nobody"))
    assert "/suggest Maria" in text_of(coach.handle_text(USER, "/suggest"))
    assert "Maria" not in text_of(coach.handle_text(USER, "/suggest " + "x" * 10_000))
    with repo.session(USER) as store:
        assert len(store.contacts()) == 1
        assert len(store.contacts()[0].facts) == 5


def test_forged_or_stale_buttons_change_nothing(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria = add_maria(repo, clock)
    assert coach.handle_press(USER, "forged-ref")
    with repo.session(USER) as store:
        store.put_buttons({"gone": {"op": "content.more", "contact": "c-deleted"}})
    assert "no longer" in text_of(coach.handle_press(USER, "gone"))
    with repo.session(USER) as store:
        assert store.contact(maria.id) == maria


def test_another_users_contact_is_out_of_reach(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria = add_maria(repo, clock, user="owner")
    assert "marathon" not in text_of(coach.handle_text("intruder", "/suggest Maria"))
    with repo.session("intruder") as store:
        store.put_buttons({"steal": {"op": "content.suggest", "contact": maria.id}})
    assert "marathon" not in text_of(coach.handle_press("intruder", "steal"))


def test_user_text_is_escaped_not_evaluated(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    with repo.session(USER) as store:
        store.save_contact(
            Contact(
                id="c-x",
                name="Eve <b>",
                created_at=clock.now(),
                facts=[
                    Fact(FactKind.INTEREST, "loves R&D and 'Q&A' nights", clock.now()),
                    Fact(FactKind.GOAL, "wants to learn {{ 7*7 }} <script>", clock.now()),
                ],
            )
        )
    (reply,) = coach.handle_text(USER, "/suggest Eve")
    assert "Eve &lt;b&gt;" in reply.text or "<b>Eve</b>" in reply.text
    assert "R&amp;D" in reply.text
    assert "49" not in reply.text
    assert "<script>" not in reply.text
    assert any("R&D" in d for d in drafts_in(reply))


def test_two_namesakes_get_a_choice(coach: Coach, repo: TinyRepository, clock: ManualClock) -> None:
    add_maria(repo, clock)
    with repo.session(USER) as store:
        store.save_contact(
            Contact(id="c-2", name="Maria Chen", company="Globex", created_at=clock.now())
        )
    (choice,) = coach.handle_text(USER, "/suggest Maria")
    assert not drafts_in(choice)
    (reply,) = press(coach, USER, choice, "Acme")
    assert any("marathon" in d for d in drafts_in(reply))


@pytest.mark.parametrize(
    ("kind", "text", "expected", "label"),
    [
        (
            ReminderKind.GRATITUDE,
            "introduced me to Sam, so helpful",
            "introducing me to Sam",
            "thank-you",
        ),
        (
            ReminderKind.EVENT_FOLLOW_UP,
            "interviewing at Stripe",
            "the interview at Stripe",
            "how did it go?",
        ),
        (ReminderKind.IMPACT_UPDATE, "the intro to Sam", "the intro to Sam", "impact update"),
    ],
)
def test_each_reminder_kind_gets_fitting_drafts(
    coach: Coach,
    repo: TinyRepository,
    clock: ManualClock,
    kind: ReminderKind,
    text: str,
    expected: str,
    label: str,
) -> None:
    with repo.session(USER) as store:
        store.save_contact(Contact(id="c-1", name="Maria Lopez", created_at=clock.now()))
        store.save_reminders([Reminder("r-1", kind, clock.now(), "c-1", text=text)])
        store.put_buttons({"ref": {"op": "content.suggest", "contact": "c-1", "reminder": "r-1"}})
    (reply,) = coach.handle_press(USER, "ref")
    drafts = drafts_in(reply)
    assert len(drafts) >= 2
    assert all(expected in d for d in drafts)
    assert label in reply.text


def test_reminder_entry_point_keeps_the_callers_buttons(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria = add_maria(repo, clock)
    reminder = Reminder("r-1", ReminderKind.FOLLOW_UP, clock.now(), maria.id)
    sent_it = ((Button("Sent it", payload={"op": "rem.done", "id": "r-1"}),),)
    with repo.session(USER) as store:
        turn = Turn(store, coach.templates, coach.router, clock.now())
        (reply,) = suggest_for_reminder(turn, reminder, extra_buttons=sent_it)
    assert reply.buttons[-1] == sent_it[0]
    assert drafts_in(reply)
