"""Spotting people's names in a note: capitalised words with a cue that they are people.

A capitalised word is a name when something around it says so: "with Tom",
"thank Ana", "Priya is presenting", "Tom's daughter", a list of names, or a
known contact's name. Places, companies and events ("at KubeCon", "joined
Globex", "moving to Lisbon") are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.notes.dates import MONTHS, WEEKDAYS
from bot.domain.notes.text import fold, word_set

# No real note names more people than this; the cap keeps hostile input fast.
MAX_CANDIDATES = 60

# Capitalised words that start sentences or name things, never people.
NOT_NAMES = word_set(
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
NOT_NAMES = NOT_NAMES | frozenset(WEEKDAYS) | frozenset(MONTHS)
# Words that mark an organisation or a thing, not a person, inside a capitalised run.
_ORG_WORDS = word_set(
    """
    inc ltd llc gmbh corp co labs lab ag sa plc group capital ventures partners bank university
    college school institute foundation conf conference summit meetup marathon con festival
    expo hackathon cup open week day fest forum airlines cloud systems software technologies
    studio studios health media games ai hq devs club society association council ministry
    """
)
_CONNECTORS = word_set("van von de der den da di du dos das del della le la al el bin ibn ter")
# Words just before a name that show it is a person ("with Tom", "thank Ana").
_BEFORE_PERSON = re.compile(
    r"(?:\bwith|\bw/|\bw|\bmet|\bmeet|\bmeeting|\bcalled|\bcall|\bcalling|\brang|\btexted|\btext"
    r"|\bmessaged|\bemailed|\bpinged|\bping|\bthank|\bthanked|\bthanks|\bowe|\bsend|\bsent|\btell"
    r"|\btold|\bask|\basked|\bintroduce|\bintroduced|\bintroducing|\bintro|\bintro'd|\bsee|\bsaw"
    r"|\bran into|\bbumped into|\bmet up with|\bremind|\bhelp|\bhelped|\bcongratulate"
    r"|\bcongrats|\bcongratulations|\bwish|\bhug|\bjoined by|\bnext to|\bsat with"
    r"|\bfollow up with|\bhi|\bhey|\bdear|\bbetween|\bpartner|\bwife|\bhusband|\bfriend"
    r"|\bdaughter|\bson|\bsister|\bbrother|\bmother|\bfather|\bmom|\bmum|\bdad|\bniece"
    r"|\bnephew|\bfianc[ée]e?|\bgirlfriend|\bboyfriend|\bbaby|\bkid"
    r"|\b(?:introduced|intro'd|intro|introduce|connected|connect|referred)\s+(?:me|us|him|her|them)"
    r"\s+(?:to|with)|\b(?:email|message|text|call|note|intro|referral|dm|news|update)\s+from"
    r"|\bcolleague|\bboss|\b(?:a|an|the|our|my|their|his|her)\s+[a-z]+,"
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
# These mark an organisation even where a person cue is also present ("with").
_HARD_ORG_BEFORE = re.compile(
    r"(?:\binterview(?:ing|s)?\s+(?:at|with)|\bwork(?:s|ed|ing)?\s+(?:at|for)|\bhired\s+by"
    r"|\b(?:job|role|offer|position|internship)\s+(?:at|with|from)|\bjoin(?:s|ed|ing)?)\s*$",
    re.I,
)
_PERSON_VERB_AFTER = re.compile(
    r"^(?:\s+from\s+(?:the\s+)?(?-i:[A-Z])|\s*\("
    r"|,\s+(?:a|an|the|our|their)\s+[\w\- ]{2,30}?\s+(?:at|of|@)\s"
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


@dataclass(frozen=True)
class Token:
    """A word of the note and where it is."""

    start: int
    end: int
    word: str


def name_runs(
    text: str, tokens: list[Token], lowercase_note: bool, known: frozenset[str]
) -> list[tuple[int, int, str]]:
    """Find names: capitalised runs with a person cue, or a `known` contact's name.

    In an all-lowercase note only words after a strong cue ("with maria")
    count. "and"/"," continue a list only right after a person.
    """
    runs: list[tuple[int, int, str]] = []
    last_end = -10
    i = 0
    checked = 0
    while i < len(tokens) and checked < MAX_CANDIDATES:
        run = _run_at(tokens, i, text, lowercase_note)
        if not run:
            i += 1
            continue
        checked += 1
        first, last = run[0], run[-1]
        name = _clean_name(text[first.start : last.end], known)
        end = first.start + len(name)
        continues_list = last_end >= 0 and bool(_LIST_GLUE.fullmatch(text[last_end : first.start]))
        if name and (
            continues_list
            or _looks_like_person(text, first.start, end, name, lowercase_note, run)
            or _exact_contact(name, known, lowercase_note)
        ):
            runs.append((first.start, end, name.title() if lowercase_note else name))
            last_end = end + (2 if text[end : end + 2] == "'s" else 0)
        i += len(run)
    return runs


_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&|\+|/)\s*")


def _exact_contact(name: str, known: frozenset[str], lowercase_note: bool) -> bool:
    """A known contact's name, first name or alias counts without any cue."""
    if lowercase_note:
        return False  # "will", "may", "grace" are too often ordinary words
    return fold(name) in known


def _run_at(tokens: list[Token], i: int, text: str, lowercase_note: bool) -> list[Token]:
    run: list[Token] = []
    j = i
    while j < len(tokens) and len(run) < 4:
        token = tokens[j]
        if run and text[run[-1].end : token.start] not in (" ", "-"):
            break
        bare = token.word.removesuffix("'s")
        low = bare.lower()
        if _capitalised(bare, lowercase_note) and low not in NOT_NAMES:
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


def _clean_name(raw: str, known: frozenset[str]) -> str:
    name = raw.removesuffix("'s").strip()
    if name.isupper() and len(name) <= 5 and not _exact_contact(name, known, False):
        return ""  # acronyms: CTO, AI, NYC (unless a contact's alias, like "TB")
    if " " not in name and _COMMON_NOUN_END.search(name):
        return ""  # "Recovery is slow", "Hiring is hard"
    return name


# Endings of abstract nouns that start sentences but are almost never given names.
_COMMON_NOUN_END = re.compile(
    r"(?:tion|sion|ment|ness|ity|ing|ance|ence|ship|ism|ery|ogy|ics|ure)$", re.I
)


def _looks_like_person(
    text: str, start: int, end: int, name: str, lowercase_note: bool, run: list[Token]
) -> bool:
    words = [w.lower() for w in name.split()]
    if any(w in _ORG_WORDS for w in words):
        return False
    before = text[max(0, start - 25) : start]
    after = text[end : end + 40]
    if _HARD_ORG_BEFORE.search(before):
        return False
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
