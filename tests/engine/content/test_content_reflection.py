"""The after-log reflection question: answer, skip, late replies and mistakes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.content.pillars import Pillar
from bot.domain.model import Contact
from bot.domain.notes import extractor
from bot.domain.notes.people import Found, find_people
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.engine.turn import Turn
from bot.storage.tinydb_repository import TinyRepository

USER = "u1"
NOTE = "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon."


def question_of(replies: list[Reply]) -> Reply:
    return next(r for r in replies if "A moment to reflect" in r.text)


def notes(repo: TinyRepository) -> list[str]:
    with repo.session(USER) as store:
        return [n for c in store.contacts() for n in c.notes]


def test_a_log_ends_with_one_pillar_question(coach: Coach) -> None:
    question = question_of(coach.handle_text(USER, NOTE))
    assert any(p.label in question.text for p in Pillar)
    # The question closes the one message that answers a log, under its Undo.
    assert [b.label for row in question.buttons for b in row] == ["↩ Undo", "Skip"]


def test_the_answer_is_kept_on_the_contact(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, NOTE)
    assert "Maria" in text_of(coach.handle_text(USER, "Introduce her to Sam, he ran Berlin twice"))
    assert notes(repo) == ["Reflection 2026-11-27: Introduce her to Sam, he ran Berlin twice"]


def test_skip_saves_nothing(coach: Coach, repo: TinyRepository) -> None:
    question = question_of(coach.handle_text(USER, NOTE))
    assert "Skipped" in text_of(press(coach, USER, question, "Skip"))
    coach.handle_text(USER, "/help")
    assert notes(repo) == []


def test_questions_rotate_through_pillars(coach: Coach) -> None:
    labels = []
    for _ in range(3):
        text = question_of(coach.handle_text(USER, NOTE)).text
        labels.append(next(p.label for p in Pillar if p.label in text))
        coach.handle_text(USER, "/cancel")
    assert len(set(labels)) == 3


def test_a_late_reply_is_not_taken_as_an_answer(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    coach.handle_text(USER, NOTE)
    clock.advance(timedelta(hours=3))
    coach.handle_text(USER, "Lunch with Tom Reed. He is moving to Lisbon.")
    assert notes(repo) == []


def test_a_new_meeting_note_is_not_taken_as_an_answer(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, NOTE)
    card = text_of(coach.handle_text(USER, "Lunch with Tom Reed. He is moving to Lisbon."))
    assert "Tom Reed" in card
    assert notes(repo) == []


def test_a_new_note_after_the_question_is_read_once(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling it from an answer and showing its card share one reading."""
    if not isinstance(coach.repository, TinyRepository):
        pytest.skip("a store that decodes afresh every time hands out other objects: read twice")
    coach.handle_text(USER, NOTE)
    texts: list[str] = []

    def counted(text: str, contacts: Sequence[Contact]) -> list[Found]:
        texts.append(text)
        return find_people(text, contacts)

    # Every reading of a note, wherever it is read from, looks for people once.
    monkeypatch.setattr(extractor, "find_people", counted)
    card = text_of(coach.handle_text(USER, "Lunch with Tom Reed. He is moving to Lisbon."))
    assert "Tom Reed" in card
    assert texts == ["Lunch with Tom Reed. He is moving to Lisbon."]


def test_a_note_read_again_after_a_contact_is_saved_is_read_afresh(coach: Coach) -> None:
    coach.handle_text(USER, NOTE)
    with coach.repository.session(USER) as store:
        turn = Turn(store, coach.templates, coach.router, coach.clock.now())
        first = turn.read_note("Lunch with Tom Reed.")
        if isinstance(coach.repository, TinyRepository):  # one object per record: kept
            assert turn.read_note("Lunch with Tom Reed.") is first
        [maria] = store.contacts()
        maria.aliases = ["Tom Reed"]  # now he is someone known
        store.save_contact(maria)
        again = turn.read_note("Lunch with Tom Reed.")
    assert first.people[0].contact_id is None
    assert again.people[0].contact_id == maria.id


def test_a_new_note_sent_by_mistake_can_be_taken_back(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, NOTE)
    saved = coach.handle_text(USER, "Tom Reed is moving to Lisbon, worth telling Maria")
    assert notes(repo)
    press(coach, USER, saved[0], "new note")
    assert notes(repo) == []
    # Pressing it twice changes nothing more.
    press(coach, USER, saved[0], "new note")
    assert notes(repo) == []


def test_an_overlong_answer_is_refused_and_the_question_stays(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, NOTE)
    assert "longer" in text_of(coach.handle_text(USER, "x" * 1500))
    coach.handle_text(USER, "Short answer")
    assert notes(repo) == ["Reflection 2026-11-27: Short answer"]


def test_typing_skip_is_a_skip(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, NOTE)
    assert "Skipped" in text_of(coach.handle_text(USER, "skip"))
    assert notes(repo) == []


@pytest.mark.parametrize("typed", ["save", "Save", "ok", "thanks!", "👍"])
def test_a_button_label_or_a_nod_typed_is_no_reflection(
    coach: Coach, repo: TinyRepository, typed: str
) -> None:
    coach.handle_text(USER, NOTE)
    assert "Skipped" in text_of(coach.handle_text(USER, typed))
    assert notes(repo) == []


def test_undo_typed_points_at_the_button_and_undo_ends_the_question(
    coach: Coach, repo: TinyRepository
) -> None:
    question = question_of(coach.handle_text(USER, NOTE))
    assert "tap ↩ Undo above" in text_of(coach.handle_text(USER, "undo"))
    press(coach, USER, question, "↩ Undo")
    # The log is gone, so a line typed now is no reflection on it.
    assert "Kept in" not in text_of(coach.handle_text(USER, "she really opened up today"))
    assert notes(repo) == []


def test_two_people_one_question_about_the_first(coach: Coach, repo: TinyRepository) -> None:
    replies = coach.handle_text(USER, "/log Lunch with Maria Lopez and Tom Reed. She loves chess.")
    question = question_of(replies).text
    assert "Maria" in question
    coach.handle_text(USER, "Ask Maria about her chess club")
    with repo.session(USER) as store:
        by_name = {c.first_name: c.notes for c in store.contacts()}
    assert by_name["Maria"]
    assert by_name["Tom"] == []


def test_a_question_the_note_already_answered_is_not_asked(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.engine.content import reflection

    monkeypatch.setattr(reflection, "next_pillar", lambda turn: Pillar.TRUST)
    for n in range(8):  # the two trust questions alternate by meeting: both come up
        note = f"/log Coffee with Maria Lopez. I'll send her the deck {n} by Friday."
        question = question_of(coach.handle_text(USER, note)).text
        assert "Did you promise" not in question
        assert "trust you with" in question
        coach.handle_text(USER, "/cancel")


def test_without_a_promise_the_promise_question_stays_askable(coach: Coach) -> None:
    from types import SimpleNamespace

    from bot.domain.notes.reading import DatedItem, NoteReading
    from bot.engine.content.reflection import _answered

    turn: Any = SimpleNamespace(templates=coach.templates)  # all _answered reads
    name = "reflection/02-trust.txt.j2"
    assert not _answered(turn, name, NoteReading("Coffee with Maria."))
    promised = NoteReading("…", promises=[DatedItem("send the deck", person="Maria")])
    assert _answered(turn, name, promised)
    assert not _answered(turn, "reflection/01-trust.txt.j2", promised)
