"""Who a note is about: finding names and matching them to existing contacts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.model import Contact
from bot.domain.notes.affiliation import is_role
from bot.domain.notes.names import NOT_NAMES, Token, name_runs
from bot.domain.notes.text import WORD, fold

# `fold` is re-exported: callers compare names the same way the matcher does.
__all__ = ["Found", "find_people", "fold", "match_contacts"]

# A close spelling ("Prya" for "Priya") counts as a match above this ratio.
FUZZY_CUTOFF = 0.8


def match_contacts(name: str, contacts: Sequence[Contact]) -> list[Contact]:
    """Return the contacts `name` refers to, best kind of match first.

    Tries, in order, and stops at the first kind that matches anything: the
    full name or an alias (case- and accent-insensitive), the first name, a
    close spelling of the full name, first name or alias. Several results
    mean the name is ambiguous and the user should pick.
    """
    wanted = fold(name)
    if not wanted:
        return []
    exact = [c for c in contacts if wanted in {fold(c.name), *map(fold, c.aliases)}]
    if exact:
        return exact
    by_first = [c for c in contacts if " " not in wanted and fold(c.first_name) == wanted]
    if by_first:
        return by_first
    if len(wanted) < 4:
        return []  # too short for spelling slips to be told from other names
    # difflib caches what it learns about its second sequence: keep `wanted` there.
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq2(wanted)
    scored: list[tuple[float, Contact]] = []
    for contact in contacts:
        forms = {fold(contact.name), fold(contact.first_name), *map(fold, contact.aliases)}
        # A slip rarely changes the first letter: "Prya" is Priya, "Amara" is not Maria.
        best = max((_similarity(matcher, f) for f in forms if f[:1] == wanted[:1]), default=0.0)
        if best >= FUZZY_CUTOFF:
            scored.append((best, contact))
    scored.sort(key=lambda pair: -pair[0])
    return [contact for _, contact in scored]


def _similarity(matcher: difflib.SequenceMatcher[str], form: str) -> float:
    """difflib's ratio against `form`, or 0.0 when a cheap upper bound rules it out."""
    matcher.set_seq1(form)
    if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
        return 0.0
    return matcher.ratio()


@dataclass
class Found:
    """A person named in the note, with every place they are mentioned."""

    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""

    @property
    def first(self) -> int:
        return min(start for start, _ in self.spans)


