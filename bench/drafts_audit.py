"""Do the coach's own words read well? An audit of every draft it can write.

Each note of a notes file (the project's corpus by default) is logged for a
fresh user through the real engine: the note reader, the journal, reminder
planning and a TinyDB store on disk. Then, at several moments (just after
the meeting, a few days on, around each dated event of theirs, and months
later), every draft, opener and thank-you template the coach could offer for
each person met is rendered with every combination of what it knows, exactly
as /suggest, /openers and the reminder buttons would render them.

Every distinct line is checked for broken patterns, using word readings from
lemminflect (is this word a finite verb? only an adjective?) and inflect (a
or an), not only regular expressions:

  verb-after-preposition  "more about loves bouldering", "here's introduce to"
  lost-pronoun            "introduce to José", "feedback on her talk" (to her)
  doubled-word            "the the", "your your"
  lowercase-start         a sentence starting in lower case
  spacing                 double spaces, a space before punctuation
  tense                   "good luck" for a past event, "how did it go" for a future one
  meal-kind               "thanks for lunch" after a dinner
  occasion                "the chat at the event" when the note names the event
  gap                     "let's not leave it so long" two days after meeting
  residue                 [brackets], {braces}, None, a cut phrase's "…"
  role-as-detail          "help with CPO at Paystack"
  birthday-as-detail      a birthday used as a topic
  article                 "a intro"
  dangling                a phrase ending in "is" or "the" before punctuation
  note-fragment           ", really grateful", ", no idea" carried into a draft
  gerund-stack            "approaching thinking about..."
  self-reference          "Hi Olivia, here's an intro to Olivia"
  whose-action            "I've been thinking about helping me prep": their help read as mine
  intensifier             "helping me a ton with", "helped me out so much": the note's adverb
  lost-object             "I said I'd put in touch with Maria", "set up with Wei"
  redundant               "Before I forget: I haven't forgotten ..."
  expertise               "you know far more than I do about your plan to move to Berlin"
  progress-on-hobby       "you told me about woodworking. Where has that landed?"
  title-only-name         "Happy birthday, Prof.!", "Hi Ms., I saw ..."
  punctuation             "Thanks for lunch, Ms.." (a doubled stop)
  agreement               "here's my German tutor's details"
  article                 also "our chat at UX Week mixer" (a gathering's missing "the")

It prints the rate of flagged lines and writes every flagged line, with its
note and template, to a file.

    python bench/drafts_audit.py [--notes FILE ...] [--out FILE] [--show N]

With no --notes it audits the corpus and both fresh batches, each reported on
its own (tuned-on data is a regression test, fresh notes a measure).
tests/domain/content/test_drafts_audit.py runs the same code on the same files
and unit-tests each check on the exact lines that showed the problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "notes_corpus.json"
WORDS_DEV = ROOT / "tests" / "data" / "words_dev.json"
WORDS_DEV2 = ROOT / "tests" / "data" / "words_dev2.json"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "drafts_audit.txt"
# Months on: past every keep-in-touch cadence but an acquaintance's.
LONG_GAP = timedelta(days=120)
# An upcoming event the note gave no day for is surely still ahead this soon after.
UNDATED_AHEAD = timedelta(days=7)

# -- the checks -------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[.,;:!?]", re.UNICODE)
PREPOSITIONS = frozenset(
    [
        "about",
        "with",
        "on",
        "for",
        "of",
        "in",
        "at",
        "from",
        "into",
        "onto",
        "like",
        "after",
        "before",
        "since",
        "despite",
        "without",
        "over",
        "around",
        "regarding",
        "behind",
        "towards",
        "toward",
    ]
)
NP_FRAMES = PREPOSITIONS | {"here's", "here’s"}
# These also start a clause: "before I forget", "since we talked".
CONJUNCTIONS = frozenset(["before", "after", "since", "like", "until"])
DETERMINERS = frozenset(["the", "a", "an", "your", "my", "our"])
OBJECT_STARTERS = frozenset(
    ["the", "a", "an", "your", "my", "his", "her", "their", "our", "him", "them", "me", "you"]
)
SUBJECT_PRONOUNS = frozenset(["i", "he", "she", "we", "they"])
AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "am",
        "been",
        "has",
        "have",
        "had",
        "does",
        "did",
        "do",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
    ]
)
THIRD_PERSON = re.compile(
    r"\b(?:she|he|her|him|his|hers|herself|himself|she's|he's|she'll|he'll|she'd|he'd)\b", re.I
)
THIRD_PARTY = re.compile(
    r"\b(?:daughter|son|wife|husband|partner|mum|mom|mother|dad|father|sister|brother|"
    r"colleague|friend|boss|manager|kid|child|baby|grandma|grandpa|aunt|uncle|niece|nephew)s?\b"
    r"|\b[A-Z][a-z]+\b(?=[^.!?]*\b(?:she|he|her|him|his)\b)",
    re.I,
)
LOST_OBJECT = re.compile(
    r"\b(?:introduce|introducing|thank|thanking|remind|reminding|invite|inviting|tell|"
    r"telling)\s+(?:to|for|about|of)\b",
    re.I,
)
BARE_INTRO = re.compile(r"(?<!\ban\s)(?<!\bthe\s)(?<!\byour\s)(?<!\bmy\s)\bintro\s+to\b", re.I)
DOUBLED = re.compile(r"\b([^\W\d_]+)\s+\1\b|\b([^\W\d_]+\s+[^\W\d_]+)\s+\2\b", re.I)
DOUBLE_DETERMINER = re.compile(r"\b(?:the|a|an|your|my|our)\s+(?:the|a|an|your|my|our)\b", re.I)
SPACING = re.compile(r"\s{2}|\s[,.;:!?](?!\.)|^\s|\s$|[,;](?=[^\s\d])")
LOWER_START = re.compile(r"(?:^|[.!?]\s+)([a-z])")
# A title's stop ends no sentence: "Ms. van Dijk", "Dr. Farid Haddad".
TITLE_STOP = re.compile(r"\b(Mr|Mrs|Ms|Mx|Dr|Prof|St)\.(?=\s)")
RESIDUE = re.compile(r"[\[\]{}<>]|\bNone\b|…|&amp;|\{\{|\}\}")
ROLE = (
    r"(?:ceo|cto|cfo|coo|cpo|cmo|ciso|cio|vp|svp|evp|head\s+of|director|principal|manager|lead|"
    r"engineer|designer|recruiter|founder|co-?founder|partner|cardiologist|doctor)"
)
ROLE_AS_DETAIL = re.compile(
    rf"\b(?:with|about|on|into|for|of|in)\s+(?:the\s+|your\s+)?{ROLE}\b[^.!?]{{0,40}}?\b(?:at|of)\s+[A-Z]",
    re.I,
)
LOWER_ACRONYM = re.compile(r"\b(?:cfo|cto|ceo|coo|cpo|vp|api|sdk|ipo|okrs?)\b")
DANGLING = re.compile(
    r"(?<!\bit\s)(?<!\bthat\s)(?<!\bthis\s)(?<!\bthere\s)(?<!\bhere\s)(?<!\bwhat\s)"
    r"(?<!\bwho\s)(?<!\bhow\s)(?<!\bwhere\s)(?<!\byou\s)(?<!\bthey\s)(?<!\bwe\s)"
    r"\b(?:is|are|was|were)\s*[.,;:!?]"
    r"|\b(?:the|a|an|and|or|but|your|my|their|his|her)\s*[.,;:!?]",
    re.I,
)
NOTE_FRAGMENT = re.compile(
    r",\s*(?:(?:really|so|very|super|quite|absolutely?|huge|totally)\s+(?:grateful|helpful|"
    r"generous|nice|kind|cool|great|excited|nervous|happy|sad|hero|help)\b|absolute\s+hero|"
    r"no\s+idea|nervous\b|invited\s+me|which\s+would|apparently|lol\b|haha)",
    re.I,
)
MENTAL_GERUNDS = r"(?:thinking|considering|planning|hoping|wanting|trying|looking|being|having)"
GERUND_STACK = re.compile(
    rf"\b(?:approaching|with|on|how\s+is|how's|luck\s+with|admire)\s+{MENTAL_GERUNDS}\b", re.I
)
FUTURE_CUES = re.compile(
    r"\b(?:good\s+luck|best\s+of\s+luck|rooting\s+for|fingers\s+crossed|coming\s+up|counting\s+down|"
    r"beforehand|ahead\s+of|run-up|feeling\s+about|how\s+it\s+goes|the\s+big\s+day|break\s+a\s+leg|"
    r"prepare|preparing|get\s+ready)\b",
    re.I,
)
PAST_CUES = re.compile(
    r"\b(?:how\s+did|how\s+was|went|turned?\s+out|take\s+on|took\s+away|since\s+you|how\s+it\s+went|"
    r"what\s+came\s+of|hope\s+it\s+was|how\s+was\s+it|after\s+your|congratulations\s+on\s+finishing)\b",
    re.I,
)
LONG_GAP_CUES = re.compile(
    r"\b(?:so\s+long|far\s+too\s+long|been\s+ages|been\s+a\s+while|long\s+time|that's\s+on\s+me|"
    r"it's\s+been\s+(?:a\s+few|a\s+couple|about|months|far))\b",
    re.I,
)
MEETING_NOUNS = r"(?:coffee|lunch|dinner|breakfast|brunch|drinks|call|chat|meeting|1:1|catch-up)"
FRESH_MEETING_CUES = re.compile(
    rf"\b(?:thanks\s+(?:again\s+)?for\s+(?:the\s+|our\s+)?{MEETING_NOUNS}|"
    rf"thank\s+you\s+for\s+(?:the\s+|our\s+)?{MEETING_NOUNS}|"
    r"great\s+to\s+(?:talk|meet|see)|that\s+was\s+fun|good\s+to\s+see\s+you)\b",
    re.I,
)
MEALS = ("breakfast", "brunch", "lunch", "dinner", "supper", "coffee", "drinks")
MEAL_IN_LINE = re.compile(
    r"\b(?:for|after|over|at|since)\s+(?:the\s+|our\s+)?(breakfast|brunch|lunch|dinner|supper|coffee|drinks)\b",
    re.I,
)
MEAL_IN_NOTE = re.compile(
    r"\b(breakfast|brekkie|brunch|lunch|comida|dinner|supper|asado|jantar|coffee|cofee|coffe|kaffee|"
    r"drinks|beers?|aperitivo|ap[ée]ro|fika|ca[ñn]as)\b|☕|🍜",
    re.I,
)
NAMED_OCCASION = re.compile(r"\b(?:at|@)\s+(?:the\s+)?((?:[A-Z][\w'’.:-]*\s?){1,4})", re.UNICODE)
GENERIC_OCCASION = re.compile(r"\b(?:at|from)\s+the\s+(?:event|conference)\b", re.I)


@cache
def readings(word: str) -> dict[str, tuple[str, ...]]:
    """The parts of speech a word can be (lemminflect's lemma table), lower-cased."""
    import lemminflect

    return dict(lemminflect.getAllLemmas(word.lower()))


@cache
def verb_tags(word: str) -> frozenset[str]:
    """The Penn tags (VB, VBZ, VBD, VBN, VBG, VBP) this word has as a verb form."""
    import lemminflect

    tags: set[str] = set()
    for lemma in readings(word).get("VERB", ()):
        for tag, forms in lemminflect.getAllInflections(lemma, upos="VERB").items():
            if word.lower() in forms:
                tags.add(tag)
    return frozenset(tags)


def _only_verb(word: str) -> bool:
    found = readings(word)
    return "VERB" in found and not ({"NOUN", "ADJ", "ADV", "PROPN", "NUM", "ADP"} & set(found))


def grammar_flags(text: str) -> list[str]:
    """Word-by-word checks: what follows a preposition, a stack of gerunds."""
    flags: list[str] = []
    tokens = list(_TOKEN.findall(text))
    lowered = [t.lower().replace("’", "'") for t in tokens]
    for i, (word, after) in enumerate(zip(lowered, [*lowered[1:], ""], strict=True)):
        if i == 0:
            continue
        before = lowered[i - 1]
        if tokens[i][:1].isupper() and before not in {".", "!", "?"}:
            continue  # a name mid-sentence ("at Google", "in Nice") is not a verb
        if before in NP_FRAMES:
            if (
                (word in SUBJECT_PRONOUNS and before not in CONJUNCTIONS)
                or word in AUXILIARIES
                or (_only_verb(word) and verb_tags(word) - {"VBG"})
            ):
                flags.append("verb-after-preposition")
            elif (
                "VBZ" in verb_tags(word)
                and "NOUN" in readings(word)
                and (
                    after in OBJECT_STARTERS
                    or verb_tags(after) == {"VBG"}
                    or (after.endswith("ing") and not readings(after))
                )
            ):
                flags.append("verb-after-preposition")  # "about loves bouldering"
            elif (
                "ADJ" in readings(word)
                and "NOUN" not in readings(word)
                and not verb_tags(word) & {"VBG"}
                and after in PREPOSITIONS | {",", ".", "?", "!", "and"}
            ):
                flags.append("verb-after-preposition")  # "about stressed about the reorg"
        elif before in DETERMINERS and (
            word in AUXILIARIES
            or (
                _only_verb(word)
                and verb_tags(word) & {"VBZ", "VBD", "VBP"}
                # "the updated sheet": a past form before a noun is a participle, an adjective.
                and not (word.endswith("ed") and "NOUN" in readings(after))
            )
        ):
            flags.append("verb-after-preposition")
    return flags


@cache
def _article_engine() -> Any:
    import inflect

    return inflect.engine()


def article_flags(text: str) -> list[str]:
    """ "a intro", "an book": inflect knows which article a word takes."""
    for match in re.finditer(r"\b(a|an)\s+([A-Za-z][\w-]*)", text):
        article, word = match.group(1).lower(), match.group(2)
        wanted = _article_engine().a(word).split(" ", 1)[0].lower()
        if wanted != article:
            return ["article"]
    return []


@dataclass(frozen=True)
class Dated:
    """A dated thing of theirs the audit knows from the reading: its words and day."""

    words: frozenset[str]
    on: date


@dataclass
class Moment:
    """What the audit knows about the situation a line was written for."""

    now: datetime
    today: date
    note: str
    situation: str
    first_name: str
    last_met: datetime | None
    events: Sequence[Dated] = ()
    undated_ahead: Sequence[frozenset[str]] = ()
    # The kind of each remembered detail, by any of its words ("woodworking" -> "interest").
    kinds: Mapping[str, str] = field(default_factory=dict)


def problems(text: str, moment: Moment) -> list[str]:
    """Every broken pattern in one rendered line (several may apply)."""
    found: list[str] = []
    if RESIDUE.search(text):
        found.append("residue")
    if SPACING.search(text):
        found.append("spacing")
    if LOWER_START.search(TITLE_STOP.sub(r"\1", text)):
        found.append("lowercase-start")
    if DOUBLED.search(text) or DOUBLE_DETERMINER.search(text):
        found.append("doubled-word")
    if LOST_OBJECT.search(text) or BARE_INTRO.search(text) or _third_person(text):
        found.append("lost-pronoun")
    if ROLE_AS_DETAIL.search(text):
        found.append("role-as-detail")
    if LOWER_ACRONYM.search(text):
        found.append("lowercase-start")
    if DANGLING.search(text):
        found.append("dangling")
    if NOTE_FRAGMENT.search(text):
        found.append("note-fragment")
    if GERUND_STACK.search(text):
        found.append("gerund-stack")
    if "birthday" in text.lower() and moment.situation != "birthday":
        found.append("birthday-as-detail")
    found += grammar_flags(text)
    found += article_flags(text)
    found += _tense(text, moment)
    found += _meal(text, moment)
    found += _gap(text, moment)
    if GENERIC_OCCASION.search(text) and _named_occasion(moment.note):
        found.append("occasion")
    if moment.first_name and re.search(
        rf"\b(?:intro(?:duce\s+you)?|introducing\s+you)\s+to\s+{re.escape(moment.first_name)}\b",
        text,
    ):
        found.append("self-reference")  # "Hi Olivia, here's an intro to Olivia"
    found += voice_flags(text, moment)
    return sorted(set(found))


# -- whose voice: the classes a read of fresh drafts found -----------------------------

TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame)\b\.?")
# A word after a title that cannot be the name it introduces ("Dear Mr. I am writing").
NOT_A_NAME = frozenset(["i", "we", "you", "the", "thanks", "thank", "hope", "it", "this", "how"])
# Small words inside surnames ("Ms. van Dijk", "Dr. de la Cruz", "Mr. bin Laden").
NAME_PARTICLES = frozenset(
    ["van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin", "al"]
)
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)|[,;]\.|[!?]\.")
# A gerund whose object is the writer: fine after "thank you for", otherwise it reads
# as the writer's own action ("I've been thinking about helping me prep").
SELF_OBJECT = re.compile(r"\b([^\W\d_]+ing)\s+(?:me|us|my|our)\b", re.I)
INTENSIFIER = re.compile(
    r"\b(?:me|us)\s+(?:out\s+)?(?:a\s+ton|tons|a\s+lot|lots|so\s+much|loads|heaps|big\s+time|"
    r"massively|hugely|enormously|immensely|greatly)\b|\ba\s+ton\b|\bbig\s+time\b",
    re.I,
)
# An intro idiom that lost who is introduced: "I'd put in touch with Maria".
LOST_RECIPIENT = re.compile(
    r"\b(?:put|putting)\s+in\s+touch\b|\b(?:set|setting|hook|hooking|link|linking)\s+up\s+with\b"
    r"|\bthe\s+hook[\s-]?up\b|\b(?:I'd|I\s+will|I'll|going\s+to)\s+connect\s+with\s+(?!you\b)",
    re.I,
)
REDUNDANT = re.compile(
    r"\bbefore\s+I\s+forget\b[^.!?]*\bforg[eo]t|\b(I\s+haven't\s+forgotten)\b.*\b\1\b", re.I
)
# Frames that credit the person with knowing a field.
EXPERTISE_FRAME = re.compile(
    r"\b(?:know(?:s)?\s+(?:far\s+|much\s+|a\s+lot\s+|so\s+much\s+)?more\s+(?:than\s+I\s+do\s+)?"
    r"about|the\s+expert\s+(?:on|in)|your\s+expertise\s+(?:in|on)|the\s+person\s+I'd\s+ask\s+about"
    r"|someone\s+curious\s+about)\s+(?P<topic>[^,.;:!?]+)",
    re.I,
)
# Things that are plans or happenings, not fields: "your plan to ...", "the move to Berlin".
PLAN_NOUNS = frozenset(
    [
        "plan",
        "plans",
        "move",
        "trip",
        "interview",
        "launch",
        "retirement",
        "wedding",
        "search",
        "application",
        "talk",
        "keynote",
        "pitch",
        "campaign",
        "promotion",
        "offer",
        "leave",
        "sabbatical",
        "race",
        "defence",
        "graduation",
        "start",
        "opening",
        "visit",
        "pivot",
        "fundraise",
        "job",
        "role",
        "switch",
        "transition",
        "surgery",
        "recovery",
        "deadline",
    ]
)
# Gerunds of someone on the way, not someone who knows: "learning the cello".
LEARNER_GERUNDS = frozenset(
    [
        "learning",
        "getting",
        "trying",
        "training",
        "starting",
        "taking",
        "moving",
        "leaving",
        "joining",
        "applying",
        "planning",
        "preparing",
        "hoping",
        "thinking",
        "considering",
        "exploring",
        "weighing",
        "looking",
        "aiming",
        "recovering",
    ]
)
# Kinds of detail that are no field of knowledge ("work" names a project: "the ML team").
NOT_A_FIELD = frozenset(
    ["goal", "event", "challenge", "family", "promise", "offer", "helped me", "work"]
)
PROGRESS = re.compile(
    r"\b(?:where\s+has\s+(?:that|it)\s+landed|where\s+has\s+(?:that|it)\s+got\s+to|"
    r"where\s+have\s+you\s+got\s+to\s+with\s+it|how\s+did\s+it\s+work\s+out)\b",
    re.I,
)
# Before a verb in -ing, these make it a progressive verb, not a gerund ("I'm sending").
PROGRESSIVE = frozenset(["i'm", "am", "is", "are", "was", "were", "been", "be", "you're", "we're"])
# Happenings and plans named by a lone gerund: they do have progress ("retiring").
EVENT_GERUNDS = frozenset(
    [
        "retiring",
        "moving",
        "relocating",
        "interviewing",
        "launching",
        "graduating",
        "fundraising",
        "hiring",
        "pivoting",
        "travelling",
        "traveling",
        "presenting",
        "speaking",
        "pitching",
        "defending",
        "marrying",
    ]
)
ABOUT_TOPIC = re.compile(r"\babout\s+(?P<topic>[^,.;:!?]+)", re.I)
OWNED = frozenset(["your", "the", "a", "an", "my", "our", "to", "for", "plan", "plans"])
ONE_THING = (
    r"(?:here's\s+(?P<a>[^,.;:!?]+)"
    r"|forget\s+(?P<b>[^,.;:!?]+):\s+here\s+it\s+is"
    r"|owe\s+you\s+(?P<c>[^,.;:!?]+)\.\s+It's)"
)
SINGULAR_FRAME = re.compile(ONE_THING, re.I)
# "at UX Week mixer": a gathering named by what it is needs its "the".
BARE_GATHERING = re.compile(
    r"\bat\s+(?!the\b)(?:[A-Z][\w'’.:-]*\s+)+(?i:mixer|meetup|conference|festival|workshop|"
    r"hackathon|party|gala|retreat|offsite|symposium|seminar|reception)\b"
)
HEAD_ENDS = re.compile(r"\s+(?:of|for|on|from|with|about|to|at|in|by|re)\s+", re.I)
NOT_PLURAL = frozenset(["news", "thanks", "series", "data", "people", "glasses", "physics"])


