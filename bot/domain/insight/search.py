"""/find: people by name, company, role, place, detail, event, or when you met them.

Every word of a contact's record and of the notes logged with them goes into
one vocabulary; each query word is matched against it exactly, by a shared
stem ("climbing" finds "climbs"), or within a typo (rapidfuzz). A contact's
score is the sum of its best match per query word, weighted by where the
match is (a name beats a company, which beats a word in a note), and people
who match every query word rank above those who match some.

Meetings matched through the same word ("ProductCon") or the same month
("March") are gathered: "You met 6 people at ProductCon".
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, Interaction, InteractionKind

WEIGHTS = {
    "name": 3.0,
    "company": 2.0,
    "role": 1.6,
    "met": 1.4,
    "detail": 1.2,
    "note": 1.0,
}
TYPO_CUTOFF = 84.0
STEM = 5
MAX_QUERY_WORDS = 8
MIN_WORD = 2
GATHER_MIN = 2
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Question words and fillers people type around what they are looking for.
_STOP = frozenset(
    "who whom what which whose where when did do does i me my we our met meet meeting "  # noqa: SIM905
    "at in on the a an of for to with and or is are was were works work working has have "
    "people person someone anyone everyone find show list all from about".split()
)
_MONTHS = {m.lower(): n for n, m in enumerate(calendar.month_name) if m} | {
    m.lower(): n for n, m in enumerate(calendar.month_abbr) if m
}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_EVENT_KINDS = frozenset({InteractionKind.CONFERENCE, InteractionKind.EVENT})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, so "Zoë" finds "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """The words of `text`, as typed (case and accents kept)."""
    return _WORD.findall(text)


@dataclass(frozen=True)
class Hit:
    """A contact that matched, how well, and why (for the result line)."""

    contact: Contact
    score: float
    matched: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Gathering:
    """People met at one event or in one month."""

    label: str
    by_date: bool
    contacts: tuple[Contact, ...]
    first: date
    last: date


@dataclass
class Results:
    """What /find found."""

    hits: list[Hit] = field(default_factory=list)
    gatherings: list[Gathering] = field(default_factory=list)
    words: tuple[str, ...] = ()
    month: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Posting:
    contact_id: str
    where: str
    shown: str  # the field's text, for the reason line
    interaction: Interaction | None = None
    word: str = ""  # the word as typed in the record


def parse_query(query: str, today: date) -> tuple[list[str], tuple[int, int] | None]:
    """The content words of a query, and a (year, month) it names, if any."""
    words = [fold(w) for w in words_of(query)]
    month: tuple[int, int] | None = None
    kept = []
    year = next((int(w) for w in words if _YEAR.match(w)), None)
    for word in words:
        if word in _MONTHS and month is None and len(word) >= 3:
            number = _MONTHS[word]
            # "March" alone is the most recent March, this year's if it has begun.
            chosen = year or (today.year if number <= today.month else today.year - 1)
            month = (chosen, number)
        elif _YEAR.match(word) or word in _STOP or len(word) < MIN_WORD:
            continue
        else:
            kept.append(word)
    return kept[:MAX_QUERY_WORDS], month


def search(
    query: str,
    contacts: Sequence[Contact],
    interactions: Iterable[Interaction],
    today: date,
    zone: ZoneInfo,
    *,
    limit: int = 10,
) -> Results:
    """Find contacts and gatherings for `query` (see the module docstring)."""
    terms, month = parse_query(query, today)
    people = {c.id: c for c in contacts}
    logged = [i for i in interactions if any(c in people for c in i.contact_ids)]
    results = Results(words=tuple(terms), month=month)
    if month is not None:
        in_month = [i for i in logged if _month_of(i, zone) == month]
        if not terms:
            results.gatherings = _gather_month(in_month, people, month, zone)
            results.hits = _hits_from(results.gatherings[0].contacts if results.gatherings else ())
            return results
        logged = in_month
        people = {cid: people[cid] for i in in_month for cid in i.contact_ids if cid in people}
    if not terms:
        return results
    vocabulary = _vocabulary(people.values(), logged)
    scores: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    matched_notes: dict[str, list[tuple[Interaction, str]]] = defaultdict(list)
    for term in terms:
        for word, quality in _matches(term, list(vocabulary)):
            for posting in vocabulary[word]:
                value = quality * WEIGHTS[posting.where]
                best = scores[posting.contact_id].get(term)
                if best is None or value > best[0]:
                    reason = f"{posting.where}: {posting.shown}"
                    scores[posting.contact_id][term] = (value, reason)
                if posting.interaction is not None:
                    matched_notes[term].append((posting.interaction, posting.word))
    hits = [
        Hit(
            people[cid],
            sum(v for v, _ in by_term.values()),
            len(by_term),
            tuple(dict.fromkeys(r for _, r in by_term.values())),
        )
        for cid, by_term in scores.items()
    ]
    hits.sort(key=lambda h: (-h.matched, -h.score, h.contact.name))
    results.hits = hits[:limit]
    results.gatherings = _gather_events(matched_notes, people, zone)
    return results


def _vocabulary(
    contacts: Iterable[Contact], interactions: Iterable[Interaction]
) -> dict[str, list[_Posting]]:
    """folded word -> where it occurs."""
    vocabulary: dict[str, list[_Posting]] = defaultdict(list)

    def add(contact_id: str, where: str, text: str, interaction: Interaction | None = None) -> None:
        if not text:
            return
        shown = _short(text)
        for word in words_of(text):
            vocabulary[fold(word)].append(_Posting(contact_id, where, shown, interaction, word))

    for contact in contacts:
        for name in (contact.name, *contact.aliases):
            add(contact.id, "name", name)
        add(contact.id, "company", contact.company)
        add(contact.id, "role", contact.role)
        add(contact.id, "met", contact.how_met)
        for text in (*contact.interests, *(f.text for f in contact.facts), *contact.notes):
            add(contact.id, "detail", text)
    for interaction in interactions:
        for contact_id in interaction.contact_ids:
            add(contact_id, "met", interaction.occasion, interaction)
            add(contact_id, "note", interaction.note[:2000], interaction)
    return vocabulary


def _matches(term: str, words: list[str]) -> list[tuple[str, float]]:
    """Vocabulary words matching `term`: exact 1.0, shared stem 0.9, a typo 0.8."""
    from rapidfuzz import fuzz, process  # imported here: /find is the only user

    found: dict[str, float] = {}
    stem = term[:STEM]
    for word in words:
        if word == term:
            found[word] = 1.0
        elif (len(term) >= STEM and len(word) >= STEM and word.startswith(stem)) or (
            len(term) >= 3 and word.startswith(term)
        ):
            found[word] = 0.9
    if len(term) >= STEM:
        for word, _, _ in process.extract(
            term, words, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None
        ):
            found.setdefault(word, 0.8)
    return list(found.items())


def _gather_events(
    matched: dict[str, list[tuple[Interaction, str]]], people: dict[str, Contact], zone: ZoneInfo
) -> list[Gathering]:
    """Meetings at one event (a word the notes share), when they add up to several people.

    A word is an event where a note says the meeting was at it ("at ProductCon",
    "during KubeCon") or the meeting was a conference or event, and it is not
    someone's company ("at Stripe" is where they work).
    """
    companies = {fold(c.company) for c in people.values() if c.company}
    gatherings = []
    for found in matched.values():
        by_id = {
            i.id: i
            for i, word in found
            if _at_occasion(i, word)
            or (fold(word) not in companies and (i.kind in _EVENT_KINDS or _at_event(i.note, word)))
        }
        contact_ids = dict.fromkeys(c for i in by_id.values() for c in i.contact_ids if c in people)
        if len(contact_ids) < GATHER_MIN:
            continue
        spellings: dict[str, int] = defaultdict(int)
        for interaction, word in found:
            if interaction.id not in by_id:
                continue
            # The reader's name for the occasion ("ProductCon London") beats one word of it.
            spellings[interaction.occasion if _at_occasion(interaction, word) else word] += 1
        label = max(spellings, key=lambda w: (spellings[w], w[:1].isupper()))
        days = [i.occurred_at.astimezone(zone).date() for i in by_id.values()]
        gatherings.append(
            Gathering(label, False, tuple(people[c] for c in contact_ids), min(days), max(days))
        )
    return sorted(gatherings, key=lambda g: -len(g.contacts))


def _gather_month(
    interactions: Sequence[Interaction],
    people: dict[str, Contact],
    month: tuple[int, int],
    zone: ZoneInfo,
) -> list[Gathering]:
    if not interactions:
        return []
    ordered = sorted(interactions, key=lambda i: i.occurred_at)
    contact_ids = dict.fromkeys(c for i in ordered for c in i.contact_ids if c in people)
    label = f"{calendar.month_name[month[1]]} {month[0]}"
    days = [i.occurred_at.astimezone(zone).date() for i in ordered]
    return [Gathering(label, True, tuple(people[c] for c in contact_ids), days[0], days[-1])]


def _at_occasion(interaction: Interaction, word: str) -> bool:
    """True when `word` is part of the occasion the note reader named for the meeting."""
    return bool(interaction.occasion) and fold(word) in map(fold, words_of(interaction.occasion))


def _at_event(note: str, word: str) -> bool:
    """True when `note` says the meeting was at `word` ("Met Sam at ProductCon")."""
    pattern = rf"\b(?:at|during|after|before|@)\s+(?:the\s+|this\s+year'?s\s+)?{re.escape(word)}\b"
    return re.search(pattern, note, re.IGNORECASE) is not None


def _month_of(interaction: Interaction, zone: ZoneInfo) -> tuple[int, int]:
    local = interaction.occurred_at.astimezone(zone)
    return local.year, local.month


def _hits_from(contacts: Iterable[Contact]) -> list[Hit]:
    return [Hit(c, 1.0, 1, ()) for c in contacts]


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
