"""Cutting sentences into clauses and working out who each clause is about."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from enum import Enum

from bot.domain.notes.dates import DateMention
from bot.domain.notes.names import RELATIONS
from bot.domain.notes.people import Found
from bot.domain.notes.said_of import verb_said_of_someone
from bot.domain.notes.text import EMOJI, Span, sentences, split_at

_EMOJI = re.compile(EMOJI + "+")
# Caps that keep hostile input fast; a real note is far smaller.
MAX_SENTENCES = 80
MAX_CLAUSES = 100
MAX_CLAUSE_CHARS = 300


class Subject(Enum):
    """Who does the action of a clause."""

    USER = "user"
    PERSON = "person"
    NONE = "none"


@dataclass
class Clause:
    """One clause of the note, with its subject and the phrases inside it.

    `person` is the subject's name for Subject.PERSON, and otherwise the
    person the clause most likely concerns. `body` is the clause text after
    its subject ("is presenting at KubeCon"), starting at `body_start`.
    `refs` says whom "she", "he" and "they" mean at this point of the note.
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
    refs: dict[str, str] = field(default_factory=dict)
    # Set on "cindy's brother, pm at shopify" after a name: the body says what that one is.
    apposed: bool = False

    def pronoun_person(self, word: str) -> str:
        """Whom a pronoun in this clause refers to ("" if nobody)."""
        return self.refs.get(GENDER.get(word.lower(), "they"), "")


# Pronouns by the person they stand for; anything else ("they", "them") is "they".
GENDER = {"she": "she", "her": "she", "hers": "she", "he": "he", "him": "he", "his": "he"}