def voice_flags(text: str, moment: Moment) -> list[str]:
    """Whose action, which name, what kind of detail: what a reader notices first."""
    patterns = {
        "punctuation": DOUBLE_STOP,
        "intensifier": INTENSIFIER,
        "lost-object": LOST_RECIPIENT,
        "redundant": REDUNDANT,
        "article": BARE_GATHERING,
    }
    found = [flag for flag, pattern in patterns.items() if pattern.search(text)]
    checks = {
        "title-only-name": _title_only(text),
        "whose-action": _whose_action(text),
        "expertise": any(
            _not_a_field(m.group("topic"), moment) for m in EXPERTISE_FRAME.finditer(text)
        ),
        "progress-on-hobby": _progress_on_hobby(text, moment),
        "agreement": _plural_as_one(text),
    }
    return found + [flag for flag, broken in checks.items() if broken]


def _title_only(text: str) -> bool:
    """ "Hi Ms., ..." or "Happy birthday, Prof.!": a title with no name after it."""
    for match in TITLE.finditer(text):
        after = re.match(
            r"(?:\s+(?:" + "|".join(NAME_PARTICLES) + r"))*\s+([^\W\d_][\w'’-]*)",
            text[match.end() :],
        )
        if after is None or not after.group(1)[0].isupper() or after.group(1).lower() in NOT_A_NAME:
            return True
    return False


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", TITLE_STOP.sub(r"\1", text)) if s]


