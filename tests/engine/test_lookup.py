"""/person, /suggest, /openers and the note card find a contact however the user names them."""

from __future__ import annotations

import pytest
from support import press, text_of

from bot.domain.model import Contact
from bot.domain.notes.matching import rank_contacts
from bot.engine.coach import Coach
from bot.engine.lookup import ranked
from bot.storage.tinydb_repository import TinyRepository

BOOK = [
    Contact(id="chidi", name="Chidi Okafor"),
    Contact(id="sabine", name="Sabine Müller"),
    Contact(id="jurgen", name="Jürgen Weber", company="Bosch"),
    Contact(id="li", name="Li Na", aliases=["李娜"]),
    Contact(id="bob", name="Robert Fischer"),
    Contact(id="saml", name="Sam Lee"),
    Contact(id="samo", name="Sam Ortiz"),
    Contact(id="ruud", name="Ruud van der Berg"),
]


@pytest.fixture
def book(repo: TinyRepository) -> TinyRepository:
    with repo.session("u") as store:
        for contact in BOOK:
            store.save_contact(contact)
    return repo


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Okafor", "Chidi Okafor"),  # surname
        ("Mr. Okafor", "Chidi Okafor"),  # title and surname
        ("Müller", "Sabine Müller"),
        ("muller", "Sabine Müller"),  # without the accent
        ("Ms. Müller", "Sabine Müller"),
        ("jurgen webber", "Jürgen Weber"),  # a near spelling
        ("李娜", "Li Na"),  # an alias
        ("Bob", "Robert Fischer"),  # another form of the first name
        ("Sam L", "Sam Lee"),  # an initial
        ("van der Berg", "Ruud van der Berg"),  # a surname with particles
    ],
)
def test_person_finds_a_contact_by_any_name(
    coach: Coach, book: TinyRepository, typed: str, name: str
) -> None:
    reply = coach.handle_text("u", f"/person {typed}")[0]

    assert f"<b>{name}</b>" in reply.text
    assert "More than one person" not in reply.text


def test_two_close_matches_are_a_choice(coach: Coach, book: TinyRepository) -> None:
    which = coach.handle_text("u", "/person Sam")[0]

    assert "More than one person" in which.text
    chosen = press(coach, "u", which, "Sam Ortiz")
    assert "Sam Ortiz" in text_of(chosen)


def test_a_man_is_never_ms(coach: Coach, book: TinyRepository) -> None:
    reply = coach.handle_text("u", "/person Mrs. Fischer")[0]

    assert "don't have anyone" in reply.text


@pytest.mark.parametrize("command", ["suggest", "openers"])
def test_suggest_and_openers_use_the_same_matcher(
    coach: Coach, book: TinyRepository, command: str
) -> None:
    reply = text_of(coach.handle_text("u", f"/{command} Mr. Okafor"))

    assert "Chidi" in reply
    assert "don't have anyone" not in reply


def test_the_note_card_links_a_title_and_surname(coach: Coach, book: TinyRepository) -> None:
    card = coach.handle_text("u", "Lunch with Ms. Müller, she is moving to Zurich.")[0]

    assert "<b>Sabine Müller</b> (known)" in card.text


def test_the_kept_name_index_answers_as_the_matcher_does() -> None:
    """Names looked up twice in the same records (the index) rank as rank_contacts ranks them."""
    book = [*BOOK, Contact(id="chidi2", name="chidi okafor"), Contact(id="x", name="Mr Okafor")]
    typed = ["Chidi Okafor", "李娜", "sam lee", "Mr. Okafor", "mr okafor", "Sam", "nobody", ""]
    for _ in range(3):
        for name in typed:
            assert ranked("index-test", name, book) == rank_contacts(name, book), name
    renamed = [*book[:-1], Contact(id="x", name="Chidi Okafor")]
    assert ranked("index-test", "Chidi Okafor", renamed) == rank_contacts("Chidi Okafor", renamed)
    assert ranked("index-test", "Chidi Okafor", renamed) == rank_contacts("Chidi Okafor", renamed)
    samuel = [Contact(id="saml", name="Samuel Lee") if c.id == "saml" else c for c in renamed]
    for _ in range(2):
        for name in ("Sam Lee", "Samuel Lee", "Robert Fischer"):
            assert ranked("index-test", name, samuel) == rank_contacts(name, samuel), name
