"""English word forms from lemminflect's tables, loaded on first use.

lemminflect reads its lemma and inflection tables (about a third of a second)
the first time a word is asked about, so chat start-up never pays for it;
only wording a detail does, once per process.
"""

from __future__ import annotations

import re
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
    found = dict(_lemminflect().getAllLemmas(word.lower()))
    prefix, rest = _prefixed(word)
    if not found and prefix:
        # "co-host", "re-run": the tables know "host" and "run"; the prefix rides along.
        inner = _lemminflect().getAllLemmas(rest)
        found = {pos: tuple(prefix + lemma for lemma in lemmas) for pos, lemmas in inner.items()}
    return found


_PREFIX = re.compile(r"^(co-|re-|pre-|e-|un-|over-|under-|out-)(?=[a-z]{2,}$)", re.I)


def _prefixed(word: str) -> tuple[str, str]:
    """ "co-host" gives ("co-", "host"); a word without such a prefix ("", word)."""
    match = _PREFIX.match(word.lower())
    return (match.group(1), word.lower()[match.end() :]) if match else ("", word.lower())


@cache
def verb_tags(word: str) -> frozenset[str]:
    """The Penn tags (VB, VBP, VBZ, VBD, VBN, VBG) `word` has as a form of some verb."""
    prefix, lower = _prefixed(word)
    if prefix and _lemminflect().getAllLemmas(word.lower()):
        prefix, lower = "", word.lower()  # a hyphenated word the tables know as it is
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
    prefix, rest = _prefixed(lower)
    if not found and prefix:
        inner = _lemminflect().getLemma(rest, upos="VERB", lemmatize_oov=False)
        return prefix + inner[0] if inner else lower
    return found[0] if found else lower


@cache
def inflect(verb: str, tag: str) -> str:
    """`verb` (any form) in the Penn `tag` form: inflect("run", "VBG") -> "running"."""
    base = lemma(verb)
    forms = _lemminflect().getInflection(base, tag=tag)
    prefix, rest = _prefixed(base)
    if not forms and prefix:
        inner = _lemminflect().getInflection(rest, tag=tag)
        return prefix + inner[0] if inner else verb
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


# Nouns whose -s form is their only form, or that take a singular verb.
_NOT_PLURAL = frozenset(["news", "series", "data", "physics", "species", "means", "glasses"])
_HEAD_ENDS = re.compile(r"\s+(?:of|for|on|from|with|about|to|at|in|by|re)\s+", re.I)


def plural(noun_phrase: str) -> bool:
    """Tell whether a noun phrase names more than one thing ("my notes on pricing", "two names")."""
    head_words = _HEAD_ENDS.split(noun_phrase, maxsplit=1)[0].split()
    head = head_words[-1] if head_words else ""
    if not head.islower() or head in _NOT_PLURAL:
        return False  # a name ("Kubernetes") or a word that only looks plural
    nouns = readings(head).get("NOUN", ())
    return bool(nouns) and head not in nouns