_FILLER = re.compile(
    r"^(?:(?:also|and|plus|oh|btw|apparently|turns\s+out|fyi|ps|p\.s\.|but|so|then|anyway|"
    r"update|oh\s+and|and\s+also|which|that|because|since|as|though|although|while|when|"
    r"now|ok|okay|actually|funny\s+enough|side\s+note|note|re|bonus|lol|today|yesterday|"
    r"tonight|later|earlier|afterwards|after\s+that|this\s+morning|this\s+afternoon|"
    r"by\s+the\s+way|sadly|luckily|honestly|basically|anyhow)[\s,:]+)+",
    re.I,
)
_USER = re.compile(
    r"^(?:i|i'm|i'll|i've|i'd|im|ill|ive|id|we|we'll|we're|we've|we'd|me|my|our)\b", re.I
)
# Only the pronoun itself is consumed: "she'll send me" keeps "'ll send me" as
# its body, so the offer is still recognised.
_PRONOUN = re.compile(r"^(?P<word>she|he|they|her|his|their)(?='|\b)", re.I)
_OBJECT_PRONOUN = re.compile(r"\b(?:her|him|his|them|their)\b", re.I)
# Where a sentence may be cut: a comma or conjunction followed by a new subject.
_CUT = re.compile(
    r",\s+|;\s+|\s+[+&]\s+|\s+(?:and|n|but|so|while|although|though|because|plus|then|whereas|also"
    r"|if)\s+|\s+(?=who(?:'s)?\s)",
    re.I,
)
# "sara who works at stripe", "tom who's head of design": a clause about the one just named.
_WHO = re.compile(r"who\b", re.I)
# A clause that starts with a verb shares the previous clause's subject.
_CONTINUES = re.compile(
    r"^(?:is|are|was|were|has|had|will|'ll|would|can|could|just|also|starts|started|runs|"
    r"moves|wants|loves|likes|enjoys|plays|lives|plans|hopes|needs|offered|introduced|helped|"
    r"gave|promised|owe|owes|said|mentioned|told|leads|works|joined|got|gets|recently|still|"
    r"looking|trying|thinking|keeps|kindly|volunteered|agreed|invited|referred|recommended|"
    r"shared|put|connected|took|spent|doing|going|heading|flying|moving|hosting|running|"
    r"taking|getting|starting|launching|leaving|asked)\b",
    re.I,
)
# A clause with no subject that opens with one of these verbs is about the
# person just discussed: "Struggling with her visa paperwork though."
_IMPLICIT_SUBJECT = re.compile(
    r"^(?!leaving\s+(?:drinks|party|do|dinner|lunch)\b)"
    r"(?:struggling|struggles|loves|wants|hopes|plans|plays|works|worried|stressed|training|"
    r"trains|learning|looking|thinking|moving|starting|launching|interviewing|presenting|"
    r"speaking|running|leads|manages|runs|lives|enjoys|likes|introduced|helped|"
    r"referred|recommended|dealing|burned|burnt|exhausted|overwhelmed|expecting|"
    r"getting|flying|travelling|traveling|heading|relocating|starts|due|back|off|leaves|"
    r"leaving|flies|arrives|returns|gave\s+(?:me|us)|moves|opening|joining|retiring|retired|"
    r"defending|graduating|owes|just\s+(?:back|got|ran|finished|had|moved|started)|into|has|"
    # "asked me to water his plants": "me" is the object, so someone else asked.
    r"asked\s+(?:me|us|if|whether)|wants\s+me|"
    r"big\s+on|big\s+into|obsessed|wife|husband|partner|kids|two\s+kids|\d+\s*(?:kids|yo)|"
    r"a\s+\d+\s*yo|"
    r"still|recently|now\s+\w+s)\b",
    re.I,
)
_STARTS_CLAUSE = re.compile(
    r"(?:(?:and|but|so|plus|also|then|today|yesterday|later|now|tonight)\s+)*"
    r"(?:i|i'm|i'll|i've|i'd|im|ill|we|we'll|we're|she|he|they|she's|he's|they're|she'll|he'll|they'll|her|his|their|promised|owe|need\s+to|must|"
    r"will|so\s+grateful|grateful|thanks|huge\s+thanks|todo|to-?do|also|btw|plus|apparently|"
    r"turns\s+out|fyi|ps|tbh|honestly|sadly|luckily|don'?t|do\s+not|never\s+(?:mention|bring))\b",
    re.I,
)
# After a comma a verb with the same subject starts the next item of a lumped
# list: "is Head of Design at Miro, loves sailing, has a baby girl".
_LIST_ITEM = re.compile(
    r"(?:loves?|likes?|enjoys?|has|have|had|is|was|works?|plays?|runs?|lives?|into|big\s+on|"
    r"big\s+into|ex-\w+|"
    r"obsessed|training|trains|married|expecting|based|volunteers|coaches|teaches|writes|"
    r"just\s+\w+|now\s+\w+|also\s+\w+|recently\s+\w+|getting\s+into|been\s+getting|"
    r"(?:a\s+)?(?:baby|wife|husband|kids|(?:two|three|four|\d+)\s+kids|twins|\d+\s*yo)\b|still\s+\w+|"
    r"(?!thinking|hoping|looking|going)[a-z]+ing\s+(?:his|her|their|a|an|the|to|in|on|up)\b|"
    r"wants|hopes|plans|needs|thinks|off\s+to|heading\s+to|flying\s+to|"
    r"(?:the\s+|his\s+|her\s+|their\s+)?[a-z]+\s+(?:closes|opens|starts|begins|comes\s+out|ends)\b)\b",
    re.I,
)
# A clause opening with one of these verbs, and no subject, tells what the user did:
# "Met her partner Luis", "told him not to worry", "Thanked him for the intro".
_USER_VERB = re.compile(
    r"^(?:met|told|thanked|emailed|texted|messaged|gave\s+(?:him|her|them)|reminded|"
    r"congratulated|introduced\s+(?:him|her|them)|spoke|chatted|sat|"
    # "sent flowers to the hospital": what the user did, no detail of theirs.
    r"sent|bought|brought|ordered|booked|dropped\s+off|picked\s+up|paid\s+for|posted|mailed)\b",
    re.I,
)
# A verb in the past with no subject after a comma is what the user did.
_USER_DID = re.compile(
    r"(?:thanked|thx'?d|told|promised|offered|said|asked|suggested|sent|emailed|texted|gave|invited|"
    r"reminded|congratulated|agreed|talked|chatted|discussed|spoke)\b",
    re.I,
)
# "she'll send the deck + put me in touch w ruben": a second favour to the user.
_FAVOUR_FOR_ME = re.compile(r"(?:put|get|intro|introduce|connect|loop|ping)\s+(?:me|us)\b", re.I)
# After a comma an imperative starts a new to-do: "intro her to Jonas, share the deck".
_STARTS_TODO = re.compile(
    r"(?:send|share|intro|email|thank|follow\s+up|remind|ask|check\s+in|buy|call|book|ping|text|"
    r"message|dm|reply|forward|invite|review|write|draft|set\s+up|find|visit|drop\s+off)\b",
    re.I,
)


