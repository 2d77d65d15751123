"""Spotting people's names in a note, capitalised or not.

A run of name words (capitalised words, particles such as "van der", an
initial, a title before a surname, or lowercase words that are given names
or known contacts) is a name when something says so: a cue around it ("with
Tom", "thank Ana", "Priya is presenting", "his wife Sabine"), a title ("Mr.
Okafor"), a list of names, a known contact, or a given name from the name
dictionary ("Met her replacement Kwame..."). Places, companies and events
("at KubeCon", "joined Globex", "a nonprofit called Code Kraków") are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.notes.affiliation import ROLE_NOUNS, singular_role
from bot.domain.notes.dates import MONTHS, WEEKDAYS
from bot.domain.notes.lexicon import (
    COMMON_WORD,
    FAMILY_NAME_FIRST,
    KIN_TITLES,
    SHORTHAND,
    TITLES,
    frequency,
    is_given_name,
    particles,
    plain_name,
    rare_word,
)
from bot.domain.notes.said_of import verb_said_of_someone
from bot.domain.notes.text import MESSAGE_FROM, fold, word_set

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
    covid covid-19 corona flu norovirus jetlag
    mum mother father dad parents daughter son wife husband partner sister brother baby
    ask asking tell telling spend spent went going go come came see saw seen say said
    from about at on in to for of by over with without regarding around into onto via per
    recruiter recruiters folks investors investor everyone people friends friend colleagues
    colleague clients client customers customer founders engineers manager boss mentor
    phoned rang emailed messaged texted pinged grabbed bumped visited joined thanked
    congratulated wished dm'd dmed zoomed skyped facetimed lunched interviewed hosted invited
    recommended helped reached followed replied wrote sent nothing everything nobody someone
    quick long great awesome amazing lovely nice good bad cert certs certification
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
# Who someone is to someone else, said just before their name: "her husband Mark",
# "my aunt's neighbour Mr. Duarte", "his chief of staff Halima Musa".
RELATIONS = word_set(
    """
    partner wife husband spouse fiance fiancee fiancé fiancée girlfriend boyfriend friend
    gf bf hubby
    daughter son sister brother mother father mom mum dad parent niece nephew cousin aunt
    uncle grandma grandpa grandmother grandfather godmother godfather godson goddaughter
    mother-in-law father-in-law sister-in-law
    brother-in-law stepson stepdaughter kid baby colleague coworker co-worker boss manager
    report neighbour neighbor mentor mentee replacement predecessor successor classmate
    roommate flatmate housemate teammate buddy pal mate guy girl woman man lady gentleman
    """
)
# Words just before a name that show it is a person ("with Tom", "thank Ana").
_BEFORE_PERSON = re.compile(
    r"(?:\bwith|\bw/|\bw|\bmet|\bmeet|\bmeeting|\bcalled|\bcall|\bcalling|\brang|\btexted|\btext"
    r"|\bmessaged|\bemailed|\bpinged|\bping|\bthank|\bthanked|\bthanks|\bowe|\bsend|\bsent|\btell"
    r"|\bphoned|\bwished|\bspotted|\b(?:chatted|talked|spoke|chatting|talking|speaking)\s+to"
    r"|\btold|\bpromised|\bask|\basked|\bintroduce|\bintroduced|\bintroducing|\bintro|\bintro'd|\bsee|\bsaw"
    r"|\bran into|\bbumped into|\bmet up with|\bremind|\bhelp|\bhelped|\bcongratulate"
    r"|\binterviewed|\binterviewing|\binterview\s+w(?:ith|/)?"
    r"|\bcongrats|\bcongratulations|\bwish|\bhug|\bjoined by|\bnext to|\bsat with"
    r"|\bfollow up with|\bhi|\bhey|\bdear|\bbetween|\bpartner|\bwife|\bhusband|\bfriend"
    r"|\bdaughter|\bson|\bsister|\bbrother|\bmother|\bfather|\bmom|\bmum|\bdad|\bniece"
    r"|\bbaby\s+(?:boy|girl)\s*,"  # "just had a baby girl, amira"
    r"|\bnephew|\bfianc[ée]e?|\bgirlfriend|\bboyfriend|\bgf|\bbf|\bhubby|\bbaby|\bkid"
    # "intro meera to carmen", "the intro to thiago", "pitch it to aga": whom it goes to.
    r"|\b(?:introduced|intro'd|intro|introduce|introducing|connected|connect|referred|refer|"
    r"pitch\s+it|pass\s+it\s+on|pass|passing|forward)(?:\s+[\w\-']+){0,3}?\s+(?:to|with|w/?)"
    r"|\b(?:introduced|intro'd|intro|introduce|connected|connect|referred)\s+(?:me|us|him|her|them)"
    r"\s+(?:to|with|w/?)|\b(?:email|message|text|call|note|intro|referral|dm|news|update)\s+from"
    r"|\bcolleague|\bboss|\b(?:a|an|the|our|my|their|his|her)\s+[a-z]+,"
    # "a recruiter from zalando, kim", "a guy from my running club, tobi,": who, then the name.
    # "a guy on my flight back from lisbon this morning, rui costa,".
    # "our broker in dubai, karim aziz": whose, then the name.
    r"|\b(?:a|an|our|my|their|his|her)\s+[a-z]+\s+(?:from|at|in|of|on|near|behind)\s+"
    r"(?:[\w'\-]+\s+){0,6}?[\w'\-]+,"
    r"|\bmanager|\bcofounder|\bco-founder|\brecruiter|\bmentor|\bcousin|\bneighbou?r"
    r"|\b" + MESSAGE_FROM + r"|\bchimed\s+in"
    # "gave noor a call": to whom.
    r"|\bgave|\bgive|\bgiving"
    # Chat apps, as typed: "dm'd jonas", "slacked tom", "thx note to hannah".
    r"|\bdm'?d|\bdm'?ed|\bdmed|\bmsg'?d|\bwhatsapp'?e?d|\bslacked|\bthx|\bty|\bnote\s+to"
    # "hbd call to khoa", "a card to gisela": whom a call or a message went to.
    r"|\b(?:call|email|message|msg|text|letter|card|postcard|voice\s+note|whatsapp)\s+to"
    r"|\b(?:thx|thanks|ty|thank\s+you)(?:\s+(?:ty|thx|thanks))*\s+to"
    # "belated hbd to june": whose birthday is wished.
    r"|\b(?:hbd|happy\s+b(?:irth)?day)\s+to"
    r"|\b(?:drinks|dinner|lunch|party|farewell|celebration|cake|leaving\s+do)\s+for"
    r"|\b(?:guy|woman|man|lady|person|girl|chap|bloke|founder|dev|engineer|designer|someone)\s+"
    r"(?:called|named))\s*$",
    re.I,
)
# "my aunt's neighbour", "an old friend from uni,", "his chief of staff", "another dad,":
# a relation or a job just before the name.
_RELATION_BEFORE = re.compile(
    r"\b(?:my|his|her|their|our|a|an|the|another|[\w\-]+'s)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?P<noun>[\w\-]+)(?:\s*,\s*|\s+(?:from|at|of)\s+[\w\-]+\s*,\s*|\s+)$",
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
    r"|\b(?:job|role|offer|position|internship)\s+(?:at|with|from)|\bjoin(?:s|ed|ing)?"
    r"|\b(?:nonprofit|non-profit|company|startup|charity|firm|agency|app|group|org|"
    r"organi[sz]ation|restaurant|bar|pub|cafe|café|shop|studio|club|podcast|show|book|band|"
    r"fund|project|product|tool|platform|team|school|network|community)\s+(?:called|named))\s*$",
    re.I,
)
# "at Thiago's place": a person's home.
_HOME_AFTER = re.compile(r"^'s\s+(?:place|house|home|flat|apartment|party|birthday)\b", re.I)
_PERSON_VERB_AFTER = re.compile(
    r"^(?:\s+from\s+(?:the\s+)?(?-i:[A-Z])|\s*\("
    r"|,\s+(?:a|an|the|our|their)\s+[\w\- ]{2,30}?\s+(?:at|of|@)\s"
    r"|'s\s+(?:daughter|son|kids?|children|wife|husband|partner|mom|mum|dad|mother|father|"
    r"baby|twins|sister|brother|family|dog|cat|new|first|talk|team|boss|manager|startup|"
    r"company|birthday|wedding|book|podcast|portfolio|resume|cv|deck|intro|advice|feedback|"
    r"idea|number|email|place|house|home|party|parents|husband|wife)\b"
    # "han's moving to amsterdam", "kasia's running for the board": "'s" is "is" here.
    r"|'s\s+(?:[a-z]+ing|been|got|gonna|now|also|just|still|not|back|off|so|super|really|very|"
    r"officially|finally|a|an|the)\b|\s+(?:and\s+(?:i|me)\b|is|was|has|had|will|'ll"
    r"|'s|'d|were|just|mentioned|said|says|told|introduced|intro'd|offered|offers|starts|started|runs|"
    r"ran|moved|moves|is\s+moving|presents|presenting|wants|loves|likes|thinks|agreed|promised|"
    r"gave|helped|referred|recommended|invited|asked|suggested|volunteered|can|could|would|"
    r"might|may|should|leads|heads|manages|works|joined|joins|got|gets|shared|sent|"
    r"recently|also|still|now|plans|hopes|needs|lives|lived|goes|went|took|brought|knows|seems|"
    r"looks|sounds|did|does|used|came|kindly|graciously|finally|explained|showed|pitched|"
    r"recommends|connected|congratulated|invites|launched|launches|announced|raised|struggles|"
    r"is\s+struggling|dealing|hired|quit|left|turned|became|became|returns|returned|"
    r"trains|teaches|writes|wrote|built|builds|founded|co-founded|reached\s+out|turns|turning|"
    r"set\s+(?:it|this|that|us|me)\s+up|arranged|organi[sz]ed|dropped|popped|stopped\s+by|"
    r"swung\s+by|"
    # "sammy dm'd me", "grace called": a contact's message is a contact too.
    r"called|rang|dm'?d|texted|messaged|emailed|pinged|replied|whatsapped|slacked)(?!\w))",
    re.I,
)


@dataclass(frozen=True)
class Token:
    """A word of the note and where it is."""

    start: int
    end: int
    word: str


@dataclass(frozen=True)
class NameRun:
    """A name found in the note.

    `name` is as it should be shown ("Tomasz Nowak" for "tomasz nowak",
    "Mr. Okafor"); `title` is the honorific's key ("mr") when the note used
    one; `nickname` is a name given in quotes ("Oluwaseun 'Seun' Balogun").
    `cued` is False for a candidate nothing marked as a person, kept only so
    that a later, cued first name can take its full form ("Bilal Hussain, head
    of growth ... Bilal will").
    """

    start: int
    end: int
    name: str
    title: str = ""
    nickname: str = ""
    cued: bool = True


@dataclass(frozen=True)
class Known:
    """Contacts' names, folded: `forms` are full names, first names and aliases."""

    forms: frozenset[str]
    firsts: frozenset[str]


# No name has more words than this (titles and particles aside).
MAX_NAME_WORDS = 4


def name_runs(text: str, tokens: list[Token], lowercase_note: bool, known: Known) -> list[NameRun]:
    """Find the names in `text`, in order, each marked cued or not."""
    runs: list[NameRun] = []
    last_end = -10
    i = 0
    checked = 0
    while i < len(tokens) and checked < MAX_CANDIDATES:
        shape = _run_at(tokens, i, text, lowercase_note, known)
        if shape is None:
            i += 1
            continue
        checked += 1
        words, title, nickname, i = shape
        first, last = words[0], words[-1]
        if title is not None and title.word.casefold() in KIN_TITLES:
            title_cue, title = True, None  # a kin word vouches for the name, yet is none of it
        else:
            title_cue = title is not None
        name_start = (title or first).start
        raw = text[first.start : last.end]
        if nickname:
            # "Oluwaseun 'Seun' Balogun" is Oluwaseun Balogun, also called Seun.
            raw = " ".join(t.word for t in words)
        name = _clean_name(raw, known)
        if not name:
            continue
        end = (
            last.end - (2 if last.word.endswith("'s") else 0)
            if nickname
            else first.start + len(name)
        )
        shown = _shown(name, title, text)
        # "ama osei (runs risk at wave, …) and efua": an aside in brackets keeps the list going.
        gap = _ASIDE.sub("", text[last_end:name_start]) if last_end >= 0 else ""
        continues_list = last_end >= 0 and bool(_LIST_GLUE.fullmatch(gap))
        lower = not any(_capitalised(t.word) for t in words)
        # "abdullah bin khalid, embedded insurance for...": a lowercase word after a comma
        # lists a name only if it is one.
        listed = continues_list and not (lower and not _may_list(words, known))
        if listed or title_cue:
            cued = True
        elif lower:
            cued = _lower_name_ok(text, name_start, words, known)
        else:
            cued = _looks_like_person(text, name_start, end, name, lowercase_note, words, known)
        if cued and _NAMED_THING.search(text[max(0, name_start - 40) : name_start]):
            cued = False  # "her dog is called moomin": a pet's name, no one met
        runs.append(
            NameRun(
                name_start,
                end,
                shown,
                title=title.word.casefold() if title else "",
                nickname=nickname,
                cued=cued,
            )
        )
        if runs[-1].cued:
            last_end = end + (2 if text[end : end + 2] == "'s" else 0)
    return runs


_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&|\+|/)\s*")
_ASIDE = re.compile(r"^\s*\([^()]{0,160}\)")
_NAMED_THING = re.compile(
    r"\b(?:dog|dogs|cat|cats|puppy|kitten|pet|horse|pony|parrot|rabbit|hamster|tortoise|boat)"
    r"(?:'s\s+name\s+is|\s+(?:is\s+|was\s+)?(?:called|named))\s*$",
    re.I,
)


