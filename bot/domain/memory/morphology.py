"""English word forms from lemminflect's tables, loaded on first use.

lemminflect reads its lemma and inflection tables (about a third of a second)
the first time a word is asked about, so chat start-up never pays for it;
only wording a detail does, once per process.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType


@cache
def _lemminflect() -> ModuleType:
    import lemminflect

    module: ModuleType = lemminflect
    return module


@cache
def readings(word: str) -> dict[str, tuple[str, ...]]:
    """The parts of speech `word` can be, with its lemmas ({"NOUN": ("love",), "VERB": ...})."""
    return dict(_lemminflect().getAllLemmas(word.lower()))


@cache
def verb_tags(word: str) -> frozenset[str]:
    """The Penn tags (VB, VBP, VBZ, VBD, VBN, VBG) `word` has as a form of some verb."""
    lower = word.lower()
    tags: set[str] = set()
    for lemma in readings(lower).get("VERB", ()) + readings(lower).get("AUX", ()):
        for tag, forms in _lemminflect().getAllInflections(lemma, upos="VERB").items():
            if lower in forms:
                tags.add(tag)
    return frozenset(tags)


def is_noun(word: str) -> bool:
    """Tell whether `word` can be a noun (unknown words are taken to be names or nouns)."""
    found = readings(word)
    return not found or bool({"NOUN", "PROPN"} & set(found))


def only_verb(word: str) -> bool:
    """Tell whether `word` is a verb form and nothing else ("introduce", "promoted")."""
    found = readings(word)
    return bool({"VERB", "AUX"} & set(found)) and not (
        {"NOUN", "ADJ", "ADV", "PROPN", "NUM"} & set(found)
    )


@cache
def lemma(word: str) -> str:
    """The verb's plain form ("loves" -> "love", "got" -> "get"); the word itself if unknown."""
    lower = word.lower()
    found = _lemminflect().getLemma(lower, upos="VERB", lemmatize_oov=False)
    return found[0] if found else lower


@cache
def inflect(verb: str, tag: str) -> str:
    """`verb` (any form) in the Penn `tag` form: inflect("run", "VBG") -> "running"."""
    forms = _lemminflect().getInflection(lemma(verb), tag=tag)
    return forms[0] if forms else verb


def gerund(verb: str) -> str:
    """The -ing form ("move" -> "moving", "run" -> "running", "tie" -> "tying")."""
    return inflect(verb, "VBG")


def past(verb: str) -> str:
    """The simple past ("go" -> "went"); "were" for "be", as said to "you"."""
    return "were" if lemma(verb) == "be" else inflect(verb, "VBD")


def third_person(verb: str) -> str:
    """The form after "she" or "your daughter" ("start" -> "starts")."""
    return inflect(verb, "VBZ")


def plain(verb: str) -> str:
    """The form after "you" and "I" ("loves" -> "love", "is" -> "are")."""
    return "are" if lemma(verb) == "be" else lemma(verb)
