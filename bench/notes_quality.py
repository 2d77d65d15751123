"""How well does the note reader read hand-annotated notes?

Runs `read_note` on every note of a corpus and prints precision and recall
per field, for two corpora kept apart:

- the tuned corpus (tests/data/notes_corpus.json): the rules were tuned on
  it, so its figures are a regression test, not a measure;
- the fresh batches (tests/data/notes_fresh_dev*.json): phone-typed notes
  annotated before the reader was run on them, each first scored before any
  rule was changed for it.

A predicted item matches an expected one when it names the same person,
carries at least half of the expected key words, and has the same date
(or, for an "unclear" date, keeps the words with no date) and, for events,
the same timing (ahead or past). A person matches by name, contact and
candidates; an affiliation by person and at least half the words of the
company or role. Items marked optional count neither way. Each prediction
matches at most one expectation. A field a corpus does not annotate (the
tuned corpus has no "mentioned", say) is not scored for it.

    python bench/notes_quality.py [--show] [--style WORD]
        [--corpus tuned|fresh|fresh3|...|fresh16|both] [--file HELD_OUT.json]

--show lists every miss; --style keeps only notes whose style contains WORD.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, InteractionKind
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CORPUS = DATA / "notes_corpus.json"
FRESH = DATA / "notes_fresh_dev.json"
FRESH3 = DATA / "notes_fresh_dev3.json"
FRESH4 = DATA / "notes_fresh_dev4.json"
FRESH5 = DATA / "notes_fresh_dev5.json"
FRESH6 = DATA / "notes_fresh_dev6.json"
FRESH7 = DATA / "notes_fresh_dev7.json"
FRESH8 = DATA / "notes_fresh_dev8.json"
FRESH9 = DATA / "notes_fresh_dev9.json"
FRESH10 = DATA / "notes_fresh_dev10.json"
FRESH11 = DATA / "notes_fresh_dev11.json"
FRESH12 = DATA / "notes_fresh_dev12.json"
FRESH13 = DATA / "notes_fresh_dev13.json"
FRESH14 = DATA / "notes_fresh_dev14.json"
FRESH15 = DATA / "notes_fresh_dev15.json"
FRESH16 = DATA / "notes_fresh_dev16.json"
CORPORA = {
    "tuned": CORPUS,
    "fresh": FRESH,
    "fresh3": FRESH3,
    "fresh4": FRESH4,
    "fresh5": FRESH5,
    "fresh6": FRESH6,
    "fresh7": FRESH7,
    "fresh8": FRESH8,
    "fresh9": FRESH9,
    "fresh10": FRESH10,
    "fresh11": FRESH11,
    "fresh12": FRESH12,
    "fresh13": FRESH13,
    "fresh14": FRESH14,
    "fresh15": FRESH15,
    "fresh16": FRESH16,
}
ITEM_FIELDS = ("events", "promises", "offers", "gratitude", "details", "birthdays", "next_steps")
FIELDS = (
    "people",
    "mentioned",
    "affiliation",
    "kind",
    "occasion",
    "occurred",
    "planned",
    *ITEM_FIELDS,
)
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85


@dataclass
class Score:
    """Counts for one field over a corpus."""

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

    @property
    def scored(self) -> bool:
        return bool(self.predicted or self.expected)


@dataclass
class Evaluation:
    """Scores per field, and how many notes were read with no miss at all."""

    scores: dict[str, Score]
    notes: int
    clean: int


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
    """Score every field over a corpus (the tuned one by default)."""
    return evaluate_fully(corpus).scores


def evaluate_fully(corpus: dict[str, Any] | None = None) -> Evaluation:
    """Score every field, and count the notes read without a single miss."""
    corpus = corpus or load_corpus()
    contacts = contacts_of(corpus)
    scores = {name: Score() for name in FIELDS}
    clean = 0
    for note in corpus["notes"]:
        before = sum(len(s.misses) for s in scores.values())
        score_note(scores, note, read(note, contacts))
        clean += sum(len(s.misses) for s in scores.values()) == before
    return Evaluation(scores, len(corpus["notes"]), clean)


def score_note(scores: dict[str, Score], note: dict[str, Any], reading: NoteReading) -> None:
    """Add one note's reading to `scores`."""
    expect = note["expect"]
    label = f"{note['id']} {note['text'][:50]!r}"
    present = list(reading.people)
    _score_people(scores["people"], present, expect["people"], label)
    if "mentioned" in expect:
        mentioned = list(getattr(reading, "mentioned", []))
        _score_people(scores["mentioned"], mentioned, expect["mentioned"], label)
    if any("company" in p for p in expect["people"]):
        _score_affiliation(scores["affiliation"], present, expect["people"], label)
    _score_kind(scores["kind"], reading.kind, expect["kind"], label)
    if "occasion" in expect:
        occasion = str(getattr(reading, "occasion", ""))
        _score_occasion(scores["occasion"], occasion, expect["occasion"], label)
    _score_occurred(scores["occurred"], reading, note, label)
    if "planned" in expect:
        _score_planned(scores["planned"], bool(getattr(reading, "planned", False)), expect, label)
    for name in ITEM_FIELDS:
        if name in expect:
            predicted = list(getattr(reading, name, []))
            _score_items(scores[name], predicted, expect[name], label, timed=name == "events")


