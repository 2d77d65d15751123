"""The one replanning call every change makes, and the check delivery makes before sending.

`replan_reminders(turn)` brings every open reminder in line with the records
(bot/domain/reminders/replan.py); call it after anything that can move a plan.
`freshen_due` is called where delivery collects the due reminders: stale ones
are merged, reworded or dropped (bot/domain/reminders/freshness.py). This
module imports no feature, so any feature can call it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus, UserProfile
from bot.domain.reminders.freshness import freshen
from bot.domain.reminders.planning import OPEN, Plan
from bot.domain.reminders.refiling import Changed
from bot.domain.reminders.replan import Basis, replan
from bot.domain.reminders.replan_index import ReplanIndex
from bot.domain.reminders.timing import deliverable_at
from bot.engine.turn import Turn
from bot.storage.repository import UserStore


class Kept(Protocol):
    """An index kept over a user's records, with the store's mark of its last refresh."""

    mark: object


# What the open reminders were planned with (see replan.Basis).
BASIS_STATE = "reminders.basis"
# Keep-in-touch nudges sent today ({"day": iso date, "count": n}), for the daily cap.
NUDGED_STATE = "reminders.nudged"


def replan_reminders(turn: Turn, only: Collection[str] | None = None) -> Plan:
    """Bring every open reminder in line with the records; call after any change.

    `only` names the contacts the change was about (see `replan`); None: everyone.
    The user's replanning index is kept between turns (bot/engine/kept.py).
    """
    index = turn.router.kept(ReplanIndex).of(turn.store.user_id) if only is not None else None
    return apply_replan(turn.store, turn.profile, turn.now, only, index=index)


def apply_replan(
    store: UserStore,
    profile: UserProfile,
    now: datetime,
    only: Collection[str] | None = None,
    *,
    index: ReplanIndex | None = None,
) -> Plan:
    """`replan` over one user's store, saving what changed (nothing when nothing did)."""
    basis = Basis.from_state(store.state(BASIS_STATE))
    plan = replan(
        store.contacts(),
        store.reminders(OPEN),
        profile,
        now,
        basis=basis,
        nudged_today=_nudged_today(store, profile, now),
        only=only,
        index=index,
        changed=changes_since(store, index) if index is not None else (None, None),
    )
    if plan:
        store.save_reminders(plan.to_save)
    current = Basis.of(profile)
    if basis != current:
        store.set_state(BASIS_STATE, current.to_state())
    return plan


def kept_index(turn: Turn) -> ReplanIndex:
    """The user's replanning index as kept between turns (bot/engine/kept.py), up to date."""
    index = turn.router.kept(ReplanIndex).of(turn.store.user_id)
    mark, changed = changes_since(turn.store, index)
    index.refresh(
        turn.store.contacts(), turn.store.reminders(OPEN), turn.zone, changed=changed, mark=mark
    )
    return index


def changes_since(store: UserStore, index: Kept) -> tuple[object, Changed | None]:
    """The store's mark for now and the records changed since the index's mark, when the
    store keeps a journal of changes (a TinyDB store does); else (None, None)."""
    ask: Callable[[str, Any], tuple[object, dict[str, Any] | None, bool]] | None = getattr(
        store, "journal_changes", None
    )
    if ask is None:
        return None, None
    _, contacts, moved = ask("contacts", index.mark)
    # The last call's mark: reading reminders may start a new epoch after the contacts'.
    mark, reminders, moved_too = ask("reminders", index.mark)
    if contacts is None or reminders is None:
        return mark, None
    return mark, (contacts, reminders, moved or moved_too)


def freshen_due(
    store: UserStore,
    due: Sequence[Reminder],
    now: datetime,
    *,
    open_reminders: Sequence[Reminder] | None = None,
    contacts: Sequence[Contact] | None = None,
) -> list[Reminder]:
    """Make due reminders right for now, just before delivery claims them; return what to send.

    Merges, rewords or drops what is due (see freshness.freshen) and counts
    keep-in-touch nudges against the daily cap. Only what is due is touched:
    delivery never plans anything new. A caller that has just read the user's open
    reminders or contacts passes them (they are only read), saving a decode of each.
    """
    if not due:
        return []
    profile = store.profile()
    nudged = _nudged_today(store, profile, now)
    if open_reminders is None:
        open_reminders = store.reminders(OPEN)
    if contacts is None:
        contacts = store.contacts()
    fresh = freshen(due, open_reminders, contacts, profile, now, nudged_today=nudged)
    if fresh.changed:
        store.save_reminders(fresh.changed)
    if fresh.nudges:
        today = now.astimezone(_zone(profile)).date()
        store.set_state(NUDGED_STATE, {"day": today.isoformat(), "count": nudged + fresh.nudges})
    return fresh.send


def _nudged_today(store: UserStore, profile: UserProfile, now: datetime) -> int:
    state = store.state(NUDGED_STATE) or {}
    today = now.astimezone(_zone(profile)).date().isoformat()
    return int(state.get("count", 0)) if state.get("day") == today else 0


def _zone(profile: UserProfile) -> ZoneInfo:
    return ZoneInfo(profile.timezone)


def next_keep_in_touch(turn: Turn, contact_id: str) -> datetime | None:
    """When the contact's next keep-in-touch nudge comes (local time), if one is planned."""
    planned = [
        r.due_at
        for r in turn.store.reminders([ReminderStatus.PENDING], contact_id=contact_id)
        if r.kind is ReminderKind.KEEP_IN_TOUCH
    ]
    return turn.local(deliverable_at(min(planned), turn.profile)) if planned else None
