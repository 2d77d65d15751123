"""Time travel: nine people met over a conference evening, then the clock jumps.

The bot is down between the jumps (1 day, 1 week and 3 months after the
evening); at each one, delivery runs. Nothing stale or contradictory may go
out, no day gets more keep-in-touch nudges than the cap, and every promise
and birthday gets its nudge ahead of its day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from scheduling.reminder_harness import Recorder, service

from bot.domain.clock import ManualClock
from bot.domain.model import Reminder, ReminderKind
from bot.domain.reminders.freshness import FRESH_FOR
from bot.engine.coach import Coach
from bot.storage.repository import Repository
from bot.templates import TemplateLibrary

USER = "4242"
BERLIN = ZoneInfo("Europe/Berlin")
EVENING = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # Friday, 18:00 in Berlin
NOTES = (
    "Met Ana Silva at the conference. I promised to send her the slides by Sunday.",
    "Met Ben Okafor at the conference. He gives a talk at the summit next Thursday.",
    "Met Carla Diaz at the conference. Her birthday is 7 December.",
    "Met Dan Weber at the conference. His birthday is 2 March.",
    "Met Hana Kim at the conference, she introduced me to her CTO.",
    "Met Ivan Petrov at the conference. I promised to send him the paper by 5 December.",
    "Met Julia Braun at the conference. She has a product launch on Tuesday.",
    "Met Kofi Mensah at the conference.",
    "Met Lena Vogel at the conference.",
)
JUMPS = (timedelta(days=1), timedelta(weeks=1), timedelta(days=92))  # to 10:00 in Berlin
CAP = 3


def every_reminder(coach: Coach) -> list[Reminder]:
    with coach.repository.session(USER) as store:
        return [*store.reminders(), *store.finished_reminders()]


def names(coach: Coach) -> dict[str, str]:
    with coach.repository.session(USER) as store:
        return {c.id: c.name for c in store.contacts()}


@pytest.mark.parametrize("digest", ["off", "on"])
async def test_jumps_after_a_conference_evening_send_nothing_stale(
    repo: Repository, clock: ManualClock, templates: TemplateLibrary, digest: str
) -> None:
    coach = Coach(repository=repo, templates=templates, clock=clock)  # on each store
    clock.set(EVENING)
    coach.handle_text(USER, "/settings timezone Berlin")
    coach.handle_text(USER, f"/settings digest {digest}")
    coach.handle_text(USER, "/settings weekly off")
    for n, note in enumerate(NOTES):
        clock.set(EVENING + timedelta(minutes=30 * n))  # 18:00 to 22:00
        coach.handle_text(USER, f"/log {note}")
    who = names(coach)
    planned = {r.id: r for r in every_reminder(coach)}
    promises = [r for r in planned.values() if r.kind is ReminderKind.PROMISE]
    birthdays = [r for r in planned.values() if r.kind is ReminderKind.BIRTHDAY]
    assert len(promises) == 2
    assert len(birthdays) == 2
    assert len(planned) < 38  # the quoted count for nine people

    sender = Recorder()
    checkpoints = [EVENING.replace(hour=9) + jump for jump in JUMPS]
    # Back up in the night before the last jump's morning: quiet hours hold everything.
    night = checkpoints[2].replace(hour=1)
    checkpoints.insert(2, night)
    # After the last jump the bot stays up: the nudges held back go out on the next days.
    checkpoints += [checkpoints[-1] + timedelta(days=d) for d in range(1, 10)]
    sent_on: dict[date, list[Reminder]] = {}
    for moment in checkpoints:
        svc = service(coach, sender)
        await svc.start()
        try:
            clock.set(moment)
            await svc.run_due()
        finally:
            await svc.stop()
        batch = [r for r in every_reminder(coach) if r.delivered_at == moment]
        sent_on.setdefault(moment.astimezone(BERLIN).date(), []).extend(batch)
        if moment == night:
            assert batch == [], "sent in quiet hours"

    all_sent = [r for batch in sent_on.values() for r in batch]
    assert all_sent
    # Nothing already delivered is sent again.
    assert len({r.id for r in all_sent}) == len(all_sent)
    asked: set[tuple[str, date | None]] = set()
    for day, batch in sent_on.items():
        # No stale follow-up: "while the conversation is fresh" only while it is.
        for r in batch:
            assert r.delivered_at is not None
            if r.kind is ReminderKind.FOLLOW_UP and r.on is None:
                assert r.delivered_at - r.due_at <= FRESH_FOR, (day, who[r.contact_id])
            if r.kind is ReminderKind.FOLLOW_UP and r.on is not None:
                assert r.on >= day, f"luck wished after {who[r.contact_id]}'s event"
            if r.kind is ReminderKind.BIRTHDAY:
                assert r.on is not None
                assert r.on >= day, "a birthday announced after the day"
        # No contradiction: one person, one line of each kind, never luck beside "how did it go".
        per_person: defaultdict[str, list[ReminderKind]] = defaultdict(list)
        for r in batch:
            per_person[r.contact_id].append(r.kind)
        # Luck for an event is never wished beside, or after, asking how it went.
        luck = {(r.contact_id, r.on) for r in batch if r.kind is ReminderKind.FOLLOW_UP and r.on}
        asked |= {(r.contact_id, r.on) for r in batch if r.kind is ReminderKind.EVENT_FOLLOW_UP}
        assert not luck & asked, (day, [who[c] for c, _ in luck & asked])
        for contact_id, kinds in per_person.items():
            assert len(kinds) == len(set(kinds)), (day, who[contact_id], kinds)
            if ReminderKind.KEEP_IN_TOUCH in kinds:
                assert kinds == [ReminderKind.KEEP_IN_TOUCH], (day, who[contact_id], kinds)
        # The cap.
        nudges = [r for r in batch if r.kind is ReminderKind.KEEP_IN_TOUCH]
        assert len(nudges) <= CAP, (day, [who[r.contact_id] for r in nudges])
    # Every keep-in-touch nudge went out in the end, spread over the days.
    keep_days = Counter(
        r.delivered_at.astimezone(BERLIN).date()
        for r in all_sent
        if r.kind is ReminderKind.KEEP_IN_TOUCH and r.delivered_at is not None
    )
    # (Hana's waits a week behind her impact update, Dan's behind his birthday.)
    assert sum(keep_days.values()) == len(NOTES)
    # Every promise and birthday got its nudge, ahead of its day.
    for r in [*promises, *birthdays]:
        (nudge,) = [s for s in all_sent if s.id == r.id]
        assert nudge.on is not None
        assert nudge.delivered_at is not None
        lead = (nudge.on - nudge.delivered_at.astimezone(BERLIN).date()).days
        assert lead == (1 if r.kind is ReminderKind.PROMISE else 3), who[r.contact_id]
    # The evening's luck for Julia's launch became "how did it go" once it was past.
    texts = "\n".join(sender.texts(USER))
    assert "Ask <b>Julia Braun</b> how their product launch went" in texts
    assert "birthday was" not in texts
