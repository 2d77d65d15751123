"""/review <draft>: coaching on a message the user wrote, and an improved version."""

from __future__ import annotations

import re

from bot.domain.content.details import TIGHT_TIERS, meeting_phrase
from bot.domain.content.mending import Known, is_meal, mend
from bot.domain.content.review import Weakness, filler_phrases, review, too_personal
from bot.domain.memory.memory import phrase_of
from bot.domain.memory.phrase import Form, Timing
from bot.domain.model import Contact
from bot.domain.notes.people import match_contacts
from bot.engine.content.drafts import contact_picture, share_and_copy
from bot.engine.replies import Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# Who the draft greets ("Hi Maria," / "Dear Tom Reed"), to fill a missing question.
_ADDRESSEE = re.compile(
    r"^\s*(?:hi|hello|hey|dear)\s+(?P<title>(?:mr|mrs|ms|mx|dr|prof)\.?\s+)?"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)",
    re.I,
)


# "Thanks for lunch, Anna." names them after a comma instead of greeting them.
_NAMED = re.compile(
    r",\s*(?P<title>(?:mr|mrs|ms|mx|dr|prof)\.?\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
    r"\s*[.!?,]"
)


def register(router: Router) -> None:
    """Register /review."""

    @router.command("review", "Coach a message you wrote", usage="<your draft>")
    def review_command(turn: Turn, args: str) -> list[Reply]:
        if not args.strip():
            return [turn.say("content/review_usage")]
        contact = addressee(turn, args)
        close = contact is not None and contact.tier in TIGHT_TIERS
        warm = question_about(turn, contact) if contact else ""
        known = knowledge(turn, contact, warm) if contact else Known()
        mended, fixes = mend(args, known)
        named = tuple(better for _, better in known.words)
        # A question about what the draft already names would say it twice.
        question = "" if warm and _says_already(mended, warm) else warm
        result = review(mended, specific_question=question, close=close, known=named)
        tips = [MENDED[f].format(meal=known.meal) for f in fixes] + [
            TIPS[w].format(
                phrases=", ".join(f'"{p}"' for p in filler_phrases(args)),
                topics=" and ".join(too_personal(args, close=close)),
            )
            for w in result.weaknesses
        ]
        changed = bool(result.weaknesses or fixes)
        buttons = (share_and_copy(1, result.improved),) if changed else ()
        return [
            turn.say(
                "content/review",
                tips=tips,
                improved=result.improved if changed else "",
                name=contact.first_name if contact else "",
                warm=warm if warm and warm.casefold() not in result.improved.casefold() else "",
                buttons=buttons,
            )
        ]


TIPS: dict[Weakness, str] = {
    Weakness.GENERIC_OPENING: (
        "{phrases}: filler they've read a hundred times. Start with them instead."
    ),
    Weakness.NO_SPECIFICS: (
        "Nothing in it is specific to them. Name one thing they told you or you did together."
    ),
    Weakness.ALL_ABOUT_ME: "It's mostly about you. Give them at least as much room as yourself.",
    Weakness.ASK_WITHOUT_GIVE: (
        "It asks for something and offers nothing. Add what you can give, or a genuine thanks."
    ),
    Weakness.TOO_LONG: "It's long for a message. Cut it to what they need to read.",
    Weakness.NO_QUESTION: "There's no question to answer, so it's easy to leave unanswered.",
    Weakness.HEDGING: "The apology or hedge makes it easy to say no. Ask plainly and kindly.",
    Weakness.PICK_YOUR_BRAIN: (
        '"Pick your brain" asks for free work. Say what you want to ask, and how long it takes.'
    ),
    Weakness.TOO_PERSONAL: (
        "It touches on {topics}, which can feel intrusive from someone they don't know well."
    ),
}


MENDED: dict[str, str] = {
    "note-words": "Some words read like a note to yourself; I put them the way you'd say them.",
    "not-a-detail": "A birthday is a date, not a topic, so I left that line out.",
    "tense": "Their event is still ahead, so I asked about it instead of how it went.",
    "gap": "You talked only days ago, so a line about leaving it so long doesn't fit.",
    "meeting": "I named your last meeting as it really was.",
}


