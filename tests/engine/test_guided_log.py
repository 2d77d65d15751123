"""The guided /log in the engine: the same flow every channel drives."""

from __future__ import annotations

from datetime import date

from support import press, reopened, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Interaction, InteractionKind
from bot.engine.coach import Coach
from bot.engine.guided_log import FLOW
from bot.storage.tinydb_repository import TinyRepository
from bot.templates import TemplateLibrary

USER = "u1"


def interactions(repo: TinyRepository, user: str = USER) -> list[Interaction]:
    with repo.session(user) as store:
        return list(store.interactions())


def contacts(repo: TinyRepository, user: str = USER) -> list[Contact]:
    with repo.session(user) as store:
        return store.contacts()


def flow_of(repo: TinyRepository, user: str = USER) -> dict[str, object] | None:
    with repo.session(user) as store:
        return store.state("flow")


def test_four_questions_then_one_saved_log(coach: Coach, repo: TinyRepository) -> None:
    who = coach.handle_text(USER, "/log")
    kind = coach.handle_text(USER, "Maria Lopez")
    talk = press(coach, USER, kind[-1], "Coffee")
    follow_up = coach.handle_text(USER, "Her training for the Berlin marathon on May 3.")
    saved = coach.handle_text(USER, "I promised to send her the podcast link by Friday.")

    assert "Who did you meet" in text_of(who)
    assert "new to me" in text_of(kind)
    assert "talk about" in text_of(talk)
    assert "follow up" in text_of(follow_up)
    assert "Logged coffee with <b>Maria Lopez</b>" in text_of(saved)
    (interaction,) = interactions(repo)
    assert interaction.kind is InteractionKind.COFFEE
    assert "podcast link" in interaction.note
    (maria,) = contacts(repo)
    assert maria.name == "Maria Lopez"
    assert date(2027, 5, 3) in {f.on for f in maria.facts}
    assert (flow_of(repo) or {}).get("name") != FLOW


