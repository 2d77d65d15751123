"""Who a note is about: finding names and matching them to existing contacts."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.model import Contact
from bot.domain.notes.dates import MONTHS, WEEKDAYS
from bot.domain.notes.text import WORD, word_set

# A close spelling ("Prya" for "Priya") counts as a match above this ratio.
FUZZY_CUTOFF = 0.8


def fold(name: str) -> str:
    """Lowercase and strip accents, so "José" matches "jose"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


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
    scored: list[tuple[float, Contact]] = []
    for contact in contacts:
        forms = {fold(contact.name), fold(contact.first_name), *map(fold, contact.aliases)}
        best = max(difflib.SequenceMatcher(None, wanted, form).ratio() for form in forms)
        if best >= FUZZY_CUTOFF:
            scored.append((best, contact))
    scored.sort(key=lambda pair: -pair[0])
    return [contact for _, contact in scored]


@dataclass
class Found:
    """A person named in the note, with every place they are mentioned."""

    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""
    described: str = ""

    @property
    def first(self) -> int:
        return min(start for start, _ in self.spans)


# Capitalised words that start sentences or name things, never people.
_NOT_NAMES = word_set(
    """
    i i'm i'll i've i'd me my we we're our us you your he she they them their his her him it its
    a an the this that these those there here then so but and or if when after before also just
    coffee lunch dinner breakfast brunch drinks beer beers call called calls phone video zoom meet
    teams slack whatsapp linkedin email emailed texted text message messaged dm signal telegram
    facetime skype google hangouts meeting met meetup conference summit event expo webinar workshop
    great good nice quick short long fun lovely awesome amazing interesting productive
    really very super big huge tiny first second last next today tomorrow yesterday tonight
    morning afternoon evening night week weekend month year todo to-do note notes reminder
    remind action follow follow-up followup ps fyi btw re ok okay oh wow lol thanks thank
    grateful need will must should promised owe owes sent send told asked ran caught had got
    talked spoke chatted catch-up sync standup intro introduced apparently anyway finally
    ceo cto cfo coo cmo vp svp evp pm hr ai ml eng dev devops ux ui qa sre api saas b2b b2c
    mr mrs ms dr prof sir team family kids mom dad he's she's they're it's that's what where
    who why how hi hello hey dear re: q1 q2 q3 q4 eod eow eom asap
    new old other another some any all both each every most many much more less few several
    can could would may might shall did does do done is are was were be been being has have
    not no yes maybe still already soon later early late mid end start started starting
    happy sad tired busy excited sorry glad proud thrilled surprised
    mum mother father dad parents daughter son wife husband partner sister brother baby
    ask asking tell telling spend spent went going go come came see saw seen say said
    from about at on in to for of by over with without regarding around into onto via per
    recruiter recruiters folks investors investor everyone people friends friend colleagues
    colleague clients client customers customer founders engineers manager boss mentor
    phoned rang emailed messaged texted pinged grabbed bumped visited joined thanked
    congratulated wished dm'd dmed zoomed skyped facetimed lunched interviewed hosted invited
    recommended helped reached followed replied wrote sent nothing everything nobody someone
    quick long great awesome amazing lovely nice good bad
    """
)
_NOT_NAMES = _NOT_NAMES | frozenset(WEEKDAYS) | frozenset(MONTHS)
# Words that mark an organisation or a thing, not a person, inside a capitalised run.
_ORG_WORDS = word_set(
    """
    inc ltd llc gmbh corp co labs lab ag sa plc group capital ventures partners bank university
    college school institute foundation conf conference summit meetup marathon con festival
    expo hackathon cup open week day fest forum airlines cloud systems software technologies
    studio studios health media games ai hq devs club society association council ministry
    """
)
_CONNECTORS = word_set("van von de der den da di du dos das del della le la al el bin ibn ter ten")
# Words just before a name that show it is a person ("with Tom", "thank Ana").
_BEFORE_PERSON = re.compile(
    r"(?:\bwith|\bw/|\bw|\bmet|\bmeet|\bmeeting|\bcalled|\bcall|\bcalling|\brang|\btexted|\btext"
    r"|\bmessaged|\bemailed|\bpinged|\bping|\bthank|\bthanked|\bthanks|\bowe|\bsend|\bsent|\btell"
    r"|\btold|\bask|\basked|\bintroduce|\bintroduced|\bintroducing|\bintro|\bintro'd|\bsee|\bsaw"
    r"|\binto|\bran into|\bbumped into|\bmet up with|\bremind|\bhelp|\bhelped|\bcongratulate"
    r"|\bcongrats|\bcongratulations|\bwish|\bhug|\bjoined by|\bnext to|\bsat with"
    r"|\bfollow up with|\bhi|\bhey|\bdear|\bbetween|\bpartner|\bwife|\bhusband|\bfriend"
    r"|\bdaughter|\bson|\bsister|\bbrother|\bmother|\bfather|\bmom|\bmum|\bdad|\bniece"
    r"|\bnephew|\bfianc[ée]e?|\bgirlfriend|\bboyfriend|\bbaby|\bkid"
    r"|\b(?:introduced|intro'd|intro|introduce|connected|connect|referred)\s+(?:me|us|him|her|them)"
    r"\s+(?:to|with)|\b(?:email|message|text|call|note|intro|referral|dm|news|update)\s+from"
    r"|\bcolleague|\bboss|\b(?:a|an|the|our|my)\s+[a-z]+,"
    r"|\bmanager|\bcofounder|\bco-founder|\brecruiter|\bmentor|\bcousin|\bneighbou?r)\s*$",
    re.I,
)
# "from/for/of/to" are person cues only next to certain verbs; these mark an
# organisation or place instead.
_BEFORE_ORG = re.compile(
    r"(?:\bat|\bin|\bjoined|\bjoin|\bjoining|\bleft|\bleaving|\bfrom|\bfor|\bof|\bto|\bvisiting"
    r"|\bwork(?:s|ed|ing)?\s+(?:at|for)|\bmoving\s+to|\bmoves\s+to|\bmoved\s+to|\bflying\s+to"
    r"|\binterview(?:ing|s)?\s+(?:at|with)|\bhired\s+by|\bon|\bvia|\bthe)\s*$",
    re.I,
)
_PERSON_VERB_AFTER = re.compile(
    r"^(?:\s+from\s+(?:the\s+)?[A-Z]|\s*\(|,\s+(?:a|an|the|our|their)\s+[\w\- ]{2,30}?\s+(?:at|of|@)\s"
    r"|'s\s+(?:daughter|son|kids?|children|wife|husband|partner|mom|mum|dad|mother|father|"
    r"baby|twins|sister|brother|family|dog|cat|new|first|talk|team|boss|manager|startup|"
    r"company|birthday|wedding|book|podcast|portfolio|resume|cv|deck|intro|advice|feedback|"
    r"idea|number|email|place|house|home|party|parents|husband|wife)\b|\s+(?:and\s+(?:i|me)\b|is|was|has|had|will|'ll"
    r"|'s|'d|just|mentioned|said|says|told|introduced|intro'd|offered|offers|starts|started|runs|"
    r"ran|moved|moves|is\s+moving|presents|presenting|wants|loves|likes|thinks|agreed|promised|"
    r"gave|helped|referred|recommended|invited|asked|suggested|volunteered|can|could|would|"
    r"might|may|should|leads|heads|manages|works|joined|joins|got|gets|shared|sent|"
    r"recently|also|still|now|plans|hopes|needs|lives|lived|goes|went|took|brought|knows|seems|"
    r"looks|sounds|did|does|used|came|kindly|graciously|finally|explained|showed|pitched|"
    r"recommends|connected|congratulated|invites|launched|launches|announced|raised|struggles|"
    r"is\s+struggling|dealing|hired|quit|left|turned|became|became|returns|returned|"
    r"trains|teaches|writes|wrote|built|builds|founded|co-founded|reached\s+out)\b)",
    re.I,
)
_ORG_NAME = r"[A-Z][\w&\-]*(?:\.[a-z]{2,4}\b)?(?:\s+[A-Z][\w&\-]*){0,2}"
_COMPANY_AFTER = re.compile(
    r"^\s*(?:\(\s*(?:(?P<role1>[^()@,]{1,40}?)\s*(?:@|\bat\b|,)\s*)?(?P<paren>[^()]{1,40}?)\s*\)"
    r"|\s+(?:from|of|@)\s+(?P<from>" + _ORG_NAME + r")"
    r"|\s+at\s+(?P<at>" + _ORG_NAME + r")"
    r"|,\s+(?:the\s+|a\s+|an\s+)?(?P<role2>[\w\- ]{2,30}?)\s+(?:at|of|@)\s+"
    r"(?P<org>" + _ORG_NAME + r"))",
)
_ROLE_WORDS = re.compile(
    r"\b(?:ceo|cto|cfo|coo|cmo|cpo|vp|svp|head|founder|co-?founder|engineer|designer|pm|manager|"
    r"director|lead|recruiter|investor|partner|analyst|consultant|researcher|professor|"
    r"scientist|developer|architect|advisor|intern|editor|journalist|principal|"
    r"product|marketing|sales|engineering)\b",
    re.I,
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str


def find_people(text: str, contacts: Sequence[Contact]) -> list[Found]:
    """Return the people `text` names, in order of first mention."""
    tokens = [_Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    lowercase_note = not any(t.word[0].isupper() for t in tokens if t.word != "I")
    runs = _candidate_runs(text, tokens, lowercase_note, contacts)
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
    text: str, tokens: list[_Token], contacts: Sequence[Contact], taken: set[int]
) -> list[tuple[int, int, str]]:
    """A contact's name typed in lowercase right after "with"/"met" ("lunch w/ dan")."""
    runs: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if token.start in taken or not token.word.islower() or token.word in _NOT_NAMES:
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


def _add_repeat_mentions(text: str, tokens: list[_Token], found: dict[str, Found]) -> None:
    """Later bare mentions of a found person's first name ("... give Ravi feedback")."""
    firsts = {fold(person.name.split()[0]): person for person in found.values() if person.name}
    taken = {start for person in found.values() for start, _ in person.spans}
    for token in tokens:
        word = token.word.removesuffix("'s")
        person = firsts.get(fold(word))
        if person is not None and token.start not in taken and word[:1].isupper():
            person.spans.append((token.start, token.start + len(word)))


def _candidate_runs(
    text: str, tokens: list[_Token], lowercase_note: bool, contacts: Sequence[Contact]
) -> list[tuple[int, int, str]]:
    """Find names: capitalised runs with a person cue, or known contacts.

    In an all-lowercase note only words after a strong cue ("with maria")
    count. "and"/"," continue a list only right after a person.
    """
    runs: list[tuple[int, int, str]] = []
    last_end = -10
    i = 0
    while i < len(tokens):
        run = _run_at(tokens, i, text, lowercase_note)
        if not run:
            i += 1
            continue
        first, last = run[0], run[-1]
        name = _clean_name(text[first.start : last.end], contacts)
        end = first.start + len(name)
        continues_list = last_end >= 0 and bool(_LIST_GLUE.fullmatch(text[last_end : first.start]))
        if name and (
            continues_list
            or _looks_like_person(text, first.start, end, name, lowercase_note, run)
            or _exact_contact(name, contacts, lowercase_note)
        ):
            runs.append((first.start, end, name.title() if lowercase_note else name))
            last_end = end + (2 if text[end : end + 2] == "'s" else 0)
        i += len(run)
    return runs


_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&|\+|/)\s*")


