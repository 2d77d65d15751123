"""Proposing a note's place on the give-and-ask ledger: did the user give, or ask?

The ledger is about the user: an intro, help, advice, a resource or
recognition the user gave the contact, or something the user asked of them.
Their offers and their thanks are not the user's gives or asks ("She'll
intro me to her CTO" is neither). The proposal is only a proposal: the note
card shows it and the user confirms or changes it.

Notes are short and telegraphic ("Sent Ravi the recording", "asked him for a
referral"), so each clause is judged by who does the verb: a clause that
starts with I or with the verb itself is the user's; one that starts with
he, she, they or a name followed by a verb ("Anna asked...") is theirs. A
verb whose object is me or my ("send me", "review my deck") is theirs too.
"""

from __future__ import annotations

import re

from bot.domain.model import Exchange

# Where one clause ends and the next begins in a typed note.
_CLAUSES = re.compile(r"[.!?;\n]+|\s[-–—]\s|,\s*(?=(?:and|but|so|then)?\s*i\b)|:\s", re.I)
_THIRD = r"(?:he|she|they|he's|she's|they're|he'd|she'd|they'd|he'll|she'll|they'll)"
_THEIR_VERBS = (
    r"(?:said|says|will|would|'ll|'d|asked|asks|wants|thanked|is|was|has|had|offered|agreed|"
    r"told|mentioned|needs|needed|gave|sent|shared|promised|introduced|can|could|owes|"
    r"invited|helped|wrote|reviewed|recommended|connected)"
)
# A clause whose subject is someone else: "she said...", "Anna asked for my notes".
_THEIRS = re.compile(
    rf"^\s*(?:(?:and|but|so|then|also)\s+)?(?:{_THIRD}\b|[A-Z][\w'’-]+\s+{_THEIR_VERBS}\b)"
)
# "Thanked him for the intro": their give, which the user is thanking them for.
_THANKED_FOR = re.compile(r"\bthank(?:ed|s|ing)?\s+(?:\S+\s+){0,3}?for\b.*", re.I)
# A name is capitalised even inside a case-blind pattern; me and my are never the contact.
_PERSON = r"(?:him|her|them|(?!(?:me|my|us|our)\b)(?-i:[A-Z])[\w'’-]+)"
_ME = r"(?:me|my|us|our)\b"

# Checked in this order inside a clause, so "asked for an intro" is an ask, not an intro.
_PATTERNS: tuple[tuple[Exchange, re.Pattern[str]], ...] = (
    (
        Exchange.ASK,
        re.compile(
            rf"\bask(?:ed|ing)?\s+(?:{_PERSON}\s+)?(?:for|to|if|whether)\b"
            r"|\bneed(?:ed)?\s+a\s+favou?r\b|\bpick(?:ed)?\s+(?:his|her|their)\s+brains?\b"
            r"|\bcould\s+(?:he|she|they)\s+(?:help|intro|introduce|review|share|look|check|"
            r"put|connect|send|lend|be)\b"
            r"|\bwould\s+(?:he|she|they)\s+(?:be|consider|mind|help)\b",
            re.I,
        ),
    ),
    (
        Exchange.RECOGNITION,
        re.compile(
            r"\bcongratulat\w*|\bshout-?outs?\b|\bnominat\w*|\bendors\w*|\bprais\w*"
            r"|\blinkedin\s+recommendation\b|\brecommendation\s+for\b|\bthank-?you\s+post\b"
            rf"|\brecommended\s+{_PERSON}\s+(?:for|to)\b"
            r"|\btold\s+(?:his|her|their|[A-Z][\w-]*['’]s)\s+(?:boss|manager|team|ceo|lead)\b",
            re.I,
        ),
    ),
    (
        Exchange.INTRO,
        re.compile(
            rf"\b(?:intro(?:duce)?d?|connect(?:ed)?)\s+(?!{_ME}){_PERSON}\b"
            rf"|\bput\s+(?!{_ME}){_PERSON}\s+in\s+touch\b|\bintro(?:duction)?s?\s+(?:to|for)\b",
            re.I,
        ),
    ),
    (
        Exchange.ADVICE,
        re.compile(
            r"\b(?:gave|give|giving)\s+(?:\w+\s+){0,2}advice\b|\badvis(?:ed|ing)\b"
            rf"|\b(?:walked|talked)\s+{_PERSON}\s+through\b"
            rf"|\btold\s+{_PERSON}\s+(?:what|how)\b|\bshared\s+(?:how|what|my\s+experience)\b"
            r"|\brecommended\s+(?:a|some|two|three|a\s+couple\s+of|a\s+few)\s+\w+",
            re.I,
        ),
    ),
    (
        Exchange.HELP,
        re.compile(
            r"\bhelped\b|\brehears\w*|\bmock\b|\bpair(?:ed)?[\s-]program\w*"
            r"|\bcover(?:ed)?\s+(?:his|her|their|for)\b"
            rf"|\b(?:reviewed|fixed|proofread|checked)\s+(?!{_ME})(?:his|her|their|{_PERSON})\b"
            rf"|\b(?:gave|sent)\s+(?:{_PERSON}\s+)?(?:some\s+)?(?:feedback|comments)\b"
            r"|\bkept\s+my\s+word\b|\bdelivered\b"
            r"|\bi'?ll\s+(?:test|review|proofread|look\s+over)\b",
            re.I,
        ),
    ),
    (
        Exchange.RESOURCE,
        re.compile(
            r"\b(?:sent|send|sending|shared|share|forwarded|forward|emailed|passed\s+on|gave)\s+"
            r"(?!(?:me|us)\b)(?:"
            + _PERSON
            + r"\s+)?(?:the|a|an|my|some|our|two|a\s+couple\s+of|a\s+few)?\s*"
            r"(?:[\w-]+\s+){0,3}?(?:link|article|podcasts?|books?|list|template|notes|slides|"
            r"recording|paper|deck|docs?|posting|names|contacts?|video|guide|checklist)\b",
            re.I,
        ),
    ),
)


def propose_exchange(text: str) -> Exchange | None:
    """Return the ledger entry a note suggests, or None when it is neither a give nor an ask."""
    for clause in _CLAUSES.split(text[:4000]):
        if not clause.strip() or _THEIRS.match(clause):
            continue
        clause = _THANKED_FOR.sub("", clause)
        found = [(m.start(), kind) for kind, p in _PATTERNS if (m := p.search(clause))]
        if found:
            # An ask inside the clause wins: "asked for an intro" is not an intro.
            if any(kind is Exchange.ASK for _, kind in found):
                return Exchange.ASK
            return min(found, key=lambda f: f[0])[1]
    return None
