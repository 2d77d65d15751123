"""Latency of a realistic command mix through the real Application (offline Bot API).

Each round a user sends reads (/people, /person for a recent and an old
contact, /due, /reminders, /help, /openers), writes (/log and its Undo, a tier
button, /suggest, which keeps a draft history) and a free-text note shown
as a card, then saved. Every figure is compared with floors measured in the
same run: PTB's echo bot through process_update, one atomic small write,
and search_dates on the same note. Then the same mix for a user with
100,000 past interactions and for one with 1,000 contacts, as ratios to the
100-interaction, 100-contact user. Each Application is started as `run`
starts it (the engine warmed up, then gc.freeze()); the users take turns
round by round, so the ratios hold while the shared machine's speed drifts.

    python bench/latency.py [--rounds 150] [--quick] [--throughput-only]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections import defaultdict
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

from offline_app import (
    NOW,
    CountingAPI,
    Driver,
    coach_app,
    echo_app,
    echo_floor,
    ms,
    p50,
    p99,
    search_dates_floor,
    start_up,
    write_floor,
)

from bot.channels.telegram.context import CoachApplication
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind
from bot.storage.tinydb_repository import TinyRepository

USER = 4242
FIRST = [
    *("Maria", "Tomas", "Priya", "Anika", "Jonas", "Lena", "Omar", "Sofia", "Mateo", "Hana"),
    *("Ravi", "Ines", "Felix", "Clara", "Diego", "Nora", "Kenji", "Amara", "Lukas", "Elena"),
    *("Yusuf", "Marta", "Pavel", "Zara", "Ivan", "Leah", "Bruno", "Chloe", "Tariq", "Mina"),
    *("Oskar", "Vera", "Hugo", "Alma", "Rafael", "Greta", "Samir", "Nadia", "Emil", "Rosa"),
]
LAST = [
    *("Lopez", "Baker", "Raman", "Okafor", "Berg", "Novak", "Haddad", "Rossi", "Silva", "Tanaka"),
    *("Iyer", "Costa", "Wagner", "Dubois", "Moreno", "Lund", "Sato", "Mensah", "Fischer"),
    *("Petrov", "Kaya", "Hansen", "Russo", "Nagy", "Varga", "Ortiz", "Keller", "Blom"),
    *("Ferreira", "Quinn", "Adeyemi"),
]
OLD = "Theodora Whitcombe"  # met once, long ago: her meetings are in the oldest history
NOTE = (
    "Coffee with {name}. She is training for the Berlin marathon in May "
    "and I promised to send her the deck by Friday."
)
READS = ("/people", "/person recent", "/person old", "/due", "/reminders", "/help", "/openers old")
WRITES = ("Undo", "tier", "/suggest old", "card Save")
NOTES = ("/log", "note → card")  # both read a note


def names(count: int) -> list[str]:
    return [f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST)]}" for n in range(count)]


def seed(data: Path, contacts: int, interactions: int, user: int = USER) -> list[str]:
    """A user with `contacts` contacts (each with facts) and `interactions` past meetings."""
    repo = TinyRepository(data)
    people = names(contacts)
    ids = [f"c-{n:012x}" for n in range(contacts)]
    old_id = "c-0000000old00"
    start = NOW - timedelta(days=2000)
    with repo.session(str(user), channel="telegram") as store:
        store.save_contact(Contact(id=old_id, name=OLD, created_at=start))
        for n in range(2):
            store.add_interaction(
                Interaction(
                    f"i-old-{n}", [old_id], InteractionKind.COFFEE, start, "Talked about sailing."
                )
            )
    batch = 5000
    for first in range(0, interactions, batch):
        with repo.session(str(user)) as store:
            for n in range(first, min(interactions, first + batch)):
                when = start + timedelta(minutes=n)
                store.add_interaction(
                    Interaction(
                        f"i-{n:07d}",
                        [ids[n % contacts]],
                        InteractionKind.CALL,
                        when,
                        f"Call {n}: hiring plan and her trip to Lisbon.",
                    )
                )
    with repo.session(str(user)) as store:
        for n, (cid, name) in enumerate(zip(ids, people, strict=True)):
            facts = [Fact(FactKind.INTEREST, f"likes topic {k}", NOW, None) for k in range(5)]
            store.save_contact(
                Contact(
                    id=cid,
                    name=name,
                    created_at=start,
                    facts=facts,
                    last_interaction_at=start + timedelta(minutes=n),
                )
            )
    repo.close()
    return people


class Mix:
    """One user's command mix through their own Application, one round at a time."""

    def __init__(self, app: CoachApplication, api: CountingAPI, recent: str, user: int) -> None:
        self.driver = Driver(app, api)
        self.recent = recent
        self.user = user
        self.times: dict[str, list[float]] = defaultdict(list)

    async def say(self, label: str, text: str) -> None:
        self.times[label].append(await self.driver.timed(self.driver.text_update(self.user, text)))

    async def press(self, label: str, button: str) -> None:
        data = self.driver.button(button)
        self.times[label].append(await self.driver.timed(self.driver.press_update(self.user, data)))

    async def round(self, n: int) -> None:
        recent, driver = self.recent, self.driver
        # Reads, as a user without a one-line question pending (else a command ends it,
        # which is a write): /cancel first, untimed.
        await driver.timed(driver.text_update(self.user, "/cancel"))
        await self.say("/people", "/people")
        await self.say("/person recent", f"/person {recent}")
        await self.say("/person old", f"/person {OLD}")
        await self.say("/due", "/due")
        await self.say("/reminders", "/reminders")
        await self.say("/help", "/help")
        await self.say("/openers old", f"/openers {OLD}")
        # Writes.
        await self.say("/person recent", f"/person {recent}")
        await self.press("tier", "close" if n % 2 else "network")
        await self.say("/suggest old", f"/suggest {OLD}")
        await self.say("/log", f"/log Lunch with {recent}. Round {n}: she is moving to Lisbon.")
        await self.press("Undo", "Undo")
        await self.say("note → card", NOTE.format(name=recent))
        await self.press("card Save", "Save")


