"""A draft thanks someone for a meeting and a favour together only if it was told there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.content.details import picture_of
from bot.domain.content.selection import candidates
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind
from bot.engine.content.drafts import draft_templates
from bot.templates import TemplateLibrary

NOW = datetime(2026, 12, 4, 18, tzinfo=UTC)
COFFEE = Interaction("i-coffee", ["anand"], InteractionKind.COFFEE, NOW - timedelta(hours=3), "")


def _lines(help_told_in: str | None, templates: TemplateLibrary) -> list[str]:
    anand = Contact(
        id="anand",
        name="K. S. Anand",
        created_at=NOW - timedelta(days=30),
        last_interaction_at=COFFEE.occurred_at,
        facts=[Fact(FactKind.HELPED_ME, "set it up", NOW, help_told_in)],
    )
    picture = picture_of(anand, now=NOW, interactions=[COFFEE])
    pool = candidates(draft_templates(templates, ["thank-you", "follow-up"]), picture, NOW)
    return [" ".join(f.words for f in choice.filled) for choice in pool]


def test_a_favour_told_at_another_meeting_is_not_thanked_with_this_one(
    templates: TemplateLibrary,
) -> None:
    elsewhere = _lines("i-sridhar", templates)

    assert any("setting it up" in line for line in elsewhere)
    assert not any("coffee" in line and "setting it up" in line for line in elsewhere)


def test_a_favour_told_at_the_meeting_is_thanked_with_it(templates: TemplateLibrary) -> None:
    there = _lines("i-coffee", templates)

    assert any("coffee" in line and "setting it up" in line for line in there)
