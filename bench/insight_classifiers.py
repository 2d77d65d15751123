"""How well does the note reader propose give/ask and the pillar? Tuned batch and held-back batch.

Four batches, printed apart (tests/data/insight_exchange_*.json):

- dev: the rules were tuned on it; a regression figure.
- test: written before any rule existed. First score (give/ask accuracy
  1.00, pillar 0.93); its misses were looked at since, so it is no longer blind.
- fresh: phone-typed, with phrasings the first rules were not written for.
  First score: give/ask accuracy 0.40, precision 0.75, recall 0.14, pillar
  0.53. That led to the lemma-based rewrite, so it is tuned on now.
- fresh2: written before the rewrite, scored only after it, never tuned on:
  the honest figure.

One author wrote the batches and the rules; expect lower figures on other
people's notes.

    python bench/insight_classifiers.py [--show-misses]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.insight.exchange import propose_exchange
from bot.domain.insight.pillar_tags import tag_pillar
from bot.domain.notes.extractor import read_note

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
BATCHES = {
    "dev (tuned)": DATA / "insight_exchange_dev.json",
    "test (seen since)": DATA / "insight_exchange_test.json",
    "fresh (seen since)": DATA / "insight_exchange_fresh.json",
    "fresh2 (held back)": DATA / "insight_exchange_fresh2.json",
}
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def score(path: Path, show: bool) -> dict[str, float]:
    notes = json.loads(path.read_text(encoding="utf-8"))["notes"]
    exchange_right = pillar_right = 0
    # Gives and asks as one "is on the ledger" decision, for precision and recall.
    counts: Counter[str] = Counter()
    for note in notes:
        text = note["text"]
        reading = read_note(text, now=NOW, timezone="UTC", contacts=[])
        proposed = propose_exchange(text)
        got = proposed.value if proposed else None
        want = note["exchange"]
        exchange_right += got == want
        counts["tp"] += got is not None and got == want
        counts["fp"] += got is not None and got != want
        counts["fn"] += want is not None and got != want
        pillar = tag_pillar(text, proposed, reading.kind).value
        pillar_right += pillar == note["pillar"]
        if show and (got != want or pillar != note["pillar"]):
            print(
                f"    give/ask {want!s:>11} got {got!s:<11} "
                f"pillar {note['pillar']:>13} got {pillar:<13} {text[:70]}"
            )
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "notes": len(notes),
        "give/ask accuracy": exchange_right / len(notes),
        "give/ask precision": tp / (tp + fp) if tp + fp else 1.0,
        "give/ask recall": tp / (tp + fn) if tp + fn else 1.0,
        "pillar accuracy": pillar_right / len(notes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    for name, path in BATCHES.items():
        figures = score(path, args.show_misses)
        line = ", ".join(
            f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()
        )
        print(f"{name:>18}: {line}")


if __name__ == "__main__":
    main()