def _whose_action(text: str) -> bool:
    for sentence in _sentences(text):
        for match in SELF_OBJECT.finditer(sentence):
            if "VBG" not in verb_tags(match.group(1)):
                continue
            before = [t.lower() for t in _TOKEN.findall(sentence[: match.start()])]
            if (before[-1:] and before[-1] in PROGRESSIVE) or "you" in before:
                continue  # "I'm sending our numbers", "you gave me a hand with reviewing our"
            thanked = next((i for i, t in enumerate(before) if t.startswith("thank")), None)
            if thanked is not None and "for" in before[thanked:]:
                continue  # "thank you for helping me", "thanks for your advice on negotiating my"
            if before[-1:] in (["help"], ["helping"]) or "your" in before[-4:]:
                continue  # "your help debugging our setup": whose help is said
            return True
    return False


def _not_a_field(topic: str, moment: Moment) -> bool:
    """Tell whether an expertise frame's object is a plan, event or pursuit, not a field."""
    words = [w.lower() for w in _TOKEN.findall(topic)]
    if not words:
        return False
    if moment.kinds.get(" ".join(topic.split()).lower()) in NOT_A_FIELD:
        return True
    first, second = words[0], words[1] if len(words) > 1 else ""
    if first in DETERMINERS and second in PLAN_NOUNS:
        return True
    if first in ("plan", "plans", "a", "the") and "plan" in words[:3]:
        return True
    return first in LEARNER_GERUNDS


