"""The confirmation card: nothing saved until Save, and every part fixable in a tap or two."""

from __future__ import annotations

from datetime import date

import pytest
from support import press, text_of

from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

NOTE = (
    "Lunch with Tom Becker and Priya (Globex) — Tom's daughter starts college in September, "
    "Priya is presenting at KubeCon next Thursday. Tom introduced me to their CTO, so grateful. "
    "I owe Priya feedback on her talk by Monday."
)


def names(repo: TinyRepository, user: str = "u") -> list[str]:
    with repo.session(user) as store:
        return sorted(c.name for c in store.contacts())


def test_the_issue_example_is_understood_and_saved_only_on_save(
    coach: Coach, repo: TinyRepository
) -> None:
    card = coach.handle_text("u", NOTE)[0]
    for part in (
        "Tom Becker",
        "Priya",
        "lunch",
        "presenting at KubeCon",
        "Thu 3 Dec",
        "feedback on her talk",
        "Mon 30 Nov",
        "introduced me to their CTO",
        "(September 2027, no day yet)",
    ):
        assert part in card.text
    assert names(repo) == []
    saved = text_of(press(coach, "u", card, "Save"))
    assert "Saved: lunch" in saved
    assert names(repo) == ["Priya", "Tom Becker"]
    # The card is gone: its buttons are stale now and change nothing.
    assert "no longer open" in text_of(press(coach, "u", card, "Save"))
    assert names(repo) == ["Priya", "Tom Becker"]


