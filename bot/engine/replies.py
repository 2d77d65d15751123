"""Engine output as plain data that every channel can render.

Reply text is the small HTML subset Telegram accepts (<b>, <i>, <code>, <a>),
with user text already escaped; the terminal strips the tags.

A reply to a button press can say how the press itself is answered:
`replaces` shows it in place of the pressed message (Telegram edits that
message, the terminal reprints it marked as updated), and `toast` is a short
note the client flashes (Telegram's callback answer). A reply with no text is
not a message: with `replaces` it only swaps the pressed message's buttons,
without it it is just its toast.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

# Wire-level payload of an action button: {"op": "...", ...} plain JSON data.
Payload = dict[str, Any]
# Telegram shows at most 200 characters in a callback answer.
MAX_TOAST = 200
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    """A button under a reply.

    Exactly one of `payload` (an engine action), `url` (a link) or `copy` (text
    a tap copies to the clipboard) is set. Before a reply leaves the engine
    every payload is swapped for `ref`, an opaque token the user's own store
    maps back to the payload, so a client never holds data it could forge.
    """

    label: str
    payload: Payload | None = None
    url: str | None = None
    ref: str | None = None
    copy: str | None = None


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: a document in Telegram, a saved file in the terminal.

    A `photo` (a PNG such as /garden's) is shown as a picture in Telegram, the
    reply's text as its caption when it fits.
    """

    name: str
    data: bytes
    photo: bool = False


@dataclass(frozen=True)
class Reply:
    """One message from the coach, with optional rows of buttons and files.

    `placeholder` marks a question answered by typing; channels that can
    (Telegram's ForceReply) open the keyboard with this hint in the field.
    """

    text: str
    buttons: Rows = field(default_factory=tuple)
    files: tuple[Attachment, ...] = ()
    replaces: bool = False
    toast: str = ""
    placeholder: str = ""

    def button_refs(self) -> list[str]:
        """Return the refs of all action buttons, in reading order."""
        return [b.ref for row in self.buttons for b in row if b.ref is not None]

    @property
    def is_message(self) -> bool:
        """True if the reply shows something (a toast-only or buttons-only answer does not)."""
        return bool(self.text or self.files)


def toast_text(text: str) -> str:
    """Reply HTML as a toast: plain text within Telegram's 200 characters."""
    plain = " ".join(html.unescape(_TAG.sub("", text)).split())
    return plain if len(plain) <= MAX_TOAST else plain[: MAX_TOAST - 1] + "…"


def notice(toast: str) -> Reply:
    """A press answered with a short note only, no message (a stale button, say)."""
    return Reply("", toast=toast_text(toast))


def in_place(replies: Sequence[Reply], *, toast: str = "") -> list[Reply]:
    """Mark the first reply as shown in place of the pressed message, with `toast`."""
    if not replies:
        return [notice(toast)] if toast else []
    first, *rest = replies
    return [replace(first, replaces=True, toast=toast_text(toast) or first.toast), *rest]


def keyboard_only(buttons: Rows = (), *, toast: str = "") -> Reply:
    """Keep the pressed message's text but give it `buttons` (none: remove its keyboard)."""
    return Reply("", buttons, replaces=True, toast=toast_text(toast))


def merged(replies: Iterable[Reply]) -> Reply:
    """Join replies into one message: texts a blank line apart, every button row kept."""
    parts = [r for r in replies if r.text or r.buttons or r.files]
    return Reply(
        "\n\n".join(r.text for r in parts if r.text),
        tuple(row for r in parts for row in r.buttons),
        tuple(f for r in parts for f in r.files),
        replaces=any(r.replaces for r in parts),
        toast=next((r.toast for r in parts if r.toast), ""),
        placeholder=next((r.placeholder for r in parts if r.placeholder), ""),
    )


# Set on the buttons of a "which one?" picker: the choice replaces the picker.
PICKED = "pick"


def answer_to_press(payload: Payload, replies: list[Reply]) -> list[Reply]:
    """How a press is answered: a choice made on a picker is shown in the picker's place."""
    if payload.get(PICKED) and replies and not any(r.replaces for r in replies):
        return in_place(replies)
    return replies