def _progress_on_hobby(text: str, moment: Moment) -> bool:
    """ "you told me about woodworking. Where has that landed?": a hobby has no progress."""
    for match in PROGRESS.finditer(text):
        topics = list(ABOUT_TOPIC.finditer(text[: match.start()]))
        if not topics:
            continue
        topic = " ".join(topics[-1].group("topic").split())
        words = [w.lower() for w in _TOKEN.findall(topic)]
        if moment.kinds.get(topic.lower()) == "interest":
            return True
        # A bare field or pastime ("woodworking", "trail running"), not "moving to Berlin".
        pursuit = (len(words) > 1 and "VBG" in verb_tags(words[0])) or bool(
            set(words) & (EVENT_GERUNDS | LEARNER_GERUNDS)
        )
        if words and len(words) <= 3 and topic.islower() and not OWNED & set(words) and not pursuit:
            return True
    return False


def _plural_as_one(text: str) -> bool:
    """ "here's my German tutor's details": a plural thing offered as one."""
    for match in SINGULAR_FRAME.finditer(text):
        phrase = next(g for g in match.groups() if g)
        head_words = HEAD_ENDS.split(phrase, maxsplit=1)[0].split()
        head = head_words[-1] if head_words else ""
        if not head or not head.islower() or head in NOT_PLURAL:
            continue
        nouns = readings(head).get("NOUN", ())
        if nouns and head not in nouns:
            return True
    return False


