"""Typed memory: a note's detail worded once, in every form a message can use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from support import forms

from bot.domain.memory.memory import phrase_of, promised, recall, remember
from bot.domain.memory.phrase import Form, Phrase, Timing, Told, timing_of
from bot.domain.memory.wording import Birthday, RoleAt, word_detail
from bot.domain.model import Contact, Fact, FactKind
from bot.storage.records import from_record, to_record

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
TODAY = NOW.date()


def test_she_loves_x_is_the_interest_x() -> None:
    phrase = forms(FactKind.INTEREST, "loves bouldering")
    assert phrase.noun == "bouldering"
    assert phrase.clause == "you love bouldering"
    assert forms(FactKind.INTEREST, "into trail running").noun == "trail running"
    assert forms(FactKind.INTEREST, "a huge Bayern fan").noun == "Bayern"


def test_an_event_has_a_noun_a_gerund_and_clauses_in_both_tenses() -> None:
    phrase = forms(FactKind.EVENT, "training for the Berlin marathon")
    assert phrase.gerund == "training for the Berlin marathon"
    assert phrase.words(Form.CLAUSE, Timing.AHEAD) == "you're training for the Berlin marathon"
    interview = forms(FactKind.EVENT, "interviewing at Stripe")
    assert interview.noun == "the interview at Stripe"
    assert interview.words(Form.CLAUSE, Timing.JUST_HAPPENED) == "you interviewed at Stripe"
    assert forms(FactKind.EVENT, "runs the Berlin marathon").noun == "the Berlin marathon"
    assert forms(FactKind.EVENT, "presenting at KubeCon").noun == "your talk at KubeCon"
    assert forms(FactKind.EVENT, "hosting a fundraiser").noun == "your fundraiser"
    assert forms(FactKind.EVENT, "wedding is").noun == "your wedding"


def test_introduce_him_to_zoe_is_the_promise_an_intro_to_zoe() -> None:
    phrase = promised("introduce him to Zoë")
    assert phrase.noun == "an intro to Zoë"
    assert phrase.verb == "introduce you to Zoë"
    assert promised("introduce to José Ramírez").noun == "an intro to José Ramírez"
    assert promised("send her the podcast link").noun == "the podcast link"
    assert promised("send her the podcast link").verb == "send you the podcast link"


def test_a_promise_a_message_cannot_carry_has_no_noun() -> None:
    assert promised("Send flowers").noun == ""
    assert promised("check in with her").verb == "check in with you"


def test_a_card_posted_is_posted_to_them_and_a_role_posted_goes_up_somewhere() -> None:
    # "i'll post hamish a get well card": was "post a get well card with you".
    assert promised("post a get well card").verb == "post you a get well card"
    assert promised("post the role on linkedin").verb == "post the role on linkedin"
    assert promised("pass the deck").verb == "pass you the deck"
    assert promised("share the deck").verb == "share the deck with you"
    assert promised("thank him properly").empty


def test_help_reads_as_what_they_did() -> None:
    phrase = forms(FactKind.HELPED_ME, "introduced me to their CTO, so helpful")
    assert phrase.gerund == "introducing me to your CTO"
    assert phrase.noun == "the intro to your CTO"
    assert forms(FactKind.HELPED_ME, "the intro to Sam").noun == "the intro to Sam"


def test_a_goal_is_worded_as_a_plan_not_a_clause_fragment() -> None:
    phrase = forms(FactKind.GOAL, "wants to move into product")
    assert phrase.noun == "your plan to move into product"
    assert phrase.gerund == "moving into product"
    assert phrase.verb == "move into product"
    thinking = forms(FactKind.GOAL, "thinking about leaving SAP to join a startup")
    assert thinking.noun == ""  # never "approaching thinking about..."
    assert thinking.gerund == "leaving SAP to join a startup"
    assert thinking.clause == "you're thinking about leaving SAP to join a startup"


def test_birthdays_and_roles_are_never_details() -> None:
    assert isinstance(word_detail(FactKind.EVENT, "birthday is"), Birthday)
    assert isinstance(word_detail(FactKind.OTHER, "Her birthday is March 20"), Birthday)
    role = word_detail(FactKind.WORK, "CPO at Paystack")
    assert role == RoleAt("CPO", "Paystack")
    promoted = word_detail(FactKind.WORK, "promoted to VP of Engineering at Initech")
    assert isinstance(promoted, RoleAt)
    assert promoted.company == "Initech"
    assert promoted.news is not None
    assert promoted.news.noun == "your promotion to VP of Engineering"


def test_third_person_becomes_second_person() -> None:
    assert promised("feedback on her talk").noun == "feedback on your talk"
    assert (
        forms(FactKind.FAMILY, "daughter starts college").clause == "your daughter starts college"
    )
    assert "he" not in forms(FactKind.FAMILY, "wife thinks he's mad").clause.split()


def test_leftovers_never_make_a_form() -> None:
    assert forms(FactKind.EVENT, "starts").empty
    assert forms(FactKind.EVENT, "presentng at pycon").noun == ""
    assert forms(FactKind.EVENT, "team ships the new API apparently, no idea").noun == ""


def test_timing_by_date_and_by_how_it_was_told() -> None:
    ahead = Phrase(noun="the move", told=Told.AHEAD)
    learned = NOW - timedelta(days=2)
    assert timing_of(ahead, on=date(2026, 12, 20), learned_at=learned, now=NOW, today=TODAY) is (
        Timing.AHEAD
    )
    assert timing_of(ahead, on=date(2026, 11, 20), learned_at=learned, now=NOW, today=TODAY) is (
        Timing.JUST_HAPPENED
    )
    assert timing_of(ahead, on=date(2026, 9, 1), learned_at=learned, now=NOW, today=TODAY) is (
        Timing.PAST
    )
    # Undated: ahead for two weeks, then nobody knows, so nothing says how it went.
    late = NOW + timedelta(days=30)
    assert timing_of(ahead, on=None, learned_at=learned, now=late, today=late.date()) is (
        Timing.ONGOING
    )
    behind = remember(FactKind.EVENT, "moving to Peru", past=True)
    assert isinstance(behind, Phrase)
    assert behind.told is Told.BEHIND


def test_old_facts_without_a_phrase_are_worded_on_read() -> None:
    old = Fact(FactKind.INTEREST, "loves bouldering", NOW - timedelta(days=1))
    assert phrase_of(old).noun == "bouldering"
    record = to_record(old)
    del record["phrase"]
    loaded = from_record(Fact, record)
    assert loaded.phrase is None
    contact = Contact(id="c", name="Sofia Reyes", facts=[loaded])
    (detail,) = recall(contact, now=NOW, today=TODAY)
    assert detail.phrase.noun == "bouldering"
    assert detail.timing is Timing.ONGOING


def test_a_typed_phrase_survives_the_store_codec() -> None:
    fact = Fact(FactKind.EVENT, "x", NOW, phrase=Phrase(noun="the move", told=Told.AHEAD))
    assert from_record(Fact, to_record(fact)) == fact


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🎉🎉", "x" * 5000, "\udcff broken", "her her her", "is is", "the"],
)
def test_odd_input_never_raises(text: str) -> None:
    for kind in FactKind:
        word_detail(kind, text)


def test_leaving_a_firm_is_their_move_from_it() -> None:
    assert forms(FactKind.EVENT, "leaving Typeform to do a masters").noun == (
        "your move from Typeform to do a masters"
    )
    assert forms(FactKind.EVENT, "leaving for Lisbon").noun == "the move to Lisbon"


def test_someone_named_by_initials_is_greeted_by_surname() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)

    assert Contact(id="a", name="K. S. Anand", created_at=now).first_name == "Anand"
    assert Contact(id="b", name="Mr. Okafor", created_at=now).first_name == "Mr. Okafor"
    assert Contact(id="c", name="Tom Becker", created_at=now).first_name == "Tom"
