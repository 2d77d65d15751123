"""/review <draft>: coaching on a message the user wrote, and an improved version."""

from __future__ import annotations

import re

from bot.domain.content.details import TIGHT_TIERS
from bot.domain.content.review import Weakness, filler_phrases, review, too_personal
from bot.domain.memory.phrase import Form, Timing
from bot.domain.model import Contact
from bot.domain.notes.people import match_contacts
from bot.engine.content.drafts import contact_picture, share_button
from bot.engine.replies import Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# Who the draft greets ("Hi Maria," / "Dear Tom Reed"), to fill a missing question.
_ADDRESSEE = re.compile(
    r"^\s*(?:hi|hello|hey|dear)\s+(?P<title>(?:mr|mrs|ms|mx|dr|prof)\.?\s+)?"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)",
    re.I,
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
        result = review(args, specific_question=warm, close=close)
        tips = [
            TIPS[w].format(
                phrases=", ".join(f'"{p}"' for p in filler_phrases(args)),
                topics=" and ".join(too_personal(args, close=close)),
            )
            for w in result.weaknesses
        ]
        buttons = ((share_button(1, result.improved),),) if result.weaknesses else ()
        return [
            turn.say(
                "content/review",
                tips=tips,
                improved=result.improved if result.weaknesses else "",
                name=contact.first_name if contact else "",
                warm=warm if warm and warm not in result.improved else "",
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


def addressee(turn: Turn, draft: str) -> Contact | None:
    """The contact the draft greets, by name, first name, surname or title and surname."""
    match = _ADDRESSEE.match(draft)
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
    for slot, line in (
        ("goal", "How's {} coming along?"),
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
