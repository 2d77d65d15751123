"""/person fixes: edit or delete any detail, other names, a birthday, a custom cadence, work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import press, text_of

from bot.domain.model import Contact, ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.storage.tinydb_repository import TinyRepository

NOTE = "/log Lunch with Li Na. She loves bouldering and is training for the Berlin marathon."


@pytest.fixture
def li_na(coach: Coach) -> Reply:
    coach.handle_text("u", NOTE)
    card = coach.handle_text("u", "/person Li Na")[0]
    return press(coach, "u", card, "Edit details")[0]


def contact(repo: TinyRepository) -> Contact:
    with repo.session("u") as store:
        [li] = store.contacts()
        return li


def test_delete_a_detail(coach: Coach, repo: TinyRepository, li_na: Reply) -> None:
    details = press(coach, "u", li_na, "Details")[0]
    chosen = press(coach, "u", details, "bouldering")[0]
    deleted = text_of(press(coach, "u", chosen, "Delete it"))

    assert "Deleted" in deleted
    assert not any("bouldering" in f.text for f in contact(repo).facts)
    remembered = text_of(coach.handle_text("u", "/person Li Na")).split("Recent meetings")[0]
    assert "bouldering" not in remembered
    # The old button names a detail that is gone: it changes nothing.
    assert "changed since" in text_of(press(coach, "u", chosen, "Delete it"))


def test_change_the_words_of_a_detail(coach: Coach, repo: TinyRepository, li_na: Reply) -> None:
    details = press(coach, "u", li_na, "Details")[0]
    chosen = press(coach, "u", details, "bouldering")[0]
    ask = press(coach, "u", chosen, "Change the words")
    assert "instead of" in text_of(ask)
    changed = text_of(coach.handle_text("u", "loves bouldering at the Arch"))

    assert "loves bouldering at the Arch" in changed
    fact = next(f for f in contact(repo).facts if "bouldering" in f.text)
    assert fact.text == "loves bouldering at the Arch"
    assert fact.phrase is not None  # worded again for drafts


def test_other_names_find_the_person(coach: Coach, repo: TinyRepository, li_na: Reply) -> None:
    press(coach, "u", li_na, "Other names")
    said = text_of(coach.handle_text("u", "Li Na = 李娜, Nana"))

    assert "李娜, Nana" in said
    assert contact(repo).aliases == ["李娜", "Nana"]
    assert "<b>Li Na</b>" in text_of(coach.handle_text("u", "/person 李娜"))
    card = coach.handle_text("u", "Coffee with Nana, she got the job")[0]
    assert "<b>Li Na</b> (known)" in card.text


def test_a_birthday_is_set_changed_and_planned(
    coach: Coach, repo: TinyRepository, li_na: Reply
) -> None:
    press(coach, "u", li_na, "Birthday")
    assert "couldn't read" in text_of(coach.handle_text("u", "someday"))
    coach.handle_text("u", "3 March")
    menu = coach.handle_text("u", "/person Li Na")[0]
    press(coach, "u", press(coach, "u", menu, "Edit details")[0], "Birthday")
    said = text_of(coach.handle_text("u", "20 March"))

    assert "20 Mar" in said
    li = contact(repo)
    assert li.birthday is not None
    assert (li.birthday.month, li.birthday.day) == (3, 20)
    with repo.session("u") as store:
        yearly = [
            r
            for r in store.reminders()
            if r.kind is ReminderKind.BIRTHDAY and r.status is ReminderStatus.PENDING
        ]
    [reminder] = yearly  # the 3 March one is gone
    assert reminder.on is not None
    assert (reminder.on.month, reminder.on.day) == (3, 20)
    # The nudge comes with the profile's lead time (3 days by default).
    assert (reminder.due_at.month, reminder.due_at.day) == (3, 17)


def test_a_custom_cadence_replans_keep_in_touch(
    coach: Coach, repo: TinyRepository, li_na: Reply
) -> None:
    def keep_in_touch() -> list[object]:
        with repo.session("u") as store:
            return [
                r.due_at
                for r in store.reminders()
                if r.kind is ReminderKind.KEEP_IN_TOUCH and r.status is ReminderStatus.PENDING
            ]

    [before] = keep_in_touch()
    cadences = press(coach, "u", li_na, "Keep in touch")[0]
    said = text_of(press(coach, "u", cadences, "Every 2 weeks"))

    assert "after 14 days" in said
    assert contact(repo).cadence_days == 14
    [after] = keep_in_touch()
    assert after < before  # network tier was 90 days; now two weeks
    assert after - contact(repo).last_interaction_at <= timedelta(days=15)  # type: ignore[operator]

    again = press(coach, "u", press(coach, "u", li_na, "Keep in touch")[0], "Type a number")
    assert "how many days" in text_of(again)
    assert "isn't a number" in text_of(coach.handle_text("u", "often"))
    assert "after 45 days" in text_of(coach.handle_text("u", "45"))
    tier = press(coach, "u", press(coach, "u", li_na, "Keep in touch")[0], "By tier")
    assert "after 90 days" in text_of(tier)
    assert contact(repo).cadence_days is None


def test_company_and_role(coach: Coach, repo: TinyRepository, li_na: Reply) -> None:
    press(coach, "u", li_na, "Company / role")
    coach.handle_text("u", "Head of Design at Miro")

    li = contact(repo)
    assert (li.role, li.company) == ("Head of Design", "Miro")
    assert "Head of Design, Miro" in text_of(coach.handle_text("u", "/person Li Na"))
    # A move: the new company alone keeps the role.
    press(coach, "u", li_na, "Company / role")
    coach.handle_text("u", "Figma")
    assert (contact(repo).role, contact(repo).company) == ("Head of Design", "Figma")


def test_the_menu_puts_each_setting_on_its_own_line(li_na: Reply) -> None:
    # Without aliases or a birthday the question and the cadence once ran together.
    assert "?\nKeep in touch: every" in li_na.text