def build_clauses(text: str, people: list[Found], dates: list[DateMention]) -> list[Clause]:
    """Split `text` into clauses and resolve each clause's subject and pronouns."""
    names = sorted(
        ((start, end, person.name) for person in people for start, end in person.spans),
        key=lambda item: item[0],
    )
    salience = _Salience(names, people)
    clauses: list[Clause] = []
    carried: list[DateMention] = []
    for number, sentence in enumerate(sentences(text)[:MAX_SENTENCES]):
        previous: Clause | None = None
        for piece in _cut(sentence, names)[: MAX_CLAUSES - len(clauses)]:
            clause = _clause(piece, number, names, dates, salience, previous)
            if carried:
                # The heading's date counts from the start of the clause it heads.
                moved = [replace(d, start=piece.start, end=piece.start) for d in carried]
                clause.dates = moved + clause.dates
                carried = []
            if len(clause.dates) == 1 and clause.dates[0].text == piece.text:
                # "tmrw: send Kenji the budget": a date heading belongs to what follows.
                carried = clause.dates
                continue
            salience.after(clause)
            clauses.append(clause)
            previous = clause
    return clauses


def _cut(sentence: Span, names: list[tuple[int, int, str]]) -> list[Span]:
    starts = {start for start, _, _ in names}
    ends = {end for _, end, _ in names}
    cuts: list[int] = []
    for match in _CUT.finditer(sentence.text):
        at = sentence.start + match.end()
        rest = sentence.text[match.end() :]
        glue = match.group().strip().lower()
        if not glue:  # before "who": a clause only right after a name
            if sentence.start + match.start() in ends:
                cuts.append(sentence.start + match.start())
            continue
        if glue == "if" and not _OUR_CONDITION.match(rest):
            continue  # "if we send the budget" is ours; "if she can" stays with its clause
        if glue in ("+", "&") and not (
            _STARTS_TODO.match(rest) or _FAVOUR_FOR_ME.match(rest) or _said_of_someone(rest)
        ):
            continue  # "Priya & Jonas" is a list; "+ send Jonas the invoice" a new to-do
        if glue in ("and", "&", "+") and _companion(rest, at, starts):
            continue  # "lunch w amara and her colleague tom on monday": one more person met
        if glue in ("if", "+", "&") or (
            _STARTS_CLAUSE.match(rest)
            or (glue in (",", ";") and _STARTS_TODO.match(rest))
            or (glue == "," and _LIST_ITEM.match(rest))
            # "She helped me with the deck, thanked her in person": the user's doing.
            or (glue == "," and _USER_DID.match(rest))
            # "bumped into Astrid, who's speaking tomorrow": about the one just named.
            or (glue == "," and _WHO.match(rest) and sentence.start + match.start() in ends)
            # "Send a card and check in with her", "I'll find a cover and ping him": to-dos.
            or (glue == "and" and _STARTS_TODO.match(rest) and _todo_piece(sentence, cuts, match))
            or (at in starts and _name_then_verb(rest))
            # "Aylin has twins, and Dana wants feedback": a new subject after the conjunction.
            or (glue == "," and _new_subject_after_conjunction(rest, at, starts))
            or (glue in ("and", "but", "so") and _CONTINUES.match(rest))
        ):
            cuts.append(sentence.start + match.start())
    return split_at(sentence, cuts)


# A verb form "I" never takes: "works", "loves", "is", "has".
_THIRD_PERSON = re.compile(r"(?:is|has|does|(?!was\b)[a-z]+[^s\W]s)\b", re.I)
_OUR_CONDITION = re.compile(
    r"(?:i|we)\s+(?:can\s+)?(?:send|share|get|deliver|submit|provide|pay|sign|finish|do|make|"
    r"hand|give|bring)\b",
    re.I,
)
_OPENS_MINE = re.compile(r"\s*(?:i|i'll|i'd|ill|we'll|will|need\s+to|must|gotta|todo)\b", re.I)


