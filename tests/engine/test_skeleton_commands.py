"""Every walking-skeleton command through the real engine and a real store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.insight.attention_index import AttentionIndex
from bot.domain.model import FactKind, Tier
from bot.domain.notes import people
from bot.domain.notes.matching import forms_of
from bot.domain.notes.reading import Detail, NoteReading, PersonMention
from bot.domain.reminders.replan_index import ReplanIndex
from bot.engine import lookup
from bot.engine.coach import MAX_TEXT, Coach
from bot.engine.journal import save_reading
from bot.engine.kept import PerUser
from bot.engine.turn import Turn
from bot.storage.tinydb_repository import TinyRepository

MARIA = "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon."


def contacts(repo: TinyRepository, user: str = "u") -> list[str]:
    with repo.session(user) as store:
        return sorted(c.name for c in store.contacts())


def test_start_and_help_list_the_commands(coach: Coach) -> None:
    start = coach.handle_text("u", "/start")
    assert "/log" in start[0].text
    assert "/due" in start[0].text
    assert "time zone" in start[1].text  # asked once, with buttons
    assert start[1].buttons
    help_text = coach.handle_text("u", "/help")[0].text
    for command in ("/log", "/people", "/person", "/due", "/cancel"):
        assert command in help_text


def test_timezone_question_from_start(coach: Coach, repo: TinyRepository) -> None:
    question = coach.handle_text("u", "/start")[1]
    assert "Europe/Berlin" in text_of(press(coach, "u", question, "Berlin"))
    coach.handle_text("u", "/start")
    assert coach.handle_text("u", "/start")[-1].text.startswith("Hi")  # not asked again
    with repo.session("u") as store:
        assert store.profile().timezone == "Europe/Berlin"


def test_typed_timezone_and_a_note_instead(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/start")
    assert "couldn't match" in text_of(coach.handle_text("u", "Atlantis"))
    assert "Asia/Kolkata" in text_of(coach.handle_text("u", "UTC+5:30"))
    coach.handle_text("u", "/start")
    # A new user who answers with a meeting note gets the note card, not an error.
    card = text_of(coach.handle_text("u", "Coffee with Maria Lopez, she is moving to Lisbon"))
    assert "Maria Lopez" in card


def test_log_remembers_and_reuses_the_contact(coach: Coach, repo: TinyRepository) -> None:
    reply = text_of(coach.handle_text("u", MARIA))
    assert "Maria Lopez" in reply
    assert "Berlin marathon" in reply
    coach.handle_text("u", "/log Call with maria lopez about her race plan")
    coach.handle_text("u", "/log Quick call with Maria")
    assert contacts(repo) == ["Maria Lopez"]
    person = text_of(coach.handle_text("u", "/person MARIA"))
    assert "Berlin marathon" in person
    assert "race plan" in person


def test_log_reuses_contact_by_alias(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", MARIA)
    with repo.session("u") as store:
        maria = store.contacts()[0]
        maria.aliases = ["Mia"]
        store.save_contact(maria)
    coach.handle_text("u", "/log Lunch with Mia, talked about Stripe")
    assert contacts(repo) == ["Maria Lopez"]


def test_undo_removes_the_log_and_a_new_contact(coach: Coach, repo: TinyRepository) -> None:
    reply = coach.handle_text("u", MARIA)[0]
    assert "Undone" in text_of(press(coach, "u", reply, "Undo"))
    assert contacts(repo) == []
    assert "already removed" in text_of(press(coach, "u", reply, "Undo"))


def test_undo_keeps_an_existing_contact_and_earlier_facts(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text("u", MARIA)
    second = coach.handle_text("u", "/log Call with Maria Lopez. She is interviewing at Stripe.")[0]
    press(coach, "u", second, "Undo")
    person = text_of(coach.handle_text("u", "/person Maria"))
    assert "Berlin marathon" in person
    assert "Stripe" not in person


def test_log_without_a_person_asks_instead_of_guessing(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "/log great conference today, learned a lot about pricing")[0]
    assert "not sure yet" in card.text
    assert contacts(repo) == []
    question = press(coach, "u", card, "Who was it with")
    assert "name" in text_of(question)
    updated = coach.handle_text("u", "Priya Raman")[0]
    assert "Priya Raman" in updated.text
    saved = text_of(press(coach, "u", updated, "Save"))
    assert "✅ Saved" in saved
    assert contacts(repo) == ["Priya Raman"]


def test_empty_log_starts_the_guided_flow(coach: Coach) -> None:
    reply = text_of(coach.handle_text("u", "/log"))
    assert "who" in reply.lower()


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_message_gets_a_friendly_reply(coach: Coach, text: str) -> None:
    assert "empty" in text_of(coach.handle_text("u", text))


def test_overlong_message_is_refused_whole_and_nothing_is_lost(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text("u", MARIA)
    reply = text_of(coach.handle_text("u", "/log " + "x" * 10_000))
    assert "shorter" in reply
    assert f"{MAX_TEXT:,}" in reply
    assert contacts(repo) == ["Maria Lopez"]


def test_unknown_command_lists_real_ones(coach: Coach) -> None:
    reply = text_of(coach.handle_text("u", "/frobnicate now"))
    assert "/frobnicate" in reply
    assert "/log" in reply


def test_commands_tolerate_bot_suffix_and_case(coach: Coach) -> None:
    assert "What I can do" in text_of(coach.handle_text("u", "/HELP@RapportCoachBot"))


def test_people_lists_most_recent_first_with_buttons(coach: Coach, clock: ManualClock) -> None:
    assert "No one yet" in text_of(coach.handle_text("u", "/people"))
    coach.handle_text("u", "/log Coffee with Tom Becker")
    clock.advance(timedelta(days=2))
    coach.handle_text("u", MARIA)
    reply = coach.handle_text("u", "/people")[0]
    assert reply.text.index("Maria Lopez") < reply.text.index("Tom Becker")
    assert "2 days ago" in reply.text
    assert "Tom Becker" in text_of(press(coach, "u", reply, "Tom Becker"))


def test_last_night_is_yesterday_the_next_evening(coach: Coach, clock: ManualClock) -> None:
    """Seen as a user: dinner last night, 23 hours ago, was listed as "today"."""
    coach.handle_text("u", "/settings timezone Berlin")
    clock.advance(timedelta(hours=9))  # 20:00 in Berlin
    coach.handle_text("u", "/log Dinner with Priya Raman")
    clock.advance(timedelta(hours=23))  # 19:00 the next evening
    assert "· yesterday" in coach.handle_text("u", "/people")[0].text
    assert "Last contact: yesterday" in coach.handle_text("u", "/person Priya")[0].text


def test_back_from_the_edit_menu_redraws_the_card_in_place(coach: Coach) -> None:
    coach.handle_text("u", MARIA)
    card = coach.handle_text("u", "/person Maria")[0]
    menu = press(coach, "u", card, "Edit details")[0]
    (back,) = press(coach, "u", menu, "Back to the card")
    assert back.replaces
    assert "Maria Lopez" in back.text
    (listed,) = coach.handle_text("u", "/people")
    assert not press(coach, "u", listed, "Maria Lopez")[0].replaces


def test_person_unknown_missing_and_ambiguous_names(coach: Coach) -> None:
    assert "I don't know anyone yet" in text_of(coach.handle_text("u", "/person"))
    assert "don't have anyone called" in text_of(coach.handle_text("u", "/person Zed"))
    coach.handle_text("u", "/log Coffee with Maria Lopez from Acme")
    coach.handle_text("u", "/log Call with Maria Chen from Globex")
    choice = coach.handle_text("u", "/person Maria")[0]
    assert "More than one" in choice.text
    assert "Globex" in text_of(press(coach, "u", choice, "Maria Chen"))


def test_tier_buttons_change_the_cadence(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", MARIA)
    card = coach.handle_text("u", "/person Maria")[0]
    assert "30 days" in text_of(press(coach, "u", card, "close"))
    with repo.session("u") as store:
        assert store.contacts()[0].tier is Tier.CLOSE


def test_due_lists_overdue_most_overdue_first(
    coach: Coach, clock: ManualClock, repo: TinyRepository
) -> None:
    assert "Nobody is overdue" in text_of(coach.handle_text("u", "/due"))
    coach.handle_text("u", "/log Coffee with Tom Becker")
    clock.advance(timedelta(days=20))
    coach.handle_text("u", MARIA)
    with repo.session("u") as store:
        for c in store.contacts():
            c.tier = Tier.INNER
            store.save_contact(c)
    clock.advance(timedelta(days=15))
    due = coach.handle_text("u", "/due")[0].text
    assert "Tom Becker" in due
    assert "Maria Lopez" in due
    assert due.index("Tom Becker") < due.index("Maria Lopez")


def test_forget_deletes_after_confirmation(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", MARIA)
    ask = coach.handle_text("u", "/forget Maria")[0]
    assert contacts(repo) == ["Maria Lopez"]
    assert "no longer keep" in text_of(press(coach, "u", ask, "Yes"))
    assert contacts(repo) == []


def test_forgetting_someone_drops_what_due_keeps_of_the_user_in_memory(coach: Coach) -> None:
    [kept] = [
        owner
        for hook in coach.router.on_forget
        if isinstance(owner := getattr(hook, "__self__", None), PerUser)
        and isinstance(owner._make, type)
        and issubclass(owner._make, AttentionIndex)
    ]
    coach.handle_text("u", MARIA)
    coach.handle_text("u", "/due")
    assert "u" in kept  # /due keeps the ranking's index between turns
    assert "u" in coach.router.kept(ReplanIndex)  # the log's replanning, its own
    press(coach, "u", coach.handle_text("u", "/forget Maria")[0], "Yes")
    assert "u" not in kept
    assert "u" not in lookup._INDEX._held  # nor do the lookup's names
    assert "u" not in coach.router.kept(ReplanIndex)  # nor the replanning index
    assert people._known_for.cache_info().currsize == 0  # nor the note reader's names
    assert forms_of.cache_info().currsize == 0
    assert "Maria" not in coach.handle_text("u", "/due")[0].text


def test_forged_and_foreign_buttons_change_nothing(coach: Coach, repo: TinyRepository) -> None:
    alice_log = coach.handle_text("alice", MARIA)[0]
    coach.handle_text("bob", "/log Lunch with Tom Becker")
    ref = alice_log.button_refs()[0]
    assert "expired" in text_of(coach.handle_press("bob", ref))  # Alice's button, Bob's press
    assert "expired" in text_of(coach.handle_press("alice", "made-up-ref"))
    assert "expired" in text_of(coach.handle_press("alice", ""))
    assert contacts(repo, "alice") == ["Maria Lopez"]
    assert contacts(repo, "bob") == ["Tom Becker"]


def test_user_text_is_shown_literally(coach: Coach) -> None:
    reply = text_of(
        coach.handle_text("u", "/log Coffee with Maria Lopez. She said {{ 7*7 }} <b>wow</b>")
    )
    person = text_of(coach.handle_text("u", "/person Maria"))
    for text in (reply, person):
        assert "49" not in text
    assert "{{ 7*7 }}" in person
    assert "&lt;b&gt;wow&lt;/b&gt;" in person
    assert "<b>wow</b>" not in person


@pytest.mark.tinydb_only
def test_corrupt_store_gets_a_clear_reply_and_is_kept(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", MARIA)
    path = repo.data_dir / "users" / "u" / "coach.json"
    path.write_text("{broken")
    reply = text_of(coach.handle_text("u", "/people"))
    assert "coach.json" in reply
    assert "Nothing was changed" in reply
    assert path.read_text() == "{broken"


def test_a_command_moves_on_from_a_one_line_question(coach: Coach, repo: TinyRepository) -> None:
    # After a log the coach asks a reflection question; running a command means
    # the user moved on, so later text is not filed as a late answer.
    log = text_of(coach.handle_text("u", MARIA))
    assert "reflect" in log
    coach.handle_text("u", "/people")
    later = text_of(coach.handle_text("u", "7"))
    assert "Kept in" not in later
    # A bare number with no question open and no button to press says so.
    assert "no button to press" in later
    with repo.session("u") as store:
        maria = next(c for c in store.contacts() if c.name == "Maria Lopez")
    assert all(f.text != "7" for f in maria.facts)


def test_cancel_still_reports_the_question_it_stops(coach: Coach) -> None:
    coach.handle_text("u", MARIA)
    assert "Stopped" in text_of(coach.handle_text("u", "/cancel"))


def test_two_names_for_one_person_make_one_record(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", MARIA)
    with repo.session("u") as store:
        maria = store.contacts()[0]
        turn = Turn(store, coach.templates, coach.router, coach.clock.now())
        reading = NoteReading(
            text="Maria and Maria Lopez",
            people=[PersonMention("Maria", maria.id), PersonMention("Maria Lopez", maria.id)],
            details=[Detail(FactKind.GOAL, "run a sub-4 marathon", "Maria")],
        )
        saved = save_reading(turn, reading)
        assert [c.id for c in saved.contacts] == [maria.id]
        assert saved.interaction.contact_ids == [maria.id]
    assert "sub-4" in text_of(coach.handle_text("u", "/person Maria"))


def test_a_reflection_answer_shows_on_the_person_card(coach: Coach) -> None:
    assert "reflect" in text_of(coach.handle_text("u", MARIA))
    assert "Kept in" in text_of(coach.handle_text("u", "She trusted me with her plan"))
    card = text_of(coach.handle_text("u", "/person Maria"))
    assert "Your notes:" in card
    assert "She trusted me with her plan" in card
