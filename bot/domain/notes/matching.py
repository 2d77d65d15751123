"""Which contact a typed name means: by full name, alias, first name, nickname, title plus
surname, initial, surname, or a near spelling.

The same matcher serves the note reader, the note card, /person, /suggest,
/openers and the guided log, so a name finds the same person everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.model import Contact
from bot.domain.notes.lexicon import (
    FAMILY_NAME_FIRST,
    TITLES,
    ParsedName,
    gender_of,
    is_given_name,
    name_forms,
    parse_name,
)
from bot.domain.notes.text import fold

# A close spelling ("Prya" for "Priya", "oliva" for "Olivia") counts above this.
FUZZY_CUTOFF = 0.8
# Two near spellings closer than this to each other are equally likely: the user picks.
CLOSE_CALL = 0.05
# A name that is the start of a contact's first name, or the other way round ("Dan" and
# Dana, "Tomas" and Tom), may be a short form or another person: asked, never assumed.
SHORT_FORM_SCORE = FUZZY_CUTOFF
MIN_SHORT_FORM = 3
MAX_SHORT_FORM_GAP = 2  # "Tomasz" is not taken for a slip of "Tom"
# Kinds of match a note may file under a contact without asking: the name as the user
# keeps it. Another form of a first name ("Jon" for John) or a near spelling ("Mara" for
# Maria) may just as well be someone new, so the card asks.
SURE_KINDS = frozenset({"exact", "first name", "title", "initial", "nickname", "surname"})
_TITLE = re.compile(r"^(?P<title>[A-Za-z]+)\.?\s+(?P<rest>\S.*)$")
_INITIAL = re.compile(r"^(?P<first>\S+)\s+(?P<initial>[^\W\d_])\.?$")


@dataclass(frozen=True)
class Match:
    """A contact a name may mean, how (`how`) and how sure (1.0 for an exact form)."""

    contact: Contact
    how: str
    score: float


@dataclass(frozen=True)
class _Forms:
    full: str
    first: str
    surname: str
    aliases: frozenset[str]
    gender: str


@lru_cache(maxsize=8192)
def forms_of(name: str, aliases: tuple[str, ...]) -> _Forms:
    parsed = parse_name(name)
    words = fold(name).split()
    first = fold(parsed.first) or (words[0] if words else "")
    surname = fold(parsed.last) if parsed.first else ""
    if not surname and len(words) > 1:
        surname = words[-1]
    # "anne sophie" is how Anne-Sophie is typed in a hurry: the spaced forms are hers too.
    spaced = {f.replace("-", " ") for f in (fold(name), first) if "-" in f}
    known = frozenset(map(fold, aliases)) | spaced | _compound_given(parsed)
    return _Forms(fold(name), first, surname, known, gender_of(first))


def _compound_given(parsed: ParsedName) -> frozenset[str]:
    """ "José Luis Hernández Ochoa" is typed "jose luis": a given name with a second given
    name after it, before two surnames, goes by both ("Anne Marie", "Juan Pablo" too)."""
    middle = parsed.middle.split()
    if not parsed.first or not middle or fold(parsed.first) in FAMILY_NAME_FIRST:
        return frozenset()  # "Trần Minh Khoa": the family name comes first, not a given one
    if not (is_given_name(parsed.first) and is_given_name(middle[0])):
        return frozenset()
    return frozenset({fold(f"{parsed.first} {middle[0]}")})


def forms(contact: Contact) -> _Forms:
    """The folded ways a contact can be named."""
    return forms_of(contact.name, tuple(contact.aliases))


def rank_contacts(name: str, contacts: Sequence[Contact]) -> list[Match]:
    """Every contact `name` may mean, the best kind of match first.

    Kinds, tried in order (the first kind that matches anyone wins): the full
    name or an alias; the first name, or another form of it ("Bob" for
    Robert); a title with the surname ("Mr. Okafor", never a man for "Ms.");
    a first name with an initial ("Lena M."); the surname alone; a near
    spelling of any of these, which must keep the first letter ("Prya" is
    Priya, "Amara" is not Maria).
    """
    wanted = fold(name)
    if not wanted:
        return []
    title, rest = _split_title(name)
    if title:
        wanted = fold(rest)
    for how, test in _KINDS:
        found = [Match(c, how, 1.0) for c in contacts if test(wanted, title, forms(c))]
        if found:
            if how == "first name":
                # "Jon" found John through his other forms: a guess, not his name.
                found = [m if forms(m.contact).first == wanted else _other_form(m) for m in found]
            return found
    return _near_spellings(wanted, title, contacts)


def _other_form(match: Match) -> Match:
    return Match(match.contact, "other form", match.score)


def match_contacts(name: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contacts `name` refers to; several mean the user should pick."""
    return [m.contact for m in rank_contacts(name, contacts)]


