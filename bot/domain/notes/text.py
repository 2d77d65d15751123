"""Splitting a note into sentences and words, keeping offsets into the original."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Long notes are capped so that hostile input cannot make the extractor slow;
# a phone note after a meeting is far shorter than this.
MAX_ANALYSED_CHARS = 4096

# Curly quotes become straight ones one-for-one, so offsets stay valid.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string, for long lists."""
    return frozenset(words.split())


# What a meeting is called when it is planned, moved or agreed: "next call", "our 1:1".
MEETING_NOUN = (
    r"(?:call|calls|meeting|meetings|1:1s?|one-on-ones?|catch-?ups?|check-?ins?|sync|syncs|"
    r"zoom|zooms|lunch|coffee|dinner|brunch|breakfast|drinks?|beers?|chat|follow-?up|session|"
    r"workshop|demo|visit|walk|review)"
)
# What a message comes "from": "msg from dario", "signal from kofi's brother yaw".
MESSAGE_FROM = (
    r"(?:msg|message|text|sms|dm|email|e-mail|mail|whatsapp|wa|slack|linkedin|signal|telegram|"
    r"teams|imessage|voice\s*note|voicemail|vm|note|call|reply|response|invite|update|letter|"
    r"card)\s+from"
)
# Pictographs, dingbats, symbols, flags and the joiners and selectors inside
# emoji sequences (👩‍👩‍👧, ☕️), as a character class.
EMOJI = "[😀-🙏🌀-🗿🚀-🛿🤀-🧿🨀-🫿✀-➿☀-⛿🇦-🇿\u200d\ufe0f\u20e3]"
# An emoji ends a sentence only where a new one starts after it ("round 🎉
# Arjun asked", "mPharma 🇬🇭 his leaving drinks"); "loves 🧗 climbing" reads on.
_EMOJI_BREAK = (
    "(?<!"
    + EMOJI
    + ")"
    + EMOJI
    + r"++(?=\s*(?:$|[^\w\s]|[A-Z]|(?i:i|i'm|i'll|i've|i'd|we|we're|we'll|she|he|they|she's|he's"
    r"|they're|she'll|he'll|they'll|his|her|their|my|our|also|btw|so|then|and|but|plus|need|must"
    r"|should|will|gotta|todo|remember|send|call|email|ask|text|ping|book|buy|follow)\b))"
)
_EMOJI_AT_END = "(?<!" + EMOJI + ")" + EMOJI + "++$"
# Any other run of emoji between words; it breaks unless the words before it
# leave the clause open (see `_OPEN_BEFORE_EMOJI`).
_EMOJI_RUN = "(?<!" + EMOJI + ")(?P<emoji>" + EMOJI + "++)(?=\\s*\\w)"
_BREAK = re.compile(
    r"[.!?…]+(?=\s|$)|\n+|\s[—–-]{1,2}\s|;|:\s|\s\|\s|\(|\)|"
    + _EMOJI_BREAK
    + "|"
    + _EMOJI_AT_END
    + "|"
    + _EMOJI_RUN
)
# A clause cannot end on these words, so an emoji after one is inside the clause
# ("She loves 🧗 climbing", "a trip to 🇯🇵 japan", "w 🐶 her dog").
_OPEN_BEFORE_EMOJI = word_set(
    """
    a an the my his her their our your its this that these those some any no every
    of to for with w w/ at in on into onto from by about like than as and or but nor
    is are was were be been am 's 'm 're
    love loves loved loving like likes liked enjoy enjoys enjoyed into obsessed big huge
    really very so super totally just also
    """
)
_IS_EMOJI = re.compile(EMOJI).fullmatch
_NEW_SENTENCE = re.compile(
    r"\s+(?:I|I'm|I'll|I've|We|She|He|They|His|Her|Their|My|Our|The|It|This|That|Also|Then)\b"
)
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "approx", "etc", "sr", "jr"}
    | {"a.m", "p.m"}  # "10:30 a.m. yesterday" is one sentence
)
WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


@dataclass(frozen=True)
class Span:
    """A piece of the note: `text` is note[start:end]."""

    start: int
    end: int
    text: str


# Contractions typed without their apostrophe ("shes nervous", "hes training").
_BARE_CONTRACTIONS = {
    "shes": "she's", "hes": "he's", "theyre": "they're", "thats": "that's", "dont": "don't",
    "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "wont": "won't", "isnt": "isn't",
    "wasnt": "wasn't", "couldnt": "couldn't", "wouldnt": "wouldn't", "shouldnt": "shouldn't",
    "ive": "I've", "youre": "you're", "theyll": "they'll", "shell": "she'll", "itll": "it'll",
}  # fmt: skip
_BARE = re.compile(r"\b(?:" + "|".join(_BARE_CONTRACTIONS) + r")\b")


