"""Word lists the name reader leans on, loaded from libraries on first use.

- Given names and their usual gender: gender-guesser's name dictionary
  (about 48,000 names from many countries), read directly from its data file
  because building its Detector takes four times longer.
- How common an English word is: pyspellchecker's word frequencies, to tell
  "tomasz" (a name) from "coffee" (a word) in a note typed in lowercase.
- Nicknames: the `nicknames` package (Bob is Robert, Dan is Daniel).
- Name parts: nameparser (titles, particles such as "van der" and "de la",
  nicknames in quotes).

Nothing here is loaded when the coach starts: the first note read pays for
it once (about 0.15 s), and chat start-up stays as fast as before.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from bot.domain import name_order
from bot.domain.notes.text import fold, word_set

# Honorifics that stand before a name ("Mr. Okafor", "dr. ramírez"), with the
# gender they imply ("" for either).
TITLES = {
    "mr": "male", "mister": "male", "sir": "male", "mrs": "female", "ms": "female",
    "miss": "female", "madam": "female", "dame": "female", "mx": "", "dr": "", "prof": "",
    "professor": "", "rev": "", "fr": "male",
    # Courtesy titles of other languages, and a lawyer's: "frau weber", "pak budi", "atty. reyes".
    "herr": "male", "frau": "female", "monsieur": "male", "madame": "female", "mme": "female",
    "señor": "male", "señora": "female", "signor": "male", "signora": "female",
    "pak": "male", "ibu": "female", "atty": "",
}  # fmt: skip
# Kin and courtesy words said before a given name, never part of it: "tante gisela" is
# Gisela, "don ignacio" Ignacio (only before a given name: "don smith" stays Don Smith).
KIN_TITLES = word_set("tante onkel tía tío tia tio auntie aunty don doña dona oma opa nonna nonno")
# Shorthand typed on phones that is never a surname after a first name ("lena abt").
SHORTHAND = word_set(
    """
    abt re w wo bc bcs cuz coz rn tmrw tmr tmw tomorow tomorrow 2moro 2day tdy ytd yday
    thx thnx ty pls plz fyi btw asap eod eow eom tbd tba np imo imho afaik ftw lol lmao omg
    mtg mtgs sync fup fu f/u ooo pto wfh ppl msg msgs txt dm dms info approx esp ie eg etc vs
    thurs tues weds abt. nxt wk wks mo yr yrs hr hrs min mins sec til obvs def prob tho gonna
    wanna kinda sorta bday bdays
    """
)

# Names said family name first ("li na", "park ji-hoon"): bot/domain/name_order.py.
FAMILY_NAME_FIRST = name_order.FAMILY_NAME_FIRST


class ParsedName(NamedTuple):
    """A person's name split into parts; `last` keeps particles ("van der Berg")."""

    title: str
    first: str
    middle: str
    last: str
    nickname: str


_NAME_LINE = re.compile(r"^(\?|1?[MF]|\?[MF]) +(\S+)", re.M)
_GENDERS = {"M": "male", "1M": "male", "?M": "male", "F": "female", "1F": "female", "?F": "female"}


@cache
def _given_names() -> dict[str, str]:
    """Folded given name -> "male", "female" or "" (either), from gender-guesser's data."""
    from importlib import resources  # loaded with the data, not at start-up

    data = (resources.files("gender_guesser") / "data" / "nam_dict.txt").read_text("utf-8")
    names: dict[str, str] = {}
    for code, raw in _NAME_LINE.findall(data):
        gender = _GENDERS.get(code, "")
        # "+" marks where a compound name may be joined, hyphenated or spaced.
        forms = (raw.replace("+", join) for join in ("", "-", " ")) if "+" in raw else (raw,)
        for form in forms:
            key = form.lower() if form.isascii() else fold(form)
            if names.get(key, gender) != gender:
                names[key] = ""  # used for both
            else:
                names.setdefault(key, gender)
    return names


@cache
def _frequencies() -> dict[str, int]:
    import gzip
    import json
    from importlib import resources

    data = resources.files("spellchecker") / "resources" / "en.json.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        loaded: dict[str, int] = json.load(text)
    return loaded


def is_given_name(word: str) -> bool:
    """True for a first name in the name dictionary ("Tomasz", "lena", "Siobhán")."""
    return fold(word) in _given_names()


def gender_of(first_name: str) -> str:
    """ "male", "female", or "" when the name is unknown or used for both."""
    return _given_names().get(fold(first_name), "")


def frequency(word: str) -> int:
    """How often `word` appears in pyspellchecker's English corpus (0 if never)."""
    return _frequencies().get(word.casefold(), 0)


# Given names that are also everyday words ("grace", "will", "mark") need more than
# the dictionary to count as a name in a lowercase note.
COMMON_WORD = 10_000


def plain_name(word: str) -> bool:
    """A given name that is not also a common English word: "tomasz", "lena", not "will"."""
    return is_given_name(word) and frequency(word) < COMMON_WORD


def rare_word(word: str, *, under: int = 2_000) -> bool:
    """A word English text seldom uses (a likely surname: "nowak", "herrera")."""
    low = word.casefold()
    return low not in SHORTHAND and frequency(low) < under


@cache
def _nicknamer() -> object:
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def name_forms(first_name: str) -> frozenset[str]:
    """Other forms of a first name, folded: "bob" gives robert, rob, bobby..."""
    namer = _nicknamer()
    low = first_name.casefold()
    forms = set(namer.canonicals_of(low)) | set(namer.nicknames_of(low))  # type: ignore[attr-defined]
    return frozenset(fold(f) for f in forms)


@cache
def particles() -> frozenset[str]:
    """Lowercase name particles: van, der, de, la, y, bin, al..."""
    from nameparser.config import CONSTANTS

    return frozenset(p for p in CONSTANTS.prefixes if p.isalpha()) | {"y", "e", "ter", "ten"}


@lru_cache(maxsize=4096)
def parse_name(name: str) -> ParsedName:
    """Split a full name with nameparser: title, first, middle, last (with particles)."""
    from nameparser import HumanName

    parsed = HumanName(name)
    title = str(parsed.title)
    first, middle, last = str(parsed.first), str(parsed.middle), str(parsed.last)
    if title and first.casefold() in particles() and not middle:
        # nameparser reads "Mr. van Dijk" as first name "van".
        first, last = "", f"{first} {last}".strip()
    return ParsedName(title, first, middle, last, str(parsed.nickname))