def _third_person(text: str) -> bool:
    for sentence in re.split(r"(?<=[.!?])\s+", TITLE_STOP.sub(r"\1", text)):
        match = THIRD_PERSON.search(sentence)
        if match is None:
            continue
        # "your daughter ... she" and "Zoë ... her" speak of someone else, rightly.
        earlier = sentence[: match.start()]
        names = list(re.findall(r"\b[A-Z][\w'’-]+", earlier)[1:])
        if not THIRD_PARTY.search(earlier) and not names:
            return True
    return False


def _tense(text: str, moment: Moment) -> list[str]:
    words = {w.lower() for w in _TOKEN.findall(text)}
    if PAST_CUES.search(text) and any(ahead & words for ahead in moment.undated_ahead):
        return ["tense"]
    for event in moment.events:
        if not event.words or not event.words & words:
            continue
        if event.on < moment.today and FUTURE_CUES.search(text):
            return ["tense"]
        if event.on > moment.today and PAST_CUES.search(text):
            return ["tense"]
    return []


def note_meal(note: str) -> str:
    """The meal or drink the note's opening names ("" for none), as the audit reads it.

    The opening is its first two sentences: notes often start by setting the scene ("in
    madrid for the offsite. dinner w maite…").
    """
    opening = " ".join(re.split(r"[.!?]", note, maxsplit=2)[:2])[:160]
    match = MEAL_IN_NOTE.search(opening)
    if match is None:
        return ""
    word = match.group(0).lower()
    if word in ("cofee", "coffe", "kaffee", "☕"):
        return "coffee"
    if word in ("beer", "beers", "aperitivo", "apero", "apéro", "cañas", "canas"):
        return "drinks"
    if word == "fika":  # a Swedish coffee break: the reader files a coffee
        return "coffee"
    if word in ("asado", "jantar"):  # a barbecue, Portuguese for dinner: the reader's dinners
        return "dinner"
    if word in ("🍜", "comida"):
        return "lunch"
    if word == "brekkie":
        return "breakfast"
    return "dinner" if word == "supper" else word


