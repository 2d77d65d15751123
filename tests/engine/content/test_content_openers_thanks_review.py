"""/openers, /thanks and /review through the real coach."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

from support import text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Fact, FactKind, Reminder, ReminderKind
from bot.engine.coach import Coach
from bot.engine.content.drafts import SHARE_URL
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

USER = "u1"


def shared(reply: Reply) -> list[str]:
    return [unquote(b.url.removeprefix(SHARE_URL)) for row in reply.buttons for b in row if b.url]


def add(repo: TinyRepository, contact: Contact) -> Contact:
    with repo.session(USER) as store:
        store.save_contact(contact)
    return contact


def maria_knowing(repo: TinyRepository, clock: ManualClock, fact: Fact) -> Contact:
    return add(repo, Contact(id="c-m", name="Maria Lopez", created_at=clock.now(), facts=[fact]))


def test_openers_for_a_person_start_with_open_loops(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    now = clock.now()
    maria = add(
        repo,
        Contact(
            id="c-m",
            name="Maria Lopez",
            created_at=now,
            facts=[
                Fact(
                    FactKind.EVENT,
                    "the Stripe interview",
                    now - timedelta(days=5),
                    on=date(2026, 11, 24),
                )
            ],
        ),
    )
    with repo.session(USER) as store:
        store.save_reminders(
            [Reminder("r-1", ReminderKind.PROMISE, now, maria.id, text="send her the podcast link")]
        )
    (reply,) = coach.handle_text(USER, "/openers Maria")
    loops_at = reply.text.index("Open loops")
    questions_at = reply.text.index("Good questions")
    assert loops_at < reply.text.index("How did the Stripe interview go?") < questions_at
    assert loops_at < reply.text.index("I still owe you the podcast link") < questions_at
    assert reply.text.count("•") >= 5


def test_openers_for_a_context(coach: Coach) -> None:
    (reply,) = coach.handle_text(USER, "/openers conference")
    assert "a conference" in reply.text
    assert reply.text.count("•") >= 4
    (call,) = coach.handle_text(USER, "/openers zoom")
    assert "an online call" in call.text


def test_openers_needs_someone_or_somewhere(coach: Coach) -> None:
    assert "conference" in text_of(coach.handle_text(USER, "/openers"))
    assert "Quentin" in text_of(coach.handle_text(USER, "/openers Quentin"))


def test_thanks_names_the_specific_help_and_remembers_it(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    add(repo, Contact(id="c-m", name="Maria Lopez", created_at=clock.now()))
    (reply,) = coach.handle_text(USER, "/thanks Maria Lopez for the intro to Sam")
    drafts = shared(reply)
    assert 1 <= len(drafts) <= 2
    assert all("the intro to Sam" in d for d in drafts)
    with repo.session(USER) as store:
        (maria,) = store.contacts()
        assert [f.text for f in maria.facts if f.kind is FactKind.HELPED_ME] == ["the intro to Sam"]
    # Asking again still gives a draft (new wording first), and the fact is not duplicated.
    for _ in range(5):
        assert all(
            "the intro to Sam" in d
            for d in shared(coach.handle_text(USER, "/thanks Maria for the intro to Sam")[0])
        )
    with repo.session(USER) as store:
        assert len(store.contacts()[0].facts) == 1


def test_thanks_without_what_for(coach: Coach, repo: TinyRepository, clock: ManualClock) -> None:
    add(repo, Contact(id="c-m", name="Maria Lopez", created_at=clock.now()))
    assert "What are you thanking" in text_of(coach.handle_text(USER, "/thanks Maria"))
    add(
        repo,
        Contact(
            id="c-t",
            name="Tom Reed",
            created_at=clock.now(),
            facts=[Fact(FactKind.HELPED_ME, "reviewing my pitch deck", clock.now())],
        ),
    )
    assert all(
        "reviewing my pitch deck" in d for d in shared(coach.handle_text(USER, "/thanks Tom")[0])
    )


def test_review_flags_and_improves_with_what_is_known(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria_knowing(
        repo, clock, Fact(FactKind.INTEREST, "training for the Berlin marathon", clock.now())
    )
    (reply,) = coach.handle_text(USER, "/review Hi Maria, just checking in! Hope all is well.")
    assert "filler" in reply.text
    assert "no question" in reply.text
    (improved,) = shared(reply)
    assert improved.startswith("Hi Maria,")
    assert "how's training for the Berlin marathon coming along?" in improved
    assert "checking in" not in improved


def test_review_of_a_good_draft(coach: Coach) -> None:
    (reply,) = coach.handle_text(
        USER,
        "/review Hi Sam, congratulations on the new role at Stripe! What excites you most?",
    )
    assert "good message" in reply.text
    assert not reply.buttons


def test_review_keeps_user_text_literal_and_escaped(coach: Coach) -> None:
    (reply,) = coach.handle_text(USER, "/review Hi Bo, just checking in about {{ 7*7 }} <b>x</b>")
    assert "{{ 7*7 }}" in reply.text
    assert "&lt;b&gt;x&lt;/b&gt;" in reply.text
    assert "49" not in reply.text


def test_review_needs_a_draft(coach: Coach) -> None:
    assert "/review Hi Maria" in text_of(coach.handle_text(USER, "/review"))


def test_a_coffee_is_thanked_lightly_and_a_named_thanks_is_about_what_was_named(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    maria_knowing(repo, clock, Fact(FactKind.HELPED_ME, "the intro to Sam", clock.now()))
    for _ in range(4):  # new wording each time, until it repeats
        drafts = shared(coach.handle_text(USER, "/thanks Maria for the coffee")[0])
        assert drafts
        assert all("the coffee" in d for d in drafts)  # not the earlier intro
        for overdone in ("real difference", "won't forget", "publicly", "the ending"):
            assert not any(overdone in d for d in drafts), drafts
    # Help is still thanked as help.
    drafts = shared(coach.handle_text(USER, "/thanks Maria for the intro to Sam")[0])
    assert all("the intro to Sam" in d for d in drafts)
