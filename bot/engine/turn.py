"""Everything a handler needs while answering one incoming message."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, UserProfile
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading
from bot.engine.replies import Button, Reply, notice
from bot.engine.router import Router
from bot.storage.repository import UserStore
from bot.templates import TemplateLibrary

FLOW_STATE = "flow"


@dataclass
class Turn:
    """One user's store, the time and the renderer for a single exchange."""

    store: UserStore
    templates: TemplateLibrary
    router: Router
    now: datetime
    # Erases this user's whole store, from inside the turn (/forget me); set by the coach.
    erase_user: Callable[[], bool] = field(default=lambda: False, repr=False)
    # The last note read (text, zone, the contacts it was read with, its reading).
    _read: tuple[str, str, list[Contact], NoteReading] | None = field(
        default=None, init=False, repr=False
    )

    @cached_property
    def profile(self) -> UserProfile:
        """The user's profile (created with defaults on first use)."""
        return self.store.profile()

    @property
    def zone(self) -> ZoneInfo:
        """The user's time zone."""
        return ZoneInfo(self.profile.timezone)

    def read_note(self, text: str) -> NoteReading:
        """`read_note` of `text` with the user's contacts, read once a turn for one text.

        The reflection question asks whether a reply is a new note, and then the
        card reads that same note; with 1,000 contacts a reading costs milliseconds.
        Both get the same object, so only the last reader may change it.
        """
        contacts = self.store.contacts()
        zone = self.profile.timezone
        kept = self._read
        if kept is not None and kept[:2] == (text, zone) and _same(kept[2], contacts):
            return kept[3]
        reading = read_note(text, now=self.now, timezone=zone, contacts=contacts)
        self._read = (text, zone, contacts, reading)
        return reading

    def local(self, moment: datetime) -> datetime:
        """Return `moment` in the user's zone."""
        return moment.astimezone(self.zone)

    def say(
        self, template: str, *, buttons: tuple[tuple[Button, ...], ...] = (), **context: Any
    ) -> Reply:
        """Render reply template `replies/<template>.html.j2` into a Reply."""
        return Reply(text=self.render(template, **context), buttons=buttons)

    def notice(self, template: str, **context: Any) -> Reply:
        """Answer a press with template `template` as a short toast, not a new message."""
        return notice(self.render(template, **context))

    def render(self, template: str, **context: Any) -> str:
        """Render reply template `replies/<template>.html.j2`; dates read relative to today."""
        context.setdefault("today", self.local(self.now).date())
        return self.templates.render(f"replies/{template}.html.j2", **context)

    # -- multi-step flows ----------------------------------------------------
    def flow(self) -> dict[str, Any] | None:
        """Return the running flow's state ({"name": ..., ...}) or None."""
        return self.store.state(FLOW_STATE)

    def start_flow(self, name: str, **data: Any) -> None:
        """Start (or restart) flow `name`; plain text goes to it until it ends."""
        self.store.set_state(FLOW_STATE, {"name": name, **data})

    def end_flow(self) -> None:
        """End whatever flow is running."""
        self.store.set_state(FLOW_STATE, None)


def _same(these: list[Contact], those: list[Contact]) -> bool:
    """Whether two lists hold the very same records (a store hands out one object per
    record until it is saved, so a contact saved in between fails this)."""
    return len(these) == len(those) and all(map(operator.is_, these, those))