def normalise(text: str) -> str:
    """Return `text` cut to the analysed length, with straight quotes and apostrophes restored,
    and a leading label ("note to self:") blanked: the note starts after it."""
    text = text[:MAX_ANALYSED_CHARS].translate(_QUOTES)
    text = _LABEL.sub(lambda m: " " * len(m.group()), text)
    return _BARE.sub(lambda m: _BARE_CONTRACTIONS[m.group()], text)


_LABEL = re.compile(
    r"^\s*(?:note\s+to\s+self|nts|memo|quick\s+note|for\s+the\s+record|prep|agenda|upcoming)"
    r"\s*[:\-–—]\s*",
    re.I,
)


def sentences(text: str) -> list[Span]:
    """Split into sentence-like pieces (also at dashes, colons, brackets, emoji)."""
    pieces: list[Span] = []
    start = 0
    for match in _BREAK.finditer(text):
        if match.group().startswith(".") and ends_with_abbreviation(text, match.start()):
            continue
        if match.group("emoji") and _clause_open(text, match.start()):
            continue
        if _JOINED_ON.match(text, match.end()) and _ONLY_EMOJI.fullmatch(match.group()):
            continue  # "doing an ironman 😳 + turns 40": the emoji sat inside one sentence
        if match.group() in ("(", ")") and _is_aside(text, match.start()):
            continue  # "lunch w sara (deliveroo) next tues": a short aside ends no clause
        _add(pieces, text, start, match.start())
        start = match.end()
    _add(pieces, text, start, len(text))
    return pieces


# A bracketed aside inside a clause: up to three words, too few to say something of its own
# ("(works at Goldman in risk)" is a clause; "(deliveroo)" is not).
_ASIDE = re.compile(r"\(\s*[^().!?;:\s]+(?:\s+[^().!?;:\s]+){0,2}\s*\)")


def _is_aside(text: str, at: int) -> bool:
    """True when the bracket at `at` opens or closes a short aside."""
    opens = at if text[at] == "(" else text.rfind("(", 0, at)
    found = _ASIDE.match(text, opens) if opens >= 0 else None
    return found is not None and opens <= at < found.end()


_JOINED_ON = re.compile(r"\s*(?:\+|&)\s")
_ONLY_EMOJI = re.compile(EMOJI + "+")


def _clause_open(text: str, end: int) -> bool:
    """True when the word before `end` cannot end a clause ("loves", "the", "to").

    A capitalised word mid-sentence may name what follows: "the Amsterdam 🏃 marathon".
    """
    words = text[max(0, end - 24) : end].split()
    if not words or words[-1].casefold() in _OPEN_BEFORE_EMOJI:
        return True
    return len(words) > 1 and words[-1][:1].isupper() and words[-2][-1:].isalpha()


def ends_with_abbreviation(text: str, dot: int) -> bool:
    """True when the "." at `dot` ends an abbreviation ("Mr.", "e.g.") rather than a sentence."""
    words = text[max(0, dot - 8) : dot].split()
    if not words:
        return False
    last = words[-1].lstrip("(")
    if last.lower() in _ABBREVIATIONS:
        return True
    if last.lower() in ("a", "p") and text[dot + 1 : dot + 3].lower() == "m.":
        return True  # the first dot of "a.m."
    # A single capital is an initial ("Lena M. and her colleague"), unless a new
    # sentence plainly starts after it ("Coffee with Sam L. His mother-in-law...").
    return len(last) == 1 and last.isupper() and not _NEW_SENTENCE.match(text, dot + 1)


def _add(pieces: list[Span], text: str, start: int, end: int) -> None:
    while start < end and (
        text[start].isspace() or text[start] in ",-–—" or _IS_EMOJI(text[start])
    ):
        start += 1
    while end > start and (
        text[end - 1].isspace() or text[end - 1] in ",-–—" or _IS_EMOJI(text[end - 1])
    ):
        end -= 1
    if start < end:
        pieces.append(Span(start, end, text[start:end]))


def _trimmed(char: str) -> bool:
    return char.isspace() or char in ",-–—" or bool(_IS_EMOJI(char))


def split_at(span: Span, cuts: list[int]) -> list[Span]:
    """Split `span` at the given absolute offsets (each must lie inside it)."""
    pieces: list[Span] = []
    start = span.start
    offset = span.start
    for cut in sorted(cuts):
        if span.start < cut < span.end:
            piece_text = span.text[start - offset : cut - offset]
            pieces.append(Span(start, cut, piece_text))
            start = cut
    pieces.append(Span(start, span.end, span.text[start - offset :]))
    trimmed = [_trim(piece) for piece in pieces]
    return [piece for piece in trimmed if piece.text]


def _trim(span: Span) -> Span:
    text = span.text
    left = len(text) - len(text.lstrip(" ,-–—&+"))
    right = len(text.rstrip(" ,-–—&+"))
    if right <= left:
        return Span(span.start, span.start, "")
    return Span(span.start + left, span.start + right, text[left:right])


# Letters Unicode does not decompose into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h"}
)


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """Lowercase and strip accents, so "José" matches "jose" and "Łukasz" "lukasz"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_PLAIN_LETTERS))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