def _meal(text: str, moment: Moment) -> list[str]:
    match = MEAL_IN_LINE.search(text)
    if match is None:
        return []
    said = match.group(1).lower()
    said = "dinner" if said == "supper" else said
    return [] if said == note_meal(moment.note) else ["meal-kind"]


def _named_occasion(note: str) -> str:
    """A named gathering in the note's first sentence, where the meeting is told."""
    opening = re.split(r"[.!?\n]", note, maxsplit=1)[0]
    for match in NAMED_OCCASION.finditer(opening):
        name = match.group(1).strip()
        if name and name.split()[0] not in {"I", "The", "Our", "My"}:
            return name
    return ""


def _gap(text: str, moment: Moment) -> list[str]:
    if moment.last_met is None:
        return []
    days = (moment.now - moment.last_met).days
    if days < 30 and LONG_GAP_CUES.search(text):
        return ["gap"]
    if days > 14 and FRESH_MEETING_CUES.search(text):
        return ["gap"]
    return []


# -- what filled each slot ------------------------------------------------------------

OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ never appear in a note or a template
NOT_A_NOUN_START = (
    PREPOSITIONS
    | SUBJECT_PRONOUNS
    | AUXILIARIES
    | frozenset(
        [
            "to",
            "and",
            "or",
            "but",
            "so",
            "because",
            "which",
            "who",
            "that",
            "it",
            "be",
            "being",
            "will",
            "would",
            "can",
            "could",
            "should",
            "must",
            "do",
            "does",
            "did",
            "really",
            "very",
            "just",
            "also",
        ]
    )
)
LIST_JOINERS = frozenset({"of", "and", "in", "on", "to", "for", "at", ","})
CONTEXT_SLOTS = frozenset({"first_name", "company", "since", "meeting", "occasion"})
MAX_SLOT_WORDS = 10
PARTICLES = frozenset(["around", "up", "out", "in", "over", "back", "on", "off", "through"])


@dataclass(frozen=True)
class Rendered:
    """One line the coach could write: its template and the values that fill it."""

    situation: str
    template: str
    values: dict[str, str]


def render_marked(templates: Any, item: Rendered) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The line as the user sees it, and each slot's (name, frame word, value, next word)."""
    try:
        plain = templates.render(item.template, **item.values)
        marked = templates.render(
            item.template,
            **{
                k: v if k == "first_name" else f"{OPEN}{k}:{v}{CLOSE}"
                for k, v in item.values.items()
            },
        )
    except Exception:  # a broken template is its own problem; the engine skips it too
        return "", []
    tidy = "\n".join(" ".join(line.split()) for line in plain.splitlines()).strip()
    slots = []
    for match in re.finditer(rf"{OPEN}(\w+):(.*?){CLOSE}", marked):
        before = _TOKEN.findall(re.sub(rf"{OPEN}\w+:|{CLOSE}", "", marked[: match.start()]))
        after = _TOKEN.findall(re.sub(rf"{OPEN}\w+:|{CLOSE}", "", marked[match.end() :]))
        slots.append(
            (
                match.group(1),
                before[-1].lower() if before else "",
                match.group(2),
                after[0].lower() if after else "",
            )
        )
    return tidy, slots


def _forms(templates: Any, name: str) -> dict[str, tuple[str, ...]]:
    """The forms each slot of a template may take (a noun phrase unless it says otherwise)."""
    meta = templates.meta(name)
    raw = dict(meta.extra.get("forms", {})) if meta is not None else {}
    return {str(k): (v,) if isinstance(v, str) else tuple(map(str, v)) for k, v in raw.items()}


def slot_problems(
    slots: Sequence[tuple[str, str, str, str]], forms: dict[str, tuple[str, ...]]
) -> list[str]:
    """Does each value have a form its slot allows?"""
    found: list[str] = []
    for name, _frame, value, _after in slots:
        if name in CONTEXT_SLOTS:
            continue
        words = [w.lower().replace("’", "'") for w in _TOKEN.findall(value) if w not in ".,;:!?"]
        if not words:
            found.append("empty-slot")
            continue
        if len(words) > MAX_SLOT_WORDS:
            found.append("long-phrase")
        if THIRD_PERSON.search(value) and not THIRD_PARTY.search(value):
            found.append("lost-pronoun")
        if re.search(r",(?!\s*(?:who|which|whose|where)\b)", value):
            found.append("note-fragment")
        # Fine if the words have any one of the allowed forms.
        found += min((_form_problems(words, form) for form in forms.get(name, ("noun",))), key=len)
    return found


def _form_problems(words: list[str], form: str) -> list[str]:
    found: list[str] = []
    particle = form == "verb" and words[-1] in PARTICLES  # "ask around", "follow up"
    ends = AUXILIARIES | DETERMINERS | PREPOSITIONS | {"and", "or", "but", "to"}
    if words[-1] in ends and not particle:
        found.append("dangling")
    if form == "noun":
        found += _noun_phrase_problems(words)
    elif form == "gerund" and "VBG" not in verb_tags(words[0]):
        found.append("not-a-gerund")
    elif form == "clause" and words[0] not in {"you", "you're", "you've", "your"}:
        found.append("not-a-clause")
    elif form == "verb" and "VB" not in verb_tags(words[0]):
        found.append("not-a-verb-phrase")
    return found


MENTAL_START = frozenset(
    ["thinking", "considering", "hoping", "wanting", "wondering", "debating", "being", "weighing"]
)
# A raw role ("CPO at Paystack"); "your promotion to VP of Engineering" is news, not a role.
ROLE_PHRASE = re.compile(
    rf"^(?!your\s+(?:promotion|new\s+role)\b)(?:(?:a|an|the|your|now)\s+)?(?:[\w-]+\s+){{0,2}}{ROLE}\b",
    re.I,
)


