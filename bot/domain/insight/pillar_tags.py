"""Which of the seed's seven pillars a logged interaction served, and the balance over time.

A note's words vote for pillars (an intro is an opportunity, a confidence is
trust, an old friend is long-term support); its place on the give-and-ask
ledger votes too, and so does the kind of meeting when the words are silent.
The weekly review names the pillar the user's relationships have rested on
least, with one concrete idea for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.content.pillars import Pillar
from bot.domain.model import Exchange, Interaction, InteractionKind

_WORDS: dict[Pillar, re.Pattern[str]] = {
    Pillar.TRUST: re.compile(
        r"\b(?:confiden\w*|trust\w*|privat\w*|secret|quiet|kept\s+my\s+word|my\s+word|promised?|"
        r"like\s+i\s+promised|borrow\w*|lend|lent|reliab\w*|honest\w*|vouch\w*|covered|"
        r"cover\s+(?:his|her|their)|reference|moved?\s+(?:his|her|their)|move\s+his)\b",
        re.I,
    ),
    Pillar.COLLABORATION: re.compile(
        r"\b(?:together|co-?\w+ing|collaborat\w*|project|workshop|brainstorm\w*|schema|"
        r"dataset|joint|shared?|template|notes|review(?:ed)?|deck|proposal|bug|parser|"
        r"pair(?:ed)?|api|article|recording|slides|interviews|split|rotation|on-?call|debug\w*|"
        r"evaluat\w*|paper)\b",
        re.I,
    ),
    Pillar.MENTORSHIP: re.compile(
        r"\b(?:advi[cs]\w*|mentor\w*|mentee|feedback|nervous|stress\w*|overwhelm\w*|"
        r"listened|rough|tough|struggl\w*|burn\w*|passed|grief|stuck|career|cv|resume|"
        r"interview\w*|promotion|first\s+90|rehears\w*|negotiat\w*|job\s+hunting|brain|"
        r"med\s+school|coach\w*|manager)\b",
        re.I,
    ),
    Pillar.OPPORTUNITIES: re.compile(
        r"\b(?:intro\w*|introduc\w*|connect\w*|in\s+touch|referr\w*|hiring|hire|recruit\w*|"
        r"jobs?|role|roles|opening|clients?|customers?|deal|invest\w*|funding|fundrais\w*|"
        r"seed|series\s+[a-c]|grant|cohort|accelerator|pitch\w*|founders?|cfo|recruiter|"
        r"term\s+sheet|lawyer|posting)\b",
        re.I,
    ),
    Pillar.REPUTATION: re.compile(
        r"\b(?:talk|spoke|speak\w*|keynote|panel|present\w*|congratulat\w*|shout-?out|"
        r"linkedin|recommend(?:ation|ed)\s+(?:for|\w+\s+for)|recommendation|nominat\w*|award|"
        r"endors\w*|prais\w*|newsletter|all-hands|milestone|conference|promoted)\b",
        re.I,
    ),
    Pillar.LONG_TERM: re.compile(
        r"\b(?:old\s+(?:friend|manager|boss|colleague)|ex-?colleague|former|first\s+boss|"
        r"years?|since\s+(?:19|20)\d\d|haven'?t\s+(?:seen|spoken)|caught\s+up|catch(?:ing)?\s+up|"
        r"kept\s+in\s+touch|every\s+\d+\s+months|uni|university|school|retired|decades?|"
        r"first\s+time\s+since|grandpa|reconnect\w*)\b",
        re.I,
    ),
    Pillar.FULFILMENT: re.compile(
        r"\b(?:fun|lovely|celebrat\w*|party|karaoke|games?|pizza|ice\s+cream|laugh\w*|"
        r"enjoy\w*|gorgeous|sweet|proud|music|football|trip|wedding|bikes?|10k|pb|"
        r"hike|hiking|climb\w*|run|ran|walk|won|no\s+regrets|book\s+launch)\b",
        re.I,
    ),
}
# What a ledger entry says about the pillar: more than one matching word, so it settles a
# tie (help is left out: it serves every pillar).
_EXCHANGE_VOTE: dict[Exchange, Pillar] = {
    Exchange.INTRO: Pillar.OPPORTUNITIES,
    Exchange.ADVICE: Pillar.MENTORSHIP,
    Exchange.RESOURCE: Pillar.COLLABORATION,
    Exchange.RECOGNITION: Pillar.REPUTATION,
}
EXCHANGE_WEIGHT = 1.5
# When the words are silent, the kind of meeting decides.
_KIND_DEFAULT: dict[InteractionKind, Pillar] = {
    InteractionKind.DRINKS: Pillar.FULFILMENT,
    InteractionKind.DINNER: Pillar.FULFILMENT,
    InteractionKind.CONFERENCE: Pillar.REPUTATION,
    InteractionKind.EVENT: Pillar.REPUTATION,
    InteractionKind.MEETING: Pillar.COLLABORATION,
    InteractionKind.ONE_ON_ONE: Pillar.MENTORSHIP,
}
# Seed order settles ties: it is the chapter's own order of the benefits.
ORDER = tuple(Pillar)


def tag_pillar(
    text: str, exchange: Exchange | None = None, kind: InteractionKind = InteractionKind.OTHER
) -> Pillar:
    """Return the pillar a note mostly served."""
    votes: dict[Pillar, float] = dict.fromkeys(ORDER, 0.0)
    for pillar, words in _WORDS.items():
        votes[pillar] += len(words.findall(text[:4000]))
    if exchange is not None and exchange in _EXCHANGE_VOTE:
        votes[_EXCHANGE_VOTE[exchange]] += EXCHANGE_WEIGHT
    best = max(ORDER, key=lambda p: (votes[p], -ORDER.index(p)))
    if votes[best] > 0:
        return best
    return _KIND_DEFAULT.get(kind, Pillar.LONG_TERM)


def pillar_counts(interactions: Iterable[Interaction]) -> dict[Pillar, int]:
    """How many interactions served each pillar (every pillar present, zero or more)."""
    tally = Counter(i.pillar for i in interactions if i.pillar is not None)
    return {p: tally.get(p, 0) for p in ORDER}


@dataclass(frozen=True)
class Neglected:
    """The pillar served least, and one concrete thing to do for it."""

    pillar: Pillar
    count: int
    idea: str


# One concrete idea per pillar, worded for the coming week.
IDEAS: dict[Pillar, str] = {
    Pillar.TRUST: "keep one small promise early, or tell someone plainly what you can't do",
    Pillar.COLLABORATION: "share one thing you learned this week with someone who'd use it",
    Pillar.MENTORSHIP: "ask someone a step ahead of you one specific question, or offer an hour "
    "to someone a step behind",
    Pillar.OPPORTUNITIES: "make one introduction between two people who should know each other",
    Pillar.REPUTATION: "write a short, public thank-you for someone's work (a post or a "
    "recommendation)",
    Pillar.LONG_TERM: "write to someone you haven't spoken to in over a year, about something "
    "you remember of theirs",
    Pillar.FULFILMENT: "plan something you'd enjoy anyway with someone you like: a walk, a game, "
    "a meal",
}


def neglected_pillar(counts: Mapping[Pillar, int]) -> Neglected:
    """The pillar with the fewest interactions (seed order breaks ties), with its idea."""
    pillar = min(ORDER, key=lambda p: (counts.get(p, 0), ORDER.index(p)))
    return Neglected(pillar, counts.get(pillar, 0), IDEAS[pillar])