def _run_at(
    tokens: list[Token], i: int, text: str, lowercase_note: bool, known: Known
) -> tuple[list[Token], Token | None, str, int] | None:
    """The name words starting at token `i` (after a title, if one is there).

    Returns the words, the title, a quoted nickname and the index after the run.
    """
    title: Token | None = None
    token = tokens[i]
    if token.word.casefold() in TITLES and i + 1 < len(tokens):
        gap = text[token.end : tokens[i + 1].start]
        if gap in (" ", ". ", "."):
            title, i = token, i + 1
    elif _kin_title_at(tokens, i, text):
        title, i = token, i + 1
    run: list[Token] = []
    nickname = ""
    j = i
    while j < len(tokens) and sum(t.word.casefold() not in particles() for t in run) < 4:
        token = tokens[j]
        # "K. S. Anand", "R. Sridhar": initials before the name lead on to it.
        leading = bool(run) and all(_is_initial(t, text) for t in run)
        if run and _is_initial(run[-1], text) and not leading:
            break  # "Lena M." ends the name
        gap = text[(tokens[j - 1] if nickname else run[-1]).end : token.start] if run else " "
        if nickname and gap.strip() in ("'", '"', "’", "”", ")"):
            gap = " "  # the closing quote of "'Seun'"
        if leading and gap in (". ", ".") and _capitalised(token.word):
            gap = " "
        if run and gap not in (" ", "-"):
            if nickname or not _nickname_at(text, run, token, tokens, j):
                break
            nickname = token.word  # "Oluwaseun 'Seun' Balogun"
            j += 1
            continue
        bare = token.word.removesuffix("'s")
        if run and _kin_title_at(tokens, j, text):
            break  # "my godmother tante gisela": the name starts after the kin word
        if (
            run
            and bare.casefold() in particles()
            and (
                name_at := _particle_leads_on(
                    tokens, j, text, lowercase=not _capitalised(run[0].word)
                )
            )
        ):
            # "de la Cruz", "daphne de jong": the particles and the name word they lead to.
            run += tokens[j : name_at + 1]
            j = name_at + 1
            if tokens[name_at].word.endswith("'s"):
                break
        elif _name_word(bare, run, title, lowercase_note, known, text, token):
            run.append(token)
            j += 1
            if token.word.endswith("'s"):
                break
        else:
            break
    while run and run[-1].word.casefold() in particles():
        run.pop()
    if not run or all(_is_initial(t, text) for t in run):
        return None  # initials alone ("J.") name no one
    after = j
    while tokens[after - 1] is not run[-1]:
        after -= 1  # particles dropped from the end are read again
    return run, title, nickname, after


