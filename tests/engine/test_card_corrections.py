"""Fixing the note card: when, company and role, met or mentioned, details; /log, /cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from support import press, text_of

from bot.domain.model import Contact, FactKind
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

NOTE = (
    "Coffee with Tobias Brandt. He's a designer at Miro and loves sailing. "
    "I offered to introduce him to José."
)


def edit(coach: Coach, card: Reply) -> Reply:
    return press(coach, "u", card, "Edit")[0]


def contacts(repo: TinyRepository) -> dict[str, Contact]:
    with repo.session("u") as store:
        return {c.name: c for c in store.contacts()}


def test_change_when_it_happened(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    ask = press(coach, "u", edit(coach, card), "When:")
    assert "When did you meet" in text_of(ask)
    assert "couldn't read" in text_of(coach.handle_text("u", "next week"))  # not yet happened
    fixed = coach.handle_text("u", "yesterday 3pm")[0]
    assert "yesterday 15:00" in fixed.text  # the user's zone is still UTC
    press(coach, "u", fixed, "Save")

    with repo.session("u") as store:
        [interaction] = list(store.interactions())
    assert interaction.occurred_at == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def test_change_a_persons_company_and_role(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    assert "(new, designer at Miro)" in card.text
    person = press(coach, "u", edit(coach, card), "Person: Tobias")[0]
    assert "Who is <b>Tobias Brandt</b>? (designer at Miro)" in person.text
    press(coach, "u", person, "Company / role")
    fixed = coach.handle_text("u", "Head of Design at Figma")[0]
    assert "(new, Head of Design at Figma)" in fixed.text
    press(coach, "u", fixed, "Save")

    tobias = contacts(repo)["Tobias Brandt"]
    assert (tobias.role, tobias.company) == ("Head of Design", "Figma")


def test_a_company_typed_alone_keeps_the_role_the_note_gave(coach: Coach) -> None:
    card = coach.handle_text("u", "call w dara o'brien (gp) re the clinic pilot")[0]
    person = press(coach, "u", edit(coach, card), "Person: Dara")[0]
    press(coach, "u", person, "Company / role")
    fixed = coach.handle_text("u", "Northside Clinic")[0]
    assert "(new, GP at Northside Clinic)" in fixed.text
    person = press(coach, "u", edit(coach, fixed), "Person: Dara")[0]
    press(coach, "u", person, "Company / role")
    assert "(new)" in coach.handle_text("u", "-")[0].text  # "-" clears both


def test_someone_met_can_be_only_mentioned_and_back(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "Lunch with Ana Silva and Ben Okoro. Ben is moving to Oslo.")[0]
    person = press(coach, "u", edit(coach, card), "Person: Ben")[0]
    moved = press(coach, "u", person, "Only mentioned")[0]
    assert "Mentioned, not met: Ben Okoro" in moved.text
    assert "Oslo" not in moved.text  # what a mentioned person does is not kept
    mentioned = press(coach, "u", edit(coach, moved), "Mentioned: Ben")[0]
    back = press(coach, "u", mentioned, "They were there too")[0]
    assert "Mentioned, not met" not in back.text
    again = press(
        coach, "u", press(coach, "u", edit(coach, back), "Person: Ben")[0], "Only mentioned"
    )[0]
    press(coach, "u", again, "Save")

    with repo.session("u") as store:
        [interaction] = list(store.interactions())
        names = {c.id: c.name for c in store.contacts()}
    assert [names[c] for c in interaction.contact_ids] == ["Ana Silva"]
    assert "Ben Okoro" not in names.values()


def test_add_edit_and_drop_a_detail(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    press(coach, "u", edit(coach, card), "Add a detail")
    added = coach.handle_text("u", "has two kids")[0]
    assert "has two kids" in added.text
    ask = press(coach, "u", edit(coach, added), "Edit: loves sailing")
    assert "instead of “loves sailing”" in text_of(ask)
    edited = coach.handle_text("u", "races dinghies on weekends")[0]
    assert "races dinghies on weekends" in edited.text
    assert "loves sailing" not in edited.text
    dropped = press(coach, "u", edit(coach, edited), "Drop: has two kids")[0]
    assert "has two kids" not in dropped.text
    press(coach, "u", dropped, "Save")

    tobias = contacts(repo)["Tobias Brandt"]
    assert [f.text for f in tobias.facts if f.kind is not FactKind.PROMISE] == [
        "races dinghies on weekends"
    ]


def test_add_a_detail_asks_whom_it_is_about(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "Lunch with Ana Silva and Ben Okoro.")[0]
    whom = press(coach, "u", edit(coach, card), "Add a detail")[0]
    press(coach, "u", whom, "Ben Okoro")
    added = coach.handle_text("u", "plays chess")[0]
    assert "Ben Okoro: plays chess" in added.text


def test_log_shows_the_card_when_unsure_who_was_there(coach: Coach, repo: TinyRepository) -> None:
    unsure = coach.handle_text(
        "u", "/log note to self: ask lena abt the offsite + send Jonas the invoice"
    )
    assert "sure who was there (Lena, Jonas)" in text_of(unsure)
    assert contacts(repo) == {}
    sure = text_of(
        coach.handle_text("u", "/log Coffee with Anna. I offered to introduce her to José.")
    )
    assert "Logged coffee" in sure
    assert list(contacts(repo)) == ["Anna"]


def test_cancel_throws_away_an_open_card(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]

    assert "threw the unsaved note card away" in text_of(coach.handle_text("u", "/cancel"))
    assert "no longer open" in text_of(press(coach, "u", card, "Save"))
    assert contacts(repo) == {}
    assert "Nothing to stop" in text_of(coach.handle_text("u", "/cancel"))


def test_cancel_during_a_typed_fix_throws_the_card_away(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    press(coach, "u", edit(coach, card), "When:")

    assert "threw the unsaved note card away" in text_of(coach.handle_text("u", "/cancel"))
    assert "Here's what I understood" in text_of(coach.handle_text("u", "Coffee with Ana Silva"))


def test_a_bare_number_with_nothing_to_press(coach: Coach) -> None:
    assert "no button to press" in text_of(coach.handle_text("u", "2"))


def test_an_answer_read_as_a_note_is_kept_as_the_answer_in_one_tap(
    coach: Coach, repo: TinyRepository
) -> None:
    logged = coach.handle_text("u", "/log Coffee with Maria Lopez from Acme.")
    assert any("A moment to reflect" in r.text for r in logged)
    card = coach.handle_text(
        "u", "Lunch with her team made me think: Maria Lopez trusted me a lot"
    )[-1]
    assert "Here's what I understood" in card.text
    kept = text_of(press(coach, "u", card, "It was my answer"))

    assert "Kept as your answer" in kept
    with repo.session("u") as store:
        [maria] = store.contacts()
        interactions = list(store.interactions())
    assert any("trusted me a lot" in n for n in maria.notes)
    assert len(interactions) == 1  # the first coffee only


def test_a_note_read_as_an_answer_becomes_a_note_in_one_tap(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text("u", "/log Coffee with Maria Lopez from Acme.")
    kept = coach.handle_text("u", "Priya is launching her app next week")[0]
    assert "That was a new note" in [b.label for row in kept.buttons for b in row]

    card = press(coach, "u", kept, "That was a new note")[-1]
    assert "Here's what I understood" in card.text
    with repo.session("u") as store:
        [maria] = store.contacts()
    assert maria.notes == []


def test_a_reflection_answer_about_a_company_stays_an_answer(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text("u", "/log Coffee with Tobias Brandt, Head of Design at Miro.")
    kept = text_of(coach.handle_text("u", "She told me Miro is reorganising the design team"))

    assert "Here's what I understood" not in kept
    with repo.session("u") as store:
        [tobias] = store.contacts()
    assert any("reorganising" in n for n in tobias.notes)


def test_every_card_and_person_button_fits_a_token(coach: Coach, repo: TinyRepository) -> None:
    """Buttons carry an op and short ids and numbers, so showing them writes nothing."""
    card = coach.handle_text(
        "u", "Lunch with Ana Silva and Ben Okoro. Ben loves chess. I owe Ana the deck."
    )[0]
    menu = edit(coach, card)
    press(coach, "u", menu, "Kind")
    press(coach, "u", menu, "Give/ask")
    press(coach, "u", press(coach, "u", menu, "Person: Ben")[0], "Back")
    press(coach, "u", card, "Save")
    shown = coach.handle_text("u", "/person Ana Silva")[0]
    edits = press(coach, "u", shown, "Edit details")[0]
    press(coach, "u", edits, "Details")
    press(coach, "u", edits, "Keep in touch")

    assert coach.stored_payloads == 0
