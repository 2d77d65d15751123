from __future__ import annotations

import pytest

from bot.domain.content.how_it_went import how_it_went
from bot.domain.memory.phrase import Phrase
from bot.domain.memory.wording import word_detail
from bot.domain.model import FactKind
from bot.templates import TemplateLibrary


@pytest.mark.parametrize(
    ("event", "asked"),
    [
        ("runs the Berlin half", "how the Berlin half went"),
        ("moving to Lisbon", "how the move to Lisbon went"),
        ("her KubeCon talk", "how her KubeCon talk went"),
        ("the offsite", "how the offsite went"),
        # Being out is no event to ask about; nor is an empty one.
        ("out", "how it went"),
        ("away", "how it went"),
        ("", "how it went"),
    ],
)
def test_an_event_is_asked_about_in_words_that_read(event: str, asked: str) -> None:
    assert how_it_went(event) == asked


def test_the_reminder_line_asks_how_the_event_went() -> None:
    line = TemplateLibrary().env.from_string(
        '{% from "replies/reminders/_line.html.j2" import describe %}{{ describe(item) }}'
    )
    item = {"kind": "ask how it went", "name": "Jonas", "text": "runs the Berlin half"}
    item["today"] = None

    assert line.render(item=item) == "Ask <b>Jonas</b> how the Berlin half went"


def test_a_diet_is_kept_but_never_quoted_in_a_draft() -> None:
    worded = word_detail(FactKind.OTHER, "vegetarian")

    assert isinstance(worded, Phrase)
    assert (worded.noun, worded.gerund, worded.verb, worded.clause) == ("", "", "", "")


def test_an_agreed_next_step_reads_as_agreed_with_them() -> None:
    line = TemplateLibrary().env.from_string(
        '{% from "replies/reminders/_line.html.j2" import describe %}{{ describe(item) }}'
    )
    item = {"kind": "custom", "name": "Matteo", "text": "agreed: next call at 3pm", "today": None}

    assert line.render(item=item) == "Agreed with <b>Matteo</b>: next call at 3pm"


def test_a_thing_promised_drops_what_follows_it_and_hyphenated_verbs_inflect() -> None:
    vinyl = word_detail(FactKind.PROMISE, "get him that wu-tang vinyl he keeps talking")
    webinar = word_detail(FactKind.GOAL, "wants to co-host a webinar")

    assert isinstance(vinyl, Phrase)
    assert vinyl.noun == "that wu-tang vinyl"
    assert isinstance(webinar, Phrase)
    assert webinar.gerund == "co-hosting a webinar"
