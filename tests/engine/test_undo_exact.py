"""Undo puts back exactly what a log changed: earlier reminders return, nothing is orphaned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Interaction
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository, TinyUserStore

USER = "u"


def open_reminders(repo: TinyRepository) -> list[tuple[str, str, str, str]]:
    with repo.session(USER) as store:
        # The digests are the user's, not a log's: any message plans them again.
        return sorted(
            (r.id, r.kind.value, r.status.value, r.due_at.isoformat())
            for r in store.reminders()
            if r.contact_id
        )


def people(repo: TinyRepository) -> list[str]:
    with repo.session(USER) as store:
        return sorted(c.name for c in store.contacts())


def test_undo_brings_back_the_reminders_a_log_retired(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    for name in ("Maria Lopez", "Tom Baker", "Priya Raman"):
        coach.handle_text(USER, f"/log Coffee with {name}. I promised to send the deck by Friday.")
    clock.advance(timedelta(hours=2))
    before = open_reminders(repo)
    logged = coach.handle_text(USER, "/log Lunch with Maria Lopez, Tom Baker and Priya Raman")
    assert open_reminders(repo) != before  # follow-ups retired, keep-in-touch moved
    undone = press(coach, USER, logged[0], "Undo")
    assert "undid" in text_of(undone).lower() or "undone" in text_of(undone).lower()
    assert open_reminders(repo) == before
    assert people(repo) == ["Maria Lopez", "Priya Raman", "Tom Baker"]


def test_undo_of_a_log_that_met_someone_new_leaves_no_orphan(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log Coffee with Maria Lopez")
    before = open_reminders(repo)
    logged = coach.handle_text(USER, "/log Call with Sam Ortiz about the hiring plan")
    assert people(repo) == ["Maria Lopez", "Sam Ortiz"]
    press(coach, USER, logged[0], "Undo")
    assert people(repo) == ["Maria Lopez"]
    assert open_reminders(repo) == before
    with repo.session(USER) as store:
        known = {c.id for c in store.contacts()}
        # User-level reminders (the digests) have no contact by design.
        assert all(r.contact_id in known for r in store.reminders() if r.contact_id)
        assert [i.note for i in store.interactions()] == ["Coffee with Maria Lopez"]


def test_undo_after_a_later_log_keeps_the_later_one(coach: Coach, repo: TinyRepository) -> None:
    first = coach.handle_text(USER, "/log Coffee with Maria Lopez. She loves sailing.")
    coach.handle_text(USER, "/log Call with Maria Lopez. She is training for the Berlin marathon.")
    press(coach, USER, first[0], "Undo")
    with repo.session(USER) as store:
        (maria,) = store.contacts()
        facts = [f.text for f in maria.facts]
        notes = [i.note for i in store.interactions()]
    assert notes == ["Call with Maria Lopez. She is training for the Berlin marathon."]
    assert not any("sailing" in f for f in facts)
    assert any("marathon" in f for f in facts)


def test_undo_twice_changes_nothing_more(coach: Coach, repo: TinyRepository) -> None:
    logged = coach.handle_text(USER, "/log Coffee with Maria Lopez")
    press(coach, USER, logged[0], "Undo")
    after = (people(repo), open_reminders(repo))
    again = press(coach, USER, logged[0], "Undo")
    assert (people(repo), open_reminders(repo)) == after
    assert text_of(again)


def test_a_promise_logged_twice_is_one_reminder_and_undo_brings_the_first_back(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    coach.handle_text(USER, "/log Coffee with Maria Lopez. I promised to send her the deck.")
    promises = [r for r in open_reminders(repo) if r[1] == "promise"]
    clock.advance(timedelta(days=1))
    logged = coach.handle_text(USER, "/log Call with Maria Lopez. I promised to send her the deck.")
    again = [r for r in open_reminders(repo) if r[1] == "promise"]
    assert len(promises) == len(again) == 1
    assert again != promises  # the newer one, due from the newer note
    press(coach, USER, logged[0], "Undo")
    assert [r for r in open_reminders(repo) if r[1] == "promise"] == promises


@pytest.mark.tinydb_only
def test_undo_looks_back_only_to_the_log_not_through_a_long_history(
    coach: Coach, repo: TinyRepository, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(40):
        coach.handle_text(USER, f"/log Coffee with Maria Lopez. Talked about topic {n}.")
        clock.advance(timedelta(days=2))
    logged = coach.handle_text(USER, "/log Lunch with Maria Lopez. She is moving to Lisbon.")
    looked: list[str] = []
    everything = TinyUserStore.interactions

    def counted(self: TinyUserStore, *, contact_id: str | None = None) -> Iterator[Interaction]:
        for met in everything(self, contact_id=contact_id):
            looked.append(met.id)
            yield met

    monkeypatch.setattr(TinyUserStore, "interactions", counted)
    press(coach, USER, logged[0], "Undo")
    assert people(repo) == ["Maria Lopez"]
    assert 0 < len(looked) < 10  # of 40 earlier meetings
    with repo.session(USER) as store:
        (maria,) = store.contacts()
        assert not any("Lisbon" in f.text for f in maria.facts)
        assert len(list(store.interactions(contact_id=maria.id))) == 40
