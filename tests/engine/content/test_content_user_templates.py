"""Templates a user adds or edits in their own prompts folder: used, and never fatal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support import text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Fact, FactKind
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

USER = "u1"
MINE = """{#-
situation = "check-in"
pillar = "fulfilment"
tone = "playful"
needs = ["interest"]
-#}
Oi {{ first_name }}! Still obsessed with {{ interest }}?
"""
BROKEN = {
    "drafts/check-in/bad-toml.txt.j2": '{#-\nsituation = "check-in\n-#}\nHi {{ first_name }}',
    "drafts/check-in/bad-pillar.txt.j2": MINE.replace("fulfilment", "money"),
    "drafts/check-in/bad-needs.txt.j2": MINE.replace('["interest"]', '["shoe size"]'),
    "drafts/check-in/undeclared.txt.j2": MINE.replace("{{ interest }}", "{{ shoe_size }}"),
    "reflection/99-broken.txt.j2": "{#-\npillar = \n-#}\nWhat {{ nope }}?",
}


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def coach_with(folder: Path, repo: TinyRepository, clock: ManualClock) -> Coach:
    return Coach(repository=repo, templates=TemplateLibrary(extra_dir=folder), clock=clock)


def add_contact(repo: TinyRepository, clock: ManualClock) -> None:
    with repo.session(USER) as store:
        store.save_contact(
            Contact(
                id="c-1",
                name="Maria Lopez",
                created_at=clock.now(),
                facts=[Fact(FactKind.INTEREST, "bouldering", clock.now())],
            )
        )


def test_a_users_own_template_is_used_without_code(
    tmp_path: Path, repo: TinyRepository, clock: ManualClock
) -> None:
    write(tmp_path, "drafts/check-in/mine.txt.j2", MINE)
    coach = coach_with(tmp_path, repo, clock)
    add_contact(repo, clock)
    said = ""
    for _ in range(12):
        said += text_of(coach.handle_text(USER, "/suggest Maria"))
        clock.advance(timedelta(hours=1))
    assert "Still obsessed with bouldering?" in said


def test_broken_user_templates_are_skipped(
    tmp_path: Path, repo: TinyRepository, clock: ManualClock
) -> None:
    for name, text in BROKEN.items():
        write(tmp_path, name, text)
    coach = coach_with(tmp_path, repo, clock)
    add_contact(repo, clock)
    for _ in range(8):
        reply = text_of(coach.handle_text(USER, "/suggest Maria"))
        assert "bouldering" in reply or "nothing new I could write well" in reply
        assert "shoe" not in reply
    logged = text_of(coach.handle_text(USER, "/log Lunch with Tom Reed. He loves chess."))
    assert "Logged" in logged