def _kin_title_at(tokens: list[Token], i: int, text: str) -> bool:
    """ "tante gisela", "don ignacio": a kin word before a given name (not "don smith")."""
    if tokens[i].word.casefold() not in KIN_TITLES or i + 1 >= len(tokens):
        return False
    following = tokens[i + 1].word.removesuffix("'s")
    return text[tokens[i].end : tokens[i + 1].start] == " " and plain_name(following)


def _nickname_at(text: str, run: list[Token], token: Token, tokens: list[Token], j: int) -> bool:
    """ "Oluwaseun 'Seun' Balogun": a quoted word between two name words.

    Typed in lowercase ("oluwaseun (seun) adeleke") the surname must be a rare word
    and the nickname part of the first name, or "cto (acme) and" would be a name.
    """
    if not run or j + 1 >= len(tokens):
        return False
    surname = tokens[j + 1].word
    if not _capitalised(surname) and not (
        rare_word(surname) and fold(token.word) in fold(run[0].word)
    ):
        return False
    before = text[run[-1].end : token.start]
    after = text[token.end : tokens[j + 1].start]
    return before.strip() in ("'", '"', "‘", "“", "(") and after.strip() in (
        "'",
        '"',
        "’",
        "”",
        ")",
    )


def _is_initial(token: Token, text: str) -> bool:
    return len(token.word) == 1 and token.word.isupper() and text[token.end : token.end + 1] == "."