async def mixes(users: list[tuple[Path, str, int]], rounds: int) -> list[dict[str, list[float]]]:
    """Run each user's mix, the users in turn round by round (so a drift in the machine's
    speed falls on all of them alike); return each one's times."""
    async with AsyncExitStack() as stack:
        runs = []
        for data, recent, user in users:
            app, api = coach_app(data)
            await stack.enter_async_context(app)
            runs.append(Mix(app, api, recent, user))
        for app_run in runs:
            start_up(app_run.driver.app)
            await app_run.driver.timed(
                app_run.driver.text_update(app_run.user, "/settings timezone Berlin")
            )
        for n in range(rounds + 3):
            for run in runs:
                await run.round(n)
                if n == 2:
                    run.times.clear()  # the first rounds warm caches and templates
        for run in runs:
            # As post_shutdown does: a background fold still writing would race the
            # temporary folder's removal ("Directory not empty").
            coach = run.driver.app.bot_data.coach
            assert coach is not None
            coach.repository.close()
    return [run.times for run in runs]


async def throughput(data: Path, users: int, per_user: int) -> float:
    """Updates per second with `users` users each sending `per_user` logs at once."""
    app, api = coach_app(data)
    async with app:
        start_up(app)
        driver = Driver(app, api)
        updates = [
            driver.text_update(
                9000 + u, f"/log Coffee with {FIRST[n % 40]} {LAST[u % 30]}. Note {n}."
            )
            for n in range(per_user)
            for u in range(users)
        ]
        processor = app.update_processor
        start = time.perf_counter()
        await asyncio.gather(*(processor.process_update(u, app.process_update(u)) for u in updates))
        return len(updates) / (time.perf_counter() - start)


async def echo_throughput(count: int) -> float:
    app, api = echo_app()
    async with app:
        driver = Driver(app, api)
        updates = [driver.text_update(9000 + n % 50, f"hello {n}") for n in range(count)]
        start = time.perf_counter()
        for update in updates:
            await app.process_update(update)
        return count / (time.perf_counter() - start)


def report(title: str, times: dict[str, list[float]], floors: dict[str, float]) -> dict[str, float]:
    echo, write, search = floors["echo"], floors["write"], floors["search_dates"]
    bounds = {**dict.fromkeys(READS, echo + 0.001), **dict.fromkeys(WRITES, echo + write + 0.001)}
    bounds |= dict.fromkeys(NOTES, echo + write + 1.5 * search)
    print(f"\n{title}")
    print(f"{'command':16} {'p50 ms':>8} {'p99 ms':>8} {'p50 bound':>10}  {'p50/echo':>9}  ok")
    medians = {}
    for label in (*READS, *WRITES, *NOTES):
        samples = times[label]
        median, tail = p50(samples), p99(samples)
        medians[label] = median
        good = median <= bounds[label] and tail <= 0.015
        verdict = "yes" if good else "NO"
        print(
            f"{label:16} {ms(median):>8} {ms(tail):>8} {ms(bounds[label]):>10}  "
            f"{median / echo:8.1f}x  {verdict}"
        )
    return medians


def compare(title: str, base: dict[str, float], other: dict[str, float]) -> None:
    print(f"\n{title} (ratio of p50 to the 100-interaction, 100-contact user; goal <= 1.5x)")
    for label, median in other.items():
        ratio = median / base[label]
        print(f"{label:16} {ratio:6.2f}x  {'yes' if ratio <= 1.5 else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000 / 1,000 users")
    parser.add_argument("--throughput-only", action="store_true")
    args = parser.parse_args()
    if args.throughput_only:
        show_throughput()
        return
    floors = {
        "echo": p50(asyncio.run(echo_floor(2000))),
        "write": p50(write_floor(300)),
        "search_dates": p50(search_dates_floor(NOTE.format(name="Maria Lopez"), 200)),
    }
    print("floors (same run): " + ", ".join(f"{k} {ms(v).strip()} ms" for k, v in floors.items()))
    scenarios = [("100 contacts, 100 past interactions", 100, 100)]
    if not args.quick:
        scenarios += [
            ("100 contacts, 100,000 past interactions", 100, 100_000),
            ("1,000 contacts, 1,000 past interactions", 1000, 1000),
        ]
    with tempfile.TemporaryDirectory() as tmp:
        users = []
        for n, (_, contacts, past) in enumerate(scenarios):
            # Users of one process have ids of their own (lookups keep a name index per id).
            data, user = Path(tmp) / f"d{n}", USER + n
            users.append((data, seed(data, contacts, past, user)[-1], user))
        found = asyncio.run(mixes(users, args.rounds))
        gc.unfreeze()
    medians = [
        report(title, times, floors) for (title, *_), times in zip(scenarios, found, strict=True)
    ]
    for (title, *_), other in zip(scenarios[1:], medians[1:], strict=True):
        compare(title, medians[0], other)
    show_throughput()


def show_throughput() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rate = asyncio.run(throughput(Path(tmp) / "t", users=50, per_user=10))
    echo = asyncio.run(echo_throughput(2000))
    print(
        f"\nthroughput: 50 users logging at once through one Application: {rate:,.0f} updates/s "
        f"(goal >= 200); PTB's echo bot {echo:,.0f} updates/s, ratio {rate / echo:.3f}"
    )


if __name__ == "__main__":
    main()