_ORG_NAME = r"[A-Z][\w&\-]*(?:\.[a-z]{2,4}\b)?(?:\s+[A-Z][\w&\-]*){0,2}"
_COMPANY_AFTER = re.compile(
    r"^\s*(?:\(\s*(?:(?P<role1>[^()@,]{1,40}?)\s*(?:@|\bat\b|,)\s*)?(?P<paren>[^()]{1,40}?)\s*\)"
    r"|\s+(?:from|of|@)\s+(?P<from>" + _ORG_NAME + r")"
    r"|\s+at\s+(?P<at>" + _ORG_NAME + r")"
    r"|,\s+(?:the\s+|a\s+|an\s+)?(?P<role2>[\w\- ]{2,30}?)\s+(?:at|of|@)\s+"
    r"(?P<org>" + _ORG_NAME + r"))",
)
_EVENT_NAME = re.compile(
    r"\b(?:summit|conf|conference|meetup|expo|festival|fest|week|day|hackathon|forum|"
    r"[A-Z]\w*Con|[A-Z]\w*Conf)\b",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(?:ceo|cto|cfo|coo|cmo|cpo|vp|svp|head|founder|co-?founder|engineer|designer|pm|manager|"
    r"director|lead|recruiter|investor|partner|analyst|consultant|researcher|professor|"
    r"scientist|developer|architect|advisor|intern|editor|journalist|principal|"
    r"product|marketing|sales|engineering)\b",
    re.I,
)


def find_people(text: str, contacts: Sequence[Contact]) -> list[Found]:
    """Return the people `text` names, in order of first mention."""
    tokens = [Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    lowercase_note = not any(t.word[0].isupper() for t in tokens if t.word != "I")
    runs = name_runs(text, tokens, lowercase_note, _known_names(contacts))
    if not lowercase_note:
        runs += _lowercase_contacts(text, tokens, contacts, {start for start, _, _ in runs})
    found: dict[str, Found] = {}
    by_first: dict[str, str] = {}
    orgs = _organisations(text) | {fold(c.company) for c in contacts if c.company}
    for start, end, name in sorted(runs):
        if fold(name) in orgs and not match_contacts(name, contacts):
            continue
        key = _merge_key(name, found, by_first)
        if key is None:
            key = name
            found[key] = Found(name)
            by_first.setdefault(fold(name.split()[0]), key)
        found[key].spans.append((start, end))
    _add_repeat_mentions(text, tokens, found)
    people = sorted(found.values(), key=lambda f: f.first)
    for person in people:
        _attach_contact(person, contacts)
        _attach_company(person, text)
    return _merge_same_contact(people)


_STRONG_CUE = re.compile(
    r"(?:\bwith|\bw/|\bw|\bmet|\bcalled|\bthank|\bowe|\bphoned|\btexted)\s*$", re.I
)


def _lowercase_contacts(
    text: str, tokens: list[Token], contacts: Sequence[Contact], taken: set[int]
) -> list[tuple[int, int, str]]:
    """A contact's name typed in lowercase right after "with"/"met" ("lunch w/ dan")."""
    runs: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if token.start in taken or not token.word.islower() or token.word in NOT_NAMES:
            continue
        if not _STRONG_CUE.search(text[max(0, token.start - 12) : token.start]):
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and text[token.end : following.start] == " ":
            pair = text[token.start : following.end]
            if len(match_contacts(pair, contacts)) == 1:
                runs.append((token.start, following.end, pair.title()))
                continue
        if match_contacts(token.word, contacts):
            runs.append((token.start, token.end, token.word.title()))
    return runs


def _add_repeat_mentions(text: str, tokens: list[Token], found: dict[str, Found]) -> None:
    """Later bare mentions of a found person's first name ("... give Ravi feedback")."""
    firsts = {fold(person.name.split()[0]): person for person in found.values() if person.name}
    taken = {start for person in found.values() for start, _ in person.spans}
    for token in tokens:
        word = token.word.removesuffix("'s")
        person = firsts.get(fold(word))
        if person is not None and token.start not in taken and word[:1].isupper():
            person.spans.append((token.start, token.start + len(word)))


def _known_names(contacts: Sequence[Contact]) -> frozenset[str]:
    """Every contact's full name, first name and aliases, folded."""
    return frozenset(
        form for c in contacts for form in (fold(c.name), fold(c.first_name), *map(fold, c.aliases))
    )


def _organisations(text: str) -> set[str]:
    """Words the note uses as organisations or places ("at Globex", "(Acme)")."""
    orgs: set[str] = set()
    for match in re.finditer(
        r"\b(?:at|for|joined|joining|join|with\s+the)\s+([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})",
        text,
    ):
        orgs.add(fold(match.group(1)))
    return orgs


def _merge_key(name: str, found: dict[str, Found], by_first: dict[str, str]) -> str | None:
    """Return the existing entry `name` refers to ("Priya" after "Priya Shah")."""
    folded = fold(name)
    for key in found:
        if fold(key) == folded:
            return key
    if " " not in folded and folded in by_first:
        return by_first[folded]
    if " " not in folded and len(folded) >= 3:
        # A short form of a first name already seen: "Seun" for "Oluwaseun".
        for first, key in by_first.items():
            if first != folded and (first.startswith(folded) or first.endswith(folded)):
                return key
    if " " in folded:
        first = folded.split()[0]
        for key in list(found):
            if fold(key) == first:
                # "Priya ... Priya Shah": keep the fuller name.
                entry = found.pop(key)
                entry.name = name
                found[name] = entry
                by_first[first] = name
                return name
    return None


def _attach_contact(person: Found, contacts: Sequence[Contact]) -> None:
    matches = match_contacts(person.name, contacts)
    if len(matches) == 1:
        person.contact_ids = [matches[0].id]
        person.name = matches[0].name
    elif matches:
        person.contact_ids = [c.id for c in matches]


def _attach_company(person: Found, text: str) -> None:
    for _, end in person.spans:
        match = _COMPANY_AFTER.match(text[end : end + 80])
        if not match:
            continue
        groups = match.groupdict()
        paren = (groups.get("paren") or "").strip()
        role = (groups.get("role1") or groups.get("role2") or "").strip()
        if groups.get("role2") and not is_role(role):
            continue  # "Maria, she starts at Stripe": no role, so no apposition
        if role and not is_role(role):
            role = ""
        company = (groups.get("from") or groups.get("at") or groups.get("org") or "").strip()
        if paren and _ROLE_WORDS.search(paren) and not company and not role:
            person.role = person.role or paren
            continue
        company = company or (paren if paren[:1].isupper() else "")
        if _EVENT_NAME.search(company):
            continue  # "Julia at Web Summit": where they met, not where they work
        if company and fold(company) not in NOT_NAMES and not _ROLE_WORDS.fullmatch(company):
            person.company = company
            person.role = person.role or role
            return


def _merge_same_contact(people: list[Found]) -> list[Found]:
    """Two spellings that matched the same contact are one person."""
    merged: list[Found] = []
    for person in people:
        same = next(
            (
                p
                for p in merged
                if len(person.contact_ids) == 1 and p.contact_ids == person.contact_ids
            ),
            None,
        )
        if same is None:
            merged.append(person)
        else:
            same.spans.extend(person.spans)
            same.company = same.company or person.company
    return merged
