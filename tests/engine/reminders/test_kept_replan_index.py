"""The indexes kept between turns (replanning, /due), brought up to date from the store's
journal of changes, hold what ones filed afresh from the store's records hold."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support import text_of

from bot.domain.clock import ManualClock
from bot.domain.insight.attention import top_needs
from bot.domain.insight.attention_index import AttentionIndex
from bot.domain.reminders.planning import OPEN
from bot.domain.reminders.replan_index import ReplanIndex
from bot.engine.coach import Coach
from bot.engine.replanning import changes_since
from bot.storage.repository import Repository
from bot.storage.tinydb_repository import TinyRepository

USER = "u1"
PEOPLE = ["Maria Lopez", "Tom Becker", "Priya Raman", "Jonas Berg", "Lena Novak"]


def filed(index: ReplanIndex) -> dict[str, Any]:
    waiting, total, listed = index.listing()
    return {
        "contacts": list(index.contacts.items()),
        "reminders": list(index.reminders.items()),
        "listing": (waiting, total, [r.id for r in listed]),
        "recent": [c.id for c in index.most_recent(40)],
        "days": dict(index.days),
        "nudges": list(index.nudges),
        "cadence_days": list(index.cadence_days),
        "sets": (index.delivered, index.unowned, index.dated, index.odd, index.birthdays),
    }


def press(coach: Coach, label: str, replies: list[Any]) -> list[Any]:
    for reply in reversed(replies):
        for row in reply.buttons:
            for button in row:
                if label.lower() in button.label.lower():
                    return coach.handle_press(USER, button.ref)
    return []


def test_the_kept_indexes_follow_every_change_through_the_journal(
    coach: Coach, repo: Repository, clock: ManualClock
) -> None:
    if not isinstance(repo, TinyRepository):
        pytest.skip("only the TinyDB store keeps a journal of changes")
    rng = random.Random(15)
    coach.handle_text(USER, "/settings timezone Berlin")
    kept, ranked = ReplanIndex(), AttentionIndex()
    told = 0
    for step in range(40):
        name = rng.choice(PEOPLE)
        what = rng.choice(["log", "note", "tier", "undo", "reminders", "forget", "snooze"])
        if what == "log":
            replies = coach.handle_text(
                USER, f"/log Lunch with {name}. I promised to send her the deck by Friday."
            )
            if rng.random() < 0.3:
                press(coach, "Undo", replies)
        elif what == "note":
            card = coach.handle_text(USER, f"Coffee with {name}, she is moving to Lisbon in May.")
            press(coach, "Save", card)
        elif what == "tier":
            card = coach.handle_text(USER, f"/person {name}")
            press(coach, rng.choice(["close", "network", "inner"]), card)
        elif what == "undo":
            press(coach, "Undo", coach.handle_text(USER, f"/log Call with {name}."))
        elif what == "reminders":
            text_of(coach.handle_text(USER, "/reminders"))
        elif what == "snooze":
            press(coach, "Tomorrow", coach.handle_text(USER, "/due"))
        else:
            press(coach, "Yes", coach.handle_text(USER, f"/forget {name}"))
        if step % 9 == 8:
            clock.advance(timedelta(days=rng.randint(1, 20)))
        with repo.session(USER) as store:
            zone = ZoneInfo(store.profile().timezone)
            mark, changed = changes_since(store, kept)
            told += changed is not None
            contacts, reminders = store.contacts(), store.reminders(OPEN)
            kept.refresh(contacts, reminders, zone, changed=changed, mark=mark)
            assert filed(kept) == filed(ReplanIndex.of(contacts, reminders, zone)), step
            # The /due ranking's index, kept the same way, ranks as one built afresh.
            now, everyone = clock.now(), store.reminders()
            asked = changes_since(store, ranked)
            kept_ranking = top_needs(contacts, everyone, now, zone, index=ranked, changed=asked)
            assert kept_ranking == top_needs(contacts, everyone, now, zone), step
    assert told > 30  # the journal told what changed, nearly every time


def test_a_kept_index_that_saw_a_turn_rolled_back_files_the_records_as_they_stayed(
    coach: Coach, repo: Repository
) -> None:
    if not isinstance(repo, TinyRepository):
        pytest.skip("only the TinyDB store keeps a journal of changes")
    coach.handle_text(USER, "/log Lunch with Maria Lopez. I promised to send her the deck.")
    kept = ReplanIndex()

    def refresh(store: Any) -> tuple[Any, Any, ZoneInfo]:
        zone = ZoneInfo(store.profile().timezone)
        mark, changed = changes_since(store, kept)
        contacts, reminders = store.contacts(), store.reminders(OPEN)
        kept.refresh(contacts, reminders, zone, changed=changed, mark=mark)
        return contacts, reminders, zone

    def failing_turn() -> None:
        with repo.session(USER) as store:
            [maria] = store.contacts()
            maria.company = "Globex"  # seen by the index, then never saved
            store.save_contact(maria)
            store.delete_reminders([store.reminders(OPEN)[0].id])
            refresh(store)
            raise RuntimeError("the turn fails")

    with repo.session(USER) as store:
        refresh(store)
    with pytest.raises(RuntimeError):
        failing_turn()
    with repo.session(USER) as store:
        contacts, reminders, zone = refresh(store)
        assert filed(kept) == filed(ReplanIndex.of(contacts, reminders, zone))