def clear_choice(matches: list[Match]) -> Contact | None:
    """The one contact meant, or None when none or several match about equally well."""
    if len(matches) == 1:
        return matches[0].contact
    if len(matches) > 1 and matches[0].how == "spelling":
        # "Jurgen Webber" is Jürgen Weber when no other spelling comes close.
        return matches[0].contact if matches[0].score - matches[1].score > CLOSE_CALL else None
    return None


def sure_choice(matches: list[Match]) -> Contact | None:
    """The one contact a note may be filed under without asking, else None.

    Only a clear match by a name the user keeps for them (full name, alias,
    first name, title and surname, initial, surname); a near spelling or
    another form of a first name is put to the user, even when it is the only one.
    """
    chosen = clear_choice(matches)
    if chosen is None or matches[0].how not in SURE_KINDS:
        return None
    return chosen


def _split_title(name: str) -> tuple[str, str]:
    """ "Mr. Okafor" gives ("mr", "Okafor"); a name without a title gives ("", name)."""
    match = _TITLE.match(name.strip())
    if match is not None and match.group("title").casefold() in TITLES:
        return match.group("title").casefold(), match.group("rest")
    return "", name


def _exact(wanted: str, title: str, f: _Forms) -> bool:
    # "mari lu" for the alias "marilu": one name, typed with a space.
    return wanted == f.full or wanted in f.aliases or wanted.replace(" ", "") in f.aliases


def _first(wanted: str, title: str, f: _Forms) -> bool:
    if title or " " in wanted:
        return False
    return wanted == f.first or wanted in name_forms(f.first) or f.first in name_forms(wanted)


def _title_surname(wanted: str, title: str, f: _Forms) -> bool:
    if not title or wanted != f.surname:
        return False
    implied = TITLES[title]
    return not implied or not f.gender or implied == f.gender


def _initial(wanted: str, title: str, f: _Forms) -> bool:
    match = _INITIAL.match(wanted)
    if match is None or not f.surname:
        return False
    first = match.group("first")
    same_first = first == f.first or first in name_forms(f.first)
    return same_first and f.surname.startswith(match.group("initial"))


def _surname(wanted: str, title: str, f: _Forms) -> bool:
    return not title and wanted == f.surname


def _nickname_full(wanted: str, title: str, f: _Forms) -> bool:
    """ "Bob Smith" for Robert Smith."""
    words = wanted.split()
    if title or len(words) != 2 or not f.surname:
        return False
    first, last = words
    return last == f.surname and (first in name_forms(f.first) or f.first in name_forms(first))


_KINDS = [
    ("exact", _exact),
    ("first name", _first),
    ("title", _title_surname),
    ("initial", _initial),
    ("nickname", _nickname_full),
    ("surname", _surname),
]


def _near_spellings(wanted: str, title: str, contacts: Sequence[Contact]) -> list[Match]:
    if len(wanted) < MIN_SHORT_FORM:
        return []  # too short for a slip to be told from another name
    from rapidfuzz.distance import Indel  # loaded on the first near spelling, not at start-up

    scored: list[Match] = []
    for contact in contacts:
        f = forms(contact)
        if title:
            # "Ms. Mueller" may be a slip for a woman's surname, never a man's.
            implied = TITLES[title]
            if implied and f.gender and implied != f.gender:
                continue
            candidates = {f.surname} - {""}
        else:
            candidates = {f.full, f.first, f.surname, *f.aliases} - {""}
        best = max(
            (
                Indel.normalized_similarity(wanted, form)
                for form in candidates
                if form[0] == wanted[0] and len(wanted) > MIN_SHORT_FORM
            ),
            default=0.0,
        )
        if not title and _short_form(wanted, f.first):
            best = max(best, SHORT_FORM_SCORE)
        if best >= FUZZY_CUTOFF:
            scored.append(Match(contact, "spelling", best))
    scored.sort(key=lambda m: -m.score)
    return scored


def _short_form(wanted: str, first: str) -> bool:
    """ "dan" and "dana", "tomas" and "tom": one first name starts the other."""
    if " " in wanted or not first or wanted == first:
        return False
    shorter, longer = sorted((wanted, first), key=len)
    return (
        len(shorter) >= MIN_SHORT_FORM
        and len(longer) - len(shorter) <= MAX_SHORT_FORM_GAP
        and longer.startswith(shorter)
    )