def test_recent_contact_button_logs_against_that_contact(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log Coffee with Maria Lopez")
    (maria,) = contacts(repo)

    who = coach.handle_text(USER, "/log")
    kind = press(coach, USER, who[-1], "Maria Lopez")
    talk = press(coach, USER, kind[-1], "Call")
    follow_up = press(coach, USER, talk[-1], "Skip")
    press(coach, USER, follow_up[-1], "Nothing to follow up")

    assert [c.id for c in contacts(repo)] == [maria.id]
    assert len(interactions(repo)) == 2
    assert interactions(repo)[0].kind is InteractionKind.CALL


def test_typed_first_name_of_a_known_contact_needs_no_question(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log Coffee with Maria Lopez")
    coach.handle_text(USER, "/log")

    kind = coach.handle_text(USER, "maria")

    assert "How did you and Maria connect" in text_of(kind)
    assert "new to me" not in text_of(kind)


def test_ambiguous_name_offers_each_person_and_someone_new(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log Coffee with Sam Green")
    coach.handle_text(USER, "/log Lunch with Sam Brown")
    coach.handle_text(USER, "/log")

    which = coach.handle_text(USER, "Sam")
    labels = [b.label for row in which[-1].buttons for b in row]
    kind = press(coach, USER, which[-1], "Someone new")

    assert "Sam Green" in labels
    assert "Sam Brown" in labels
    assert "<b>Sam</b> is new to me" in text_of(kind)


def test_another_form_of_a_first_name_is_asked_not_assumed(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log Coffee with John Carter")
    coach.handle_text(USER, "/log")

    which = coach.handle_text(USER, "jon")  # maybe John, maybe someone else
    labels = [b.label for row in which[-1].buttons for b in row]

    assert "John Carter" in labels
    assert "Someone new: jon" in labels


def test_typed_place_sets_the_kind_and_is_kept_in_the_note(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log")
    coach.handle_text(USER, "Priya Natarajan")
    coach.handle_text(USER, "at the KubeCon conference")
    coach.handle_text(USER, "Platform teams")
    coach.handle_text(USER, "Nothing really")

    (interaction,) = interactions(repo)
    assert interaction.kind is InteractionKind.CONFERENCE
    assert interaction.occasion == "KubeCon conference"
    assert "KubeCon" in interaction.note


def test_cancel_button_and_command_save_nothing(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")
    kind = coach.handle_text(USER, "Maria Lopez")
    stopped = press(coach, USER, kind[-1], "Cancel")
    coach.handle_text(USER, "/log")
    coach.handle_text(USER, "Tom Baker")
    coach.handle_text(USER, "coffee")
    stopped_too = coach.handle_text(USER, "/cancel")

    assert "Nothing from this log was saved" in text_of(stopped)
    assert "Stopped" in text_of(stopped_too)
    assert contacts(repo) == []
    assert interactions(repo) == []
    assert (flow_of(repo) or {}).get("name") != FLOW


def test_buttons_of_a_finished_or_older_flow_change_nothing(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log")
    old_kind = coach.handle_text(USER, "Maria Lopez")
    coach.handle_text(USER, "/log")  # a fresh flow replaces the first
    coach.handle_text(USER, "Tom Baker")

    late = press(coach, USER, old_kind[-1], "Coffee")

    assert "closed" in text_of(late)
    assert flow_of(repo)["step"] == "kind"  # type: ignore[index]
    assert flow_of(repo)["person"]["name"] == "Tom Baker"  # type: ignore[index]


def test_another_users_flow_buttons_are_refused(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")
    kind = coach.handle_text(USER, "Maria Lopez")
    ref = kind[-1].button_refs()[0]

    answer = coach.handle_press("intruder", ref)

    assert "expired" in text_of(answer)
    assert flow_of(repo, "intruder") is None
    assert flow_of(repo)["step"] == "kind"  # type: ignore[index]


def test_a_name_that_is_really_a_note_is_refused_and_kept_asking(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(USER, "/log")

    answer = coach.handle_text(USER, "Maria " * 30)

    assert "longer than a name" in text_of(answer)
    assert flow_of(repo)["step"] == "who"  # type: ignore[index]


def test_a_whole_note_typed_as_the_name_becomes_a_card(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")

    card = coach.handle_text(USER, "coffee with Li Na from Alibaba yesterday")

    assert "whole story" in text_of(card)
    assert "<b>Li Na</b>" in text_of(card)
    assert "How did you" not in text_of(card)
    assert flow_of(repo) is None or flow_of(repo).get("name") != FLOW  # type: ignore[union-attr]
    assert interactions(repo) == []  # nothing saved until Save
    press(coach, USER, card[-1], "Save")
    (interaction,) = interactions(repo)
    assert interaction.kind is InteractionKind.COFFEE
    assert [c.name for c in contacts(repo)] == ["Li Na"]


def test_a_full_name_with_a_title_is_still_a_name(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")

    kind = coach.handle_text(USER, "Dr. Amara Okafor")

    assert "How did you and" in text_of(kind)
    assert flow_of(repo)["step"] == "kind"  # type: ignore[index]


def test_half_finished_log_survives_a_new_coach(
    repo: TinyRepository, templates: TemplateLibrary, clock: ManualClock
) -> None:
    before = Coach(repository=repo, templates=templates, clock=clock)
    before.handle_text(USER, "/log")
    kind = before.handle_text(USER, "Maria Lopez")

    after = Coach(repository=reopened(repo), templates=templates, clock=clock)
    talk = press(after, USER, kind[-1], "Meeting")
    after.handle_text(USER, "Roadmap")
    after.handle_text(USER, "-")

    assert "talk about" in text_of(talk)
    assert len(interactions(repo)) == 1
    assert (flow_of(repo) or {}).get("name") != FLOW


def test_other_commands_mid_flow_leave_it_running(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")
    coach.handle_text(USER, "Maria Lopez")

    coach.handle_text(USER, "/people")

    assert flow_of(repo)["name"] == FLOW  # type: ignore[index]
    talk = coach.handle_text(USER, "coffee")
    assert "talk about" in text_of(talk)


def test_the_answers_are_kept_as_one_paragraph(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(USER, "/log")
    kind = coach.handle_text(USER, "Maria Lopez")
    press(coach, USER, kind[-1], "Coffee")
    coach.handle_text(USER, "she is training for the berlin marathon")
    coach.handle_text(USER, "send her my training plan by friday")

    [logged] = interactions(repo)
    assert logged.note == (
        "Coffee with Maria Lopez. she is training for the berlin marathon. "
        "send her my training plan by friday."
    )
    card = text_of(coach.handle_text(USER, "/person maria"))
    assert "today, coffee: Coffee with Maria Lopez. she is training" in card