def _todo_piece(sentence: Span, cuts: list[int], match: re.Match[str]) -> bool:
    """Whether the piece before this "and" is the user's to-do (so what follows may be one)."""
    start = max([c - sentence.start for c in cuts], default=0)
    piece = sentence.text[start : match.start()].lstrip(" ,;")
    return bool(_STARTS_TODO.match(piece) or _OPENS_MINE.match(piece))


def _relative_named(
    head: str, after: int, head_start: int, inside: list[tuple[int, int, str]]
) -> tuple[str, int, bool] | None:
    """ "his husband Leo's ...": (Leo, where his name ends, whether "'s" follows)."""
    named = None
    # One word of relation ("his husband Leo") or two ("her business partner Camila").
    for relation in (r"\s+[\w\-]+,?\s+", r"\s+[\w\-]+\s+[\w\-]+,?\s+"):
        match = re.match(relation, head[after:])
        if match is not None:
            at = head_start + after + match.end()
            named = next((n for n in inside if n[0] == at), None)
        if named is not None:
            break
    if named is None:
        return None
    end = named[1] - head_start
    return named[2], end, head[end : end + 2] == "'s"


# One word of relation ("her colleague Tom") or two ("his business partner Ana").
_RELATIONS = tuple(
    re.compile(r"(?:her|his|their)\s+" + words, re.I)
    for words in (r"[\w\-]+\s+", r"[\w\-]+\s+[\w\-]+\s+")
)


def _companion(rest: str, at: int, starts: set[int]) -> bool:
    """Whether `rest` names someone by relation with no verb of their own ("her colleague Tom")."""
    for relation in _RELATIONS:
        match = relation.match(rest)
        if match is not None and at + match.end() in starts:
            return not _name_then_verb(rest[match.end() :])
    return False


def _new_subject_after_conjunction(rest: str, at: int, starts: set[int]) -> bool:
    glue = re.match(r"(?:and|but|so|then|while|whereas)\s+", rest, re.I)
    if glue is None or at + glue.end() not in starts:
        return False
    return _name_then_verb(rest[glue.end() :])


def _name_then_verb(rest: str) -> bool:
    return bool(
        re.match(
            r"[^\W\d_][\w'\-]*(?:\s+[A-Z][\w'\-]*)?(?:'s\s+\w+|\s+(?:is|was|has|had|will|just|"
            r"mentioned|said|told|introduced|offered|starts|runs|moved|wants|loves|gave|helped|"
            r"referred|invited|can|could|would|leads|works|joined|got|shared|plans|hopes|needs))",
            rest,
        )
    )


