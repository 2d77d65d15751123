"""The digests' planning, asked every turn, is skipped only while its answer holds: a record
changed by anyone, a setting, or a new day makes the next turn look again."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.clock import ManualClock
from bot.domain.insight.digests import USER_LEVEL
from bot.domain.model import ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.storage.repository import Repository

USER = "u1"


def pending(repo: Repository, kind: ReminderKind) -> list:
    with repo.session(USER) as store:
        return [
            r
            for r in store.reminders([ReminderStatus.PENDING], contact_id=USER_LEVEL)
            if r.kind is kind
        ]


def test_a_digest_taken_away_between_turns_is_planned_again(coach: Coach, repo: Repository) -> None:
    coach.handle_text(USER, "/settings timezone Berlin")
    coach.handle_text(USER, "/help")
    (morning,) = pending(repo, ReminderKind.MORNING_DIGEST)
    coach.handle_text(USER, "/help")  # nothing changed: nothing to plan
    assert pending(repo, ReminderKind.MORNING_DIGEST) == [morning]
    with repo.session(USER) as store:  # as another process would (a delivery, say)
        store.delete_reminders([morning.id])
    coach.handle_text(USER, "/help")
    (again,) = pending(repo, ReminderKind.MORNING_DIGEST)
    assert again.due_at == morning.due_at


def test_a_day_later_the_morning_taken_away_is_planned_for_the_next_morning(
    coach: Coach, repo: Repository, clock: ManualClock
) -> None:
    coach.handle_text(USER, "/settings timezone Berlin")
    coach.handle_text(USER, "/help")
    (morning,) = pending(repo, ReminderKind.MORNING_DIGEST)
    (review,) = pending(repo, ReminderKind.WEEKLY_REVIEW)
    clock.advance(timedelta(days=1))  # past the morning planned
    with repo.session(USER) as store:
        store.delete_reminders([morning.id])
    coach.handle_text(USER, "/help")
    (later,) = pending(repo, ReminderKind.MORNING_DIGEST)
    assert later.due_at == morning.due_at + timedelta(days=1)
    assert pending(repo, ReminderKind.WEEKLY_REVIEW) == [review]


def test_a_digest_turned_off_is_cancelled_on_the_turn_that_turns_it_off(
    coach: Coach, repo: Repository
) -> None:
    coach.handle_text(USER, "/settings timezone Berlin")
    coach.handle_text(USER, "/help")
    assert pending(repo, ReminderKind.WEEKLY_REVIEW)
    with repo.session(USER) as store:
        profile = store.profile()
        profile.weekly_review = False
        store.save_profile(profile)
    coach.handle_text(USER, "/help")
    assert pending(repo, ReminderKind.WEEKLY_REVIEW) == []
