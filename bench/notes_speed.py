"""How fast is the note extractor, next to dateparser's own date search?

For every note of the evaluation corpus, times `read_note` and
`dateparser.search.search_dates` alone on the same text, in the same run,
and prints both medians and their ratio. Then times each hostile input
(10,000 characters, only emoji, template braces, HTML, right-to-left text,
"31/02"...) against the 50 ms budget. Figures are medians over --runs.

    python bench/notes_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
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

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "notes_corpus.json"
BUDGET_MS = 50.0

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
}


def median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    contacts = [
        Contact(id=c["id"], name=c["name"], aliases=c.get("aliases", []))
        for c in corpus["contacts"]
    ]
    notes = corpus["notes"]
    # Warm both up: dateparser loads its language data on first use.
    read_note(
        "Coffee with Tom on May 3",
        now=datetime.now(ZoneInfo("UTC")),
        timezone="UTC",
        contacts=contacts,
    )
    search_dates("on May 3", languages=["en"])

    ours: list[float] = []
    theirs: list[float] = []
    for note in notes:
        now = datetime.fromisoformat(note["now"].replace("Z", "+00:00"))
        zone = ZoneInfo(note["timezone"])
        local = now.astimezone(zone).replace(tzinfo=None)
        settings = {
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local,
            "TIMEZONE": note["timezone"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        }
        text = note["text"]
        ours.append(
            median_ms(
                partial(read_note, text, now=now, timezone=note["timezone"], contacts=contacts),
                args.runs,
            )
        )
        theirs.append(
            median_ms(partial(search_dates, text, languages=["en"], settings=settings), args.runs)
        )

    our_median, their_median = statistics.median(ours), statistics.median(theirs)
    print(f"{len(notes)} corpus notes, median of {args.runs} runs each")
    print(f"  read_note                 median {our_median:7.2f} ms   max {max(ours):7.2f} ms")
    print(f"  search_dates alone        median {their_median:7.2f} ms   max {max(theirs):7.2f} ms")
    print(f"  ratio read_note / search_dates (medians): {our_median / their_median:.2f}")
    print(f"\nhostile input (budget {BUDGET_MS:.0f} ms each)")
    now = datetime(2026, 11, 27, 15, tzinfo=ZoneInfo("UTC"))
    for name, text in HOSTILE.items():
        took = median_ms(
            partial(read_note, text, now=now, timezone="Europe/Berlin", contacts=contacts),
            args.runs,
        )
        verdict = "ok" if took <= BUDGET_MS else "OVER"
        print(f"  {name:<30} {len(text):>6} chars {took:8.2f} ms  {verdict}")


if __name__ == "__main__":
    main()