class _Salience:
    """Who "she", "he" and "they" mean, read left to right.

    A pronoun keeps the person it was last bound to unless someone new has
    been named since; otherwise it means the last clause's subject, or else
    the last person named, skipping whoever the other gendered pronoun is
    bound to (after "Sam ... he", "she" is not Sam).
    """

    def __init__(self, names: list[tuple[int, int, str]], people: list[Found]) -> None:
        self.names = names
        self.starts = [start for start, _, _ in names]
        self.first_seen = {person.name: person.first for person in people}
        self.genders = {person.name: person.gender for person in people}
        self.bound: dict[str, tuple[str, int]] = {}
        self.last_subject = ""
        self.last_subject_at = -1
        self.last_bound = ""

    def refs(self, at: int) -> dict[str, str]:
        return {gender: self.resolve(gender, at) for gender in ("she", "he", "they")}

    def resolve(self, gender: str, at: int) -> str:
        binding = self.bound.get(gender)
        if binding is not None:
            person, since = binding
            # "karim's cousin, he set it up ... omar's a chess nut ... he'll share": a
            # subject of the same gender since takes "he" over.
            if not any(since < first < at for first in self.first_seen.values()) and not (
                self._subject_since(person, since, at, gender)
            ):
                return person
        if gender == "they" and self.names:
            # "They're demoing", "their twins": the group is named by its first member.
            return self.names[0][2]
        other = {"she": "he", "he": "she"}.get(gender)
        blocked = {self.bound[other][0]} if other in self.bound else set()
        before = [name for _, _, name in reversed(self.names[: bisect_left(self.starts, at)])]
        # "grabbed coffee w/ john carter, his daughter...": someone named since the last
        # subject's clause (as what the user did) is who a pronoun now means.
        named_since = [
            name
            for start, _, name in reversed(self.names[: bisect_left(self.starts, at)])
            if start > self.last_subject_at
        ]
        candidates = named_since + ([self.last_subject] if self.last_subject else []) + before
        candidates = [c for c in candidates if c not in blocked]
        # "she" is never a man and "he" never a woman; a name known to fit comes first.
        wanted = {"she": "female", "he": "male"}.get(gender, "")
        fitting = [c for c in candidates if self.genders.get(c, "") in (wanted, "")]
        sure = [c for c in fitting if wanted and self.genders.get(c) == wanted]
        if sure and fitting and self.genders.get(fitting[0], "") == "" and sure[0] != fitting[0]:
            return sure[0]
        return fitting[0] if fitting else (candidates[0] if candidates else "")

    def _subject_since(self, person: str, since: int, at: int, gender: str) -> bool:
        """True when someone else of the pronoun's gender was a clause's subject since."""
        wanted = {"she": "female", "he": "male"}.get(gender, "")
        return bool(wanted) and (
            self.last_subject not in ("", person)
            and self.last_subject_at > since
            and self.genders.get(self.last_subject) == wanted
        )

    def bind(self, word: str, person: str, at: int) -> None:
        if person:
            self.bound[GENDER.get(word.lower(), "they")] = (person, at)
            self.last_bound = person

    def salient(self, at: int) -> str:
        """The person a clause with no subject is most likely about."""
        if self.last_subject or self.last_bound:
            return self.last_subject or self.last_bound
        earlier = self.names[: bisect_left(self.starts, at)]
        if earlier:
            return earlier[-1][2]
        return self.names[0][2] if len({n for _, _, n in self.names}) == 1 else ""

    def after(self, clause: Clause) -> None:
        if clause.subject is Subject.PERSON and clause.person:
            self.last_subject = clause.person
            self.last_subject_at = clause.span.end
        if clause.subject is not Subject.PERSON:
            # "Told him I'd connect him with Priya": "him" is now bound.
            for match in _OBJECT_PRONOUN.finditer(clause.body):
                word = match.group()
                self.bind(word, clause.pronoun_person(word), clause.body_start + match.start())


def _apposed_to(
    head: str,
    end: int,
    possessive: bool,
    piece: Span,
    number: int,
    names: list[tuple[int, int, str]],
    previous: Clause | None,
) -> tuple[str, int] | None:
    """Whom "cindy's brother" describes when it follows a name: (that name, body offset)."""
    if not possessive or previous is None or previous.sentence != number:
        return None
    relation = re.match(r"'s\s+([\w\-]+)\b", head[end:])
    if relation is None or relation.group(1).lower() not in RELATIONS:
        return None
    named = next((n for n in names if 0 < piece.start - n[1] <= 2), None)
    if named is None or named[2] == head:
        return None
    return named[2], end + relation.end()


_FIRST_WORD = re.compile(r"[a-z]+(?=\s)")


def _goes_on_about(previous: Clause, head: str, sentence: int) -> bool:
    """ "anja's doing an ironman + turns 40 on jan 9": a verb said of someone with no subject,
    right after a clause about them in the same sentence, is said of them too."""
    return (
        previous.subject is Subject.PERSON
        and previous.sentence == sentence
        and _said_of_someone(head)
    )


def _said_of_someone(rest: str) -> bool:
    """ "turns 40 on jan 9": `rest` opens with a verb in the form said of he or she."""
    word = _FIRST_WORD.match(rest)
    return word is not None and verb_said_of_someone(word.group(), rest, word.end())


