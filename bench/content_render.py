"""How long does /suggest take as a contact's record grows?

Times /suggest through the real engine (TinyDB store on disk, Jinja templates)
for a contact with 0, 10 and 100 facts, plus one pure selection pass, and
prints medians as ratios against rendering one bare draft template in the
same run. The draft history is cleared (untimed) before each call, so every
call does the full selection instead of finding everything already used.

    python bench/content_render.py [--runs 40]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.clock import ManualClock
from bot.domain.content.details import picture_of
from bot.domain.content.selection import candidates, choose
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind, Tier
from bot.engine.coach import Coach
from bot.engine.content.drafts import GENERAL, HISTORY_STATE, draft_templates
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
KINDS = [FactKind.INTEREST, FactKind.GOAL, FactKind.WORK, FactKind.OTHER, FactKind.HELPED_ME]
BARE = "drafts/learn/excited-about.txt.j2"


def median_seconds(action: Callable[[], object], runs: int, before: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def contact_with(facts: int, user: str) -> Contact:
    return Contact(
        id=f"c-{user}",
        name=f"Maria {user}",
        company="Acme",
        tier=Tier.CLOSE,
        created_at=NOW - timedelta(days=400),
        last_interaction_at=NOW - timedelta(days=2),
        facts=[
            Fact(
                KINDS[n % len(KINDS)],
                f"detail number {n} about the Berlin marathon",
                NOW - timedelta(days=n),
            )
            for n in range(facts)
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    templates = TemplateLibrary()
    templates.render(BARE, first_name="Maria")  # load and compile once, like a running bot

    def no_setup() -> None:
        return None

    baseline = median_seconds(
        lambda: templates.render(BARE, first_name="Maria"), runs * 10, no_setup
    )
    print(f"baseline: one bare template render, median {baseline * 1e6:.0f} µs (= 1.0)")

    with tempfile.TemporaryDirectory() as folder:
        repo = TinyRepository(Path(folder))
        coach = Coach(repository=repo, templates=templates, clock=ManualClock(NOW))
        for facts in (0, 10, 100):
            user = f"u{facts}"
            contact = contact_with(facts, user)
            with repo.session(user) as store:
                store.save_contact(contact)
                store.add_interaction(
                    Interaction(
                        "i-1",
                        [contact.id],
                        InteractionKind.COFFEE,
                        NOW - timedelta(days=2),
                        "Coffee.",
                    )
                )

            def clear_history(user: str = user) -> None:
                with repo.session(user) as store:
                    store.set_state(HISTORY_STATE, None)

            def suggest(user: str = user, name: str = contact.name) -> object:
                return coach.handle_text(user, f"/suggest {name}")

            suggest()  # warm up
            seconds = median_seconds(suggest, runs, clear_history)
            print(
                f"/suggest, {facts:>3} facts: median {seconds * 1e3:6.2f} ms"
                f" = {seconds / baseline:7.1f} x baseline"
            )

        contact = contact_with(100, "pure")
        pool_templates = draft_templates(templates, GENERAL)

        def select() -> object:
            picture = picture_of(contact, now=NOW)
            return choose(candidates(pool_templates, picture, NOW), exclude=set())

        seconds = median_seconds(select, runs, no_setup)
        print(
            f"selection only (pure), 100 facts: median {seconds * 1e3:6.2f} ms"
            f" = {seconds / baseline:7.1f} x baseline"
        )


if __name__ == "__main__":
    main()