def _particle_leads_on(tokens: list[Token], j: int, text: str, *, lowercase: bool) -> int:
    """ "de la Cruz": particles count only when a name word follows them; after a name
    typed in lowercase ("daphne de jong"), a word English seldom uses. Returns the name
    word's index, or 0."""
    k = j
    while k < len(tokens) and tokens[k].word.casefold() in particles():
        k += 1
    if k >= len(tokens) or k - j > 3 or text[tokens[k - 1].end : tokens[k].start] != " ":
        return 0
    word = tokens[k].word.removesuffix("'s")
    if _capitalised(word):
        return k
    if not lowercase or not word.isalpha() or word in NOT_NAMES or word in SHORTHAND:
        return 0
    return k if rare_word(word, under=200) or plain_name(word) else 0


_ELIDED = re.compile(r"(?:o|d|l|dell|dall)'[^\W\d_]{2,}(?:-[^\W\d_]+)?$")
_PREFIXED = re.compile(r"(?:ex|co|non|pre|post|self|re|anti|semi|multi|cross|mid|vice|step)-")


def _name_word(
    bare: str,
    run: list[Token],
    title: Token | None,
    lowercase_note: bool,
    known: Known,
    text: str,
    token: Token,
) -> bool:
    low = bare.casefold()
    if _capitalised(bare):
        return low not in NOT_NAMES or (bool(run) and fold(bare) in known.forms)
    if (
        not run
        and low not in _DETERMINERS
        and is_given_name(bare)
        and _full_name_after_cue(text, token)
    ):
        return True  # "lunch w will turner": "will" is a name here
    # "ji-woo", "jean-luc": a hyphen joins one name ("ex-colleague", "co-host" are words);
    # "o'neill", "d'souza": so does an elided particle (but not "didn't" or "she'd").
    if not (bare.replace("-", "").isalpha() or _ELIDED.match(low)) or _PREFIXED.match(low):
        return False
    # "call w may": a contact's alias may be a month or a word; its cue then vouches for it.
    if len(bare) < 2 or (low in NOT_NAMES and fold(bare) not in known.forms) or low in SHORTHAND:
        return False
    head = low.split("-")[0]  # "his wife-to-be", "cofounder-to-be"
    several = head[:-1] if head.endswith("s") else ""  # "the new neighbours ilka + jannik"
    if (
        head in ROLE_NOUNS or head in RELATIONS or several in RELATIONS or singular_role(head)
    ) and fold(bare) not in known.forms:
        # "kwame asante, founder of ...", "her flatmate becky": a job or a relation typed
        # in lowercase, not a name
        return False
    possessive = token.word.endswith("'s")  # "efua's cofounder kojo": a name, then whose
    if not run and not possessive and not plain_name(bare) and fold(bare) not in known.forms:
        after = _NEXT_WORD.match(text, token.end)
        if after is not None and after.group(1).casefold() in ROLE_NOUNS:
            return False  # "tom, solutions architect at aws": the word opens a job
    if not run:
        # A lowercase first word: a title's surname ("dr. ramírez"), a known contact's
        # name or alias ("lunch w/ dan"), a given name ("tomasz"), or in an all-lowercase
        # note any word (a strong cue must then vouch for it).
        # An everyday word ("gave tom a call") starts no name, or it would hide the one after.
        return (
            title is not None
            or fold(bare) in known.forms
            or plain_name(bare)
            or (lowercase_note and frequency(low) < COMMON_WORD)
            or _family_name_first(low, text, token)
        )
    if _capitalised(run[0].word):
        return False  # "Tom said" never takes a lowercase word into a capitalised name
    # A lowercase surname after a lowercase first name: a known one ("jonas muller"),
    # or a word English seldom uses ("tomasz nowak", but not "lena abt").
    if fold(f"{run[-1].word} {bare}") in known.forms:
        return True
    if low.endswith(("ed", "ing")):
        return False  # "zoe chimed in": a verb after the name
    if verb_said_of_someone(low, text, token.end):
        return False  # "hamish retires from the yard", "tomás surfs in pichilemu"
    if fold(run[-1].word) in known.firsts:
        # A known first name keeps its contact unless the next word is clearly a surname.
        return rare_word(bare, under=50) and not is_given_name(bare)
    if (
        len(run) == 1
        and run[0].word.casefold() in FAMILY_NAME_FIRST
        and len(bare) <= 6
        and is_given_name(bare)
    ):
        return True  # "li na": the family name first, then a given name ("na" is a word too)
    if rare_word(bare, under=200):
        return True  # "ayse kaya": so rare it is a surname even if it is a given name too
    if rare_word(bare) and not is_given_name(bare):
        return True
    if len(run) == 1 and is_given_name(run[0].word) and _WHO_AFTER.match(text, token.end):
        return True  # "their cfo anders lake, who wants to chat": the name ends at "who"
    # "david kim", "hannah cole": a name word that is no everyday English word is a
    # surname here too (many surnames are given names somewhere).
    return len(run) == 1 and plain_name(bare)