def _noun_phrase_problems(words: list[str]) -> list[str]:
    first, second = words[0], words[1] if len(words) > 1 else ""
    tags = verb_tags(first)
    if ROLE_PHRASE.match(" ".join(words)) and re.search(r"\b(?:at|of|for)\b", " ".join(words)):
        return ["role-as-detail"]  # "CPO at Paystack" belongs on the contact
    if first in NOT_A_NOUN_START:
        return ["not-a-noun-phrase"]
    if first in MENTAL_START:
        return ["gerund-stack"]  # "what you said about thinking about leaving SAP"
    if tags & {"VBN", "VBD"} and (second in PREPOSITIONS or second == "to"):
        return ["not-a-noun-phrase"]  # "supposed to present", "promoted to VP"
    if _only_verb(first) and tags - {"VBG"}:
        return ["not-a-noun-phrase"]  # "send the deck", "promoted to VP"
    if "VBZ" in tags and second and second not in LIST_JOINERS:
        return ["not-a-noun-phrase"]  # "loves bouldering", "runs ultras"
    inside = list(words[1:])
    for i, word in enumerate(inside):
        previous = words[i]
        if word in {"is", "are", "was", "were", "has", "have", "had"} and previous not in {
            "who",
            "which",
            "that",
        }:
            return ["not-a-noun-phrase"]  # "birthday is", "wife is expecting"
        if word in {"it", "he", "she", "they", "we", "i"} and previous in {"and", "but", "so"}:
            return ["not-a-noun-phrase"]  # "... and it got us the meeting"
    return []


# -- logging each note and rendering every line -------------------------------------


@dataclass
class Line:
    """One rendered draft, opener or thank-you and where it came from."""

    note_id: str
    person: str
    template: str
    situation: str
    text: str
    flags: set[str] = field(default_factory=set)
    at: set[str] = field(default_factory=set)


