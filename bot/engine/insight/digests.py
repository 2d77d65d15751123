"""The morning digest and the weekly review, delivered by the reminder service.

Both are user-level reminders (bot/domain/insight/digests.py). Every message
and button press makes sure the ones the user's settings want are planned;
the reminder feature calls the renderers below when one falls due:

- the morning digest takes the pings due with it, when there are several,
  and sends them as one short list with a row of buttons each; with fewer it
  sends nothing and they go out as ordinary pings;
- the weekly review is the same reply as /week; one more than two days late
  (the bot was down) is dropped rather than sent as old news.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from bot.domain.insight.digests import DIGEST_KINDS, USER_LEVEL, digest_at, plan_digests
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus
from bot.engine.insight.week import week_reply
from bot.engine.reminders import describe
from bot.engine.replies import Button, Reply
from bot.engine.router import OwnDelivery, Router
from bot.engine.turn import Turn

# "Several items": with fewer, ordinary pings are better than a digest.
DIGEST_MIN = 2
# A digest stays short; more pings due at once go out as ordinary pings after it.
DIGEST_MAX = 8
STALE_REVIEW = timedelta(days=2)
OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED)


def register(router: Router) -> None:
    """Plan the digests on every message; render them when they fall due."""
    router.on_incoming.append(keep_digests_planned)
    router.deliveries[ReminderKind.MORNING_DIGEST.value] = OwnDelivery(digest_takes, morning_digest)
    router.deliveries[ReminderKind.WEEKLY_REVIEW.value] = OwnDelivery(review_takes, weekly_review)


class _InOrder:
    """When the digests were last found planned as the settings want (see keep_digests_planned)."""

    def __init__(self) -> None:
        self.mark: object = None  # the store's records_mark then (None: not known)
        self.settings: tuple[Any, ...] = ()
        self.day: date | None = None  # the local day then
        self.until: datetime | None = None  # the first digest moment after then


def keep_digests_planned(turn: Turn) -> None:
    """Create, move or cancel the digest reminders to match the settings (writes only on change).

    Every turn asks. Found in order, the answer holds until a record changes (the
    store's mark moves), the settings change, or the first digest moment then
    wanted comes (what is wanted is the first moment after now): until then the
    same day's turns skip the look, which every turn paid.
    """
    profile, now = turn.profile, turn.now
    ask: Callable[[], object] | None = getattr(turn.store, "records_mark", None)
    mark = ask() if ask is not None else None
    settings = (
        profile.timezone,
        profile.morning_digest,
        profile.weekly_review,
        profile.weekly_review_day,
        profile.weekly_review_time,
    )
    kept = turn.router.kept(_InOrder).of(turn.store.user_id) if ask is not None else None
    if (
        kept is not None
        and mark is not None
        and kept.mark == mark
        and kept.settings == settings
        and kept.until is not None
        and now < kept.until
        and kept.day == turn.local(now).date()
    ):
        return
    mine = turn.store.reminders(OPEN, contact_id=USER_LEVEL)  # not everyone's: every turn pays
    changes = plan_digests(profile, mine, now)
    if changes:
        turn.store.save_reminders(changes)
    if kept is None:
        return
    if changes or mark is None:
        kept.mark = None
        return
    wanted = [at for kind in DIGEST_KINDS if (at := digest_at(profile, kind, now)) is not None]
    kept.mark, kept.settings, kept.day = mark, settings, turn.local(now).date()
    kept.until = min(wanted) if wanted else now + timedelta(days=1)


def digest_takes(
    turn: Turn, reminder: Reminder, others: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> list[Reminder]:
    """The pings a morning digest carries: several due with it, or none (they stay pings)."""
    pings = [r for r in others if r.contact_id in contacts and r.kind not in DIGEST_KINDS]
    if not turn.profile.morning_digest or len(pings) < DIGEST_MIN:
        return []
    return pings[:DIGEST_MAX]


def morning_digest(
    turn: Turn, reminder: Reminder, taken: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> Reply | None:
    """One short list for the pings the digest took, or nothing when it took none."""
    if not taken:
        return None
    items = [describe(turn, r, contacts[r.contact_id]) for r in taken]
    ids = {r.id for r in taken}
    waiting = sum(
        1
        for r in turn.store.reminders([ReminderStatus.DELIVERED])
        if r.id not in ids and r.contact_id != USER_LEVEL
    )
    rows: list[tuple[Button, ...]] = []
    for n, item_reminder in enumerate(taken, start=1):
        ref = {"id": item_reminder.id}
        rows.append(
            (
                Button(f"✅ Done #{n}", payload={"op": "rem.done", **ref}),
                Button(f"✍️ Draft #{n}", payload={"op": "rem.suggest", **ref}),
                Button(f"⏰ Tomorrow #{n}", payload={"op": "rem.snooze", "days": 1, **ref}),
            )
        )
    rows.append((Button("📋 Everything that needs you", payload={"op": "due.show"}),))
    # Late after downtime it may not be morning any more: the greeting says what time it is.
    hour = turn.local(turn.now).hour
    return turn.say(
        "insight/morning_digest", items=items, waiting=waiting, hour=hour, buttons=tuple(rows)
    )


def review_takes(
    turn: Turn, reminder: Reminder, others: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> list[Reminder]:
    """The weekly review carries no pings: they go out as usual."""
    return []


def weekly_review(
    turn: Turn, reminder: Reminder, taken: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> Reply | None:
    """The week in review, unless it is stale or turned off."""
    if not turn.profile.weekly_review or turn.now - reminder.due_at > STALE_REVIEW:
        return None
    return week_reply(turn, delivered=True)