_WHO_AFTER = re.compile(r",\s+who\b", re.I)
_NEXT_WORD = re.compile(r" ([^\W\d_]+)\b(?!')")
_NEXT_NAME = re.compile(r" ([^\W\d_]+(?:-[^\W\d_]+)?)\b(?!')")


def _family_name_first(low: str, text: str, token: Token) -> bool:
    """ "park ji-hoon", "kim min-ji": a family name said first starts a name when a given
    name follows, though alone it is an everyday word ("park", "kim" is not)."""
    if low not in FAMILY_NAME_FIRST:
        return False
    after = _NEXT_NAME.match(text, token.end)
    if after is None:
        return False
    given = after.group(1)
    return "-" in given and all(is_given_name(part) or len(part) <= 4 for part in given.split("-"))


# Closed-class words that start a noun phrase, never a name ("w the reorg", "w his gf").
_DETERMINERS = word_set(
    "the a an his her their my our your its this that these those some any no every each all"
)


def _full_name_after_cue(text: str, token: Token) -> bool:
    """ "w will turner", "met grace kim": a given name and a surname right after a strong cue."""
    before = text[max(0, token.start - 25) : token.start]
    if not _STRONG_BEFORE.search(before):
        return False
    match = _NEXT_WORD.match(text, token.end)
    if match is None:
        return False
    word = match.group(1)
    if not word.islower() or word in SHORTHAND or word in NOT_NAMES:
        return False
    return rare_word(word, under=200) or plain_name(word)