def _score_people(
    score: Score, people: Sequence[Any], expected: list[dict[str, Any]], label: str
) -> None:
    def same(person: Any, want: dict[str, Any]) -> bool:
        return (
            fold(person.name) == fold(want["name"])
            and person.contact_id == want.get("contact_id")
            and sorted(person.candidates) == sorted(want.get("candidates", []))
        )

    _match(score, list(people), expected, same, label, describe=lambda p: p.name)


_AFFILIATION_STOP = frozenset({"a", "an", "the", "at", "of", "in", "for", "and", "&"})


def _affiliation_words(value: str) -> list[str]:
    return [w for w in re.findall(r"[\w']+|&", fold(value)) if w not in _AFFILIATION_STOP]


def _score_affiliation(
    score: Score, people: Sequence[Any], expected: list[dict[str, Any]], label: str
) -> None:
    """Company and role of each person met, as the note states them."""
    predicted = [
        (p.name, part, value)
        for p in people
        for part, value in (("company", p.company), ("role", p.role))
        if value
    ]
    wanted = [
        {"person": p["name"], "part": part, "value": p[part]}
        for p in expected
        for part in ("company", "role")
        if p.get(part)
    ]

    def same(item: tuple[str, str, str], want: dict[str, Any]) -> bool:
        name, part, value = item
        if fold(name) != fold(want["person"]) or part != want["part"]:
            return False
        words = _affiliation_words(want["value"])
        got = " ".join(_affiliation_words(value))
        hits = sum(word in got for word in words)
        return bool(words) and hits >= math.ceil(len(words) / 2)

    _match(score, predicted, wanted, same, label, describe=lambda i: f"{i[0]} {i[1]}={i[2]!r}")


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


def _score_occasion(score: Score, occasion: str, expected: str, label: str) -> None:
    def norm(text: str) -> str:
        return re.sub(r"^the\s+", "", " ".join(fold(text).split()))

    right = bool(occasion) and norm(occasion) == norm(expected)
    score.predicted += bool(occasion)
    score.right_predictions += right
    score.expected += bool(expected)
    score.found_expectations += right and bool(expected)
    if norm(occasion) != norm(expected):
        score.misses.append(f"{label}: occasion {occasion!r}, expected {expected!r}")


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


def _score_planned(score: Score, planned: bool, expect: dict[str, Any], label: str) -> None:
    """Whether the meeting is still ahead: a prediction is a reading marked planned."""
    wanted = bool(expect["planned"])
    score.predicted += planned
    score.right_predictions += planned and wanted
    score.expected += wanted
    score.found_expectations += planned and wanted
    if planned != wanted:
        score.misses.append(f"{label}: planned {planned}, expected {wanted}")


