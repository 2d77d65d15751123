"""The give-and-ask counts a contact keeps: right after logs, Undo, and on records without them.

Run on both stores (the `coach` and `repo` fixtures), since each persists the contact record.
"""

from __future__ import annotations

from datetime import timedelta

from support import press

from bot.domain.clock import ManualClock
from bot.domain.insight.ledger import tally
from bot.domain.model import Contact, Exchange, Interaction, InteractionKind
from bot.engine.coach import Coach
from bot.storage.repository import Repository
from bot.transfer.bundle import collect, dumps, read_restore
from bot.transfer.merge import apply, plan_for

USER = "u"


def kept(repo: Repository, name: str) -> dict[str, int] | None:
    with repo.session(USER) as store:
        (contact,) = [c for c in store.contacts() if c.name == name]
        return contact.exchanges


def history(repo: Repository, name: str) -> dict[str, int]:
    with repo.session(USER) as store:
        (contact,) = [c for c in store.contacts() if c.name == name]
        return tally(store.interactions(contact_id=contact.id))


def test_each_log_counts_on_the_contact_and_undo_takes_it_back(
    coach: Coach, repo: Repository
) -> None:
    coach.handle_text(USER, "/log Lunch with Tom Baker. I asked him for a referral.")
    assert kept(repo, "Tom Baker") == history(repo, "Tom Baker") == {"ask": 1}
    logged = coach.handle_text(USER, "/log Call with Tom Baker. Asked him to review my deck.")
    assert kept(repo, "Tom Baker") == {"ask": 2}
    press(coach, USER, logged[0], "Undo")
    assert kept(repo, "Tom Baker") == history(repo, "Tom Baker") == {"ask": 1}
    (card,) = coach.handle_text(USER, "/person Tom")
    assert "Give and ask: 0 gives, 1 ask" in card.text


def test_undo_of_an_earlier_log_after_a_later_one_counts_what_is_left(
    coach: Coach, repo: Repository, clock: ManualClock
) -> None:
    first = coach.handle_text(USER, "/log Lunch with Tom Baker. I asked him for a referral.")
    clock.advance(timedelta(hours=1))
    coach.handle_text(USER, "/log Coffee with Tom Baker. I introduced him to Marco.")
    assert kept(repo, "Tom Baker") == {"ask": 1, "intro": 1}
    press(coach, USER, first[0], "Undo")
    assert kept(repo, "Tom Baker") == history(repo, "Tom Baker") == {"intro": 1}


def test_a_contact_saved_before_the_counts_reads_right_and_reading_writes_nothing(
    coach: Coach, repo: Repository, clock: ManualClock
) -> None:
    with repo.session(USER, channel="terminal") as store:
        store.save_contact(Contact(id="c-old", name="Tom Baker", created_at=clock.now()))
        for n, exchange in enumerate([Exchange.ASK, Exchange.ASK, None, Exchange.HELP]):
            store.add_interaction(
                Interaction(
                    f"i-{n}",
                    ["c-old"],
                    InteractionKind.COFFEE,
                    clock.now() - timedelta(days=10 - n),
                    f"Meeting {n}",
                    exchange=exchange,
                )
            )
    (card,) = coach.handle_text(USER, "/person Tom")
    assert "Give and ask: 1 give (1 help), 2 asks" in card.text
    assert kept(repo, "Tom Baker") is None  # a read never writes
    # The first log with them counts their history once, then keeps counting.
    coach.handle_text(USER, "/log Lunch with Tom Baker. I asked him for a referral.")
    assert kept(repo, "Tom Baker") == history(repo, "Tom Baker") == {"ask": 3, "help": 1}


def test_a_restored_history_is_counted_with_what_the_contact_had(
    coach: Coach, repo: Repository, clock: ManualClock
) -> None:
    coach.handle_text("ann", "/log Lunch with Tom Baker. I asked him for a referral.")
    coach.handle_text(USER, "/log Coffee with Tom Baker. I introduced him to Marco.")
    with repo.session("ann") as store:
        export = read_restore(dumps(collect(store)))
    with repo.session(USER) as store:
        apply(store, plan_for(store, export, clock.now()))
    (card,) = coach.handle_text(USER, "/person Tom")
    assert "Give and ask: 1 give (1 intro), 1 ask" in card.text
    coach.handle_text(USER, "/log Call with Tom Baker. Asked him to review my deck.")
    assert kept(repo, "Tom Baker") == history(repo, "Tom Baker") == {"ask": 2, "intro": 1}
