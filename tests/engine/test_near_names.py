"""A name close to a known contact's is put to the user, never filed under them silently."""

from __future__ import annotations

import pytest
from support import press, text_of

from bot.domain.model import Contact
from bot.engine.coach import Coach
from bot.storage.repository import Repository

KNOWN = [
    Contact(id="dana", name="Dana Whitfield", company="Stripe"),
    Contact(id="john", name="John Carter"),
    Contact(id="maria", name="Maria Lopez"),
]


@pytest.fixture
def known(repo: Repository) -> Repository:
    with repo.session("u") as store:
        for contact in KNOWN:
            store.save_contact(contact)
    return repo


def people(repo: Repository) -> dict[str, Contact]:
    with repo.session("u") as store:
        return {c.name: c for c in store.contacts()}


def interactions(repo: Repository) -> int:
    with repo.session("u") as store:
        return len(list(store.interactions()))


@pytest.mark.parametrize(
    ("note", "typed", "guess"),
    [
        ("coffee w/ dan, he just joined stripe as a PM", "Dan", "Dana Whitfield"),
        ("quick call with jon about the offsite budget", "Jon", "John Carter"),
        ("drinks w/ mara from the climate meetup", "Mara", "Maria Lopez"),
    ],
)
def test_the_card_asks_and_someone_new_stays_new(
    coach: Coach, known: Repository, note: str, typed: str, guess: str
) -> None:
    card = coach.handle_text("u", note)[0]
    assert f"<b>{typed}</b> (is this {guess}, or someone new?)" in card.text
    # Save can't file it under anyone before the user says who it is.
    assert "which one you mean" in text_of(press(coach, "u", card, "Save"))
    assert interactions(known) == 0

    assert "Saved" not in text_of(press(coach, "u", card, f"Someone new: {typed}"))
    assert interactions(known) == 0
    assert people(known)[guess].last_interaction_at is None


def test_the_guess_is_one_tap(coach: Coach, known: Repository) -> None:
    card = coach.handle_text("u", "coffee w/ dan, he just joined stripe as a PM")[0]
    picked = press(coach, "u", card, "Dana Whitfield")[0]
    assert "Dana Whitfield</b> (known" in picked.text
    assert "Saved" in text_of(press(coach, "u", picked, "Save"))
    assert people(known)["Dana Whitfield"].last_interaction_at is not None
    assert "Dan" not in people(known)


def test_someone_new_is_saved_as_a_new_contact(coach: Coach, known: Repository) -> None:
    card = coach.handle_text("u", "coffee w/ dan, he just joined stripe as a PM")[0]
    fixed = press(coach, "u", card, "Someone new: Dan")[0]
    assert "<b>Dan</b> (new" in fixed.text
    press(coach, "u", fixed, "Save")
    book = people(known)
    assert book["Dan"].last_interaction_at is not None
    assert book["Dana Whitfield"].last_interaction_at is None


def test_log_shows_the_card_instead_of_saving_a_guess(coach: Coach, known: Repository) -> None:
    card = coach.handle_text("u", "/log lunch with mara, she loves sailing")[0]
    assert "is this Maria Lopez, or someone new?" in card.text
    assert interactions(known) == 0


def test_the_full_name_or_first_name_is_filed_and_shown(coach: Coach, known: Repository) -> None:
    card = coach.handle_text("u", "coffee w/ dana, she's leaving stripe")[0]
    assert "<b>Dana Whitfield</b> (known" in card.text
    assert "Someone new" not in str(card.buttons)
