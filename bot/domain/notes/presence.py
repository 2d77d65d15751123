"""Who was met and who was only mentioned.

Someone was met when the note says so around their name: "coffee with Ana",
"msg from Dario", "met her partner Luis", "sat next to Ingrid", "zoe chimed
in", "at Thiago's place", "Tom and I", or when they are listed with someone
met ("with Kenji, his wife Yuki and their twins"). Someone was only mentioned
when the note puts them outside the meeting: "introduce her to José",
"connect him with Emeka", "Emeka's mum", "got my name from Daniel", "Ruud
wasn't there", "no relation to Zoë", "I'll set up a call w/ Raj". A note that
says of nobody that they were met (a to-do list, "ask lena abt the offsite")
is about everyone it names. A mentioned person gets no interaction, no
follow-up and no keep-in-touch reset.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.notes.affiliation import ROLE_NOUNS
from bot.domain.notes.dates import WEEKDAYS
from bot.domain.notes.names import FROM_THEIR_TEAM, RELATIONS
from bot.domain.notes.people import Found
from bot.domain.notes.text import EMOJI, MESSAGE_FROM, ends_with_abbreviation

MAX_SPANS_READ = 12
# Words just before a name that say the user was with them.
_MET_BEFORE = re.compile(
    r"(?:\b(?:with|w/|w|met|meet|meeting|saw|spotted|into|next\s+to|beside|between|opposite|"
    r"joined\s+by|"
    r"hosted\s+by|"
    # "brought his daughter lina": whom someone brought along was there too.
    r"brought|brought\s+along|"
    r"texted|called|rang|phoned|emailed|messaged|pinged|dm'?d|dmed|facetimed|facetime|zoomed|"
    r"skyped|hugged|visited|interviewed|introduced\s+(?:me|us)\s+to|"
    + MESSAGE_FROM
    + r"|(?:drinks|dinner|lunch|party|farewell|celebration)\s+for)"
    # "w nadia petrov's partner at cherry, florian": a full name may own the relation.
    r"(?:\s+(?:(?:my|his|her|their|our|a|an|another|the|(?:[\w\-]+\s+){0,2}[\w\-]+'s)\s+)?"
    r"(?:[\w\-]+[\s,]+){0,3}?)?"
    r"\s*,?\s*$)",
    re.I,
)
_MET_AFTER = re.compile(
    # "went to her husband marco's taverna": the one whose place it is was there.
    r"^(?:'s\s+(?:place|house|home|flat|apartment|taverna|restaurant|bistro|caf[eé]|bakery)\b|\s*(?:and|&|\+)\s+(?:i|me)\b|"
    r"\s+(?:joined\s+(?:us|me|in)|chimed\s+in|came\s+(?:along|too|by)|was\s+there|stopped\s+by|"
    r"dropped\s+by|dropped\s+in|popped\s+by|sat\s+with\s+(?:us|me)))",
    re.I,
)
# A plan for later is no meeting now: "I'll set up a call w/ Raj next week".
_PLAN_BEFORE = re.compile(
    r"\b(?:will|'ll|going\s+to|gonna|should|plan(?:s|ning)?\s+to|want(?:s)?\s+(?:me\s+|us\s+)?to|"
    r"need\s+to|"
    # "he used to work w daan": once, not at this meeting.
    r"set\s+up|schedule|book|arrange|promised|offered|agreed|suggested|invite|used\s+to)\b",
    re.I,
)
# Around a name, these put the person outside the meeting.
_ONLY_MENTIONED_BEFORE = re.compile(
    r"(?:\b(?:intro(?:duce|duced|ducing|duction|s|'d)?|connect(?:ed|ing)?|refer(?:red|ring)?|pitch|"
    r"put\s+(?:\w+\s+)?in\s+touch|pass(?:ed)?|forward(?:ed)?|send|sent|recommend(?:ed)?)"
    r"\b(?:\s+(?!me\b|us\b)[\w\-']+){0,4}?\s+(?:to|with|w/?)"
    # "introduce olamide to our lawyer, dr. voss": whom, said with who they are to us.
    r"(?:\s+(?:our|my|his|her|their|a|an|the)\s+(?:[\w\-]+\s+){0,2}?[\w\-]+\s*,)?"
    r"|\b(?:name|number|email|contact|details|intro|referral)\s+from"
    r"|\bno\s+relation\s+(?:to|with)|\bfriend\s+of)\s*$",
    re.I,
)
# "She introduced me to Bob": at a gathering Bob was there to meet; after a coffee
# for two it is an introduction made (often by email), and Bob is only mentioned.
_INTRODUCED_TO = re.compile(r"\b(?:introduced|intro'?d)\s+(?:me|us)\s+to\s*$", re.I)
# "efua, a founder kwame introduced me to": who made the intro, named inside another's
# description, was not there.
_PASSED_ON = r"^\s+(?:introduced|intro'?d|connected|referred|recommended|sent)\s+"
_INTRODUCER_AFTER = re.compile(_PASSED_ON + r"(?:me|us)\b", re.I)
# "interviewed léa moreau, anne-sophie referred her": who sent them, not who came.
_REFERRED_AFTER = re.compile(_PASSED_ON + r"(?:her|him|them)\b", re.I)
_APPOSED_BEFORE = re.compile(
    # "efua, a founder kwame introduced me to"; "hemi walker, cto at sharesies, tina
    # introduced us": the one named after a closed apposition made the intro.
    r",\s+(?:(?:a|an|the)\s+[\w\-]+(?:\s+[\w\-]+)?\s+|[^,.;:!?()]{2,40},\s*)$",
    re.I,
)
# "giulia introduced me over slack to marco": an intro made from afar.
_INTRODUCED_FROM_AFAR = re.compile(
    _PASSED_ON + r"(?:me|us)\s+(?:over|via|on|by)\s+(?:slack|e-?mail|mail|whatsapp|linkedin|"
    r"text|signal|telegram|dm|teams|phone)\b",
    re.I,
)
_ABSENT_AFTER = re.compile(
    r"^\s+(?:wasn'?t|was\s+not|couldn'?t|could\s+not|didn'?t|did\s+not|won'?t|can'?t)\s+"
    r"(?:there|make|come|join|be\s+there|attend)\b",
    re.I,
)
# "Emeka's mum", "Zoë's colleague Pierre", "ngozi's old professor": the relative, or the
# one who holds that job for them, is the one in the room.
_RELATIVE_AFTER = re.compile(r"^'s\s+(?P<noun>[\w\-]+)(?:\s+(?P<then>[\w\-]+))?", re.I)
_ALSO_RELATIVES = frozenset({"kids", "parents", "family", "team"})


def _relative_after(after: str) -> bool:
    match = _RELATIVE_AFTER.match(after)
    if match is None:
        return False
    # "'s wife", or after one word more: "'s old professor", "'s little brother".
    return any(
        noun is not None
        and (
            noun.casefold() in RELATIONS or noun.casefold() in ROLE_NOUNS or noun in _ALSO_RELATIVES
        )
        for noun in match.group("noun", "then")
    )


# "his wife Neha", "her boss, Raj": named as someone's relative.
_KIN_BEFORE = re.compile(
    r"\b(?:his|her|their|my|our)\s+(?:[\w\-]+\s+)?(?:mum|mom|mother|dad|father|wife|husband|"
    r"partner|sister|brother|son|daughter|boss|cousin|aunt|uncle|neighbou?r|gf|bf|"
    r"girlfriend|boyfriend|fianc[eé]e?)\s*,?\s*$",
    re.I,
)
# "dinner with chidi and his kids. his son Tobi ...": a named member of the group met.
_GROUP = re.compile(
    r"\b(?:with|w/?)\s+[^.!?\n]{0,40}?\b(?:his|her|their)\s+(?P<group>family|kids|children|"
    r"twins|wife|husband|partner|parents|team)\b",
    re.I,
)
_MEMBER = {
    "family": r"son|daughter|kid|child|wife|husband|partner|mum|mom|dad|mother|father|sister|"
    r"brother|baby",
    "kids": r"son|daughter|kid|child|eldest|youngest",
    "children": r"son|daughter|kid|child|eldest|youngest",
    "twins": r"son|daughter|twin",
    "wife": r"wife",
    "husband": r"husband",
    "partner": r"partner",
    "parents": r"mum|mom|dad|mother|father",
    "team": r"colleague|teammate|report|engineer|designer|manager|lead",
}
# Inside a list after "with", only names, glue, relations and short appositions
# ("Tunde Bakare, CPO at Paystack, and his chief of staff Halima Musa").
_NEW_CLAUSE = re.compile(
    r"\b(?:she|he|they|i|we|who|which|that|said|says|told|is|was|will|'ll|wants|loves|has|had)\b"
    r"|[;:]",
    re.I,
)


@dataclass(frozen=True)
class Presence:
    """Who the note only mentions, and whose presence was a guess (no cue either way)."""

    mentioned: frozenset[str]
    guessed: frozenset[str]


def presence(text: str, people: Sequence[Found], *, gathering: bool = False) -> Presence:
    """Who was met and who only mentioned, and which of those were guesses.

    At a `gathering` (a conference, a meetup) the note is a list of people met
    there: someone it names with no cue either way was met too (a guess the
    card asks about), so "Kwame Asante runs growth at Wise" is not dropped.
    """
    mentioned, cued = _read_presence(text, people, gathering=gathering)
    if gathering:
        # "his wife Neha is a pediatrician": a relative told about is not one of those met.
        kin = {p.name for p in people if _KIN_BEFORE.search(text[max(0, p.first - 40) : p.first])}
        mentioned &= cued | kin
    return Presence(frozenset(mentioned), frozenset(p.name for p in people) - cued)


def mentioned_only(text: str, people: Sequence[Found]) -> set[str]:
    """The names of the people the note only mentions."""
    return _read_presence(text, people)[0]


def _read_presence(
    text: str, people: Sequence[Found], *, gathering: bool = False
) -> tuple[set[str], set[str]]:
    """(mentioned, the people some cue spoke for).

    A note that says of nobody that they were met is about everyone it names
    but those it clearly puts outside ("intro her to José"); a note must keep
    at least one person.
    """
    met: set[str] = set()
    outside: set[str] = set()
    related: set[str] = set()
    planned: set[str] = set()
    opening_met: set[str] = set()
    opening_end = _sentence_end(text, 0)
    opens_at = len(text) - len(text.lstrip(" -•*#>\n\t"))  # where the note's first word is
    for person in people:
        related_end = 0
        # A real note names someone a few times; a pasted wall of names is read by its first.
        for start, end in person.spans[:MAX_SPANS_READ]:
            # "w piet's partner joost - piet turns 35": the "w" spoke for the partner, and
            # does not reach past that to piet's next mention.
            # The cues look at most 140 characters back (a cue, then what comes before it): a
            # long note without full stops must not cost a scan of all of it per name.
            before = text[max(_sentence_start(text, start), related_end, start - 160) : start]
            after = text[end : end + 40]
            if (
                _ONLY_MENTIONED_BEFORE.search(before[-60:])
                or _ABSENT_AFTER.match(after)
                or _REFERRED_AFTER.match(after)
                or (_INTRODUCER_AFTER.match(after) and _APPOSED_BEFORE.search(before[-50:]))
                or _INTRODUCED_FROM_AFAR.match(after)
                or (not gathering and _INTRODUCED_TO.search(before[-40:]))
            ):
                outside.add(person.name)
            elif _relative_after(after):
                related.add(person.name)  # "sat next to Ruud's wife": the cue is about the wife
                related_end = end
            elif _met_here(before, after) or start <= opens_at:
                met.add(person.name)  # a cue, or the note opens with the name ("Maria - coffee")
                if start < opening_end:
                    opening_met.add(person.name)
            elif _MET_BEFORE.search(before[-80:]):
                planned.add(person.name)  # "set up a call w/ raj", "used to work w daan"
    # "dinner w haruka … i'll send it to haruka by wed": met in the opening, then named as a
    # recipient; the meeting wins. Met only later ("thanks for the intro to dmitri. call w
    # dmitri is mon") they stay outside.
    outside -= opening_met
    met -= outside
    grew = True
    while grew:
        # Listed with someone met, in the same breath, or one of the group they came with.
        grew = False
        for person in people:
            name = person.name
            if (
                name not in met
                and name not in outside
                and (_listed_with_met(text, person, people, met) or _one_of_the_group(text, person))
            ):
                met.add(name)
                grew = True
    everyone = {p.name for p in people}
    cued = met | outside | (related - met) | (planned - met)
    if not met:
        return (outside if outside != everyone else set()), cued
    return everyone - met, cued


# "dinner at emeka's last night": at someone's, they were the host.
_AT_BEFORE = re.compile(r"\b(?:at|to)\s+$", re.I)
_HOSTS_AFTER = re.compile(
    r"^'s(?=\s*(?:$|[,.;!?)]|\s+(?:last|this|yesterday|tonight|today|on|for|w/?|with|again|"
    r"after|before|was|were|place|house|home|flat|apartment|party|bbq|dinner|birthday)\b))",
    re.I,
)


# "call w dmitri is mon 11am": the meeting is still ahead.
_SET_FOR_LATER = re.compile(
    r"^\s*(?:is|'s)\s+(?:on\s+|at\s+)?(?:"
    + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
    + r"|tmrw|tomorrow|next|nxt|this|later|tonight)\b",
    re.I,
)


def _met_here(before: str, after: str) -> bool:
    if _MET_AFTER.match(after) or (_AT_BEFORE.search(before) and _HOSTS_AFTER.match(after)):
        return True
    cue = _MET_BEFORE.search(before[-80:])
    if cue is None or _SET_FOR_LATER.match(after):
        return False
    # Only the clause the cue is in says whose "with" it is ("bc i'll forget 🍸 sat between").
    head = _CLAUSE_BREAK.split(before[: len(before) - len(cue.group())][-60:])[-1]
    return not (_PLAN_BEFORE.search(head) or _THEIR_COMPANY.search(head))


# Where a clause ends inside a sentence: an emoji, a bracket, a colon or a dash.
_CLAUSE_BREAK = re.compile(EMOJI + r"+|[;:()]|\s[—–-]\s")
# "she's crashing w her sister nadia", "moving here w his partner": whom they are with,
# not whom the user met.
_THEIR_COMPANY = re.compile(
    r"\b(?:(?:she|he|they)(?:'s|'re|\s+is|\s+are|\s+was)\s+\w+ing|crashing|staying|living|"
    r"moving|moved|relocating|travelling|traveling|flying|lives|stays)\b[^,]*$",
    re.I,
)


def _listed_with_met(text: str, person: Found, people: Sequence[Found], met: set[str]) -> bool:
    start = person.first
    if _relative_after(text[person.first_end : person.first_end + 40]):
        return False  # "with Aisha, Priya's friend": Priya is how Aisha is known
    sentence_start = _sentence_start(text, start)
    for other in people:
        if other.name not in met:
            continue
        for o_start, o_end in other.spans:
            if sentence_start <= o_start and o_end <= start:
                # "aisha rahman (head of compliance at solaris, …) and josefine": an aside
                # in brackets is no new clause, however long.
                gap = _without_parentheses(text[o_end:start])
                if (
                    len(gap) <= 60
                    and not _NEW_CLAUSE.search(gap)
                    and re.search(r"(?:,|\band\b|&|\+|/)", gap)
                ):
                    return True
    return False


def _one_of_the_group(text: str, person: Found) -> bool:
    opening = text[: _sentence_end(text, 0)]
    group = _GROUP.search(opening)
    if group is None:
        return False
    member = _MEMBER[group.group("group").casefold()]
    before = text[max(0, person.first - 30) : person.first]
    if group.group("group").casefold() == "team" and _FROM_THEIR_TEAM.match(text, person.first_end):
        return True  # "w takahashi-san + her team … shota from their ml team"
    return bool(re.search(r"\b(?:his|her|their)\s+(?:" + member + r")s?\s*,?\s*$", before, re.I))


_FROM_THEIR_TEAM = re.compile(FROM_THEIR_TEAM, re.I)


def _without_parentheses(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n")


@lru_cache(maxsize=64)
def _boundaries(text: str) -> tuple[int, ...]:
    """Where the note's sentences end (brackets and commas do not end one)."""
    return tuple(
        match.start()
        for match in _SENTENCE_END.finditer(text)
        if not (match.group() == "." and ends_with_abbreviation(text, match.start()))
    )


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding `at` starts."""
    ends = _boundaries(text)
    index = bisect_left(ends, at) - 1
    if index < 0:
        return 0
    end = ends[index]
    return end + len(_SENTENCE_END.match(text, end).group())  # type: ignore[union-attr]


def _sentence_end(text: str, at: int) -> int:
    ends = _boundaries(text)
    index = bisect_left(ends, at)
    return ends[index] if index < len(ends) else len(text)
