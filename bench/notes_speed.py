"""How fast is the note reader, next to dateparser's own date search, and what does it add
to start-up?

1. For every note of the tuned corpus and the fresh batch, times `read_note`
   and `dateparser.search.search_dates` alone on the same text, in the same
   run, and prints both medians and their ratio (the budget: 2x).
2. Times each hostile input (10,000 characters, only emoji, template braces,
   HTML, right-to-left text, "31/02"...) against the 50 ms budget.
3. In fresh processes: the first note read (which loads the name lists:
   gender-guesser's names, pyspellchecker's frequencies, nameparser,
   nicknames) against the second, and which of those libraries chat start-up
   imports (none should be).
4. With --baseline REF (a git commit, e.g. main): chat start-up of this tree
   against that commit's, in interleaved fresh processes (`rapport-coach chat`
   with empty input), medians; the budget is +100 ms.

Figures are medians over --runs.

    python bench/notes_speed.py [--runs 7] [--baseline main] [--startup-runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.search import search_dates

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [
    ROOT / "tests" / "data" / "notes_corpus.json",
    ROOT / "tests" / "data" / "notes_fresh_dev.json",
]
BUDGET_MS = 50.0
RATIO_BUDGET = 2.0
STARTUP_BUDGET_MS = 100.0
LAZY_LIBRARIES = ("gender_guesser", "spellchecker", "nameparser", "nicknames", "rapidfuzz")

HOSTILE = {
    "10,000 characters": (
        "Coffee with Tom Becker. She is presenting at KubeCon next Thursday; I'll send her the "
        "deck by May 3 and owe Priya feedback. "
    )
    * 80,
    "10,000 chars, no punctuation": "tom priya coffee next thursday marathon " * 250,
    "only emoji": "🎉🔥☕️🙏🏽👩‍👩‍👧‍👦🚀" * 700,
    "template braces": "{{ user.name }} {% for x in y %}{{ 7*7 }}{% endfor %} {{ }}" * 5,
    "HTML": "<p>Lunch with <b>Tom</b> <a href='javascript:alert(1)'>link</a><script>x()</script>",
    "right-to-left": "قهوة مع أحمد يوم الخميس. שיחה עם דנה מחר \u202eevil\u202c",
    "31/02": "Owe Priya the slides by 31/02, she flies out 30/02/2027",
    "control characters": "\x00\x1b[31mred\x7f\r\n\t\u200b\ufeff" * 20,
    "dates everywhere": "May 1 May 2 12/5 3/4 next Friday the 5th in two weeks " * 180,
    "capitals everywhere": "Aaa Bbb Ccc Ddd Eee " * 500,
    "lowercase names everywhere": "drinks w/ tomasz nowak + ayse kaya & lena abt " * 220,
}

_FIRST_READ = """
import sys, time
from datetime import datetime, UTC
t0 = time.perf_counter()
from bot.domain.notes.extractor import read_note
t1 = time.perf_counter()
now = datetime(2026, 11, 27, 15, tzinfo=UTC)
read_note("drinks w/ tomasz nowak, met Mr. Okafor", now=now, timezone="UTC", contacts=[])
t2 = time.perf_counter()
read_note("coffee w/ lena m. abt the budget", now=now, timezone="UTC", contacts=[])
t3 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000)
"""
_LOADED_AT_START = f"""
import sys
import bot.cli
from bot.bootstrap import build_coach
from bot.config import Settings
from dataclasses import replace
build_coach(replace(Settings.from_env(), data_dir=__import__("pathlib").Path(sys.argv[1])))
print(" ".join(m for m in {LAZY_LIBRARIES!r} if m in sys.modules))
"""


def median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def reading_speed(runs: int) -> None:
    notes: list[tuple[dict[str, Any], list[Contact]]] = []
    for path in CORPORA:
        corpus = json.loads(path.read_text(encoding="utf-8"))
        contacts = [
            Contact(id=c["id"], name=c["name"], aliases=c.get("aliases", []))
            for c in corpus["contacts"]
        ]
        notes += [(note, contacts) for note in corpus["notes"]]
    # Warm both up: dateparser loads its language data, the reader its name lists.
    read_note(
        "Coffee with Tom on May 3", now=datetime.now(ZoneInfo("UTC")), timezone="UTC", contacts=[]
    )
    search_dates("on May 3", languages=["en"])

    ours: list[float] = []
    theirs: list[float] = []
    for note, contacts in notes:
        now = datetime.fromisoformat(note["now"].replace("Z", "+00:00"))
        local = now.astimezone(ZoneInfo(note["timezone"])).replace(tzinfo=None)
        settings = {
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local,
            "TIMEZONE": note["timezone"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        }
        text = note["text"]
        reading = partial(read_note, text, now=now, timezone=note["timezone"], contacts=contacts)
        ours.append(median_ms(reading, runs))
        theirs.append(
            median_ms(partial(search_dates, text, languages=["en"], settings=settings), runs)
        )

    our_median, their_median = statistics.median(ours), statistics.median(theirs)
    ratio = our_median / their_median
    print(f"{len(notes)} notes (tuned corpus and fresh batch), median of {runs} runs each")
    print(f"  read_note                 median {our_median:7.2f} ms   max {max(ours):7.2f} ms")
    print(f"  search_dates alone        median {their_median:7.2f} ms   max {max(theirs):7.2f} ms")
    verdict = "ok" if ratio <= RATIO_BUDGET else "OVER"
    print(
        f"  ratio read_note / search_dates (medians): {ratio:.2f}"
        f" (budget {RATIO_BUDGET}x) {verdict}"
    )


def hostile_inputs(runs: int) -> None:
    print(f"\nhostile input (budget {BUDGET_MS:.0f} ms each)")
    now = datetime(2026, 11, 27, 15, tzinfo=ZoneInfo("UTC"))
    contacts = [Contact(id="t", name="Tom Becker"), Contact(id="p", name="Priya Raman")]
    for name, text in HOSTILE.items():
        took = median_ms(
            partial(read_note, text, now=now, timezone="Europe/Berlin", contacts=contacts), runs
        )
        verdict = "ok" if took <= BUDGET_MS else "OVER"
        print(f"  {name:<30} {len(text):>6} chars {took:8.2f} ms  {verdict}")


def _python(code: str, *args: str, path: Path | None = None) -> str:
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),  # so "" on sys.path is not this tree
    )
    return done.stdout.strip()


def first_read(runs: int) -> None:
    rows = [tuple(map(float, _python(_FIRST_READ, path=ROOT).split())) for _ in range(runs)]
    imports, first, second = (statistics.median(column) for column in zip(*rows, strict=True))
    print(f"\nfresh process, median of {runs}")
    print(f"  import the reader          {imports:7.1f} ms")
    print(f"  first note (loads names)   {first:7.1f} ms, once per process")
    print(f"  second note                {second:7.1f} ms")
    with tempfile.TemporaryDirectory() as data:
        loaded = _python(_LOADED_AT_START, data, path=ROOT)
    print(f"  name libraries chat start-up imports: {loaded or 'none'}")


def chat_startup_ms(tree: Path, data: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--data-dir", str(data)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    return (time.perf_counter() - start) * 1000


def startup_against(ref: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "baseline"
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        ours: list[float] = []
        theirs: list[float] = []
        for n in range(runs):  # interleaved, so both see the same machine load
            ours.append(chat_startup_ms(ROOT, Path(scratch) / f"ours{n}"))
            theirs.append(chat_startup_ms(base, Path(scratch) / f"base{n}"))
    mine, baseline = statistics.median(ours), statistics.median(theirs)
    grew = mine - baseline
    verdict = "ok" if grew <= STARTUP_BUDGET_MS else "OVER"
    print(f"\nchat start-up, `rapport-coach chat` with empty input, median of {runs} interleaved")
    print(f"  {ref:<12} {baseline:7.0f} ms")
    print(
        f"  this tree    {mine:7.0f} ms   ({grew:+.0f} ms,"
        f" budget +{STARTUP_BUDGET_MS:.0f}) {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", default="", help="git ref to compare chat start-up with")
    parser.add_argument("--startup-runs", type=int, default=9)
    args = parser.parse_args()
    reading_speed(args.runs)
    hostile_inputs(args.runs)
    first_read(args.startup_runs)
    if args.baseline:
        startup_against(args.baseline, args.startup_runs)


if __name__ == "__main__":
    main()