@dataclass
class Audit:
    """All distinct lines over a notes file, and which were flagged."""

    lines: list[Line] = field(default_factory=list)
    notes: int = 0
    people: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[Line]:
        return [line for line in self.lines if line.flags]

    @property
    def rate(self) -> float:
        return len(self.flagged) / len(self.lines) if self.lines else 0.0

    def by_flag(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.flagged:
            for flag in line.flags:
                counts[flag] = counts.get(flag, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def load_notes(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def audit(paths: Iterable[Path] = (CORPUS,)) -> Audit:
    """Log every note of every file and check every line the coach could write."""
    from bot.templates import TemplateLibrary

    templates = TemplateLibrary()
    # The engine lists the prompts folder on every request (so edits apply at once);
    # nothing changes during an audit, so one listing per folder is enough.
    templates.names = cache(templates.names)  # type: ignore[method-assign]
    result = Audit()
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            notes = load_notes(path)
            for note in notes["notes"]:
                result.notes += 1
                _audit_note(Path(folder), templates, notes["contacts"], note, result)
    return result


def _audit_note(
    folder: Path,
    templates: Any,
    contacts: list[dict[str, Any]],
    note: dict[str, Any],
    result: Audit,
) -> None:
    from bot.domain.model import Contact
    from bot.domain.notes.extractor import read_note
    from bot.engine.features import build_router
    from bot.engine.journal import save_reading
    from bot.engine.turn import Turn
    from bot.storage.tinydb_repository import TinyRepository

    repo = TinyRepository(folder / note["id"])
    router = build_router()
    user = "audit"
    now = datetime.fromisoformat(note["now"].replace("Z", "+00:00")).astimezone(UTC)
    with repo.session(user) as store:
        profile = store.profile()
        profile.timezone = note["timezone"]
        profile.timezone_confirmed = True
        store.save_profile(profile)
        for c in contacts:
            store.save_contact(
                Contact(
                    id=c["id"],
                    name=c["name"],
                    aliases=list(c.get("aliases", [])),
                    company=c.get("company", ""),
                    created_at=now - timedelta(days=400),
                    last_interaction_at=now - timedelta(days=200),
                )
            )
        turn = Turn(store, templates, router, now)
        reading = read_note(
            note["text"], now=now, timezone=note["timezone"], contacts=store.contacts()
        )
        if not reading.people:
            return
        for person in reading.people:
            if person.contact_id is None and person.candidates:
                person.contact_id = person.candidates[0]  # the user would pick one
                person.candidates = []
        saved = save_reading(turn, reading)
        met = [c.id for c in saved.contacts]
        events = _dated_events(reading)
        # A month with no day ("in March") is saved with no date: undated here too.
        undated = [
            (e.person, _content_words(e.text))
            for e in reading.events
            # An undated event behind the note ("moved to Toronto") is not ahead.
            if (e.on is None or getattr(e, "approximate", False)) and not e.past
        ]
        result.people += len(met)
        for contact_id in met:
            seen: dict[str, Line] = {}
            for label, moment_at in _moments(now, events):
                turn = Turn(store, templates, router, moment_at)
                contact = store.contact(contact_id)
                if contact is None:
                    continue
                today = turn.local(moment_at).date()
                kinds = kinds_of(contact, moment_at)
                for item in every_line(turn, contact):
                    text, slots = render_marked(templates, item)
                    if not text:
                        continue
                    moment = Moment(
                        now=moment_at,
                        today=today,
                        note=note["text"],
                        situation=item.situation,
                        first_name=contact.first_name,
                        last_met=contact.last_interaction_at,
                        events=[e for who, e in events if who in (contact.name, "")],
                        undated_ahead=[
                            words
                            for who, words in undated
                            if who in (contact.name, "") and moment_at - now <= UNDATED_AHEAD
                        ],
                        kinds=kinds,
                    )
                    line = seen.get(text)
                    if line is None:
                        line = Line(note["id"], contact.name, item.template, item.situation, text)
                        seen[text] = line
                    line.flags |= set(problems(text, moment))
                    line.flags |= set(slot_problems(slots, _forms(templates, item.template)))
                    line.at.add(label)
            result.lines += seen.values()


def kinds_of(contact: Any, now: datetime) -> dict[str, str]:
    """The kind of each detail the coach remembers about `contact`, by every form of its words."""
    from bot.domain.memory.memory import recall
    from bot.domain.memory.phrase import Form

    kinds: dict[str, str] = {}
    for item in recall(contact, now=now, today=now.date()):
        for form in Form:
            for words in (item.phrase.words(form), item.phrase.clause_past):
                if words:
                    kinds.setdefault(" ".join(words.split()).lower(), item.kind.value)
    return kinds


TIME_WORDS = frozenset(["week", "weeks", "month", "months", "year", "years", "time", "today"])


def _content_words(text: str) -> frozenset[str]:
    """The words that name a thing of theirs (nouns and names, not verbs or small words)."""
    return frozenset(
        w.lower()
        for w in _TOKEN.findall(text)
        if len(w) > 3
        and w.lower()
        not in NOT_A_NOUN_START | TIME_WORDS | {"your", "their", "with", "next", "this"}
        and not _only_verb(w)
        and "VBG" not in verb_tags(w)
    )


def _dated_events(reading: Any) -> list[tuple[str, Dated]]:
    return [
        (event.person, Dated(_content_words(event.text), event.on))
        for event in reading.events
        if event.on is not None and not getattr(event, "approximate", False)
    ]


def _moments(now: datetime, events: Sequence[tuple[str, Dated]]) -> Iterator[tuple[str, datetime]]:
    yield "just after", now + timedelta(hours=1)
    yield "days later", now + timedelta(days=4)
    for _, event in events:
        noon = datetime.combine(event.on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        if noon - timedelta(days=2) > now + timedelta(hours=1):
            yield f"before {event.on}", noon - timedelta(days=2)
        if noon + timedelta(days=2) > now:
            yield f"after {event.on}", noon + timedelta(days=2)
    yield "months later", now + LONG_GAP


def every_line(turn: Any, contact: Any) -> list[Rendered]:
    """Everything the coach could offer `contact` now, with the values that filled it."""
    from bot.engine.content import drafts

    pool = getattr(drafts, "every_draft", None)
    if pool is not None:
        return [Rendered(*item) for item in pool(turn, contact)]
    return _every_line_before_typed_memory(turn, contact)


def _every_line_before_typed_memory(turn: Any, contact: Any) -> list[Rendered]:
    """The same enumeration through the engine's API as it was before typed memory."""
    from bot.domain.content.selection import candidates
    from bot.engine.content.drafts import (
        ABOUT_SLOT,
        FOR_REMINDER,
        OPEN_STATUSES,
        contact_picture,
        draft_templates,
    )

    situations = [n.split("/")[1] for n in turn.templates.names("drafts") if n.count("/") == 2]
    situations = sorted(set(situations))
    out: list[Rendered] = []

    def render(choices: Iterable[Any], first_name: str) -> None:
        for choice in choices:
            out.append(
                Rendered(
                    choice.template.situation, choice.template.name, choice.context(first_name)
                )
            )

    picture = contact_picture(turn, contact)
    render(
        candidates(draft_templates(turn.templates, situations), picture, turn.now),
        picture.first_name,
    )
    loops = draft_templates(turn.templates, ["loops"], root="openers")
    render(candidates(loops, picture, turn.now), picture.first_name)
    for reminder in turn.store.reminders(OPEN_STATUSES):
        # A reminder's own drafts are offered once it has come up, not before.
        if reminder.contact_id != contact.id or not reminder.text or reminder.due_at > turn.now:
            continue
        wanted = FOR_REMINDER.get(reminder.kind, ("check-in",))
        slot = ABOUT_SLOT.get(wanted[0])
        told = {slot: reminder.text} if slot else None
        picture = contact_picture(turn, contact, told)
        render(
            candidates(draft_templates(turn.templates, wanted), picture, turn.now),
            picture.first_name,
        )
    return out


# -- reporting --------------------------------------------------------------------------


def report(result: Audit, out: Path, show: int = 0) -> str:
    """The summary, and every flagged line written to `out`."""
    flagged = result.flagged
    lines = [
        f"{result.notes} notes, {result.people} people met, {len(result.lines)} distinct lines;"
        f" {len(flagged)} flagged = {result.rate:.1%}",
        "by flag: " + ", ".join(f"{k} {v}" for k, v in result.by_flag().items()),
    ]
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")
        for line in flagged:
            handle.write(
                f"[{', '.join(sorted(line.flags))}] {line.note_id} {line.person} "
                f"({line.template}; {', '.join(sorted(line.at))})\n    {line.text}\n"
            )
    lines.append(f"examples written to {out}")
    for line in flagged[:show]:
        lines.append(f"  [{', '.join(sorted(line.flags))}] {line.text}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=Path, action="append", help="notes file (repeatable)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where flagged lines go")
    parser.add_argument("--show", type=int, default=0, help="also print this many flagged lines")
    args = parser.parse_args(argv)
    paths = args.notes or [CORPUS, WORDS_DEV, WORDS_DEV2]
    for path in paths:
        result = audit([path])
        out = args.out if len(paths) == 1 else args.out.with_suffix(f".{path.stem}.txt")
        print(f"== {path.name}")
        print(report(result, out, args.show))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
