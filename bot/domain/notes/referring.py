"""What "it" points back to: "she wants to see our deck, I'll send it tmrw" sends the deck."""

from __future__ import annotations

import re

from bot.domain.notes.affiliation import ROLE_NOUNS
from bot.domain.notes.names import RELATIONS
from bot.domain.notes.text import word_set

# A thing named with a determiner, up to three words: "our deck", "the soc2 report".
_THING = re.compile(
    r"\b(?P<thing>(?:our|the|my|his|her|their|this|that)\s+[a-z0-9][\w\-]*(?:\s+[a-z0-9][\w\-]*){0,2})",
    re.I,
)
# Words that end a thing's name: what follows is the rest of the clause.
_ENDS = word_set(
    """
    asap now today tonight tmrw tomorrow soon too again first then later by to for with from
    at on in of and or but so if when before after b4 this next last is are was were
    """
)
_NOT_THINGS = word_set("one way time moment idea day week month year end lot rest")
# "send it", "get it to him", "do that by friday": the pronoun a task's object is.
# ("them" is as often people, so only "it" and "that" point back at a thing.)
_POINTER = re.compile(r"^(?P<verb>[a-z][\w\-]*)\s+(?P<it>it|that)\b", re.I)


def last_thing(body: str) -> str:
    """The last thing `body` names with a determiner ("our soc2 report"), or ""."""
    found = ""
    for match in _THING.finditer(body):
        words = match.group("thing").split()
        kept = [words[0]]
        for word in words[1:]:
            if word.lower() in _ENDS:
                break
            kept.append(word)
        last = kept[-1].lower()
        # "his wife" is no thing; "our soc2 report" is one ("my report" is a person).
        person = last in RELATIONS | ROLE_NOUNS and (last != "report" or len(kept) == 2)
        if len(kept) > 1 and last not in _NOT_THINGS and not person:
            found = " ".join(kept)
    return found


def points_back(task: str) -> bool:
    """True for a task whose object is "it" or "that": something the clause before named."""
    return _POINTER.match(task) is not None


def refer_back(task: str, thing: str) -> str:
    """ "send it" with "our deck" before it is "send our deck"; else the task as it was."""
    match = _POINTER.match(task)
    if match is None or (match.group("verb").lower() in ("do", "make", "get") and not _sends(task)):
        return task
    return task[: match.start("it")] + thing + task[match.end("it") :]


def _sends(task: str) -> bool:
    """ "get it to him" hands something over; "do it" and "make it" say nothing of what."""
    return re.search(r"\b(?:to|over)\b", task[task.lower().find("it") :], re.I) is not None