def test_cancel_saves_nothing(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    assert "didn't save" in text_of(press(coach, "u", card, "Cancel"))
    assert names(repo) == []


def edit_menu(coach: Coach, card: Reply) -> Reply:
    return press(coach, "u", card, "Edit")[0]


def test_drop_an_item_then_old_buttons_are_stale(coach: Coach) -> None:
    card = coach.handle_text("u", NOTE)[0]
    menu = edit_menu(coach, card)
    updated = press(coach, "u", menu, "Drop: introduced me")[0]
    assert "introduced me to their CTO" not in updated.text
    assert "presenting at KubeCon" in updated.text
    # A button from the older revision can't drop the wrong item now.
    assert "no longer open" in text_of(press(coach, "u", menu, "Drop: presenting"))
    labels = [b.label for row in edit_menu(coach, updated).buttons for b in row]
    assert "Drop: presenting at KubeCon" in labels


def test_change_a_date_and_refuse_a_bad_one(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", NOTE)[0]
    ask = press(coach, "u", edit_menu(coach, card), "Date: daughter starts")
    assert "What date" in text_of(ask)
    assert "couldn't read" in text_of(coach.handle_text("u", "whenever Smarch ends"))
    fixed = coach.handle_text("u", "1 September 2027")[0]
    assert "(Wed 1 Sep 2027)" in fixed.text
    assert "no day yet" not in fixed.text
    press(coach, "u", fixed, "Save")
    with repo.session("u") as store:
        tom = next(c for c in store.contacts() if c.name == "Tom Becker")
    assert date(2027, 9, 1) in [f.on for f in tom.facts]


def test_change_the_kind(coach: Coach) -> None:
    card = coach.handle_text("u", NOTE)[0]
    kinds = press(coach, "u", edit_menu(coach, card), "Kind: lunch")[0]
    assert "What: video call" in press(coach, "u", kinds, "video call")[0].text


def test_pick_between_two_contacts_of_the_same_name(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/log Coffee with Maria Lopez from Acme")
    coach.handle_text("u", "/log Call with Maria Chen from Globex")
    card = coach.handle_text("u", "/log Lunch with Maria, she starts at Stripe next Monday")[0]
    assert "which one?" in card.text
    assert "Tell me which one" in press(coach, "u", card, "Save")[0].text
    which = press(coach, "u", card, "Which Maria")[0]
    chosen = press(coach, "u", which, "Maria Chen")[0]
    assert "Maria Chen</b> (known)" in chosen.text
    press(coach, "u", chosen, "Save")
    assert names(repo) == ["Maria Chen", "Maria Lopez"]
    assert "Stripe" in text_of(coach.handle_text("u", "/person Maria Chen"))
    assert "Stripe" not in text_of(coach.handle_text("u", "/person Maria Lopez"))


def test_rename_a_person_by_typing(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "Coffee with Jon, he is hiring a designer")[0]
    person = press(coach, "u", edit_menu(coach, card), "Person: Jon")[0]
    ask = press(coach, "u", person, "Type another name")
    assert "name" in text_of(ask)
    renamed = coach.handle_text("u", "Jonathan Ive")[0]
    assert "Jonathan Ive" in renamed.text
    press(coach, "u", renamed, "Save")
    assert names(repo) == ["Jonathan Ive"]


def test_a_new_note_replaces_the_unsaved_card(coach: Coach, repo: TinyRepository) -> None:
    first = coach.handle_text("u", "Coffee with Ana Silva")[0]
    second = coach.handle_text("u", "Call with Ben Okoro")[0]
    assert "replaces your unsaved note: “Coffee with Ana Silva”" in second.text
    assert "no longer open" in text_of(press(coach, "u", first, "Save"))
    assert names(repo) == []


def test_hostile_text_on_the_card_is_shown_literally(coach: Coach) -> None:
    card = coach.handle_text("u", "Coffee with Ana Silva <script>x</script> {{ 7*7 }}")[0]
    assert "<script>" not in card.text
    assert "49" not in card.text


@pytest.mark.parametrize("text", ["thanks!", "ok", "hi", "cool 👍", "good morning", "sounds good"])
def test_small_talk_gets_a_word_back_not_a_card(
    coach: Coach, repo: TinyRepository, text: str
) -> None:
    [reply] = coach.handle_text("u", text)
    assert "Here's what I understood" not in reply.text
    assert not reply.buttons
    assert "/log" in reply.text or "/help" in reply.text
    with repo.session("u") as store:
        assert store.state("card") is None
    assert names(repo) == []


def test_small_talk_leaves_an_open_card_alone(coach: Coach) -> None:
    card = coach.handle_text("u", NOTE)[0]
    assert "welcome" in text_of(coach.handle_text("u", "thanks!"))
    assert "Saved: lunch" in text_of(press(coach, "u", card, "Save"))


def test_a_note_without_a_person_still_opens_the_card(coach: Coach) -> None:
    [card] = coach.handle_text("u", "had lunch, she's moving to Oslo in May")
    assert "Who was it with?" in str(card.buttons)


def test_a_month_alone_is_that_month_and_asked_about_after_it(
    coach: Coach, repo: TinyRepository
) -> None:
    # The clock says Friday 27 November 2026.
    card = coach.handle_text("u", "call w/ Anna Berg. she's running berlin in march!")[0]
    assert "running Berlin (March 2027, no day yet)" in card.text
    press(coach, "u", card, "Save")
    with repo.session("u") as store:
        anna = next(c for c in store.contacts() if c.name == "Anna Berg")
        asks = [r for r in store.reminders() if r.kind.value == "ask how it went"]
    [event] = [f for f in anna.facts if f.kind.value == "event"]
    assert (event.text, event.on) == ("running Berlin in March", None)  # no made-up day
    # Asked how it went once March is over, not on the 2nd.
    assert [r.due_at.date() for r in asks] == [date(2027, 4, 1)]


def test_the_card_shows_a_time_of_day_only_when_the_note_gave_one(coach: Coach) -> None:
    # The clock says Friday 27 November 2026, 10:00 UTC (11:00 in Berlin).
    coach.handle_text("u", "/settings timezone Berlin")
    card = coach.handle_text("u", "lunch with Priya Raman today, she loves bouldering")[0]
    assert "What: lunch, today\n" in card.text  # no made-up "today 11:00"
    coach.handle_text("u", "/cancel")
    card = coach.handle_text("u", "coffee w tom becker yesterday at 3pm. he is off to japan")[0]
    assert "What: coffee, yesterday 15:00" in card.text
    logged = press(coach, "u", card, "Save")
    assert "yesterday 15:00" in text_of(logged)


def test_a_time_said_in_the_opening_clause_is_todays(coach: Coach) -> None:
    coach.handle_text("u", "/settings timezone Berlin")
    card = coach.handle_text("u", "coffee with Ben Okafor at 9:30, he's hiring")[0]
    assert "What: coffee, today 09:30" in card.text


def test_a_promise_made_before_christmas_is_shown_and_planned_by_christmas_eve(
    coach: Coach, repo: TinyRepository
) -> None:
    note = "Coffee with Zeynep Arslan, I'll set up a chat w Trish b4 xmas"
    card = coach.handle_text("u", note)[0]
    assert "set up a chat w Trish (by Thu 24 Dec)" in card.text
    assert "date unclear" not in card.text
    saved = text_of(press(coach, "u", card, "Save"))
    assert "Zeynep Arslan</b>: set up a chat with Trish (due Thu 24 Dec)" in saved
    with repo.session("u") as store:
        (promise,) = [r for r in store.reminders() if r.kind.value == "promise"]
    assert promise.on == date(2026, 12, 24)
