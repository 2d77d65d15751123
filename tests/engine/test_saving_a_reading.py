"""What a saved note puts on contacts and interactions: occasion, birthday, role and company."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from support import press, text_of

from bot.domain.clock import ManualClock
from bot.domain.model import Contact, InteractionKind, ReminderKind
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository


def test_the_occasion_is_kept_on_the_interaction(coach: Coach, repo: TinyRepository) -> None:
    card = coach.handle_text("u", "At ProductCon London today. Met Yuki Tanaka, she runs growth.")[
        0
    ]
    assert "conference at ProductCon London" in card.text
    press(coach, "u", card, "Save")

    with repo.session("u") as store:
        [interaction] = list(store.interactions())
    assert interaction.kind is InteractionKind.CONFERENCE
    assert interaction.occasion == "ProductCon London"


def test_a_birthday_goes_on_the_contact_and_is_planned_yearly(
    coach: Coach, repo: TinyRepository
) -> None:
    coach.handle_text(
        "u", "/log Breakfast with Ngozi Eze. Her birthday is December 3, she turns 40!"
    )

    with repo.session("u") as store:
        [ngozi] = store.contacts()
        reminders = store.reminders()
    assert ngozi.birthday is not None
    assert (ngozi.birthday.month, ngozi.birthday.day) == (12, 3)
    assert not any("birthday" in f.text for f in ngozi.facts)
    assert [r.kind for r in reminders if r.kind is ReminderKind.BIRTHDAY] == [ReminderKind.BIRTHDAY]
    assert not any(r.kind is ReminderKind.EVENT_FOLLOW_UP for r in reminders)


def test_role_and_company_go_on_the_contact(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/log Coffee with Chidi Okafor. He's CFO at Flutterwave now.")
    coach.handle_text("u", "/log Call with Chidi. He's Head of Finance at Paystack.")

    with repo.session("u") as store:
        [chidi] = store.contacts()
    # The newer note wins: people change jobs.
    assert (chidi.role, chidi.company) == ("Head of Finance", "Paystack")
    assert chidi.facts == []


def test_an_unknown_year_birthday_keeps_month_and_day(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text("u", "/log Dinner with Siobhan Kelly. Her birthday is on the 12th.")

    with repo.session("u") as store:
        [siobhan] = store.contacts()
    assert siobhan.birthday == date(2026, 12, 12)


def _met_once(
    coach: Coach, repo: TinyRepository, clock: ManualClock, note: str, days: int
) -> tuple[Contact, datetime | None, dict[str, datetime]]:
    """Log `note` with one new person, then let `days` pass: them, when met, their reminders."""
    coach.handle_text("u", note)
    with repo.session("u") as store:
        [person] = store.contacts()
        planned = {r.id: r.due_at for r in store.reminders() if r.contact_id == person.id}
    clock.advance(timedelta(days=days))
    return person, person.last_interaction_at, planned


def test_a_mentioned_person_gets_no_interaction_follow_up_or_cadence_reset(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    jose, talked, planned = _met_once(
        coach, repo, clock, "/log Coffee with José Ramírez. He is moving to Lisbon.", 10
    )

    coach.handle_text("u", "/log Coffee with Anna Schmidt. I offered to introduce her to José.")

    with repo.session("u") as store:
        jose = next(c for c in store.contacts() if c.name == "José Ramírez")
        anna = next(c for c in store.contacts() if c.name == "Anna Schmidt")
        latest = next(store.interactions())
        mine = {r.id: r.due_at for r in store.reminders() if r.contact_id == jose.id}
        hers = [r.kind for r in store.reminders() if r.contact_id == anna.id]
    assert latest.contact_ids == [anna.id]
    assert jose.last_interaction_at == talked  # no cadence reset
    assert mine == planned  # no follow-up, and keep-in-touch not moved
    assert ReminderKind.FOLLOW_UP in hers
    assert ReminderKind.PROMISE in hers  # the intro is promised to Anna


def test_an_agreed_next_step_is_planned(coach: Coach, repo: TinyRepository) -> None:
    coach.handle_text(
        "u", "/log Teams call with Ms. Müller. We agreed to have a follow-up call next Tuesday."
    )

    with repo.session("u") as store:
        [muller] = store.contacts()
        custom = [r for r in store.reminders() if r.kind is ReminderKind.CUSTOM]
    assert muller.name == "Ms. Müller"
    [step] = custom
    assert "agreed" in step.text
    assert "call" in step.text
    assert step.due_at.date() == date(2026, 12, 1)


def test_someone_known_by_title_and_surname_is_greeted_by_both(
    coach: Coach, repo: TinyRepository
) -> None:
    replies = coach.handle_text("u", "/log Lunch with Mr. Nowak. He is expecting twins in May.")

    with repo.session("u") as store:
        [nowak] = store.contacts()
    assert nowak.first_name == "Mr. Nowak"
    assert "Mr. anything" not in "\n".join(r.text for r in replies)


def test_a_known_contact_told_of_keeps_the_birthday_and_nothing_else(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    pieter, talked, planned = _met_once(
        coach, repo, clock, "/log Coffee with Pieter van der Linden, he runs UK expansion", 3
    )

    logged = coach.handle_text(
        "u", "/log whatsapp w pieter's partner joost - pieter turns 35 on the 19th, surprise party"
    )

    with repo.session("u") as store:
        pieter = next(c for c in store.contacts() if c.id == pieter.id)
        latest = next(store.interactions())
        birthdays = [r for r in store.reminders() if r.kind is ReminderKind.BIRTHDAY]
        others = {
            r.id: r.due_at
            for r in store.reminders()
            if r.contact_id == pieter.id and r.kind is not ReminderKind.BIRTHDAY
        }
    assert pieter.birthday is not None
    assert (pieter.birthday.month, pieter.birthday.day) == (12, 19)
    assert [r.contact_id for r in birthdays] == [pieter.id]
    assert pieter.id not in latest.contact_ids
    assert pieter.last_interaction_at == talked
    assert others == planned  # no follow-up, no keep-in-touch reset

    press(coach, "u", logged[0], "Undo")
    with repo.session("u") as store:
        pieter = next(c for c in store.contacts() if c.id == pieter.id)
        assert pieter.birthday is None
        assert not any(r.kind is ReminderKind.BIRTHDAY for r in store.reminders())


def test_thanks_owed_to_a_known_contact_told_of_is_planned_for_them_alone(
    coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    emeka, talked, planned = _met_once(
        coach, repo, clock, "/log Coffee with Emeka Okafor, he runs lending at Paystack", 3
    )
    before = set(planned)

    card = coach.handle_text(
        "u", "lunch w emeka's cousin ngozi balogun. owe emeka big for connecting us"
    )[0]
    assert "Mentioned, not met: Emeka Okafor" in card.text
    saved = press(coach, "u", card, "Save")

    with repo.session("u") as store:
        emeka = next(c for c in store.contacts() if c.id == emeka.id)
        ngozi = next(c for c in store.contacts() if c.name == "Ngozi Balogun")
        new = [r for r in store.reminders() if r.contact_id == emeka.id and r.id not in before]
    assert "Emeka Okafor: connecting us" in text_of(saved)
    assert {r.kind for r in new} == {ReminderKind.GRATITUDE, ReminderKind.IMPACT_UPDATE}
    assert emeka.last_interaction_at == talked
    assert [f.text for f in emeka.facts] == ["connecting us"]
    assert ngozi.facts == []

    press(coach, "u", saved[0], "Undo")
    with repo.session("u") as store:
        emeka = next(c for c in store.contacts() if c.id == emeka.id)
        assert emeka.facts == []
        assert {r.id for r in store.reminders() if r.contact_id == emeka.id} == before


def test_one_thing_said_with_two_ways_of_dating_it_is_remembered_once(
    coach: Coach, repo: TinyRepository
) -> None:
    """Found as a user: "I'll remember: on parental leave in January / on parental leave
    from Jan", an event and a detail of one sentence."""
    saved = text_of(coach.handle_text("u", "/log zoom w ingrid, she's on parental leave from jan"))
    assert saved.count("parental leave") == 2  # remembered once, and asked about once
    with repo.session("u") as store:
        [ingrid] = store.contacts()
    assert [f.text for f in ingrid.facts] == ["on parental leave in January"]
