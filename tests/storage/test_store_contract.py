"""The store port's contract: what every store (TinyDB files, PostgreSQL) must do alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import islice

import pytest
from conftest import StoreFactory

from bot.domain.model import (
    Contact,
    Fact,
    FactKind,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UserProfile,
)
from bot.storage.repository import Kept, Repository

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def contact(cid: str, name: str = "Maria Lopez", at: datetime = NOW) -> Contact:
    return Contact(id=cid, name=name, created_at=at)


def meeting(iid: str, *contact_ids: str, note: str = "coffee") -> Interaction:
    return Interaction(iid, list(contact_ids), InteractionKind.COFFEE, NOW, note, NOW)


def reminder(rid: str, cid: str = "c-1", due: datetime = NOW, **kw: object) -> Reminder:
    return Reminder(rid, ReminderKind.FOLLOW_UP, due, cid, created_at=NOW, **kw)  # type: ignore[arg-type]


# -- the unit of work ---------------------------------------------------------------
def test_a_session_commits_everything_together(store_factory: StoreFactory) -> None:
    with store_factory().session("u") as s:
        s.save_contact(contact("c-1"))
        s.add_interaction(meeting("i-1", "c-1"))
        s.save_reminders([reminder("r-1")])
        s.set_state("flow", {"name": "x"})
        # Reads inside the block see its own writes.
        assert [c.id for c in s.contacts()] == ["c-1"]
        assert [i.id for i in s.interactions(contact_id="c-1")] == ["i-1"]
        assert s.reminder("r-1") is not None
    with store_factory().session("u") as s:
        assert [c.id for c in s.contacts()] == ["c-1"]
        assert [i.id for i in s.interactions()] == ["i-1"]
        assert [r.id for r in s.reminders()] == ["r-1"]
        assert s.state("flow") == {"name": "x"}


def test_a_failed_session_changes_nothing_anywhere(store_factory: StoreFactory) -> None:
    repo = store_factory()
    with repo.session("u") as s:
        s.save_contact(contact("c-1"))
        s.add_interaction(meeting("i-1", "c-1"))

    def half_done() -> None:
        with repo.session("u") as s:
            maria = s.contact("c-1")
            assert maria is not None
            maria.facts = [Fact(FactKind.INTEREST, "sailing", NOW)]
            s.save_contact(maria)
            s.add_interaction(meeting("i-2", "c-1"))
            s.save_reminders([reminder("r-1")])
            s.delete_interaction("i-1")
            s.set_state("flow", {"name": "y"})
            raise RuntimeError("a bug half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        half_done()
    for opened in (repo, store_factory()):
        with opened.session("u") as s:
            found = s.contact("c-1")
            assert found is not None
            assert found.facts == []
            assert [i.id for i in s.interactions()] == ["i-1"]
            assert [i.id for i in s.interactions(contact_id="c-1")] == ["i-1"]
            assert s.reminders() == []
            assert s.state("flow") is None


def test_a_record_changed_in_place_and_saved_in_a_failed_session_is_not_kept(
    store: Repository,
) -> None:
    # The common pattern: take a contact from a listing, change it, save it... then fail.
    with store.session("u") as s:
        s.save_contact(contact("c-1"))

    def fails() -> None:
        with store.session("u") as s:
            (maria,) = s.contacts()
            maria.company = "Acme"  # in place, on the shared record...
            s.save_contact(maria)  # ...and saved, so the store's check lets it pass
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails()
    with store.session("u") as s:
        assert s.contacts()[0].company == ""


def test_a_nested_session_shares_the_outer_one(store: Repository) -> None:
    with store.session("u") as outer:
        outer.save_contact(contact("c-1"))
        with store.session("u") as inner:
            assert inner is outer
            inner.save_contact(contact("c-2", "Tom Baker"))
    with store.session("u") as s:
        assert sorted(c.name for c in s.contacts()) == ["Maria Lopez", "Tom Baker"]


def test_copies_are_private(store: Repository) -> None:
    with store.session("u") as s:
        s.save_contact(contact("c-1"))
        s.set_state("flow", {"name": "x", "items": [1]})
    with store.session("u") as s:
        mine = s.contact("c-1")
        assert mine is not None
        mine.name = "Changed"
        mine.facts.append(Fact(FactKind.OTHER, "x", NOW))
        state = s.state("flow")
        assert state is not None
        state["items"].append(2)
        assert s.contact("c-1") == contact("c-1")
        assert s.state("flow") == {"name": "x", "items": [1]}


def test_users_are_apart(store_factory: StoreFactory) -> None:
    repo = store_factory()
    with repo.session("alice") as s:
        s.save_contact(contact("c-a", "Maria"))
    with repo.session("bob") as s:
        s.save_contact(contact("c-b", "Tom"))
        assert [c.name for c in s.contacts()] == ["Tom"]
        assert s.contact("c-a") is None
    with store_factory().session("alice") as s:
        assert [c.name for c in s.contacts()] == ["Maria"]
    assert sorted(repo.user_ids()) == ["alice", "bob"]


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", "x" * 65, "ünï"])
def test_user_ids_cannot_escape(store: Repository, bad: str) -> None:
    with pytest.raises(ValueError, match="invalid user id"), store.session(bad):
        pass


def test_another_instance_sees_each_commit(store_factory: StoreFactory) -> None:
    first, second = store_factory(), store_factory()
    with first.session("u") as s:
        s.save_contact(contact("c-1"))
    with second.session("u") as s:
        assert [c.id for c in s.contacts()] == ["c-1"]
        s.save_contact(contact("c-2", "Tom"))
    with first.session("u") as s:
        assert sorted(c.id for c in s.contacts()) == ["c-1", "c-2"]


def test_many_commits_then_reopen(store_factory: StoreFactory) -> None:
    # Enough commits that the store folds its log (TinyDB) at least once.
    repo = store_factory()
    for n in range(300):
        with repo.session("u") as s:
            s.save_contact(replace(contact(f"c-{n:03d}"), notes=["x" * 4000]))
            if n % 3 == 0:
                s.delete_contact(f"c-{n - 3:03d}")
    with store_factory().session("u") as s:
        ids = {c.id for c in s.contacts()}
    assert len(ids) == 201
    assert "c-294" not in ids
    assert "c-297" in ids


# -- records -------------------------------------------------------------------------
def test_records_round_trip_with_their_types(store: Repository) -> None:
    profile = UserProfile("u", timezone="Europe/Berlin", channel="telegram")
    maria = replace(contact("c-1"), facts=[Fact(FactKind.EVENT, "marathon", NOW, "i-1")])
    with store.session("u") as s:
        s.save_profile(profile)
        s.save_contact(maria)
        s.save_reminders([reminder("r-1", retry_at=NOW + timedelta(minutes=5))])
    with store.session("u") as s:
        assert s.profile() == profile
        assert s.contact("c-1") == maria
        assert s.reminder("r-1") == reminder("r-1", retry_at=NOW + timedelta(minutes=5))


def test_a_missing_profile_has_defaults(store: Repository) -> None:
    with store.session("nobody") as s:
        assert s.profile().user_id == "nobody"
        assert s.contacts() == []


def test_finished_reminders_move_to_history(store: Repository) -> None:
    with store.session("u") as s:
        s.save_reminders([reminder("r-1"), reminder("r-2")])
    with store.session("u") as s:
        s.save_reminders([replace(reminder("r-1"), status=ReminderStatus.DONE)])
        assert [r.id for r in s.reminders()] == ["r-2"]
    with store.session("u") as s:
        assert [r.id for r in s.reminders()] == ["r-2"]
        assert [r.id for r in s.finished_reminders()] == ["r-1"]
        assert s.reminders([ReminderStatus.DELIVERED]) == []


def test_reminders_of_one_contact_see_this_sessions_changes(store: Repository) -> None:
    with store.session("u") as s:
        s.save_reminders([reminder("r-1", "c-1"), reminder("r-2", "c-2"), reminder("r-3", "")])
    with store.session("u") as s:
        assert [r.id for r in s.reminders(contact_id="c-1")] == ["r-1"]
        assert [r.id for r in s.reminders(contact_id="")] == ["r-3"]  # the user's own
        # Before the commit: a new one, a finished one, a delivered one, all seen.
        s.save_reminders(
            [
                reminder("r-4", "c-1"),
                replace(reminder("r-1", "c-1"), status=ReminderStatus.DONE),
                replace(reminder("r-2", "c-2"), status=ReminderStatus.DELIVERED),
            ]
        )
        assert [r.id for r in s.reminders(contact_id="c-1")] == ["r-4"]
        assert [r.id for r in s.reminders([ReminderStatus.DELIVERED], contact_id="c-2")] == ["r-2"]
    with store.session("u") as s:
        assert [r.id for r in s.reminders(contact_id="c-1")] == ["r-4"]
        assert s.reminders(contact_id="c-9") == []


def test_interactions_newest_first_and_by_contact(store: Repository) -> None:
    with store.session("u") as s:
        for n in range(5):
            s.add_interaction(meeting(f"i-{n}", "c-1" if n % 2 else "c-2"))
    with store.session("u") as s:
        s.add_interaction(meeting("i-5", "c-1", "c-2"))
        assert [i.id for i in s.interactions(contact_id="c-1")] == ["i-5", "i-3", "i-1"]
        assert [i.id for i in s.interactions()][:2] == ["i-5", "i-4"]


def test_a_long_history_stays_in_order_and_indexed(store: Repository) -> None:
    # Far more than one history segment; the old contact's meetings are all at the start.
    with store.session("u") as s:
        s.add_interaction(meeting("i-old-1", "c-old"))
        s.add_interaction(meeting("i-old-2", "c-old"))
    for batch in range(6):
        with store.session("u") as s:
            for n in range(200):
                s.add_interaction(meeting(f"i-{batch}-{n:03d}", "c-new"))
    with store.session("u") as s:
        assert [i.id for i in s.interactions(contact_id="c-old")] == ["i-old-2", "i-old-1"]
        assert next(s.interactions()).id == "i-5-199"
        assert [i.id for i in islice(s.interactions(contact_id="c-new"), 2)] == [
            "i-5-199",
            "i-5-198",
        ]
        assert s.delete_interaction("i-old-1")
        assert not s.delete_interaction("i-old-1")
    with store.session("u") as s:
        assert [i.id for i in s.interactions(contact_id="c-old")] == ["i-old-2"]
        assert sum(1 for _ in s.interactions()) == 1201


def test_forget_contact_scrubs_their_part_of_history(store: Repository) -> None:
    with store.session("u") as s:
        s.save_contact(contact("c-1"))
        s.save_contact(contact("c-2", "Tom"))
        s.add_interaction(meeting("i-1", "c-1", note="just Maria"))
        s.add_interaction(meeting("i-2", "c-1", "c-2", note="both"))
        s.save_reminders([reminder("r-1"), reminder("r-2", "c-2")])
        s.save_reminders([replace(reminder("r-3"), status=ReminderStatus.DONE)])
    with store.session("u") as s:
        s.forget_contact("c-1")
        assert [c.id for c in s.contacts()] == ["c-2"]
    with store.session("u") as s:
        assert [(i.id, i.contact_ids) for i in s.interactions()] == [("i-2", ["c-2"])]
        assert list(s.interactions(contact_id="c-1")) == []
        assert [r.id for r in s.reminders()] == ["r-2"]
        assert list(s.finished_reminders()) == []


def test_buttons_kept_in_the_store(store: Repository) -> None:
    with store.session("u") as s:
        s.put_buttons({"ref-1": {"op": "x", "what": "a long free text"}})
    with store.session("u") as s:
        assert s.button("ref-1") == {"op": "x", "what": "a long free text"}
        assert s.button("nope") is None
    with store.session("other") as s:
        assert s.button("ref-1") is None


# -- undo ------------------------------------------------------------------------------
def test_revert_restores_what_an_undoable_session_changed(store: Repository) -> None:
    with store.session("u") as s:
        s.save_contact(contact("c-1"))
        s.save_reminders([reminder("r-old")])
    with store.session("u") as s:
        undo = s.mark_undoable()
        maria = s.contact("c-1")
        assert maria is not None
        maria.company = "Acme"
        s.save_contact(maria)
        s.save_contact(contact("c-2", "Tom"))
        s.add_interaction(meeting("i-1", "c-1", "c-2"))
        s.save_reminders([replace(reminder("r-old"), status=ReminderStatus.CANCELLED)])
        s.save_reminders([reminder("r-new", "c-2")])
        s.set_state("flow", {"name": "reflection"})
    with store.session("u") as s:
        result = s.revert(undo)
        assert result is not None
        assert result.kept == []
    with store.session("u") as s:
        assert [c.id for c in s.contacts()] == ["c-1"]
        assert s.contacts()[0].company == ""
        assert list(s.interactions()) == []
        assert [r.id for r in s.reminders()] == ["r-old"]
        assert list(s.finished_reminders()) == []
        assert s.state("flow") == {"name": "reflection"}  # bookkeeping is not undone
        assert s.revert(undo) is None


def test_revert_leaves_what_changed_since_and_says_so(store: Repository) -> None:
    with store.session("u") as s:
        undo = s.mark_undoable()
        s.save_contact(contact("c-1"))
        s.save_reminders([reminder("r-1")])
    with store.session("u") as s:
        later = s.contact("c-1")
        assert later is not None
        later.company = "Acme"
        s.save_contact(later)
    with store.session("u") as s:
        result = s.revert(undo)
    assert result is not None
    assert result.kept == [Kept("contacts", "c-1", created=True)]
    with store.session("u") as s:
        assert [c.company for c in s.contacts()] == ["Acme"]
        assert s.reminders() == []


def test_revert_of_an_unknown_id(store: Repository) -> None:
    with store.session("u") as s:
        assert s.revert("u-000000000000") is None


# -- rewriting (redaction) -----------------------------------------------------------
def test_rewrite_reaches_every_interaction_reminder_and_state(store: Repository) -> None:
    with store.session("u") as s:
        undo = s.mark_undoable()
        s.add_interaction(meeting("i-1", "c-1", note="lunch with Priya Raman"))
        s.add_interaction(meeting("i-2", "c-1", note="nothing to see"))
        s.save_reminders([reminder("r-1", text="ask Priya Raman")])
        done = replace(reminder("r-2", text="Priya Raman's talk"), status=ReminderStatus.DONE)
        s.save_reminders([done])
        s.set_state("card", {"text": "met Priya Raman"})
        s.put_buttons({"ref-1": {"op": "x", "what": "Priya Raman"}})

    def redact(text: str) -> str:
        return text.replace("Priya Raman", "someone")

    with store.session("u") as s:
        s.rewrite(
            interactions=lambda i: replace(i, note=redact(i.note)),
            reminders=lambda r: replace(r, text=redact(r.text)),
            state=lambda name, value: None if "Priya" in str(value) else value,
        )
    with store.session("u") as s:
        assert [i.note for i in s.interactions()] == ["nothing to see", "lunch with someone"]
        assert [r.text for r in s.reminders()] == ["ask someone"]
        assert [r.text for r in s.finished_reminders()] == ["someone's talk"]
        assert s.state("card") is None
        assert s.button("ref-1") is None
        assert s.revert(undo) is None  # undo records held old copies: gone


# -- channels and the schedule -------------------------------------------------------
def test_the_channel_is_recorded_on_the_first_write_only(store: Repository) -> None:
    with store.session("me", channel="terminal") as s:
        assert s.profile().channel == ""  # a read changes nothing
    with store.session("me", channel="terminal") as s:
        s.save_contact(contact("c-1"))
    with store.session("me", channel="telegram") as s:
        s.save_contact(contact("c-2", "Tom"))
        assert s.profile().channel == "terminal"


def test_a_user_is_due_only_on_their_own_channel(store: Repository) -> None:
    with store.session("me", channel="terminal") as s:
        s.save_reminders([reminder("r-1", due=NOW)])
    with store.session("1001", channel="telegram") as s:
        s.save_reminders([reminder("r-2", due=NOW + timedelta(hours=1))])
    bot = store.schedule.deliverer(channel="telegram")
    assert bot is not None
    try:
        assert bot.next_due() == NOW + timedelta(hours=1)
        assert bot.take_due(NOW + timedelta(days=1), limit=10) == ["1001"]
    finally:
        bot.close()
    chat = store.schedule.deliverer(channel="terminal", user_id="me")
    assert chat is not None
    try:
        assert chat.next_due() == NOW
    finally:
        chat.close()


@pytest.mark.tinydb_only  # PostgreSQL: many deliverers, each user leased to one (tests/serve)
def test_one_deliverer_per_channel(store_factory: StoreFactory) -> None:
    first = store_factory().schedule.deliverer(channel="telegram")
    assert first is not None
    assert store_factory().schedule.deliverer(channel="telegram") is None
    other = store_factory().schedule.deliverer(channel="terminal", user_id="me")
    assert other is not None
    other.close()
    first.close()
    again = store_factory().schedule.deliverer(channel="telegram")
    assert again is not None
    again.close()


def test_the_deliverer_follows_commits_and_put_back(store: Repository) -> None:
    deliverer = store.schedule.deliverer(channel="telegram")
    assert deliverer is not None
    try:
        assert deliverer.next_due() is None
        with store.session("1001") as s:
            s.save_reminders([reminder("r-1", due=NOW)])
        deliverer.refresh()
        assert deliverer.next_due() == NOW
        assert deliverer.take_due(NOW - timedelta(seconds=1), limit=5) == []
        assert deliverer.take_due(NOW, limit=5) == ["1001"]
        assert deliverer.next_due() is None  # taken
        deliverer.put_back("1001", NOW + timedelta(days=1))
        assert deliverer.next_due() == NOW + timedelta(days=1)
        with store.session("1001") as s:
            s.save_reminders([replace(reminder("r-1"), status=ReminderStatus.DONE)])
        deliverer.refresh()
        assert deliverer.next_due() is None
    finally:
        deliverer.close()


def test_a_paused_user_is_not_due(store: Repository) -> None:
    with store.session("1001") as s:
        s.save_reminders([reminder("r-1", due=NOW)])
        profile = s.profile()
        profile.paused = True
        s.save_profile(profile)
    deliverer = store.schedule.deliverer(channel="telegram")
    assert deliverer is not None
    try:
        assert deliverer.next_due() is None
    finally:
        deliverer.close()


# -- erasing a user --------------------------------------------------------------------
def test_erase_forgets_the_user_everywhere(store_factory: StoreFactory) -> None:
    repo = store_factory()
    with repo.session("1001") as s:
        s.save_contact(contact("c-1"))
        s.save_reminders([reminder("r-1")])
    with repo.session("2002") as s:
        s.save_contact(contact("c-2", "Tom"))
    assert repo.erase("1001")
    assert not repo.erase("1001")
    assert list(repo.user_ids()) == ["2002"]
    for opened in (repo, store_factory()):
        with opened.session("1001") as s:
            assert s.contacts() == []
            assert s.reminders() == []
        deliverer = opened.schedule.deliverer(channel="telegram")
        assert deliverer is not None
        try:
            assert deliverer.take_due(NOW + timedelta(days=999), limit=10) == []
        finally:
            deliverer.close()


def test_erase_from_inside_the_users_own_session_commits_nothing_after(
    store: Repository,
) -> None:
    with store.session("1001") as s:
        s.save_contact(contact("c-1"))
    with store.session("1001") as s:
        s.set_state("flow", {"name": "forget-me"})
        assert store.erase("1001")
    assert list(store.user_ids()) == []


def test_the_secret_is_stable(store_factory: StoreFactory) -> None:
    key = store_factory().secret()
    assert len(key) >= 16
    assert store_factory().secret() == key
