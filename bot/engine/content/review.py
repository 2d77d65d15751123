"""/review <draft>: coaching on a message the user wrote, and an improved version."""

from __future__ import annotations

import re

from bot.domain.content.review import Weakness, filler_phrases, review
from bot.domain.model import Contact
from bot.domain.notes.people import match_contacts
from bot.engine.content.drafts import contact_picture, share_and_copy
from bot.engine.replies import Reply
from bot.engine.router import Router
from bot.engine.turn import Turn

# Who the draft greets ("Hi Maria," / "Dear Tom Reed"), to fill a missing question.
_ADDRESSEE = re.compile(r"^\s*(?:hi|hello|hey|dear)\s+([^\W\d_]+(?:\s+[A-Z][^\W\d_]+)?)", re.I)
# Asking about these reads naturally; a company or a promise does not.
_QUESTION_SLOTS = ("event_past", "goal", "interest", "detail", "work", "event_ahead")


def register(router: Router) -> None:
    """Register /review."""

    @router.command("review", "Coach a message you wrote", usage="<your draft>")
    def review_command(turn: Turn, args: str) -> list[Reply]:
        if not args.strip():
            return [turn.say("content/review_usage")]
        contact = addressee(turn, args)
        result = review(args, specific_question=question_about(turn, contact) if contact else "")
        tips = [
            TIPS[w].format(phrases=", ".join(f'"{p}"' for p in filler_phrases(args)))
            for w in result.weaknesses
        ]
        buttons = (share_and_copy(1, result.improved),) if result.weaknesses else ()
        return [
            turn.say(
                "content/review",
                tips=tips,
                improved=result.improved if result.weaknesses else "",
                name=contact.first_name if contact else "",
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
}


def addressee(turn: Turn, draft: str) -> Contact | None:
    """The contact the draft greets, when exactly one matches."""
    match = _ADDRESSEE.match(draft)
    if not match:
        return None
    for name in (match.group(1), match.group(1).split()[0]):
        found = match_contacts(name, turn.store.contacts())
        if len(found) == 1:
            return found[0]
    return None


def question_about(turn: Turn, contact: Contact) -> str:
    """A question about the freshest thing known about `contact`, or ""."""
    picture = contact_picture(turn, contact)
    for slot in _QUESTION_SLOTS:
        details = picture.slots.get(slot)
        if details:
            text = details[0].text
            if slot == "event_past":
                return f"How did {text} go?"
            return f"How is {text} going?"
    return ""
