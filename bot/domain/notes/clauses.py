"""Cutting sentences into clauses and working out who each clause is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from bot.domain.notes.dates import DateMention
from bot.domain.notes.people import Found
from bot.domain.notes.text import Span, sentences, split_at

MAX_SENTENCES = 80


class Subject(Enum):
    """Who does the action of a clause."""

    USER = "user"
    PERSON = "person"
    NONE = "none"


@dataclass
class Clause:
    """One clause of the note, with its subject and the phrases inside it.

    `person` is the subject's name for Subject.PERSON, and otherwise the
    person the clause most likely concerns (the last one named before it).
    `body` is the clause text after its subject ("is presenting at KubeCon").
    """

    span: Span
    sentence: int
    subject: Subject
    person: str
    possessive: bool
    body: str
    body_start: int
    dates: list[DateMention] = field(default_factory=list)
    names: list[tuple[int, int, str]] = field(default_factory=list)


_FILLER = re.compile(
    r"^(?:(?:also|and|plus|oh|btw|apparently|turns\s+out|fyi|ps|p\.s\.|but|so|then|anyway|"
    r"update|oh\s+and|and\s+also|which|that|because|since|as|though|although|while|when|"
    r"now|ok|okay|update|actually|funny\s+enough|side\s+note|note|re|bonus|also,|lol)[\s,:]+)+",
    re.I,
)
_USER = re.compile(
    r"^(?:i|i'm|i'll|i've|i'd|im|ill|ive|id|we|we'll|we're|we've|we'd|me|my|our)\b", re.I
)
_PRONOUN = re.compile(
    r"^(?P<word>she's|he's|they're|she'll|he'll|they'll|she'd|he'd|they'd|she|he|they|"
    r"her|his|their)\b",
    re.I,
)
# Where a sentence may be cut: a comma or conjunction followed by a new subject.
_CUT = re.compile(
    r",\s+|;\s+|\s+(?:and|but|so|while|although|though|because|plus|then|whereas|also)\s+",
    re.I,
)
# A clause that starts with a verb shares the previous clause's subject.
_CONTINUES = re.compile(
    r"^(?:is|are|was|were|has|had|will|'ll|would|can|could|just|also|starts|started|runs|"
    r"moves|wants|loves|plans|hopes|needs|offered|introduced|helped|gave|promised|owe|owes|"
    r"said|mentioned|told|leads|works|joined|got|gets|recently|still|then)\b",
    re.I,
)
_STARTS_CLAUSE = re.compile(
    r"(?:(?:and|but|so|plus|also|then)\s+)?(?:i|i'm|i'll|i've|i'd|im|ill|we|we'll|we're|she|he|they|"
    r"she's|he's|they're|she'll|he'll|they'll|her|his|their|promised|owe|need\s+to|must|"
    r"will|so\s+grateful|grateful|thanks|huge\s+thanks|todo|to-?do|also|btw|plus|apparently|"
    r"turns\s+out)\b",
    re.I,
)


def build_clauses(text: str, people: list[Found], dates: list[DateMention]) -> list[Clause]:
    """Split `text` into clauses and resolve each clause's subject."""
    names = sorted(
        ((start, end, person.name) for person in people for start, end in person.spans),
        key=lambda item: item[0],
    )
    clauses: list[Clause] = []
    for number, sentence in enumerate(sentences(text)[:MAX_SENTENCES]):
        previous: Clause | None = None
        for piece in _cut(sentence, names):
            clause = _clause(piece, number, names, dates, people)
            if (
                previous is not None
                and clause.subject is Subject.NONE
                and _CONTINUES.match(clause.body)
            ):
                # "She runs the marathon on May 3 and is interviewing...": same subject.
                clause.subject, clause.person = previous.subject, previous.person
            clauses.append(clause)
            previous = clause
    return clauses


def _cut(sentence: Span, names: list[tuple[int, int, str]]) -> list[Span]:
    starts = {start for start, _, _ in names}
    cuts: list[int] = []
    for match in _CUT.finditer(sentence.text):
        at = sentence.start + match.end()
        rest = sentence.text[match.end() :]
        glue = match.group().strip().lower()
        if (
            _STARTS_CLAUSE.match(rest)
            or (at in starts and _name_then_verb(rest))
            or (glue in ("and", "but", "so") and _CONTINUES.match(rest))
        ):
            cuts.append(sentence.start + match.start())
    return split_at(sentence, cuts)


def _name_then_verb(rest: str) -> bool:
    return bool(
        re.match(
            r"[^\W\d_][\w'\-]*(?:\s+[A-Z][\w'\-]*)?(?:'s\s+\w+|\s+(?:is|was|has|had|will|just|"
            r"mentioned|said|told|introduced|offered|starts|runs|moved|wants|loves|gave|helped|"
            r"referred|invited|can|could|would|leads|works|joined|got|shared|plans|hopes|needs))",
            rest,
        )
    )


def _clause(
    piece: Span,
    number: int,
    names: list[tuple[int, int, str]],
    dates: list[DateMention],
    people: list[Found],
) -> Clause:
    filler = _FILLER.match(piece.text)
    offset = filler.end() if filler else 0
    head = piece.text[offset:]
    head_start = piece.start + offset
    inside = [n for n in names if piece.start <= n[0] < piece.end]
    earlier = [n for n in names if n[0] < piece.start]
    last = earlier[-1][2] if earlier else (people[0].name if len(people) == 1 else "")
    clause_dates = [d for d in dates if piece.start <= d.start < piece.end]

    def make(subject: Subject, person: str, possessive: bool, body_offset: int) -> Clause:
        body = head[body_offset:].lstrip(" ,")
        start = head_start + (len(head) - len(body))
        return Clause(piece, number, subject, person, possessive, body, start, clause_dates, inside)

    if _USER.match(head):
        return make(Subject.USER, inside[0][2] if inside else last, False, 0)
    leading = next((n for n in inside if n[0] == head_start), None)
    if leading is not None:
        end = leading[1] - head_start
        possessive = head[end : end + 2] == "'s" and bool(
            re.match(
                r"'s\s+(?!been\b|got\b|going\b|just\b|a\b|an\b|the\b|not\b|also\b|"
                r"[a-z]+ing\b)",
                head[end:],
            )
        )
        return make(Subject.PERSON, leading[2], possessive, end + (2 if possessive else 0))
    pronoun = _PRONOUN.match(head)
    if pronoun is not None and last:
        possessive = pronoun.group("word").lower() in ("her", "his", "their")
        return make(Subject.PERSON, last, possessive, pronoun.end())
    return make(Subject.NONE, last, False, 0)