def _exact_contact(name: str, contacts: Sequence[Contact], lowercase_note: bool) -> bool:
    """A known contact's name, first name or alias counts without any cue."""
    if lowercase_note:
        return False  # "will", "may", "grace" are too often ordinary words
    wanted = fold(name)
    return any(
        wanted in {fold(c.name), fold(c.first_name), *map(fold, c.aliases)} for c in contacts
    )


def _run_at(tokens: list[_Token], i: int, text: str, lowercase_note: bool) -> list[_Token]:
    run: list[_Token] = []
    j = i
    while j < len(tokens) and len(run) < 4:
        token = tokens[j]
        if run and text[run[-1].end : token.start] not in (" ", "-"):
            break
        bare = token.word.removesuffix("'s")
        low = bare.lower()
        if _capitalised(bare, lowercase_note) and low not in _NOT_NAMES:
            run.append(token)
            if token.word.endswith("'s"):
                break
        elif run and low in _CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].word[0].isupper():
            run.append(token)
        else:
            break
        j += 1
    while run and run[-1].word.lower() in _CONNECTORS:
        run.pop()
    return run


def _capitalised(word: str, lowercase_note: bool) -> bool:
    if lowercase_note:
        return word.isalpha() and len(word) > 1
    # Letters without case (Chinese, Arabic, Hebrew...) can still be names.
    return word[0].isupper() or _caseless(word)


