"""Every broken output quoted in the words issue, fed the same note, now reads well.

Each note goes through the real engine (note reader, journal, typed memory,
reminders, templates, TinyDB store); every draft the coach then offers is
checked with the drafts audit's own rules, and for what the issue said was
wrong.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from support import load_bench, press, text_of

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.engine.content.drafts import SHARE_URL
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

USER = "u1"


AUDIT = load_bench("drafts_audit")


def drafts(reply: Reply) -> list[str]:
    return [unquote(b.url.removeprefix(SHARE_URL)) for row in reply.buttons for b in row if b.url]


def every_draft(coach: Coach, name: str, rounds: int = 4) -> list[str]:
    """Ask again and again (More ideas) until the coach has offered all it has."""
    seen: list[str] = []
    reply = coach.handle_text(USER, f"/suggest {name}")[0]
    for _ in range(rounds):
        found = drafts(reply)
        if not found or "nothing new I could write well" in reply.text:
            break
        seen += found
        if not any(b.label == "More ideas" for row in reply.buttons for b in row):
            break
        reply = press(coach, USER, reply, "More ideas")[0]
    return seen


def grammatical(line: str, note: str, clock: ManualClock) -> list[str]:
    moment = AUDIT.Moment(
        now=clock.now(),
        today=clock.now().date(),
        note=note,
        situation="",
        first_name=line.split()[1].strip(",") if line.startswith("Hi ") else "",
        last_met=clock.now() - timedelta(hours=1),
    )
    return [f for f in AUDIT.problems(line, moment) if f != "birthday-as-detail"]


def logged(coach: Coach, note: str) -> None:
    assert "Logged" in text_of(coach.handle_text(USER, f"/log {note}"))


CASES = [
    # (note, person, words that must never appear, words one draft must have)
    (
        "Coffee with Sofia Reyes. She loves bouldering.",
        "Sofia",
        ["about loves", "loves bouldering"],
        "bouldering",
    ),
    (
        "Lunch with Anna Schmidt (SAP). I promised to introduce her to José Ramírez.",
        "Anna",
        ["here's introduce", "introduce to José", "a promise is a promise: here's"],
        "introduce you to José Ramírez",
    ),
    (
        "Lunch with Li Na. Her birthday is March 20.",
        "Li Na",
        ["birthday is", "Good luck with birthday"],
        "",
    ),
    (
        "Lunch with Anna Schmidt (SAP). She is thinking about leaving SAP to join a startup.",
        "Anna",
        ["approaching thinking", "about thinking about"],
        "leaving SAP to join a startup",
    ),
    (
        "Dinner with Kwame Mensah, CPO at Paystack. He loves jazz.",
        "Kwame",
        ["help with CPO", "CPO at Paystack", "Thanks for lunch"],
        "dinner",
    ),
    (
        "Breakfast with Lars Olsen. He is giving a talk at UX Week next March.",
        "Lars",
        ["Thanks for lunch", "take on the talk", "How did"],
        "breakfast",
    ),
    (
        "Met Hana Sato at ProductCon. She runs the design team at Miro and loves trail running.",
        "Hana",
        ["the chat at the event", "at the event"],
        "ProductCon",
    ),
]


@pytest.mark.parametrize(("note", "person", "never", "wanted"), CASES, ids=[c[1] for c in CASES])
def test_the_quoted_note_now_gives_grammatical_drafts_true_to_it(
    coach: Coach, clock: ManualClock, note: str, person: str, never: list[str], wanted: str
) -> None:
    logged(coach, note)
    seen = every_draft(coach, person)
    for line in seen:
        assert not grammatical(line, note, clock), line
        for bad in never:
            assert bad not in line, line
    if wanted:
        assert any(wanted in line for line in seen), seen


def test_birthday_is_only_a_birthday(coach: Coach, repo: TinyRepository) -> None:
    logged(coach, "Lunch with Li Na. Her birthday is March 20.")
    with repo.session(USER) as store:
        (li,) = store.contacts()
    assert li.birthday is not None
    assert not li.facts
    assert "How are you feeling about birthday" not in text_of(
        coach.handle_text(USER, "/openers Li Na")
    )


def test_a_closer_fits_the_gap(coach: Coach, clock: ManualClock) -> None:
    logged(coach, "Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.")
    for line in every_draft(coach, "Maria"):
        assert "so long" not in line  # 0 days after meeting
    clock.advance(timedelta(days=120))
    late = every_draft(coach, "Maria")
    assert not any("Thanks for the coffee" in line for line in late)


def test_a_past_event_never_gets_good_luck_and_a_future_one_never_how_did_it_go(
    coach: Coach, clock: ManualClock
) -> None:
    logged(coach, "Call with Jonas Meyer. He's interviewing at Stripe next Tuesday.")
    ahead = every_draft(coach, "Jonas")
    assert any("the interview at Stripe" in line for line in ahead)
    assert not any("How did" in line or "how did" in line for line in ahead)
    clock.advance(timedelta(days=10))
    after = text_of(coach.handle_text(USER, "/openers Jonas"))
    assert "How did the interview at Stripe go?" in after
    assert "Good luck" not in after


def test_drafts_for_different_people_in_one_sitting_differ(coach: Coach) -> None:
    firsts = []
    for name in ("Ana Ruiz", "Ben Ortiz", "Cleo Park", "Dana Shah", "Eli Stone"):
        logged(coach, f"Coffee with {name}. I promised to send {name.split()[0]} the podcast link.")
        firsts.append(drafts(coach.handle_text(USER, f"/suggest {name.split()[0]}")[0])[0])
    openings = [line.split(",", 1)[1].split(".")[0] for line in firsts]
    assert len(set(openings)) == len(openings), firsts


def test_the_pillar_label_is_short_and_after_the_draft(coach: Coach) -> None:
    logged(coach, "Coffee with Sofia Reyes. She loves bouldering.")
    reply = coach.handle_text(USER, "/suggest Sofia")[0]
    assert "Personal fulfilment" not in reply.text
    assert "<i>follow-up · " in reply.text or "<i>check-in · " in reply.text


def test_no_draft_mentions_what_the_card_dropped_or_never_showed(
    coach: Coach, repo: TinyRepository
) -> None:
    note = "Coffee with Maria Lopez. She loves sailing. She is training for the Berlin marathon."
    card = coach.handle_text(USER, note)[0]
    menu = press(coach, USER, card, "Edit")[0]
    updated = press(coach, USER, menu, "Drop: loves sailing")[0]
    assert "loves sailing" not in updated.text
    press(coach, USER, updated, "Save")
    seen = " ".join(every_draft(coach, "Maria"))
    assert "sailing" not in seen
    assert "marathon" in seen
    # A sentence the reader found nothing in never reaches a draft either.
    logged(coach, "Coffee with Tom Reed. He said the office plants need repotting.")
    assert "plants" not in " ".join(every_draft(coach, "Tom"))


REVIEWS = [
    # (note, quoted draft, words the stronger version keeps, words it must lose)
    (
        "Coffee with Sofia Reyes. She loves bouldering.",
        "Hi Sofia, next time I want to hear more about loves bouldering.",
        ["next time I want to hear more about bouldering"],
        ["loves bouldering"],
    ),
    (
        "Lunch with Anna Schmidt (SAP). I promised to introduce her to José Ramírez.",
        "Hi Anna, a promise is a promise: here's introduce to José Ramírez.",
        ["a promise is a promise: here's an intro to José Ramírez"],
        ["here's introduce"],
    ),
    (
        "Dinner with Li Na. Her birthday is March 20.",
        "Thanks for lunch, Li Na. Good luck with birthday is; I'll be rooting for you.",
        ["Thanks for dinner, Li Na."],
        ["birthday is", "lunch"],
    ),
    (
        "Lunch with Anna Schmidt (SAP). She is thinking about leaving SAP to join a startup.",
        "Thanks for lunch, Anna. I admire how you're approaching thinking about leaving SAP to "
        "join a startup.",
        ["I admire how you're approaching leaving SAP to join a startup."],
        ["approaching thinking"],
    ),
    (
        "Dinner with Kwame Mensah, CPO at Paystack. He loves jazz.",
        "Thanks for lunch, Kwame. If I meet anyone who could help with CPO at Paystack, "
        "I'll introduce you.",
        ["Thanks for dinner, Kwame.", "help with your work at Paystack, I'll introduce you."],
        ["with CPO"],
    ),
    (
        "Dinner with Li Na. Her birthday is March 20.",
        "Hi Li Na, how are you feeling about birthday is?",
        ["Hi Li Na,"],
        ["birthday is"],
    ),
    (
        "Breakfast with Lars Olsen. He is giving a talk at UX Week next March.",
        "Hi Lars, your take on the talk at UX Week has stayed with me. Would you ever write it up?",
        ["Hi Lars, how are you feeling about your talk at UX Week?"],
        ["your take on", "write it up"],
    ),
    (
        "Breakfast with Lars Olsen. He loves sailing.",
        "Thanks again for breakfast, Lars. Let's not leave it so long next time.",
        ["Thanks again for breakfast, Lars."],
        ["so long"],
    ),
    (
        "Met Hana Sato at ProductCon. She loves trail running.",
        "Thanks for the chat at the event, Hana. Next time I want to hear more about "
        "trail running.",
        ["Thanks for our chat at ProductCon, Hana.", "hear more about trail running"],
        ["at the event"],
    ),
    (
        "Call with Tom Becker from Globex. He is moving to Lisbon in January.",
        "Dear Mr. Becker, I hope this email finds you well. I am writing to follow up on our "
        "previous conversation.",
        ["Dear Mr. Becker,", "our previous conversation", "the move to Lisbon"],
        ["finds you well", "Dear Mr. I", "[", "to  on"],
    ),
    (
        "Call with Tom Becker from Globex. He is moving to Lisbon in January.",
        "I noticed on LinkedIn you looked at my profile 3 times this week 😉",
        [],
        ["profile", "LinkedIn"],
    ),
    (
        "Call with Tom Becker from Globex. He is moving to Lisbon in January.",
        "Hi Tom, how is your wife feeling?",
        ["Hi Tom,", "the move to Lisbon"],
        ["wife"],
    ),
]


@pytest.mark.parametrize(
    ("note", "draft", "keeps", "loses"), REVIEWS, ids=[r[1][:30] for r in REVIEWS]
)
def test_review_of_each_quoted_draft_is_stronger_and_grammatical(
    coach: Coach, clock: ManualClock, note: str, draft: str, keeps: list[str], loses: list[str]
) -> None:
    logged(coach, note)
    (reply,) = coach.handle_text(USER, f"/review {draft}")
    assert "good message" not in reply.text, reply.text
    (improved,) = drafts(reply)
    for words in keeps:
        assert words in improved, improved
    for words in loses:
        assert words not in improved, improved
    assert "[" not in improved
    assert not grammatical(improved, note, clock), improved
