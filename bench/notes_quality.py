"""How well does the note extractor read the evaluation corpus?

Runs `read_note` on every note in tests/data/notes_corpus.json and prints
precision and recall per field. A predicted item matches an expected one
when it names the same person, carries at least half of the expected key
words, and has the same date (or, for an "unclear" date, keeps the words
with no date). Items marked optional count neither way. Each prediction
matches at most one expectation.

    python bench/notes_quality.py [--show] [--style heldout2]

--show lists every miss; --style keeps only notes whose style contains the
word (the "heldout*" batches were written after rounds of tuning and first
measured before the extractor was changed for them).
"""

from __future__ import annotations

import argparse
import json
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import DatedItem, Detail, NoteReading, PersonMention

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "notes_corpus.json"
FIELDS = ("people", "kind", "occurred", "events", "promises", "offers", "gratitude", "details")
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85


@dataclass
class Score:
    """Counts for one field over the corpus."""

    predicted: int = 0
    expected: int = 0
    right_predictions: int = 0
    found_expectations: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right_predictions / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found_expectations / self.expected if self.expected else 1.0


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_corpus(path: Path = CORPUS) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def contacts_of(corpus: dict[str, Any]) -> list[Contact]:
    return [
        Contact(
            id=c["id"],
            name=c["name"],
            aliases=list(c.get("aliases", [])),
            company=c.get("company", ""),
        )
        for c in corpus["contacts"]
    ]


def read(note: dict[str, Any], contacts: list[Contact]) -> NoteReading:
    now = datetime.fromisoformat(note["now"].replace("Z", "+00:00"))
    return read_note(note["text"], now=now, timezone=note["timezone"], contacts=contacts)


def evaluate(corpus: dict[str, Any] | None = None) -> dict[str, Score]:
    """Score every field over the whole corpus."""
    corpus = corpus or load_corpus()
    contacts = contacts_of(corpus)
    scores = {name: Score() for name in FIELDS}
    for note in corpus["notes"]:
        reading = read(note, contacts)
        expect = note["expect"]
        label = f"{note['id']} {note['text'][:50]!r}"
        _score_people(scores["people"], reading.people, expect["people"], label)
        _score_kind(scores["kind"], reading.kind, expect["kind"], label)
        _score_occurred(scores["occurred"], reading, note, label)
        for name in ("events", "promises", "offers", "gratitude", "details"):
            predicted: list[DatedItem] | list[Detail] = getattr(reading, name)
            _score_items(scores[name], list(predicted), expect[name], label)
    return scores


def _score_people(
    score: Score, people: list[PersonMention], expected: list[dict[str, Any]], label: str
) -> None:
    def same(person: PersonMention, want: dict[str, Any]) -> bool:
        return (
            fold(person.name) == fold(want["name"])
            and person.contact_id == want.get("contact_id")
            and sorted(person.candidates) == sorted(want.get("candidates", []))
        )

    _match(score, people, expected, same, label, describe=lambda p: p.name)


def _score_kind(score: Score, kind: InteractionKind, expected: str, label: str) -> None:
    # OTHER is "no answer": it costs recall, never precision.
    if kind is not InteractionKind.OTHER:
        score.predicted += 1
        score.right_predictions += kind.value == expected
    if expected != InteractionKind.OTHER.value:
        score.expected += 1
        score.found_expectations += kind.value == expected
    if kind.value != expected:
        score.misses.append(f"{label}: kind {kind.value!r}, expected {expected!r}")


def _score_occurred(score: Score, reading: NoteReading, note: dict[str, Any], label: str) -> None:
    assert reading.occurred_at is not None
    local = reading.occurred_at.astimezone(ZoneInfo(note["timezone"])).date()
    right = local.isoformat() == note["expect"]["occurred_on"]
    score.predicted += 1
    score.expected += 1
    score.right_predictions += right
    score.found_expectations += right
    if not right:
        score.misses.append(f"{label}: occurred {local}, expected {note['expect']['occurred_on']}")


def _score_items(
    score: Score, predicted: list[Any], expected: list[dict[str, Any]], label: str
) -> None:
    def same(item: DatedItem | Detail, want: dict[str, Any]) -> bool:
        if fold(item.person) != fold(want["person"]):
            return False
        if isinstance(item, Detail) and item.kind.value != want["kind"]:
            return False
        text = fold(item.text)
        hits = sum(fold(word) in text for word in want["words"])
        if hits < math.ceil(len(want["words"]) / 2):
            return False
        if isinstance(item, DatedItem):
            if want.get("unclear"):
                return item.on is None and bool(item.date_text)
            wanted_on = date.fromisoformat(want["on"]) if want["on"] else None
            return item.on == wanted_on
        return True

    def describe(item: DatedItem | Detail) -> str:
        extra = f" on {item.on}" if isinstance(item, DatedItem) else f" [{item.kind.value}]"
        return f"{item.person}: {item.text!r}{extra}"

    _match(score, predicted, expected, same, label, describe)


def _match(
    score: Score,
    predicted: list[Any],
    expected: list[dict[str, Any]],
    same: Any,
    label: str,
    describe: Any,
) -> None:
    unused = list(predicted)
    # Required items claim predictions first; an optional one may then absorb
    # a prediction, and counts neither way whether found or not.
    for want in sorted(expected, key=lambda w: bool(w.get("optional"))):
        hit = next((item for item in unused if same(item, want)), None)
        if hit is not None:
            unused.remove(hit)
        if want.get("optional"):
            continue
        score.expected += 1
        if hit is not None:
            score.found_expectations += 1
            score.predicted += 1
            score.right_predictions += 1
        else:
            score.misses.append(f"{label}: missed {want}")
    score.predicted += len(unused)
    score.misses.extend(f"{label}: unexpected {describe(item)}" for item in unused)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every miss")
    parser.add_argument("--style", default="", help="only notes whose style contains this")
    args = parser.parse_args()
    corpus = load_corpus()
    corpus["notes"] = [n for n in corpus["notes"] if args.style in n["style"]]
    scores = evaluate(corpus)
    print(
        f"{len(corpus['notes'])} notes; floors: precision {PRECISION_FLOOR}, recall {RECALL_FLOOR}"
    )
    print(f"{'field':<10} {'precision':>9} {'recall':>7} {'predicted':>9} {'expected':>8}")
    for name, score in scores.items():
        flag = "" if score.precision >= PRECISION_FLOOR and score.recall >= RECALL_FLOOR else "  <"
        print(
            f"{name:<10} {score.precision:>9.3f} {score.recall:>7.3f} {score.predicted:>9} "
            f"{score.expected:>8}{flag}"
        )
    if args.show:
        for name, score in scores.items():
            for miss in score.misses:
                print(f"[{name}] {miss}")


if __name__ == "__main__":
    main()
