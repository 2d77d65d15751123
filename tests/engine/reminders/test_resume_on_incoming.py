"""Any message or button press from a user who had blocked the bot resumes their reminders."""

from __future__ import annotations

from support import press

from bot.engine.coach import Coach
from bot.engine.reminders import RETRY_STATE
from bot.storage.tinydb_repository import TinyRepository


def pause(repo: TinyRepository, user: str) -> None:
    with repo.session(user) as store:
        profile = store.profile()
        profile.paused = True
        store.save_profile(profile)
        store.set_state(RETRY_STATE, {"retry_at": "2026-11-27T12:00:00+00:00"})


def paused(repo: TinyRepository, user: str) -> tuple[bool, object]:
    with repo.session(user) as store:
        return store.profile().paused, store.state(RETRY_STATE)


def test_a_message_resumes(coach: Coach, repo: TinyRepository) -> None:
    pause(repo, "u")
    coach.handle_text("u", "/help")
    assert paused(repo, "u") == (False, None)


def test_a_button_press_resumes_and_others_stay_paused(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "/start")[1]
    pause(repo, "u")
    pause(repo, "other")
    press(coach, "u", card, "Berlin")
    assert paused(repo, "u") == (False, None)
    assert paused(repo, "other")[0] is True