def _says_already(text: str, line: str) -> bool:
    """Whether the draft already names what `line` asks about."""
    words = [w for w in re.findall(r"[\w'’-]+", line.casefold()) if len(w) > 4]
    return any(w in text.casefold() for w in words[-2:])


def knowledge(turn: Turn, contact: Contact, line: str) -> Known:
    """What can mend a draft to `contact`: each note's words as a message says them."""
    names = tuple(n for n in (contact.company, *contact.name.split()) if n)
    words: list[tuple[str, str]] = []
    ahead: list[str] = []
    picture = contact_picture(turn, contact)
    for fact in contact.facts:
        phrase = phrase_of(fact, names)
        better = phrase.noun or phrase.gerund
        if better:
            words.append((fact.text, better))
    for detail in [*picture.slots.get("promise", []), *picture.slots.get("intro", [])]:
        if detail.key and detail.words(Form.NOUN):
            # The coach used to drop the pronoun: "introduce to José" for "introduce her to José".
            for raw in {detail.key, re.sub(r"\b(?:her|him|them)\s+", "", detail.key)}:
                words.append((raw, detail.words(Form.NOUN)))
    for detail in picture.slots.get("event", []):
        if detail.timing is Timing.AHEAD:
            ahead += re.findall(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", detail.key)
            ahead.append(detail.words(Form.NOUN))
    if contact.role and contact.company:
        for joiner in ("at", "of", "for"):
            words.append(
                (f"{contact.role} {joiner} {contact.company}", f"your work at {contact.company}")
            )
    latest = next(turn.store.interactions(contact_id=contact.id), None)
    kind = latest.kind.value if latest is not None else ""
    meeting = meeting_phrase(latest.kind, latest.occasion) if latest is not None else ""
    return Known(
        words=tuple(words),
        not_details=("birthday is", "bday is"),
        meal=kind if is_meal(kind) else "",
        meeting=meeting if "chat at" in meeting and "the conference" not in meeting else "",
        ahead=tuple(a for a in ahead if a),
        recent=picture.days_since is not None and picture.days_since <= 14,
        line=line,
    )


def addressee(turn: Turn, draft: str) -> Contact | None:
    """The contact the draft greets, by name, first name, surname or title and surname."""
    match = _ADDRESSEE.match(draft) or _NAMED.search(draft.split("\n", 1)[0][:200])
    if not match:
        return None
    name = match.group("name")
    contacts = turn.store.contacts()
    for wanted in dict.fromkeys((name, name.split()[0], name.split()[-1])):
        found = match_contacts(wanted, contacts)
        if len(found) == 1:
            return found[0]
        by_surname = [c for c in contacts if c.name.split()[-1].casefold() == wanted.casefold()]
        if len(by_surname) == 1 and (match.group("title") or wanted != name.split()[0]):
            return by_surname[0]
    return None


def question_about(turn: Turn, contact: Contact) -> str:
    """One warm, specific line from what the coach knows about `contact`, or ""."""
    picture = contact_picture(turn, contact)
    for detail in picture.slots.get("event", []):
        noun = detail.words(Form.NOUN)
        if noun and detail.timing is Timing.JUST_HAPPENED:
            return f"How did {noun} go?"
        if noun and detail.timing is Timing.AHEAD:
            return f"How are you feeling about {noun}?"
    for detail in picture.slots.get("goal", []):
        if noun := detail.words(Form.NOUN):
            return f"How's {noun} coming along?"
        if gerund := detail.words(Form.GERUND):
            return f"How are you feeling about {gerund}?"
    for slot, line in (
        ("interest", "Have you had much time for {} lately?"),
        ("work", "How's {} going?"),
    ):
        for detail in picture.slots.get(slot, []):
            form = Form.GERUND if slot == "work" else Form.NOUN
            words = detail.words(form)
            if words and slot == "interest" and words.split()[0].endswith("ing"):
                return f"How's {words} going?"  # "training for the Berlin marathon"
            if words:
                return line.format(words)
    return ""
