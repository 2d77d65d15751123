"""Who a note is about: finding names, joining the mentions of one person, and matching them
to existing contacts, with the company and role the note gives them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from bot.domain.model import Contact
from bot.domain.name_order import greeted_as
from bot.domain.notes.affiliation import (
    AREAS,
    ORG,
    ORG_CAP,
    ORG_END,
    clean_org,
    described_role,
    is_area,
    is_role,
    job_of_company,
    leading_org,
    role_and_company,
    singular_role,
)
from bot.domain.notes.lexicon import (
    COMMON_WORD,
    TITLES,
    frequency,
    gender_of,
    is_given_name,
    particles,
)
from bot.domain.notes.matching import forms_of, match_contacts, rank_contacts, sure_choice
from bot.domain.notes.names import (
    NOT_NAMES,
    RELATIONS,
    Known,
    NameRun,
    Token,
    name_runs,
)
from bot.domain.notes.text import WORD, fold

# `fold` and `match_contacts` are re-exported: callers compare and look up names the
# same way the reader does.
__all__ = ["Found", "find_people", "fold", "match_contacts"]


@dataclass
class Found:
    """A person named in the note, with every place they are mentioned.

    `listed_with` is the name of the person this one was listed after ("Priya &
    Jonas"), so a company said after the list applies to both. `sure` is False
    when `contact_ids` are only guesses (a near spelling, even a single one):
    the user picks or says it is someone new.
    """

    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""
    title: str = ""
    nickname: str = ""
    listed_with: str = ""
    sure: bool = True

    gender: str = ""

    @property
    def first(self) -> int:
        return min(start for start, _ in self.spans)

    @property
    def first_end(self) -> int:
        return min(self.spans)[1]


_EVENT_NAME = re.compile(
    r"\b(?:summit|conf|conference|meetup|expo|festival|fest|week|day|hackathon|forum|"
    r"[A-Z]\w*Con|[A-Z]\w*Conf)\b",
    re.I,
)
# Apps that are no person's name but are where people work ("tom from google").
_APPS_AND_COMPANIES = frozenset({"google", "linkedin", "slack", "zoom", "whatsapp", "skype"})
_OFFICE_WORD = re.compile(r"\s+(?:office|offices|branch|hq|campus|site|studio)$", re.I)
_AN_OFFICE = re.compile(r"\s+(?:office|offices|branch|hq|campus|site|studio)\b", re.I)
_AREA_WORDS = "|".join(sorted(AREAS, key=len, reverse=True))
# What follows a name and says where they work or what they do.
_COMPANY_AFTER = re.compile(
    r"^(?:(?:\s*\([^()]{1,30}\))?\s+(?:(?:from|@)\s+(?P<from>"
    + ORG
    + r")|of\s+(?P<of>"
    + ORG_CAP
    + r"))"
    r"(?:\s+(?P<area>(?:" + _AREA_WORDS + r"))\b)?"
    # "aisha rahman (head of compliance at solaris, from dhaka, …)": the job leads a long aside.
    r"|\s*\(\s*(?P<role4>[^()@,]{1,40}?)\s+(?:@|at)\s+(?P<org4>[^(),]{1,40}?)\s*,[^()]{0,200}\)"
    r"|\s*\(\s*(?:(?P<role1>[^()@,]{1,40}?)\s*(?:@|\bat\b|,)\s*)?(?P<paren>[^()]{1,40}?)\s*\)"
    r"|,\s+who\s+(?P<who>[^,.;()]{3,60})"
    r"|,\s+(?:now\s+)?(?:the\s+|a\s+|an\s+)?(?P<role2>[\w\-' ]{2,30}?)\s+"
    r"(?:(?:at|@)\s+(?P<org>" + ORG + r")|of\s+(?P<org_of>" + ORG_CAP + r"))"
    r"|\s*[,:]\s+(?:now\s+)?(?:the\s+|a\s+|an\s+)?(?P<role3>[\w\-' ]{2,40}?)"
    # "cofounder of freightly (a load board)": an aside after the job says what it is;
    # "their head of quality ☕ ...": an emoji or a "+" ends it too.
    r"(?:\s+(?:at|@)\s+(?P<org3>" + ORG + r"))?\s*(?=[,.;:)]|\s\(|\s+[^\w\s(]|$)"
    # "leonor + her team at farfetch": where her team is, she works.
    r"|\s+(?:\+|&|and|w/?|with)\s+(?:her|his|their)\s+(?:whole\s+)?team(?:\s*\([^()]{1,20}\))?"
    r"\s+(?:at|from|@)\s+"
    r"(?P<team_org>" + ORG_END + r")"
    # "lachie + a few of his atlassian colleagues": the colleagues' firm is his.
    r"|\s+(?:\+|&|and|w/?|with)\s+(?:(?:a\s+few|some|two|three|a\s+couple)\s+of\s+)?"
    r"(?:her|his|their)\s+(?P<crew_org>[\w\-&]+)\s+(?:colleagues|coworkers|co-workers|teammates)\b"
    # "coffee w emeka at the paystack office": met where they work.
    r"|\s+at\s+(?:the|their|his|her)\s+(?P<office_org>[\w\-&]+(?:\s+[\w\-&]+)?)\s+"
    r"(?:office|offices|hq|headquarters|campus)\b)",
)
# _COMPANY_AFTER's groups that hold a company, in the order they are tried; the last three
# name where someone works through others (their team, colleagues, office).
_COMPANY_GROUPS = (
    "from",
    "of",
    "org",
    "org_of",
    "org3",
    "org4",
    "team_org",
    "crew_org",
    "office_org",
)
_WORKPLACE_GROUPS = frozenset({"team_org", "crew_org", "office_org"})
# ", founder of a logistics startup in accra": an apposition up to the clause's end.
_APPOSITION = re.compile(r"^,\s+(?:now\s+)?(?:the\s+|a\s+|an\s+)?(?P<what>[^,.;:()!?]{3,80})")
# A job said just before the name: "his cofounder Meera Pillai", "their director, Claire",
# "a recruiter from zalando, kim", "nadia's partner at cherry, florian".
_ROLE_BEFORE = re.compile(
    r"\b(?:my|his|her|their|our|the|a|an|[^\W\d_][\w\-]*'s)\s+(?:new\s+|(?P<past>old|former|ex)\s+)?"
    r"(?P<role>[\w\-]+(?:\s+of\s+[\w\-]+)?(?:\s+[\w\-]+)?)"
    r"(?:\s+(?:at|from|@)\s+(?P<org>(?:the\s+)?[\w\-&]+(?:\s+[\w\-&]+){0,2}))?\s*,?\s*$",
    re.I,
)
# "Mrs. Adeyemi (Emeka's mum)": she is not Emeka.
_RELATIVE_OF = re.compile(
    r"^[^.!?;]{0,40}?[(,]\s*(?P<other>[^\W\d_][\w\-]*)'s\s+(?P<relation>[\w\-]+)"
)
# "dr. ramírez (Isabel)", "Mr. Thompson on thursday evening - Gareth, my old boss".
# "ms. okonkwo-bates from the sandbox team, first name adaeze".
_FIRST_NAME_AFTER = re.compile(
    r"^(?:\s*\(\s*(?P<paren>[^\W\d_][\w\-]+)\s*\)|[^.!?\n()]{0,40}?\s[-—–]\s+(?P<dash>[^\W\d_][\w\-]+)\s*,"
    r"|[^.!?\n()]{0,50}?,\s*(?i:first\s+name)\s+(?P<told>[^\W\d_][\w\-]+))"
)
_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&|\+|/)\s*")


def find_people(text: str, contacts: Sequence[Contact]) -> list[Found]:
    """Return the people `text` names, in order of first mention."""
    tokens = [Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    # "picking his sister up from LHR": an acronym in capitals leaves a note lowercase.
    lowercase_note = not any(
        t.word[0].isupper() and not t.word.isupper() for t in tokens if t.word != "I"
    )
    known = _known_names(contacts)
    runs = name_runs(text, tokens, lowercase_note, known)
    orgs = _organisations(text) | {fold(c.company) for c in contacts if c.company}
    fuller = [run for run in runs if " " in run.name]
    found: dict[str, Found] = {}
    by_first: dict[str, str] = {}
    previous: NameRun | None = None
    for run in sorted((r for r in runs if r.cued), key=lambda r: r.start):
        if fold(run.name) in orgs and not match_contacts(run.name, contacts):
            continue
        name, spans = run.name, [(run.start, run.end)]
        if " " not in name:
            # "Bilal Hussain, head of growth ... Bilal will": the fuller form said earlier.
            longer = next((f for f in fuller if _first_word(f.name) == fold(name)), None)
            if longer is not None and not longer.cued:
                name, spans = longer.name, [(longer.start, longer.end), *spans]
        key = _merge_key(name, found, by_first)
        if key is None:
            key = name
            nickname = run.nickname or (
                _nickname_after(name, text[run.end :]) if not run.title else ""
            )
            found[key] = Found(name, title=run.title, nickname=nickname)
            by_first.setdefault(_first_word(name), key)
            greeted = greeted_as(name.split())
            if greeted is not None and " " not in greeted:
                # "park ji-hoon … thx ji-hoon": he goes by his given name, said after.
                by_first.setdefault(fold(greeted), key)
            if previous is not None and _LIST_GLUE.fullmatch(text[previous.end : run.start]):
                found[key].listed_with = _key_of(previous, found)
        found[key].spans.extend(spans)
        found[key].nickname = found[key].nickname or run.nickname
        previous = run
    _add_repeat_mentions(text, tokens, found)
    people = sorted(found.values(), key=lambda f: f.first)
    for person in people:
        _complete_first_name(person, text, found)
    people = [p for p in people if p.spans]
    for person in people:
        _attach_contact(person, contacts, text)
        _attach_company(person, text)
        person.gender = _gender(person, text)
    _share_list_company(people, text)
    _share_colleague_company(people, text)
    _at_their_place(people, text)
    # "ceo of a proptech called casafy, and mariana who runs sales at casafy": a name
    # someone works at is the company, not one more person.
    companies = {fold(p.company) for p in people if p.company}
    people = [p for p in people if p.contact_ids or fold(p.name) not in companies]
    return _merge_same_contact(people, text)


# "her colleague tomas", "marek, their head of sales": someone who works beside the one
# just named.
_THEIR_COLLEAGUE = re.compile(
    r"\b(?:his|her|their)\s+(?:new\s+)?(?:colleague|coworker|co-worker|teammate|workmate)"
    r"\s*,?\s*$",
    re.I,
)
_THEIR_JOB = re.compile(r"^,\s+(?:his|her|their)\s+", re.I)


# "visit at zalora's depot w their cto ivo": met where the company works.
_AT_THEIR_PLACE = re.compile(
    r"\bat\s+(?P<org>[\w\-&]+)'s\s+(?:[\w\-]+\s+)?(?:office|offices|warehouse|hq|"
    r"headquarters|factory|plant|site|depot|lab|campus)\b",
    re.I,
)
_THEIR_BEFORE = re.compile(r"\btheir\s+(?:new\s+)?[\w\-]+(?:\s+[\w\-]+)?\s*,?\s*$", re.I)


def _at_their_place(people: list[Found], text: str) -> None:
    """Whose job is "their" one, met at a company's place, works at that company."""
    place = _AT_THEIR_PLACE.search(text)
    if place is None:
        return
    company = clean_org(place.group("org"), after_job=True)
    at_place: set[str] = set()
    for person in people:
        start = person.first
        # "their cto ivo + marek who runs their fleet": the list goes on there.
        theirs = _THEIR_BEFORE.search(text[max(0, start - 40) : start]) or (
            person.listed_with in at_place
        )
        if company and not person.company and start > place.end() and theirs:
            person.company = company
            at_place.add(person.name)


def _share_colleague_company(people: list[Found], text: str) -> None:
    """A colleague, or a job said as "their", is at the company of the one named before."""
    for before, person in pairwise(people):
        start, end = min(person.spans)
        theirs = _THEIR_COLLEAGUE.search(text[max(0, start - 40) : start]) or (
            person.role and _THEIR_JOB.match(text[end : end + 10])
        )
        if before.company and not person.company and theirs:
            person.company = before.company


# "chen yu-hsuan (goes by sharon)", "pieter-jan du plessis (pj)": the name they go by.
NICKNAME_AFTER = re.compile(
    r"^\s*\(\s*(?P<said>(?:goes\s+by|aka|a\.k\.a\.?|called|known\s+as)\s+)?"
    r"(?P<nick>[^\W\d_][\w\-]*)\s*\)",
    re.I,
)


def _nickname_after(name: str, after: str) -> str:
    """The name someone goes by, said in brackets after their name: told so, or their
    initials ("pj" for Pieter-Jan) or the start of their first name ("kasia" is no start)."""
    match = NICKNAME_AFTER.match(after)
    if match is None:
        return ""
    nick = match.group("nick")
    if match.group("said"):
        return nick[:1].upper() + nick[1:]
    parts = [p for p in re.split(r"[\s\-]+", fold(name)) if p and p not in particles()]
    initials = "".join(p[0] for p in parts)
    folded = fold(nick)
    first = fold(name).split()[0].replace("-", "")
    if len(folded) >= 2 and (initials.startswith(folded) or first.startswith(folded)):
        return nick.upper() if len(folded) <= 3 and not first.startswith(folded) else nick.title()
    return ""


def _first_word(name: str) -> str:
    words = fold(name).split()
    return words[0] if words else ""


def _key_of(run: NameRun, found: dict[str, Found]) -> str:
    return next((key for key, f in found.items() if (run.start, run.end) in f.spans), "")


def _known_names(contacts: Sequence[Contact]) -> Known:
    """Every contact's full name, first name and aliases, folded."""
    # Keyed by the names themselves: a user's contacts change seldom, and folding 1,000 of
    # them was a fifth of reading a note.
    return _known_for(tuple((c.name, tuple(c.aliases)) for c in contacts))


def forget_names() -> None:
    """Drop the contact names the reader keeps folded (after a /forget: they are someone's)."""
    _known_for.cache_clear()
    forms_of.cache_clear()


@lru_cache(maxsize=16)
def _known_for(names: tuple[tuple[str, tuple[str, ...]], ...]) -> Known:
    all_forms: set[str] = set()
    firsts: set[str] = set()
    for name, aliases in names:
        f = forms_of(name, aliases)
        all_forms |= {f.full, f.first, *f.aliases}
        if len(f.first.strip(".")) <= 1:
            all_forms.add(f.surname)  # "K. S. Anand" goes by Anand
        firsts.add(f.first)
    return Known(frozenset(all_forms - {""}), frozenset(firsts - {""}))


_HOME = re.compile(
    r"'s\s*(?:$|[—–\-.,!;:(]|\s+(?:place|house|home|flat|apartment|party|birthday|tonight|today|"
    r"yesterday|this|last|for|with|again)\b)"
)


def _organisations(text: str) -> set[str]:
    """Words the note uses as organisations or places ("at Globex", "(Acme)")."""
    orgs: set[str] = set()
    for match in re.finditer(
        r"\b(?:at|for|joined|joining|join|with\s+the)\s+([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,2})",
        text,
    ):
        if not _HOME.match(text[match.end() :]):
            orgs.add(fold(match.group(1)))  # "at Olga's" is her home, not a company
    return orgs


def _merge_key(name: str, found: dict[str, Found], by_first: dict[str, str]) -> str | None:
    """Return the existing entry `name` refers to ("Priya" after "Priya Shah")."""
    folded = fold(name)
    for key in found:
        if fold(key) == folded:
            return key
    if " " not in folded and folded in by_first:
        return by_first[folded]
    for key, person in found.items():
        if person.nickname and fold(person.nickname) == folded:
            return key  # "pieter-jan du plessis (pj) ... pj wants": the name he goes by
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


_VERB_AFTER = re.compile(r"^\s+(?:is|was|has|had|will|'s|'ll|said|says|and|just|also)\b", re.I)


def _add_repeat_mentions(text: str, tokens: list[Token], found: dict[str, Found]) -> None:
    """Later bare mentions of a found person's first name ("... give Ravi feedback").

    A repeat typed in lowercase counts when it is no everyday word or a verb
    follows it ("mark is a nurse").
    """
    firsts: dict[str, Found] = {}
    for person in found.values():
        # "dr. paola ferrante ... paola offered": a title before a given name hides no one.
        if person.name and _first_word(person.name).rstrip(".") != person.title:
            firsts.setdefault(_first_word(person.name), person)
        if person.nickname:
            firsts.setdefault(fold(person.nickname), person)
    taken = {start for person in found.values() for start, _ in person.spans}
    for token in tokens:
        word = token.word.removesuffix("'s")
        repeated = firsts.get(fold(word))
        if (
            repeated is None
            or token.start in taken
            or any(s <= token.start < e for s, e in repeated.spans)
        ):
            continue
        end = token.start + len(word)
        # The name was already found, so any word English seldom uses is it ("gosia set it up").
        everyday = frequency(word.casefold()) >= COMMON_WORD
        if word[:1].isupper() or not everyday or _VERB_AFTER.match(text[end : end + 12]):
            repeated.spans.append((token.start, end))


def _complete_first_name(person: Found, text: str, found: dict[str, Found]) -> None:
    """A title and surname, with the first name given beside it: "dr. ramírez (Isabel)"."""
    if not person.title or " " in person.name.split(" ", 1)[-1].strip():
        return
    match = _FIRST_NAME_AFTER.match(text[person.first_end : person.first_end + 80])
    if match is None:
        return
    first = match.group("paren") or match.group("dash") or match.group("told")
    told = first == match.group("told")  # said to be the first name, known or not
    if first is None or not (told or is_given_name(first)) or fold(first) in NOT_NAMES:
        return
    surname = person.name.split(" ", 1)[-1]
    person.name, person.title = f"{first[:1].upper()}{first[1:]} {surname}", ""
    # The first name on its own is this person, not someone else.
    for other in list(found.values()):
        if other is not person and fold(other.name) == fold(first):
            person.spans.extend(other.spans)
            other.spans.clear()


def _attach_contact(person: Found, contacts: Sequence[Contact], text: str) -> None:
    matches = rank_contacts(person.name, contacts)
    relative = _RELATIVE_OF.match(text[person.first_end : person.first_end + 60])
    if relative is not None and relative.group("relation").casefold() in RELATIONS:
        # "Mrs. Adeyemi (Emeka's mum)" is not Emeka Adeyemi.
        other = {c.id for c in match_contacts(relative.group("other"), contacts)}
        matches = [m for m in matches if m.contact.id not in other]
    # Only a name the user keeps for a contact files the note under them; a near
    # spelling ("Mara" for Maria) or another form ("Jon" for John) is asked on the card.
    chosen = sure_choice(matches)
    if chosen is not None:
        person.contact_ids = [chosen.id]
        person.name = chosen.name
    elif matches:
        person.contact_ids = [m.contact.id for m in matches]
        person.sure = False


def _attach_company(person: Found, text: str) -> None:
    for start, end in sorted(person.spans):
        nickname = NICKNAME_AFTER.match(text[end : end + 40]) if person.nickname else None
        if nickname is not None:
            end += nickname.end()  # "chen yu-hsuan (goes by sharon), ux lead at line"
        elif (short := _SHORT_FOR.match(text, end)) is not None:
            end = short.end()  # "tom berg (tommy for short lol), sre at stripe"
        before = _ROLE_BEFORE.search(text[max(0, start - 60) : start])
        if before is not None and not person.role:
            _role_before(person, before, text[end : end + 30])
        apposition = _APPOSITION.match(text[end : end + 90])
        described = described_role(apposition.group("what")) if apposition else None
        if described is not None:
            # "kwame asante, founder of a logistics startup in accra"
            person.role = person.role or described[0]
            person.company = person.company or described[1]
            return
        now = _NOW_ROLE.match(text[end : end + 140])
        if now is not None and is_role(now.group("role")):
            # "miloš, her cofounder from her old startup, now cto at nordeus": the job now.
            person.role = now.group("role")
            person.company = clean_org(now.group("org"), after_role=True) or person.company
            return
        introduced = _INTRODUCED_BY.match(text[end : end + 80])
        if introduced is not None and is_role(introduced.group("role")):
            # "efua asante, a founder kwame introduced me to": her job, not kwame's.
            person.role = person.role or introduced.group("role")
            return
        match = _COMPANY_AFTER.match(text[end : end + 260])  # room for a long aside
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("who"):
            # "Ruth Adler, who runs procurement at BMW"
            said = role_and_company(groups["who"])
            if said is not None:
                person.role = person.role or said[0]
                person.company = person.company or said[1]
            continue
        paren = _on_a_team((groups.get("paren") or "").strip())
        role = _on_a_team(
            (
                groups.get("role1")
                or groups.get("role2")
                or groups.get("role3")
                or groups.get("role4")
                or ""
            ).strip()
        )
        # ", their ceo's chief of staff", ", her old professor at polimi": whose, then the job.
        role = _WHOSE.sub("", role)
        if (groups.get("role2") or groups.get("role3") or groups.get("role4")) and not is_role(
            role
        ):
            continue  # "Maria, she starts at Stripe": no role, so no apposition
        # "director of volvo's design studio": the company owns the lab, no person.
        role, of_company = job_of_company(role)
        if "'s " in role:
            # "omar's chief of staff at wayfare": with a company said, it is a job there.
            role = _job_for_someone(role, at_company=bool(groups.get("org")))
        if role and not is_role(role):
            role = ""
        named = next((k for k in _COMPANY_GROUPS if groups.get(k)), "")
        # ", staff data scientist at wise": after a job title an everyday word is the company.
        after_job = (bool(role) and named != "from") or named in _WORKPLACE_GROUPS
        said_org = groups.get(named) or ""
        after_org = text[end + match.end(named) :] if named else ""
        if named == "from" and (
            _someones(said_org, after_org) or _A_TEAM.match(after_org) or _THE_PLACE.match(said_org)
        ):
            continue  # "floris from maartje's team", "tomas from the design team": no company
        if named == "team_org":
            # "his team at the trade republic office": the company, not its office.
            said_org = _OFFICE_WORD.sub("", said_org)
        company = clean_org(said_org, after_role=after_job) or of_company
        typed = (
            said_org if named == "from" or (named in ("org", "org3", "org4") and after_job) else ""
        )
        if typed[:1].islower() and not groups.get("area"):
            # "nadia petrov from cherry ventures", ", head of risk at trade republic,": a
            # lowercase name may run on a word or two, up to the clause's end.
            run = re.match(r"[^,.;:!?()]*", text[end + match.start(named) :])
            company = leading_org(run.group() if run else typed, after_job=after_job)[0] or company
        if paren and not company and not role:
            if is_role(paren):
                # "dominik (finn's manager)": whose manager, no job title of his own.
                person.role = person.role or (_job_for_someone(paren) if "'s " in paren else paren)
                continue
            if not _org_like(paren):
                continue
        # "(Head of Design at Miro)": after a role the rest is the company, even a name-like one.
        company = company or (clean_org(paren) if _org_like(paren, after_role=bool(role)) else "")
        if _EVENT_NAME.search(company):
            continue  # "Julia at Web Summit": where they met, not where they work
        if company and _AN_OFFICE.match(text, end + match.end()) and _office_place(company):
            continue  # "lerato from the joburg office": a place their company has
        if company and fold(company) in NOT_NAMES - _APPS_AND_COMPANIES:
            company = ""
        said_from = groups.get("from") or groups.get("of") or ""
        if groups.get("area") and not role and not said_from.endswith("'s"):
            role = groups["area"]  # "Ms. Müller from Allianz procurement", not "Grab's legal"
        if company or role:
            person.company = person.company or company
            person.role = role or person.role
            return
    if not person.role:
        _role_after_place(person, text)


# (No re.I: ORG's capitalised names must stay capitalised, or "nordeus and loves x" is one.)
_NOW_ROLE = re.compile(
    r"^,\s+[^.;!?,]{3,60},\s+(?i:now)\s+(?i:(?:the\s+|a\s+|an\s+)?)(?P<role>[\w\-' ]{2,30}?)"
    r"\s+(?i:at|@)\s+(?P<org>" + ORG + r")"
)
_INTRODUCED_BY = re.compile(
    r"^,\s+(?:a|an|the)\s+(?P<role>[\w\-]+(?:\s+[\w\-]+)?)\s+[^\W\d_][\w\-]*\s+"
    r"(?:introduced|intro'?d|connected|referred)\s+(?:me|us)\b",
    re.I,
)
_MADE_THE_INTRO = re.compile(r"^\s+(?:introduced|intro'?d|connected|referred)\s+(?:me|us)\b", re.I)
# "met wen li at product camp hamburg, sr pm at about you": where they met, then the job.
_ROLE_AFTER_PLACE = re.compile(
    r"^\s+(?:at|in)\s+[^,.;:()!?]{2,50}?,\s+(?:now\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?P<job>[^,.;:()!?]{2,60}?)\s*(?=[,.;:)!?]|$)"
)
_JOB_AT = re.compile(r"^(?P<role>.+?)\s+(?:at|@)\s+(?P<org>.+)$")


def _role_after_place(person: Found, text: str) -> None:
    end = min(person.spans)[1]
    after = _ROLE_AFTER_PLACE.match(text[end : end + 140])
    if after is None:
        return
    job = after.group("job")
    described = described_role(job)
    if described is not None:
        person.role, person.company = described[0], person.company or described[1]
        return
    at = _JOB_AT.match(job)
    role = at.group("role") if at else job
    if not is_role(role):
        return
    person.role = role
    if at is not None:
        person.company = person.company or clean_org(at.group("org"), after_role=True)


_WHOSE = re.compile(r"^(?:(?:his|her|their|our|my)\s+)?(?:new\s+|old\s+)?(?!former\b|ex\b)", re.I)
# "pm on his team", "the new pm on our checkout squad": the job, then whose team it is in.
_ON_A_TEAM = re.compile(
    r"\s+(?:on|in)\s+(?:his|her|their|our|my|the)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:team|squad|crew|unit|side)$",
    re.I,
)


def _on_a_team(role: str) -> str:
    """A job said with the team it is in ("pm on his team"): the job alone ("pm")."""
    job = _ON_A_TEAM.sub("", role)
    return job if job != role and is_role(job) else role


# An aside on what someone is called, before the job said after the comma.
_SHORT_FOR = re.compile(
    r"\s*\([^()]{0,40}\b(?:for\s+short|aka|a\.k\.a\.?|goes\s+by)\b[^()]{0,20}\)(?=,)"
)
# "tobias from the coworking", "from the gym": a lowercase place they come from, no company.
_THE_PLACE = re.compile(r"^the\s+[a-z][\w\-]*$")
_A_TEAM = re.compile(r"\s+(?:team|squad|unit|department|dept|desk)\b", re.I)


def _someones(org: str, after: str) -> bool:
    """ "maartje's", "Tom's": a person owns what follows, not a company ("Grab's" does)."""
    owner = org.removesuffix("'s")
    owned = owner != org or after.startswith("'s")
    return owned and " " not in owner and is_given_name(owner)


def _office_place(name: str) -> bool:
    """ "the joburg office", "the berlin office" name a city; "the trade republic office" a
    company (a name of several words is seldom a city's nickname)."""
    from bot.domain.notes.places import proper_place  # its lists load on first use

    return " " not in name or all(proper_place(word) for word in name.split())


def _job_for_someone(role: str, *, at_company: bool = False) -> str:
    """ "the landlord's lawyer" is a lawyer; "ngozi's old professor" says whose, not a job,
    unless a company follows ("ngozi's assistant at acme" works there as one)."""
    owner, _, job = role.rpartition("'s ")
    if re.match(r"(?:old|former|ex)\b", job, re.I):
        return ""
    return "" if is_given_name(owner.split()[-1]) and not at_company else job


def _role_before(person: Found, said: re.Match[str], after: str = "") -> None:
    """ "the cto of zalando, kim": a CTO at Zalando; "a founder from the antler cohort,
    mehmet": a founder (a cohort is no company)."""
    if said.group("past") or _MADE_THE_INTRO.match(after):
        # "my old manager from n26, francesca": what she did then, not now; "a founder
        # kwame introduced me to": the job is the one introduced's.
        return
    role = said.group("role")
    company = clean_org(said.group("org") or "", after_role=True)
    if role.casefold() in _WORKMATES:
        person.company = person.company or company  # "her colleague from appier, hiroshi"
        return
    # "her partner, Luis" is kin; "nadia's partner at cherry, florian" is a job.
    if not is_role(role) or (role.split()[-1].casefold() in RELATIONS and not company):
        return
    head, of, org_of = role.partition(" of ")
    if not company and of and not is_area(org_of):
        company = clean_org(org_of, after_job=True)
        role = head if company else role
    person.role = role
    person.company = person.company or company


# Who works beside someone: where they work is said, but no job.
_WORKMATES = frozenset({"colleague", "coworker", "co-worker", "teammate", "workmate"})
_MALE_RELATION = re.compile(
    r"\b(?:husband|boyfriend|son|brother|dad|father|uncle|nephew|grandpa|grandfather|"
    r"stepson|fianc[eé])\s*,?\s*$",
    re.I,
)
_FEMALE_RELATION = re.compile(
    r"\b(?:wife|girlfriend|daughter|sister|mum|mom|mother|aunt|niece|grandma|grandmother|"
    r"stepdaughter|fianc[eé]e)\s*,?\s*$",
    re.I,
)


def _gender(person: Found, text: str) -> str:
    """ "male", "female" or "": from a title, a relation said before the name, or the name."""
    if person.title:
        implied = TITLES.get(person.title, "")
        if implied:
            return implied
    before = text[max(0, person.first - 20) : person.first]
    if _MALE_RELATION.search(before):
        return "male"
    if _FEMALE_RELATION.search(before):
        return "female"
    words = person.name.split()
    named = gender_of(words[0]) if words else ""
    if named or not person.spans:
        return named
    # "Wei-Ting Lin", typed "tina": the name the note uses may say what the full one does not.
    start, end = min(person.spans)
    typed = text[start:end].split()
    return gender_of(typed[0]) if typed else ""


def _org_like(text: str, *, after_role: bool = False) -> bool:
    """ "(Globex)", "(Ernst & Young)": a name of a company, not "(Emeka's mum)" or "(Isabel)"."""
    words = text.split()
    if len(words) == 1 and text[:1].islower():
        return bool(clean_org(text))  # "(stripe)": a rare word, no place or first name
    if after_role and text[:1].islower() and len(words) <= 3:
        return bool(clean_org(text, after_role=True))  # "(pm at trade republic)"
    if not words or len(words) > 4 or "'s" in text or not text[:1].isupper():
        return False
    if not after_role and len(words) == 1 and is_given_name(text) and text[1:].islower():
        return False  # a first name given in brackets
    return all(w[:1].isupper() or w in ("&", "of", "and", "the") for w in words)


def _share_list_company(people: list[Found], text: str) -> None:
    """ "Mehmet Öztürk + Zeynep Arslan from Trendyol": the company is both people's."""
    by_name = {p.name: p for p in people}
    for person in reversed(people):
        if person.listed_with and _shared_job(person):
            # "ana kos + ivo bek, cofounders of tandem": each is a cofounder there.
            earlier = by_name.get(person.listed_with)
            while earlier is not None:
                earlier.role = earlier.role or person.role
                earlier.company = earlier.company or person.company
                earlier = by_name.get(earlier.listed_with)
            continue
        # A job said of the last one ("miloš, …, now cto at nordeus") is theirs alone.
        if person.company and person.listed_with and not person.role:
            earlier = by_name.get(person.listed_with)
            while earlier is not None and not earlier.company:
                earlier.company = person.company
                earlier = by_name.get(earlier.listed_with)


def _shared_job(person: Found) -> bool:
    """True when the job said after the last of a list is plural, so everyone's: the job is
    made singular ("cofounders of tandem" is each one's "cofounder of tandem")."""
    words = person.role.split()
    single = singular_role(words[0]) if words else ""
    if not single:
        return False
    person.role = " ".join([single, *words[1:]])
    return True


def _merge_same_contact(people: list[Found], text: str) -> list[Found]:
    """Two spellings that matched the same contact are one person.

    A guess ("oliva") joins a sure match ("Olivia") said in another sentence;
    in one breath ("dinner with Maria and Mara") the two may be two people.
    """
    merged: list[Found] = []
    for person in people:
        same = next(
            (
                p
                for p in merged
                if len(person.contact_ids) == 1
                and p.contact_ids == person.contact_ids
                and _same_one(p, person, text)
            ),
            None,
        )
        if same is None:
            merged.append(person)
        else:
            if not same.sure and person.sure:
                same.name, same.sure = person.name, True  # the note names them after all
            same.sure = same.sure or person.sure
            same.spans.extend(person.spans)
            same.company = same.company or person.company
            same.role = same.role or person.role
    return merged


def _same_one(first: Found, later: Found, text: str) -> bool:
    if first.sure and later.sure:
        return True
    if not (first.sure or later.sure):
        return False
    between = text[min(first.first, later.first) : max(first.first, later.first)]
    return bool(re.search(r"[.!?\n]", between))