def _score_items(
    score: Score, predicted: list[Any], expected: list[dict[str, Any]], label: str, *, timed: bool
) -> None:
    def same(item: Any, want: dict[str, Any]) -> bool:
        if fold(item.person) != fold(want["person"]):
            return False
        if "kind" in want and getattr(item, "kind", None) != want["kind"]:
            return False
        if "words" in want:
            text = fold(item.text)
            hits = sum(fold(word) in text for word in want["words"])
            if hits < math.ceil(len(want["words"]) / 2):
                return False
        if timed and "timing" in want:
            past = bool(getattr(item, "past", False))
            if past != (want["timing"] == "past"):
                return False
        if not hasattr(item, "on"):
            return True
        approximate = bool(getattr(item, "approximate", False))
        if want.get("month"):
            # "in March": that month's next occurrence, flagged approximate, never a made-up day.
            on = item.on.isoformat()[:7] if item.on is not None else ""
            return approximate and on == want["month"]
        if want.get("unclear"):
            # Not pinned to a day: no date, or only an approximate month.
            return (item.on is None or approximate) and bool(item.date_text)
        if want["on"] and len(want["on"]) == 5:  # a birthday: MM-DD
            return item.on is not None and item.on.strftime("%m-%d") == want["on"]
        wanted_on = date.fromisoformat(want["on"]) if want["on"] else None
        return bool(item.on == wanted_on)

    def describe(item: Any) -> str:
        kind = getattr(item, "kind", None)
        extra = f" [{kind}]" if kind is not None else f" on {getattr(item, 'on', None)}"
        if getattr(item, "past", False):
            extra += " (past)"
        return f"{item.person}: {item.text!r}{extra}"

    _match(score, predicted, expected, same, label, describe)


def _match(
    score: Score,
    predicted: list[Any],
    expected: list[dict[str, Any]],
    same: Callable[[Any, dict[str, Any]], bool],
    label: str,
    describe: Callable[[Any], str],
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


def report(name: str, evaluation: Evaluation, *, show: bool) -> None:
    """Print one corpus's table (and its misses with `show`)."""
    print(f"\n{name}: {evaluation.notes} notes, {evaluation.clean} read with no miss")
    print(f"{'field':<12} {'precision':>9} {'recall':>7} {'predicted':>9} {'expected':>8}")
    for field_name, score in evaluation.scores.items():
        if not score.scored:
            continue
        short = score.precision < PRECISION_FLOOR or score.recall < RECALL_FLOOR
        precision = f"{score.precision:.3f}" if score.predicted else "n/a"
        print(
            f"{field_name:<12} {precision:>9} {score.recall:>7.3f} "
            f"{score.predicted:>9} {score.expected:>8}{'  <' if short else ''}"
        )
    if show:
        for field_name, score in evaluation.scores.items():
            for miss in score.misses:
                print(f"[{field_name}] {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every miss")
    parser.add_argument("--corpus", choices=(*CORPORA, "both"), default="both")
    parser.add_argument("--style", default="", help="only notes whose style contains this")
    parser.add_argument(
        "--file", type=Path, help="score this batch only (a held-out one kept out of the repo)"
    )
    args = parser.parse_args()
    print(f"floors: precision {PRECISION_FLOOR}, recall {RECALL_FLOOR}")
    if args.file is not None:
        report(
            f"held-out batch {args.file.name}",
            evaluate_fully(load_corpus(args.file)),
            show=args.show,
        )
        return
    for name, path in CORPORA.items():
        if args.corpus not in (name, "both"):
            continue
        corpus = load_corpus(path)
        corpus["notes"] = [n for n in corpus["notes"] if args.style in n["style"]]
        label = {
            "tuned": "tuned corpus (a regression test)",
            "fresh": "fresh batch",
            "fresh3": "third fresh batch",
            "fresh4": "fourth fresh batch (scored first before tuning)",
            "fresh5": "fifth fresh batch (scored first before tuning)",
            "fresh6": "sixth fresh batch (held out, then tuned on; see the README)",
            "fresh7": "seventh fresh batch (held out, then tuned on; see the README)",
            "fresh8": "eighth fresh batch (held out, then tuned on; see the README)",
            "fresh9": "ninth fresh batch (held out, then tuned on; see the README)",
            "fresh10": "tenth fresh batch (held out, then tuned on; see the README)",
            "fresh11": "eleventh fresh batch (held out, then tuned on; see the README)",
            "fresh12": "twelfth fresh batch (held out, then tuned on; see the README)",
            "fresh13": "thirteenth fresh batch (held out, then tuned on; see the README)",
            "fresh14": "fourteenth fresh batch (held out through a tuning round, then tuned on)",
            "fresh15": "fifteenth fresh batch (held out through two rounds, then tuned on)",
            "fresh16": "sixteenth fresh batch (held out through the round on 15; not tuned on)",
        }[name]
        report(label, evaluate_fully(corpus), show=args.show)


if __name__ == "__main__":
    main()
