"""Every content template: valid metadata, and clean text under StrictUndefined."""

from __future__ import annotations

import pytest

from bot.domain.content.details import ALL_SLOTS
from bot.domain.content.pillars import Pillar
from bot.templates import TemplateLibrary

LIBRARY = TemplateLibrary()
FOLDERS = ("drafts", "openers", "reflection")
NAMES = [n for folder in FOLDERS for n in LIBRARY.names(folder)]
# Words that make a message sound like a form letter.
BANNED = ("just checking in", "hope this finds you well", "touch base", "circle back", "None")
# A sample value per slot, including awkward characters a user might type.
SAMPLE = {slot: f"<{slot} & 'co'>" for slot in ALL_SLOTS}
SAMPLE["first_name"] = "Zoë"
DRAFT_SITUATIONS = {
    "check-in",
    "follow-up",
    "thank-you",
    "impact-update",
    "ask-how-it-went",
    "promise-kept",
    "congratulations",
    "reconnect",
    "offer-help",
    "ask-for-help",
    "learn",
}
OPENER_CONTEXTS = {"conference", "coffee", "reunion", "online-call", "first-meeting", "know-well"}


def test_library_is_large_enough() -> None:
    for situation in DRAFT_SITUATIONS:
        assert len(LIBRARY.names(f"drafts/{situation}")) >= 6, situation
    for context in OPENER_CONTEXTS:
        assert len(LIBRARY.names(f"openers/{context}")) >= 6, context
    assert len(LIBRARY.names("reflection")) >= 7


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_complete(name: str) -> None:
    meta = LIBRARY.meta(name)
    assert meta is not None, "missing TOML front matter"
    Pillar(meta.pillar)  # raises on an unknown pillar
    assert meta.tone
    assert set(meta.needs) <= set(ALL_SLOTS)
    folder = name.split("/")[1]
    if name.startswith("drafts/"):
        assert meta.situation == folder
    if name.startswith("openers/") and folder != "loops":
        assert meta.extra.get("context") == folder


@pytest.mark.parametrize("name", NAMES)
def test_renders_cleanly_with_exactly_what_it_needs(name: str) -> None:
    meta = LIBRARY.meta(name)
    assert meta is not None
    context = {slot: SAMPLE[slot] for slot in ("first_name", *meta.needs)}
    text = LIBRARY.env.get_template(name).render(**context)
    assert text == text.lstrip(), "blank line or space at the start"
    for bad in ("{{", "{%", "  ", *BANNED):
        assert bad not in text, bad
    for slot in meta.needs:
        assert SAMPLE[slot] in text, f"declares {slot} but does not use it"
    # Drafts are plain text: user values are left alone for the reply to escape.
    assert "&amp;" not in text


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("drafts/")])
def test_drafts_are_short(name: str) -> None:
    meta = LIBRARY.meta(name)
    assert meta is not None
    text = LIBRARY.render(name, **dict.fromkeys(("first_name", *meta.needs), "x"))
    assert len(text.split()) <= 60


def test_each_situation_spans_several_pillars() -> None:
    for situation in DRAFT_SITUATIONS:
        pillars = {LIBRARY.meta(n).pillar for n in LIBRARY.names(f"drafts/{situation}")}  # type: ignore[union-attr]
        assert len(pillars) >= 3, situation


def test_user_text_is_never_evaluated() -> None:
    text = LIBRARY.render(
        "drafts/check-in/what-you-said.txt.j2",
        first_name="{{ 7*7 }}",
        goal="{% if 1 %}x{% endif %}",
    )
    assert "{{ 7*7 }}" in text
    assert "{% if 1 %}x{% endif %}" in text
    assert "49" not in text