def _capitalised(word: str) -> bool:
    # Letters without case (Chinese, Arabic, Hebrew...) can still be names.
    return word[:1].isupper() or _caseless(word)


def _caseless(word: str) -> bool:
    return word[:1].isalpha() and word[0].lower() == word[0].upper()


def _shown(name: str, title: Token | None, text: str) -> str:
    """How a found name is shown: typed in lowercase it is capitalised, a title kept.

    The title stays only before a surname alone ("Mr. Okafor", "Mr. van Dijk"): with a
    given name it is no part of the name ("dr stefanie kraus" is Stefanie Kraus).
    """
    words = name.split()
    if not any(_capitalised(w) for w in words):
        words = [w if w in particles() else _capitalise(w) for w in words]
    shown = " ".join(words)
    if title is not None and sum(w.casefold() not in particles() for w in words) == 1:
        dot = "." if text[title.end : title.end + 1] == "." else ""
        shown = f"{_capitalise(title.word)}{dot} {shown}"
    return shown


def _capitalise(word: str) -> str:
    """ "o'brien" is O'Brien, "al-sayed" Al-Sayed."""
    parts = re.split(r"([\-'])", word)
    return "".join(p[:1].upper() + p[1:] if p not in ("-", "'") else p for p in parts)


# Japanese honorifics after a name: "takahashi-san" is Takahashi.
_HONORIFIC = re.compile(r"-(?:san|sama|kun|chan|sensei|senpai)$", re.I)


def _clean_name(raw: str, known: Known) -> str:
    name = _HONORIFIC.sub("", raw.removesuffix("'s").strip())
    if fold(name) in known.forms:
        return name
    if name.isupper() and len(name) <= 5:
        return ""  # acronyms: CTO, AI, NYC (unless a contact's alias, like "TB")
    if " " not in name and _COMMON_NOUN_END.search(name):
        return ""  # "Recovery is slow", "Hiring is hard"
    if " " not in name and not is_given_name(name) and frequency(name) >= COMMON_WORD:
        return ""  # "Kid's birthday party", "VP Product": everyday words, not names
    return name


