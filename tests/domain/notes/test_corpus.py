"""The reader on the hand-annotated notes: the tuned corpus and the fresh batch.

Both are regression tests now: the rules were tuned on the corpus, and then
on the fresh batch after it was first scored (bench/notes_quality.py keeps
the two apart, and the held-out batches that measure the reader honestly
live outside the repository).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _quality() -> ModuleType:
    """Load bench/notes_quality.py: the test and the bench score the same way."""
    path = ROOT / "bench" / "notes_quality.py"
    spec = importlib.util.spec_from_file_location("notes_quality", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


QUALITY = _quality()
SCORES = {
    name: QUALITY.evaluate(QUALITY.load_corpus(path)) for name, path in QUALITY.CORPORA.items()
}
SCORED = [
    (name, field) for name, scores in SCORES.items() for field, s in scores.items() if s.scored
]


def test_corpus_is_big_and_varied() -> None:
    corpus = QUALITY.load_corpus()
    notes = corpus["notes"]

    assert len(notes) >= 80
    assert len({note["text"] for note in notes}) == len(notes)
    assert any(not note["expect"]["people"] for note in notes)
    assert any(len(note["expect"]["people"]) >= 3 for note in notes)
    assert any(note["text"] == note["text"].lower() for note in notes)
    assert any(any(ord(ch) > 0x2000 for ch in note["text"]) for note in notes)  # emoji
    assert len({note["timezone"] for note in notes}) >= 5


def test_the_fresh_batch_scores_every_field_of_the_issue() -> None:
    fields = {field for name, field in SCORED if name == "fresh"}

    # Only the third batch annotates meetings still ahead.
    assert set(QUALITY.FIELDS) - {"planned"} <= fields
    assert "planned" in {field for name, field in SCORED if name == "fresh3"}
    assert len(QUALITY.load_corpus(QUALITY.FRESH)["notes"]) >= 60


# The third to sixteenth batches measure defects found later: the third has its own floors
# below, and every batch keeps at least the notes it reads with no miss today.
FLOORED = [
    (corpus, field)
    for corpus, field in SCORED
    if corpus
    not in (
        "fresh3",
        "fresh4",
        "fresh5",
        "fresh6",
        "fresh7",
        "fresh8",
        "fresh9",
        "fresh10",
        "fresh11",
        "fresh12",
        "fresh13",
        "fresh14",
        "fresh15",
        "fresh16",
    )
]
# Notes read with no miss, per corpus, when each was last tuned on: a round may add, never lose.
CLEAN_AT_LEAST = {
    # n146 ("Walked around Tempelhof with Jonas") is filed as "other" since 2026-12-04, as
    # eight fresh notes from seven batches file a walk.
    "tuned": 182,
    # 62, not 63: the first batch files "ran into jose at the starbucks" as a meeting; batches
    # four to nine file a chance encounter as "other", and the reader now follows them.
    # 61, not 62: it files "runs their wholesale side" as a detail, where batches 11 and 12
    # file "running their uk expansion" as the job, as the reader now does.
    "fresh": 61,
    "fresh3": 15,
    "fresh4": 36,
    "fresh5": 42,
    "fresh6": 30,
    "fresh7": 29,
    "fresh8": 35,
    "fresh9": 46,
    "fresh10": 27,
    # Written blind on 2026-12-03: 15 clean on the session's starting code (6b9199b),
    # 25 after tuning on it that day.
    "fresh11": 29,
    # Written blind on 2026-12-04: 15 clean on the session's starting code (92ba72d),
    # 16 on the session's code before it was read (6 commits later), 26 after tuning on it.
    "fresh12": 29,
    # Written blind on 2026-12-07: 13 clean on the session's starting code (2d81a66),
    # 33 after tuning on it.
    "fresh13": 33,
    # Written blind on 2026-12-07 and kept out of the repository through that day's round on
    # fresh13: 13 clean on the session's starting code (2d81a66), 15 after the round, 38 after
    # tuning on it.
    "fresh14": 38,
    # Written blind on 2026-12-07 and kept out of the repository through that day's two rounds
    # (on fresh13 and fresh14): 11 clean on the session's starting code (2d81a66), 13 at its
    # end; 15 after a first round tuning on it (2026-12-08).
    "fresh15": 15,
    "fresh16": 12,
}


@pytest.mark.parametrize(("corpus", "least"), CLEAN_AT_LEAST.items())
def test_no_batch_loses_a_note_it_read_cleanly(corpus: str, least: int) -> None:
    found = QUALITY.evaluate_fully(QUALITY.load_corpus(QUALITY.CORPORA[corpus]))

    assert found.clean >= least


@pytest.mark.parametrize(("corpus", "field"), FLOORED)
def test_field_is_above_the_floor(corpus: str, field: str) -> None:
    score = SCORES[corpus][field]
    misses = "\n".join(score.misses)

    assert score.precision >= QUALITY.PRECISION_FLOOR, misses
    assert score.recall >= QUALITY.RECALL_FLOOR, misses


# Where the third batch reaches the floors; its other fields fall short (see the report).
# Its occasion is left out: it leaves "the climate tech meetup" unnamed, where the fourth
# and fifth batches name "the fintech meetup" and "the berlin product meetup".
THIRD_AT_FLOOR = ("people", "mentioned", "kind", "occurred", "planned")


@pytest.mark.parametrize("field", THIRD_AT_FLOOR)
def test_the_third_batch_stays_above_the_floor(field: str) -> None:
    score = SCORES["fresh3"][field]
    misses = "\n".join(score.misses)

    assert score.precision >= QUALITY.PRECISION_FLOOR, misses
    assert score.recall >= QUALITY.RECALL_FLOOR, misses
