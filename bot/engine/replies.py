"""Engine output as plain data that every channel can render.

Reply text is the small HTML subset Telegram accepts (<b>, <i>, <code>, <a>),
with user text already escaped; the terminal strips the tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Wire-level payload of an action button: {"op": "...", ...} plain JSON data.
Payload = dict[str, Any]


@dataclass(frozen=True)
class Button:
    """A button under a reply.

    Exactly one of `payload` (an engine action) or `url` is set. Before a reply
    leaves the engine every payload is swapped for `ref`, an opaque token the
    user's own store maps back to the payload, so a client never holds data
    it could forge.
    """

    label: str
    payload: Payload | None = None
    url: str | None = None
    ref: str | None = None


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
    """One message from the coach, with optional rows of buttons and files."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    files: tuple[Attachment, ...] = ()

    def button_refs(self) -> list[str]:
        """Return the refs of all action buttons, in reading order."""
        return [b.ref for row in self.buttons for b in row if b.ref is not None]