# Endings of abstract nouns that start sentences but are almost never given names.
_COMMON_NOUN_END = re.compile(
    r"(?:tion|sion|ment|ness|ity|ing|ance|ence|ship|ism|ery|ogy|ics|ure)$", re.I
)
# Without capitals only the strongest cues count for a word that is no known name.
_STRONG_BEFORE = re.compile(
    # "slack from okonkwo:": whom a message is from, even by a surname alone.
    r"(?:\b" + MESSAGE_FROM + r"|\bwith|\bw/?|\bmet|\bcalled|\bthank|\bowe|\binterviewed|"
    r"\b(?:introduced|intro'?d)\s+(?:me|us)\s+to)\s*$",
    re.I,
)
# "a founder from the ef cohort, oluwaseun adeleke": someone described, then the name.
_DESCRIBED_BEFORE = re.compile(
    r"\b(?:a|an)\s+(?P<who>[a-z\-]+)\s+(?:from|at|in|of|on|near|behind)\s+[^,.;:!?()]{1,50},\s*$",
    re.I,
)
_PEOPLE_NOUNS = word_set("guy woman man lady person girl chap bloke someone friend dev")


def _described_before(before: str) -> bool:
    said = _DESCRIBED_BEFORE.search(before)
    who = said.group("who").casefold() if said else ""
    return who in ROLE_NOUNS or who in _PEOPLE_NOUNS


def _lower_name_ok(text: str, start: int, words: list[Token], known: Known) -> bool:
    """A lowercase name needs a cue: any person cue for a known or given name, else a strong one."""
    before = text[max(0, start - 60) : start]  # room for "a guy on my flight from lisbon, "
    # "han's moving": the word holds its "'s", which is what follows the name.
    owned = words[-1].word.endswith("'s")
    first = words[0].word[:-2] if owned and len(words) == 1 else words[0].word
    whole = " ".join(t.word for t in words)
    whole = whole[:-2] if owned else whole
    if fold(first) in known.forms or fold(whole) in known.forms:
        return bool(
            # "hamid's bday", "sasha's in town": a contact's name owning something is them.
            (owned and (plain_name(first) or rare_word(first)))
            or _BEFORE_PERSON.search(before)
            or _PERSON_VERB_AFTER.match(text[words[-1].end - (2 if owned else 0) :])
            or _listed_known(before, text[words[-1].end : words[-1].end + 25], known)
        )
    if plain_name(first) and _particle_inside(words):
        return True  # "abdullah bin khalid", "ingrid de boer": a particle joins a full name
    if _BUSY_WITH.search(before):
        return False  # "overwhelmed w oncall", "still stuck w visa": a thing, not a person
    if plain_name(first):
        return bool(
            _BEFORE_PERSON.search(before)
            or _relation_noun(before)
            or (fold(first) not in MONTHS and _PLAIN_NAME_AFTER.match(text, words[-1].end))
        )
    # "her husband cheikh": after a relation a word English never uses is a name too.
    return bool(
        _STRONG_BEFORE.search(before)
        # ("their partner onboarding playbook": an -ing word is no name there.)
        or (_relation_noun(before) and rare_word(first) and not _COMMON_NOUN_END.search(first))
        or (len(words) > 1 and _described_before(before))
    )


def _may_list(words: list[Token], known: Known) -> bool:
    """A lowercase run that may go on a list of names: a given or known name, or a word
    English seldom uses ("kemi", not "payroll")."""
    first = words[0].word.removesuffix("'s")
    return plain_name(first) or fold(first) in known.forms or rare_word(first)


def _particle_inside(words: list[Token]) -> bool:
    """A particle between a first name and a surname ("bin", "van der", "de la")."""
    return len(words) >= 3 and any(t.word.casefold() in particles() for t in words[1:-1])


# What follows a given name and says it is someone: "shota from their ml team is…", "tom
# from stripe said…", "dwayne is a huge f1 fan".
# "shota from their ml team": one of a team (presence reads it as one of "her team" met).
FROM_THEIR_TEAM = r"\s+from\s+(?:their|the|his|her|our)\s+(?:[\w\-]+\s+){0,3}team\b"
_PLAIN_NAME_AFTER = re.compile(
    r"(?:"
    + FROM_THEIR_TEAM
    + r"|\s+(?:(?:from|at)\s+[a-z][\w\-]*\s+(?:is|was|said|says|offered|told|asked|will|'ll)\b"
    r"|is\s+(?:a|an)\s+(?:huge|big|massive|keen|total|avid|real)?\s*\w+\s+(?:fan|nerd|guy|person)\b"
    # "tina introduced us", "paola offered to review it": only a person does that.
    r"|(?:introduced|intro'd|connected)\s+(?:me|us)\b|offered\s+to\b))",
    re.I,
)
_BUSY_WITH = re.compile(
    r"\b(?:overwhelmed|busy|swamped|buried|struggling|dealing|stuck|done|obsessed|fine|ok|okay|"
    r"frustrated|annoyed|happy|bored|familiar|helping|help|helped|experience|experienced)\s+"
    r"(?:w/?|with)\s*$",
    re.I,
)