def _clause(
    piece: Span,
    number: int,
    names: list[tuple[int, int, str]],
    dates: list[DateMention],
    salience: _Salience,
    previous: Clause | None,
) -> Clause:
    if len(piece.text) > MAX_CLAUSE_CHARS:
        piece = Span(piece.start, piece.start + MAX_CLAUSE_CHARS, piece.text[:MAX_CLAUSE_CHARS])
    # Emoji become spaces (one for one, so offsets hold): "ran the Amsterdam 🏃 marathon".
    piece = Span(piece.start, piece.end, _EMOJI.sub(lambda m: " " * len(m.group()), piece.text))
    filler = _FILLER.match(piece.text)
    offset = filler.end() if filler else 0
    head = piece.text[offset:]
    head_start = piece.start + offset
    starts = salience.starts
    inside = names[bisect_left(starts, piece.start) : bisect_left(starts, piece.end)]
    clause_dates = [d for d in dates if piece.start <= d.start < piece.end]
    refs = salience.refs(head_start)

    def make(subject: Subject, person: str, possessive: bool, body_offset: int) -> Clause:
        body = head[body_offset:].lstrip(" ,")
        start = head_start + (len(head) - len(body))
        return Clause(
            piece, number, subject, person, possessive, body, start, clause_dates, inside, refs
        )

    if _USER.match(head) or _USER_VERB.match(head):
        return make(
            Subject.USER, inside[0][2] if inside else salience.salient(head_start), False, 0
        )
    who = _WHO.match(head)
    # The name ends just before the clause (the cut left the space between them out).
    named = next((n for n in names if 0 < piece.start - n[1] <= 2), None) if who else None
    if who is not None and named is not None:
        return make(Subject.PERSON, named[2], False, who.end())  # body: "works at…", "'s CFO"
    leading = next((n for n in inside if n[0] == head_start), None)
    if leading is not None:
        end = leading[1] - head_start
        possessive = head[end : end + 2] == "'s" and bool(
            re.match(
                r"'s\s+(?!been\b|got\b|going\b|just\b|a\b|an\b|the\b|not\b|also\b|off\b|back\b|"
                r"in\b|at\b|on\b|out\b|away\b|now\b|still\b|here\b|there\b|always\b|never\b|"
                # "hiroshi's their lead data scientist": no one's "their" is owned.
                r"their\b|his\b|her\b|my\b|our\b|your\b|"
                r"really\b|so\b|very\b|such\b|from\b|into\b|over\b|up\b|about\b|busy\b|"
                r"excited\b|nervous\b|pregnant\b|expecting\b|engaged\b|married\b|[a-z]+ing\b)",
                head[end:],
            )
        )
        apposed = _apposed_to(head, end, possessive, piece, number, names, previous)
        if apposed is not None:
            # "kevin huang, cindy's brother, pm at shopify": about Kevin, not Cindy.
            return replace(make(Subject.PERSON, apposed[0], False, apposed[1]), apposed=True)
        return make(Subject.PERSON, leading[2], possessive, end + (2 if possessive else 0))
    pronoun = _PRONOUN.match(head)
    if pronoun is not None:
        word = pronoun.group("word").lower()
        person = refs[GENDER.get(word, "they")]
        if person:
            salience.bind(word, person, head_start)
            relative = _relative_named(head, pronoun.end(), head_start, inside)
            if word in ("her", "his", "their") and relative is not None and relative[2]:
                # "His husband Leo's book comes out": the clause is about Leo.
                name, end, owns = relative
                return make(Subject.PERSON, name, owns, end + (2 if owns else 0))
            return make(Subject.PERSON, person, word in ("her", "his", "their"), pronoun.end())
    if (
        previous is not None
        and previous.subject is not Subject.NONE
        and (_CONTINUES.match(head) or _goes_on_about(previous, head, number))
    ):
        if previous.subject is Subject.USER and _THIRD_PERSON.match(head) and previous.person:
            # "met a guy called Viktor..., works at Red Hat": "works" is never "I", and is
            # said of the one named last ("sat between yuki and sebastián, 3 kids, runs ultras").
            last = previous.names[-1][2] if previous.names else previous.person
            return make(Subject.PERSON, last, False, 0)
        # "She runs the marathon on May 3 and is interviewing...": same subject.
        return make(previous.subject, previous.person, False, 0)
    if _IMPLICIT_SUBJECT.match(head) and salience.salient(head_start):
        return make(Subject.PERSON, salience.salient(head_start), False, 0)
    return make(Subject.NONE, salience.salient(head_start), False, 0)
