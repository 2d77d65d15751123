"""Helpers for driving the coach in tests (importable as `support`)."""

from __future__ import annotations

from bot.engine.coach import Coach
from bot.engine.replies import Reply


def press(coach: Coach, user: str, reply: Reply, label: str) -> list[Reply]:
    """Press the button whose label contains `label` (case-insensitive) under `reply`."""
    for row in reply.buttons:
        for button in row:
            if button.ref is not None and label.lower() in button.label.lower():
                return coach.handle_press(user, button.ref)
    labels = [b.label for row in reply.buttons for b in row]
    raise AssertionError(f"no button like {label!r} in {labels}")


def text_of(replies: list[Reply]) -> str:
    """All reply texts and toasts joined, for assertions."""
    return "\n".join(part for r in replies for part in (r.text, r.toast) if part)
