"""Forgetting a person: every mention of them, not just their record.

Other contacts' details and reminders that speak of them are removed (they
are facts about the forgotten person); notes of meetings they shared with
others keep the meeting but lose the name. The first or last name alone
counts as a mention only when no other contact shares it, so forgetting one
Priya leaves another Priya's notes alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain.model import Contact, Interaction, Reminder

PLACEHOLDER = "[someone]"


@dataclass(frozen=True)
class Mentions:
    """Finds and blanks out one person's names in text.

    `pattern` is safe anywhere: full names, and a first or last name no other
    contact shares. `in_context` also takes shared first and last names, for
    text already known to be about them (a note of a meeting they were at).
    """

    pattern: re.Pattern[str] | None
    in_context: re.Pattern[str] | None = None

    @classmethod
    def of(cls, contact: Contact, others: Iterable[Contact]) -> Mentions:
        """Build the matchers for `contact`'s names, given everyone else the user knows."""
        shared: set[str] = set()
        for other in others:
            if other.id != contact.id:
                for name in (other.name, *other.aliases):
                    shared.update(word.casefold() for word in name.split())
        full = {n.strip() for n in (contact.name, *contact.aliases) if n.strip()}
        parts = {w for name in full for w in name.split() if len(w) >= 3}
        unique = {w for w in parts if w.casefold() not in shared}
        return cls(_names(full | unique), _names(full | parts))

    def found_in(self, text: str) -> bool:
        """Tell whether `text` mentions the person."""
        return bool(self.pattern and self.pattern.search(text))

    def redact(self, text: str, *, about_them: bool = False) -> str:
        """Return `text` with every mention replaced by a placeholder."""
        pattern = self.in_context if about_them or self.found_in(text) else self.pattern
        return pattern.sub(PLACEHOLDER, text) if pattern else text


def _names(terms: set[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)  # "Priya Raman" before "Priya"
    alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass
class ForgetPlan:
    """What forgetting one person changes, for the confirmation and for doing it."""

    contact: Contact
    mentions: Mentions
    changed_contacts: list[Contact] = field(default_factory=list)  # others, redacted
    removed_facts: int = 0
    redacted_fields: int = 0
    removed_reminders: list[Reminder] = field(default_factory=list)  # others', about them
    own_reminders: int = 0

    def interaction(self, interaction: Interaction) -> Interaction | None:
        """Their part of a log: a log only with them goes; a shared one loses their name."""
        was_there = self.contact.id in interaction.contact_ids
        if was_there:
            others = [c for c in interaction.contact_ids if c != self.contact.id]
            if not others:
                return None
            interaction = replace(interaction, contact_ids=others)
        note = self.mentions.redact(interaction.note, about_them=was_there)
        return replace(interaction, note=note) if note != interaction.note else interaction

    def reminder(self, reminder: Reminder) -> Reminder | None:
        """Reminders (open or finished) about them, or that mention them, go."""
        if reminder.contact_id == self.contact.id or self.mentions.found_in(reminder.text):
            return None
        return reminder


def plan_forget(
    contact: Contact, contacts: Sequence[Contact], open_reminders: Sequence[Reminder]
) -> ForgetPlan:
    """Plan forgetting `contact`: what else mentions them, and how it changes."""
    mentions = Mentions.of(contact, contacts)
    plan = ForgetPlan(contact, mentions)
    for other in contacts:
        if other.id == contact.id:
            continue
        facts = [f for f in other.facts if not mentions.found_in(f.text)]
        removed = len(other.facts) - len(facts)
        fields = 0
        changed = replace(other, facts=facts)
        for name in ("how_met", "company", "role"):
            value = getattr(other, name)
            if mentions.found_in(value):
                setattr(changed, name, mentions.redact(value))
                fields += 1
        for name in ("notes", "interests", "aliases"):
            values: list[str] = getattr(other, name)
            kept = [mentions.redact(v) for v in values]
            fields += sum(a != b for a, b in zip(values, kept, strict=True))
            setattr(changed, name, kept)
        if removed or fields:
            plan.changed_contacts.append(changed)
            plan.removed_facts += removed
            plan.redacted_fields += fields
    for reminder in open_reminders:
        if reminder.contact_id == contact.id:
            plan.own_reminders += 1
        elif mentions.found_in(reminder.text):
            plan.removed_reminders.append(reminder)
    return plan


def scrub_state(
    value: dict[str, Any], mentions: Mentions, contact_id: str
) -> dict[str, Any] | None:
    """Return saved conversation state without the person; None drops it.

    Unsaved work (a note card, a flow, a pending import) that names them is
    dropped whole: no form of it may survive. Elsewhere (the draft history)
    rows about them are left out and names are blanked.
    """
    if _holds(value, contact_id) and not isinstance(value.get("entries"), list):
        return None
    if mentions.found_in(json.dumps(value, ensure_ascii=False)) and "entries" not in value:
        return None
    if isinstance(value.get("entries"), list):
        rows = [r for r in value["entries"] if not _holds(r, contact_id)]
        value = {**value, "entries": rows}
    redacted = _redact_all(value, mentions)
    return redacted if isinstance(redacted, dict) else None


def _holds(value: object, text: str) -> bool:
    if isinstance(value, str):
        return value == text
    if isinstance(value, dict):
        return any(_holds(v, text) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, text) for v in value)
    return False


def _redact_all(value: object, mentions: Mentions) -> object:
    if isinstance(value, str):
        return mentions.redact(value)
    if isinstance(value, dict):
        return {k: _redact_all(v, mentions) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_all(v, mentions) for v in value]
    return value
