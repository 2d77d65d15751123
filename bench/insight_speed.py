"""How long do /find, /week, /due and /garden take, next to floors measured in the same run?

Floors: dateparser's `search_dates` on one typical note (what every logged
note already pays) and one atomic write of a small JSON file (what every
turn that changes something pays). Each insight figure is printed as a
median and as a ratio to both. Also measured: the import cost of Pillow and
rapidfuzz, and that chat start-up imports neither.

    python bench/insight_speed.py [--runs 7] [--contacts 200,2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.search import search_dates

from bot.domain.clock import ManualClock
from bot.domain.content.pillars import Pillar
from bot.domain.insight.search import search
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind, Tier
from bot.engine.coach import Coach
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
NOTE = (
    "Coffee with Maria Lopez. She runs the Berlin marathon on May 3; I'll send the deck by Friday."
)
FIRST = "Maria Tom Priya Sam Yuki Bilal Ana Kofi Lena Jonas Grace Dana Omar Felix Ravi".split()  # noqa: SIM905
LAST = "Lopez Baker Raman Ortiz Tanaka Hussain Garcia Mensah Meyer Kim Levi Haddad".split()  # noqa: SIM905
ZONE = ZoneInfo("Europe/Berlin")
DETAILS = ["loves climbing", "into jazz", "training for a half marathon", "has two kids"]


def median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def history(count: int, seed: int = 1) -> tuple[list[Contact], list[Interaction]]:
    """`count` contacts with a detail each and five logged meetings each, newest first."""
    rng = random.Random(seed)
    contacts, interactions = [], []
    for n in range(count):
        contact = Contact(
            id=f"c{n:05d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
            company=rng.choice(["Acme", "Stripe", "Monzo", ""]),
            tier=rng.choice(list(Tier)),
            created_at=NOW - timedelta(days=500),
            last_interaction_at=NOW - timedelta(days=rng.randint(0, 200)),
            facts=[Fact(FactKind.INTEREST, rng.choice(DETAILS), NOW - timedelta(days=30))],
        )
        contacts.append(contact)
        for k in range(5):
            when = NOW - timedelta(days=rng.randint(0, 400), hours=k)
            interactions.append(
                Interaction(
                    f"i{n:05d}{k}",
                    [contact.id],
                    InteractionKind.COFFEE,
                    when,
                    f"Met {contact.name} at ProductCon" if k == 0 and n % 20 == 0 else "Coffee",
                    created_at=when,
                    pillar=rng.choice(list(Pillar)),
                )
            )
    interactions.sort(key=lambda i: i.created_at, reverse=True)
    return contacts, interactions


def store_with(folder: Path, contacts: list[Contact], interactions: list[Interaction]) -> Coach:
    repository = TinyRepository(folder)
    with repository.session("u") as store:
        store.set_state("x", {"y": 1})
        for contact in contacts:
            store.save_contact(contact)
        for interaction in reversed(interactions):
            store.add_interaction(interaction)
    return Coach(repository=repository, templates=TemplateLibrary(), clock=ManualClock(NOW))


def import_ms(module: str) -> float:
    code = (
        "import time\nt = time.perf_counter()\n"
        f"import {module}\nprint((time.perf_counter() - t) * 1000)"
    )
    runs = [float(subprocess.check_output([sys.executable, "-c", code])) for _ in range(3)]
    return statistics.median(runs)


def startup_imports() -> str:
    code = (
        "import sys, tempfile, pathlib\n"
        "from bot.bootstrap import build_coach\nfrom bot.config import Settings\n"
        "coach = build_coach(Settings(data_dir=pathlib.Path(tempfile.mkdtemp())))\n"
        "coach.handle_text('me', '/help')\n"
        "print(sorted(m for m in ('PIL', 'rapidfuzz') if m in sys.modules))"
    )
    return subprocess.check_output([sys.executable, "-c", code], text=True).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--contacts", default="200,2000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.contacts.split(",")]

    search_dates("on May 3", languages=["en"])  # dateparser loads its data on first use
    dates_ms = median_ms(lambda: search_dates(NOTE, languages=["en"]), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        target = AtomicJSONStorage(Path(tmp) / "floor.json")
        write_ms = median_ms(lambda: target.write({"a": list(range(100))}), args.runs)
    print(f"floors: search_dates {dates_ms:.2f} ms, one atomic write {write_ms:.2f} ms\n")

    def report(what: str, ms: float) -> None:
        print(f"{what:<44} {ms:9.1f} ms  {ms / dates_ms:7.1f}x dates  {ms / write_ms:7.1f}x write")

    for size in sizes:
        contacts, interactions = history(size)
        report(
            f"/find in memory, {size} contacts",
            median_ms(
                lambda c=contacts, i=interactions: search("climbing", c, i, NOW.date(), ZONE),
                args.runs,
            ),
        )
        with tempfile.TemporaryDirectory() as tmp:
            coach = store_with(Path(tmp), contacts, interactions)
            coach.handle_text("u", "/garden")  # Pillow and fonts load once per process
            for command in ("/find ProductCon", "/due", "/week", "/garden"):
                report(
                    f"{command} through the coach, {size} contacts",
                    median_ms(lambda c=coach, t=command: c.handle_text("u", t), args.runs),
                )
        print()
    for label, module in (
        ("import Pillow (Image, ImageDraw, ImageFont)", "PIL.Image, PIL.ImageDraw, PIL.ImageFont"),
        ("import rapidfuzz (fuzz, process)", "rapidfuzz.fuzz, rapidfuzz.process"),
        ("import bot.engine.coach (chat start-up)", "bot.engine.coach"),
    ):
        print(f"{label:<44} {import_ms(module):9.1f} ms")
    print(f"heavy modules loaded by start-up and /help: {startup_imports()}")


if __name__ == "__main__":
    main()
