"""Typed memory for what a read of fresh drafts found broken.

Their help worded as theirs, an intro that keeps who is introduced, a plan
told as an interest that is still a plan, a pastime being taken up that is
not expertise, a plural thing that is more than one, and facts saved by
older wording rules worded again when read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support import forms

from bot.domain.memory.memory import (
    is_intro,
    phrase_of,
    promised,
    recall,
    remember,
    still_learning,
)
from bot.domain.memory.morphology import plural
from bot.domain.memory.phrase import Form, Phrase, Told
from bot.domain.memory.wording import WORDING_VERSION, RoleAt, clean, settled_kind, word_detail
from bot.domain.model import Contact, Fact, FactKind
from bot.storage.records import from_record, to_record

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_help_has_forms_that_say_it_was_theirs() -> None:
    prep = forms(FactKind.HELPED_ME, "helped me prep for my board presentation")
    assert prep.noun == "your help preparing for my board presentation"
    assert prep.clause == "you helped me prep for my board presentation"
    # The gerund is for "thank you for ..." only; templates elsewhere ask for noun or clause.
    assert prep.gerund == "helping me prep for my board presentation"


@pytest.mark.parametrize(
    ("note", "noun", "clause"),
    [
        (
            "helped me a ton with my visa application",
            "your help with my visa application",
            "you helped me with my visa application",
        ),
        (
            "helped me out so much with the move to Lisbon, even found me a flat",
            "your help with the move to Lisbon",
            "you helped me with the move to Lisbon",
        ),
        (
            "gave me a hand with reviewing our onboarding flow",
            "your help with reviewing our onboarding flow",
            "you gave me a hand with reviewing our onboarding flow",
        ),
        (
            "coached me through my first board meeting",
            "your help with my first board meeting",
            "you coached me through my first board meeting",
        ),
        (
            "helped me debug our Kubernetes setup over lunch",
            "your help debugging our Kubernetes setup",
            "you helped me debug our Kubernetes setup",
        ),
    ],
)
def test_help_however_phrased_loses_the_notes_adverbs(note: str, noun: str, clause: str) -> None:
    phrase = forms(FactKind.HELPED_ME, note)
    assert phrase.noun == noun
    assert phrase.clause == clause
    for words in (phrase.noun, phrase.gerund, phrase.clause):
        for adverb in ("a ton", "so much", "over lunch"):
            assert adverb not in words


def test_help_with_no_thing_of_its_own_has_no_noun() -> None:
    out = forms(FactKind.HELPED_ME, "helped me out")
    assert out.noun == ""  # "remember your help?" says nothing
    assert out.gerund == "helping me out"
    walk = forms(FactKind.HELPED_ME, "walked me through how to negotiate my offer")
    assert walk.noun == ""
    assert walk.clause == "you walked me through how to negotiate my offer"


@pytest.mark.parametrize(
    ("promise", "verb", "who"),
    [
        ("put in touch with Maria", "put you in touch with Maria", "Maria"),
        ("put him in touch with Maria", "put you in touch with Maria", "Maria"),
        ("set up with Wei, who did it last year", "introduce you to Wei", "Wei"),
        ("hook up with Priya, who made the same switch", "introduce you to Priya", "Priya"),
        (
            "get in touch with my accountant friend Tomasz",
            "get you in touch with my accountant friend Tomasz",
            "my accountant friend Tomasz",
        ),
        ("connect with Maria about a guest slot on the podcast", "connect you with Maria", "Maria"),
        ("introduce to Grace, who runs one in Toronto", "introduce you to Grace", "Grace"),
        ("intro to my old boss at Stripe", "introduce you to my old boss at Stripe", "my old boss"),
    ],
)
def test_an_intro_promise_keeps_who_is_introduced(promise: str, verb: str, who: str) -> None:
    phrase = promised(promise)
    assert phrase.verb == verb
    assert phrase.noun.startswith(f"an intro to {who}")
    assert is_intro(phrase)


def test_an_intro_keeps_its_purpose_while_short() -> None:
    phrase = promised("put in touch with Maria re the logistics partnership")
    assert phrase.verb == "put you in touch with Maria re the logistics partnership"
    assert phrase.noun == "an intro to Maria"


def test_a_promise_names_its_recipient_as_you() -> None:
    phrase = promised("introduce Aisha to Maria for a guest slot", to="Aisha")
    assert phrase.verb == "introduce you to Maria for a guest slot"
    # Said to someone else, the note's words stand.
    assert promised("introduce Aisha to Maria", to="Maria").verb == "introduce Aisha to Maria"


@pytest.mark.parametrize(
    ("promise", "verb"),
    [
        ("take to lunch", "take you to lunch"),
        ("invite to the offsite", "invite you to the offsite"),
        ("take you to lunch", "take you to lunch"),
        ("review CV", "review your CV"),
        ("send the deck", "send you the deck"),
    ],
)
def test_a_promise_keeps_its_object(promise: str, verb: str) -> None:
    assert promised(promise).verb == verb


def test_a_promise_about_it_or_them_names_nothing() -> None:
    assert promised("review them").empty


@pytest.mark.parametrize(
    ("kind", "text", "settled"),
    [
        (FactKind.INTEREST, "considering a move into product management", FactKind.GOAL),
        (FactKind.INTEREST, "training for the Berlin marathon in September", FactKind.GOAL),
        (FactKind.INTEREST, "learning Portuguese for a move to Lisbon", FactKind.GOAL),
        (FactKind.OTHER, "wants to write a textbook on causal inference", FactKind.GOAL),
        (FactKind.OTHER, "loves woodworking", FactKind.INTEREST),
        (FactKind.INTEREST, "trying to get into climbing", FactKind.INTEREST),
        (FactKind.INTEREST, "learning the cello", FactKind.INTEREST),
        (FactKind.WORK, "leads the ML team at Zalando", FactKind.WORK),
        (FactKind.EVENT, "wants to run a marathon", FactKind.EVENT),  # the reader's dated event
    ],
)
def test_a_kind_settles_by_what_the_words_say(kind: FactKind, text: str, settled: FactKind) -> None:
    assert settled_kind(kind, text) is settled


def test_recall_gives_the_settled_kind_and_the_card_keeps_its_own() -> None:
    fact = Fact(FactKind.INTEREST, "considering a move into product management", NOW)
    contact = Contact(id="g", name="Grace Kim", facts=[fact])
    (detail,) = recall(contact, now=NOW + timedelta(hours=1), today=NOW.date())
    assert detail.kind is FactKind.GOAL
    assert detail.phrase.noun == "your move into product management"
    assert contact.facts[0].kind is FactKind.INTEREST


def test_something_being_taken_up_is_not_something_known() -> None:
    assert still_learning(forms(FactKind.INTEREST, "getting into woodworking"))
    assert still_learning(forms(FactKind.INTEREST, "been learning the cello for a year"))
    assert not still_learning(forms(FactKind.INTEREST, "loves woodworking"))
    assert not still_learning(forms(FactKind.INTEREST, "plays in a jazz band on weekends"))


def test_a_pastime_told_as_a_hobby_is_the_pastime() -> None:
    phrase = forms(FactKind.INTEREST, "big hobby is birdwatching")
    assert phrase.noun == "birdwatching"
    assert forms(FactKind.INTEREST, "plays in a jazz band on weekends").words(Form.NOUN) == (
        "playing in a jazz band"
    )


@pytest.mark.parametrize(
    ("noun", "many"),
    [
        ("my German tutor's details", True),
        ("two names", True),
        ("my notes on public speaking", True),
        ("the recording of the Ysaÿe concert", False),
        ("the podcast link", False),
        ("feedback on the deck", False),
        ("the news", False),
        ("Kubernetes", False),
    ],
)
def test_plural_tells_more_than_one_thing(noun: str, many: bool) -> None:
    assert plural(noun) is many


def test_a_fact_worded_by_older_rules_is_worded_again_on_read() -> None:
    text = "helped me a ton with my visa application"
    saved = Fact(
        FactKind.HELPED_ME,
        text,
        NOW,
        phrase=Phrase(gerund="helping me a ton with my visa application", told=Told.BEHIND),
    )
    record = to_record(saved)
    del record["phrase"]["version"]  # as a file written before phrases were versioned
    loaded = from_record(Fact, record)
    assert loaded.phrase is not None
    assert loaded.phrase.version == 0
    again = phrase_of(loaded)
    assert again.noun == "your help with my visa application"
    assert again.told is Told.BEHIND
    current = remember(FactKind.HELPED_ME, text)
    assert isinstance(current, Phrase)
    assert current.version == WORDING_VERSION
    kept = Fact(FactKind.HELPED_ME, text, NOW, phrase=current)
    assert phrase_of(kept) is current


@pytest.mark.parametrize(
    ("note", "words"),
    [
        ("helped me sooo much w/ the survey analysis", "helped me with the survey analysis"),
        ("she loves sourdough lol", "she loves sourdough"),
        ("big into padel haha", "big into padel"),
        ("talked abt the offsite w/o notes", "talked about the offsite without notes"),
        ("walked me thru the hiring playbook", "walked me through the hiring playbook"),
        ("walked me thru her playbook for an hr", "walked me through her playbook"),
        ("moving to munich w his wife", "moving to munich with his wife"),
        ("plan w 2 kids", "plan w 2 kids"),
        ("doing her phd after an mba", "doing her PhD after an MBA"),
        ("look over her cv", "look over her CV"),  # not "with" before a figure: it may be a unit
        # Where the reader gave the company its capitals, a title still gets its own.
        ("promoted to coo at Yoco", "promoted to COO at Yoco"),
        ("leaving Adyen to do an mba", "leaving Adyen to do an MBA"),
        ("building the Acme cv parser", "building the Acme cv parser"),  # "cv" may be a word
    ],
)
def test_phone_shorthand_and_laughter_never_reach_a_draft(note: str, words: str) -> None:
    assert clean(note) == words


@pytest.mark.parametrize("note", ["promoted to VP eng", "just got promoted to VP eng!!"])
def test_a_promotion_to_an_unlisted_title_is_still_news(note: str) -> None:
    """Found as a user: "just got promoted to VP eng" left no draft at all."""
    worded = remember(FactKind.WORK, note)
    assert isinstance(worded, RoleAt)
    assert worded.news is not None
    assert worded.news.noun == "your promotion to VP eng"


@pytest.mark.parametrize(
    "detail",
    [
        "head of data at bbva",
        "founder of an invoicing app for freelancers",
        "interim cfo at a bakery",
    ],
)
def test_a_job_title_with_what_it_is_of_is_a_role_never_a_topic(detail: str) -> None:
    """Found on a blind batch: "I've picked up a few useful things about head of data at bbva"."""
    assert isinstance(word_detail(FactKind.OTHER, detail), RoleAt)


@pytest.mark.parametrize("detail", ["loves the head of the river race", "owner of a dog named rex"])
def test_a_title_word_inside_something_else_stays_a_detail(detail: str) -> None:
    assert not isinstance(word_detail(FactKind.OTHER, detail), RoleAt)
