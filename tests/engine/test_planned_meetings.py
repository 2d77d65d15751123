"""A meeting still ahead is planned: reminded before, asked about after, never logged as met."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from support import press, text_of

from bot.domain.model import Contact
from bot.engine.coach import Coach
from bot.storage.repository import Repository

# The coach's clock: Friday 27 November 2026, 15:00 UTC, and the user's zone is UTC.


@pytest.fixture
def lea(repo: Repository) -> Repository:
    with repo.session("u") as store:
        store.save_contact(Contact(id="lea", name="Lea Fischer"))
    return repo


def saved(repo: Repository) -> tuple[int, dict[str, Contact], list[tuple[str, datetime, str]]]:
    with repo.session("u") as store:
        # The morning digest and the weekly review are the user's own: not about this note.
        reminders = [(r.contact_id, r.due_at, r.text) for r in store.reminders() if r.contact_id]
        contacts = {c.name: c for c in store.contacts()}
        return len(list(store.interactions())), contacts, sorted(reminders, key=lambda r: r[1])


@pytest.mark.parametrize(
    ("note", "day"),
    [
        ("meeting lea thurs to talk funding", date(2026, 12, 3)),
        ("lunch with Lea next week", date(2026, 12, 4)),
        ("coffee w/ lea tmrw, want to ask her about the reorg", date(2026, 11, 28)),
    ],
)
def test_a_meeting_ahead_is_planned_not_logged(
    coach: Coach, lea: Repository, note: str, day: date
) -> None:
    card = coach.handle_text("u", note)[0]
    assert "still ahead" in card.text
    done = text_of(press(coach, "u", card, "Save"))
    assert "Planned:" in done
    assert "haven't logged it" in done

    interactions, contacts, reminders = saved(lea)
    assert interactions == 0
    assert contacts["Lea Fischer"].last_interaction_at is None
    # The morning of the meeting, and the morning after it: nothing else (no thanks).
    assert [(who, due.astimezone(UTC).date()) for who, due, _ in reminders] == [
        ("lea", day),
        ("lea", date.fromordinal(day.toordinal() + 1)),
    ]
    assert "how did the" in reminders[1][2]


def test_log_plans_a_meeting_ahead_with_someone_new(coach: Coach, repo: Repository) -> None:
    card = coach.handle_text("u", "/log lunch with Omar next week")[0]
    assert "still ahead" in card.text
    assert saved(repo)[0] == 0
    reply = text_of(press(coach, "u", card, "Save"))
    assert "Planned: lunch with <b>Omar</b>" in reply
    interactions, contacts, reminders = saved(repo)
    assert interactions == 0
    assert contacts["Omar"].last_interaction_at is None
    assert len(reminders) == 2
    assert not [r for r in reminders if r[2] and "thank" in r[2].lower()]


def test_a_meeting_that_happened_is_still_logged(coach: Coach, lea: Repository) -> None:
    card = coach.handle_text("u", "had lunch with lea today, we're meeting again next tuesday")[0]
    assert "still ahead" not in card.text
    press(coach, "u", card, "Save")
    interactions, contacts, reminders = saved(lea)
    assert interactions == 1
    assert contacts["Lea Fischer"].last_interaction_at is not None
    assert reminders  # the follow-up and the agreed next step, planned as before


def test_a_wrong_guess_that_it_is_ahead_is_fixed_with_when(coach: Coach, lea: Repository) -> None:
    card = coach.handle_text("u", "lunch with lea on thursday to talk funding")[0]
    assert "still ahead" in card.text
    press(coach, "u", press(coach, "u", card, "Edit")[0], "When:")
    fixed = coach.handle_text("u", "yesterday 1pm")[0]
    assert "still ahead" not in fixed.text
    press(coach, "u", fixed, "Save")
    interactions, contacts, _ = saved(lea)
    assert interactions == 1
    assert contacts["Lea Fischer"].last_interaction_at is not None


def everything(repo: Repository) -> tuple[object, ...]:
    with repo.session("u") as store:
        return (
            sorted((c.id, c.name, c.company, c.role, len(c.facts)) for c in store.contacts()),
            sorted((r.id, r.kind.value, r.status.value, r.text) for r in store.reminders()),
            [i.id for i in store.interactions()],
        )


@pytest.mark.parametrize("known", [True, False])
def test_undo_takes_a_plan_back_exactly_like_a_log(
    coach: Coach, repo: Repository, known: bool
) -> None:
    if known:
        with repo.session("u") as store:
            store.save_contact(Contact(id="lea", name="Lea Fischer"))
    coach.handle_text("u", "/people")  # the user's own digests are planned before the note
    before = everything(repo)
    card = coach.handle_text("u", "meeting lea thurs to talk funding")[0]
    planned = press(coach, "u", card, "Save")
    assert "↩ Undo" in [b.label for row in planned[0].buttons for b in row]
    assert everything(repo) != before

    undone = press(coach, "u", planned[0], "Undo")
    assert "Undone: that plan and its two reminders are gone." in text_of(undone)
    assert everything(repo) == before
    # A second press on the same (stale) button changes nothing and says so.
    again = press(coach, "u", planned[0], "Undo")
    assert "already removed" in text_of(again)
    assert everything(repo) == before


def test_undo_of_a_plan_keeps_someone_logged_since(coach: Coach, repo: Repository) -> None:
    planned = press(
        coach, "u", coach.handle_text("u", "meeting lea thurs to talk funding")[0], "Save"
    )
    coach.handle_text("u", "/log call with Lea about the grant")
    press(coach, "u", planned[0], "Undo")
    interactions, contacts, reminders = saved(repo)
    assert interactions == 1
    assert list(contacts) == ["Lea"]
    assert not [text for _, _, text in reminders if "meeting" in text]


def test_undo_of_a_plan_gives_a_known_person_back_their_company_and_role(
    coach: Coach, repo: Repository
) -> None:
    with repo.session("u") as store:
        store.save_contact(Contact(id="lea", name="Lea Fischer", company="Globex", role="CTO"))
    coach.handle_text("u", "/log coffee with Lea Fischer")  # met before the plan
    card = coach.handle_text("u", "lunch with Lea Fischer from Initech next week")[0]
    planned = press(coach, "u", card, "Save")
    _, contacts, _ = saved(repo)
    assert contacts["Lea Fischer"].company == "Initech"
    undone = press(coach, "u", planned[0], "Undo")
    assert "Undone" in text_of(undone)
    _, contacts, reminders = saved(repo)
    assert (contacts["Lea Fischer"].company, contacts["Lea Fischer"].role) == ("Globex", "CTO")
    assert not [text for _, _, text in reminders if "lunch" in text]