# "at kubecon: priya, tom and a guy named Felix": a list of people after a heading.
_HEADING_BEFORE = re.compile(r":\s*$")
_GLUE_BEFORE = re.compile(r"(?P<word>[^\W\d_][\w'\-]*)\s*(?:,|,?\s+and|&|\+)\s*$")
_GLUE_AFTER = re.compile(r"^\s*(?:,|,?\s+and\b|&|\+)\s*(?P<word>[^\W\d_][\w'\-]*)")


def _listed_known(before: str, after: str, known: Known) -> bool:
    """A contact's lowercase name in a list with another contact's, or heading one."""
    glued = _GLUE_BEFORE.search(before)
    if glued is not None and fold(glued.group("word")) in known.forms:
        return True
    following = _GLUE_AFTER.match(after)
    listed = following is not None and fold(following.group("word")) in known.forms
    return listed and (_HEADING_BEFORE.search(before) is not None or glued is not None)


def _relation_noun(before: str) -> bool:
    match = _RELATION_BEFORE.search(before)
    if match is None:
        return False
    noun = match.group("noun").removesuffix("-to-be")  # "his cofounder-to-be saara"
    if not noun.islower():
        return False  # "a guy called Viktor at the ...": Viktor is no relation word
    if noun in _GROUPS or _relation_word(noun) or noun[:-1] in RELATIONS:
        return True  # ("flatmates": a plural the tables may not know)
    # "the new neighbours ilka + jannik", "her cousins ana and bea": several of one relation.
    if noun.endswith("s") and noun not in NOT_NAMES:
        from bot.domain.memory.morphology import readings  # lemminflect loads on first use

        return any(_relation_word(one) for one in readings(noun).get("NOUN", ()) if one != noun)
    return False


def _relation_word(noun: str) -> bool:
    return noun in RELATIONS or noun in ROLE_NOUNS or noun.endswith(("ist", "ian", "eer"))


# Words for a group of people, before the list of who they are: "the old uni crew, anja, tobi".
_GROUPS = word_set("crew gang squad bunch lot posse clan folks")


def _looks_like_person(
    text: str,
    start: int,
    end: int,
    name: str,
    lowercase_note: bool,
    run: list[Token],
    known: Known,
) -> bool:
    words = [w.casefold() for w in name.split()]
    if any(w in _ORG_WORDS for w in words):
        return False
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if _HARD_ORG_BEFORE.search(before):
        return False
    if _HOME_AFTER.match(after) or (after.startswith("'s") and before.rstrip().endswith("at")):
        return True  # "at Thiago Moreira's place", "Dinner at Sam's tonight"
    person_before = bool(_BEFORE_PERSON.search(before[-25:])) or _relation_noun(before)
    org_before = bool(_BEFORE_ORG.search(before[-25:]))
    person_after = bool(_PERSON_VERB_AFTER.match(after))
    if lowercase_note:
        return bool(_STRONG_BEFORE.search(before)) or (
            (fold(name) in known.forms or plain_name(run[0].word))
            and (person_before or person_after)
        )
    if fold(name) in known.forms:
        return True  # a known contact's name, first name or alias needs no cue
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
    if (
        len(run) >= 2
        and is_given_name(run[0].word)
        and frequency(run[-1].word) < COMMON_WORD
        and not before.rstrip().endswith(("the", "The"))
        and not _caseless(run[0].word)
    ):
        # A given name and a surname nothing else explains: "Met her replacement Kwame Asante".
        return True
    # Two or more capitalised words opening a line still read as a full name
    # ("Aisha Khan\nCoffee"); mid-sentence they are more often places or things.
    opens_line = not before.strip() or before.rstrip()[-1] in ".!?:;-—\n("
    return opens_line and len(run) >= 2 and not any(_caseless(t.word) for t in run)