def _caseless(word: str) -> bool:
    return word[0].isalpha() and word[0].lower() == word[0].upper()


def _clean_name(raw: str, contacts: Sequence[Contact]) -> str:
    name = raw.removesuffix("'s").strip()
    if name.isupper() and len(name) <= 5 and not _exact_contact(name, contacts, False):
        return ""  # acronyms: CTO, AI, NYC (unless a contact's alias, like "TB")
    if " " not in name and _COMMON_NOUN_END.search(name):
        return ""  # "Recovery is slow", "Hiring is hard"
    return name


# Endings of abstract nouns that start sentences but are almost never given names.
_COMMON_NOUN_END = re.compile(
    r"(?:tion|sion|ment|ness|ity|ing|ance|ence|ship|ism|ery|ogy|ics|ure)$", re.I
)


def _looks_like_person(
    text: str, start: int, end: int, name: str, lowercase_note: bool, run: list[_Token]
) -> bool:
    words = [w.lower() for w in name.split()]
    if any(w in _ORG_WORDS for w in words):
        return False
    before = text[max(0, start - 25) : start]
    after = text[end : end + 40]
    person_before = bool(_BEFORE_PERSON.search(before))
    org_before = bool(_BEFORE_ORG.search(before))
    person_after = bool(_PERSON_VERB_AFTER.match(after))
    if lowercase_note:
        # Without capitals only the strongest cue counts: "coffee with maria".
        return bool(re.search(r"(?:\bwith|\bw/|\bmet|\bcalled|\bthank|\bowe)\s*$", before, re.I))
    if org_before and not person_before:
        return False
    if (
        re.search(r"(?:\bat|\bin|\bjoined|\bjoin|\bto)\s*$", before, re.I)
        and not person_after
        and not person_before
    ):
        return False
    if person_before or person_after:
        return True
    # Two or more capitalised words opening a line still read as a full name
    # ("Aisha Khan\nCoffee"); mid-sentence they are more often places or things.
    opens_line = not before.strip() or before.rstrip()[-1] in ".!?:;-—\n("
    return opens_line and len(run) >= 2 and not any(_caseless(t.word) for t in run)


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
        if not person.company:
            person.company = matches[0].company
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
        company = (groups.get("from") or groups.get("at") or groups.get("org") or "").strip()
        if paren and _ROLE_WORDS.search(paren) and not company and not role:
            person.role = person.role or paren
            continue
        company = company or paren
        if company and fold(company) not in _NOT_NAMES and not _ROLE_WORDS.fullmatch(company):
            person.company = company
            person.role = person.role or role
            if role:
                person.described = f"{role} at {company}"
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
