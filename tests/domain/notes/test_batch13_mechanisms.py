"""Readings added on the thirteenth batch: names with particles, jobs said beside a name,
life news told after it happened, and who was met at all."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # Monday, 13:00 in Berlin
SUNDAY = date(2026, 12, 6)


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _people(reading: NoteReading) -> list[str]:
    return [p.name for p in reading.people]


NIAMH = Contact(id="niamh", name="Niamh Gallagher", aliases=["nee"])


def test_an_elided_particle_is_part_of_the_surname() -> None:
    irish = _read("coffee w liam o'sullivan, he's moving to cork")
    phoned = _read("phoned aoife d'arcy about the lease")

    assert _people(irish) == ["Liam O'Sullivan"]
    assert _people(phoned) == ["Aoife D'Arcy"]
    # "didn't" and "she'd" stay words.
    assert _people(_read("lunch w tom, didn't get to the deck")) == ["Tom"]


def test_a_lowercase_name_with_a_particle_inside_needs_no_cue() -> None:
    reading = _read("best demo of the night: omar bin rashid, payroll for gig workers")

    assert _people(reading) == ["Omar bin Rashid"]  # and no one called "Payroll"


def test_a_contact_who_turns_an_age_is_named_and_has_a_birthday() -> None:
    reading = _read("nee turns 40 on the 19th, sent her a card", [NIAMH])

    assert _people(reading) == ["Niamh Gallagher"]
    assert [(b.person, b.on) for b in reading.birthdays] == [
        ("Niamh Gallagher", date(2026, 12, 19))
    ]


def test_a_wish_sent_late_takes_the_day_it_names() -> None:
    reading = _read("wished nee a happy bday on signal (it was yesterday, oops)", [NIAMH])

    assert [(b.person, b.on) for b in reading.birthdays] == [("Niamh Gallagher", SUNDAY)]


def test_from_someones_team_names_no_company() -> None:
    reading = _read("ran into ruben from marta's team at the climbing gym")

    assert [(p.name, p.company) for p in [*reading.people, *reading.mentioned]][:1] == [
        ("Ruben", "")
    ]


def test_said_i_would_do_it_takes_on_what_was_asked() -> None:
    reading = _read("lunch w nadia. she asked for an intro to omar at wise, said i'd do it this wk")

    assert [(p.text, p.person, p.date_text) for p in reading.promises] == [
        ("an intro to Omar at wise", "Nadia", "this wk")
    ]


def test_a_quarter_before_and_is_a_date() -> None:
    reading = _read("call w priya. she's raising a seed in q2 and asked about our pricing")

    assert [(e.text, e.on, e.date_text) for e in reading.events] == [
        ("raising a seed", None, "in q2")
    ]


def test_a_name_they_go_by_in_brackets_is_the_same_person() -> None:
    initials = _read("call w jean-marc le roux (jm). i owe jm the pricing sheet by fri")
    told = _read("drinks w lin mei-hua (goes by lulu), pm at grab. lulu offered to send the deck")

    assert _people(initials) == ["Jean-Marc le Roux"]
    assert [(p.text, p.person) for p in initials.promises] == [
        ("the pricing sheet", "Jean-Marc le Roux")
    ]
    assert [(p.name, p.role, p.company) for p in told.people] == [("Lin Mei-Hua", "PM", "Grab")]
    assert [o.person for o in told.offers] == ["Lin Mei-Hua"]


def test_a_first_name_told_after_a_title_and_surname() -> None:
    reading = _read("mtg w mr. adeyemi-cole from the licensing team, first name tunde. nice guy")

    assert [(p.name, p.company) for p in reading.people] == [("Tunde Adeyemi-Cole", "")]


def test_a_title_before_a_full_name_still_lets_the_first_name_recur() -> None:
    reading = _read("lunch w dr. ines moreau. ines offered to review our study design")

    assert [(o.text, o.person) for o in reading.offers] == [
        ("review our study design", "Ines Moreau")
    ]


def test_a_pet_is_no_person_and_a_relation_to_be_is_no_name() -> None:
    reading = _read("call w omar + his wife-to-be leila haddad. leila's cat is called biscuit")

    assert _people(reading) == ["Omar", "Leila Haddad"]
    assert reading.mentioned == []


def _jobs(reading: NoteReading) -> list[tuple[str, str, str]]:
    return [(p.name, p.role, p.company) for p in reading.people]


def test_a_job_told_of_someone_as_news_or_as_what_they_run() -> None:
    promoted = _read("lunch w ama, she's been promoted to cfo at paystack!!")
    running = _read("call w ama. she's been running the sme lending unit at fido since march")
    own = _read("drinks w ama and her brother kojo. kojo runs a small bakery")

    assert _jobs(promoted) == [("Ama", "CFO", "Paystack")]
    assert _jobs(running) == [("Ama", "running the sme lending unit", "Fido")]
    assert ("Kojo", "runs a small bakery", "") in _jobs(own)


def test_running_a_business_for_someone_names_no_employer() -> None:
    reading = _read("dinner w kojo. kojo runs a distributor for corner shops, all cash")

    assert _jobs(reading) == [("Kojo", "runs a distributor", "")]


def test_a_workmate_from_a_firm_works_there() -> None:
    reading = _read("call w ama + her teammate from paystack, tunde bello, re the api")

    assert ("Tunde Bello", "", "Paystack") in _jobs(reading)


def test_a_job_on_someones_team_is_the_job() -> None:
    bracket = _read("zoom w kemi + yaw mensah (designer on her team) re onboarding")
    apposed = _read("coffee w yaw mensah, the new pm on our payments squad, first day")

    assert ("Yaw Mensah", "designer", "") in _jobs(bracket)
    assert _jobs(apposed) == [("Yaw Mensah", "PM", "")]


def test_whose_job_it_is_is_not_the_job() -> None:
    chief = _read("dinner w kemi + efua ansah, their cto's chief of staff. efua is great")
    teacher = _read("drinks w kemi + dr. efua ansah, her old lecturer at ucl")

    assert ("Efua Ansah", "chief of staff", "") in _jobs(chief)
    assert ("Efua Ansah", "lecturer", "UCL") in [(n, r, c.upper()) for n, r, c in _jobs(teacher)]


def test_who_joined_a_firm_from_another_works_at_the_first() -> None:
    reading = _read(
        "Lunch with Ama and her new CFO, Kofi Boateng, who joined Fido from Absa in May."
    )

    assert ("Kofi Boateng", "CFO", "Fido") in _jobs(reading)


def test_a_job_and_then_who_they_live_with() -> None:
    reading = _read("rang liam o'sullivan. he's a vet in cork now w 2 kids and a dog")

    assert _jobs(reading) == [("Liam O'Sullivan", "vet", "")]
    assert [d.text for d in reading.details] == ["w 2 kids and a dog"]


def test_a_contacts_company_typed_in_lowercase_over_two_words() -> None:
    jonas = Contact(id="jonas", name="Jonas Weber", company="Delivery Hero")
    reading = _read("call w jonas. he's leaving delivery hero in march to start a bakery", [jonas])

    assert _jobs(reading) == [("Jonas Weber", "", "Delivery Hero")]


def _mentioned(reading: NoteReading) -> list[str]:
    return [p.name for p in reading.mentioned]


def test_with_whom_someone_else_is_staying_is_not_met() -> None:
    staying = _read("text from sofia, her boiler broke. she's staying w her brother marco for now")
    moving = _read("call w piet. moving to lisbon w his wife anouk in march")

    assert (_people(staying), _mentioned(staying)) == (["Sofia"], ["Marco"])
    assert (_people(moving), _mentioned(moving)) == (["Piet"], ["Anouk"])


def test_a_plan_in_another_clause_does_not_reach_across_an_emoji() -> None:
    reading = _read(
        "notes from the fintech mixer bc i'll forget 🍸 sat between lena vogt and tobias"
    )

    assert _people(reading) == ["Lena Vogt", "Tobias"]


def test_an_aside_in_brackets_keeps_a_list_of_people_met() -> None:
    reading = _read(
        "sat between lena vogt (runs risk at wave, from accra originally, two kids who never "
        "sleep) and clara stein, a founder. clara asked about our pricing"
    )

    assert _people(reading) == ["Lena Vogt", "Clara Stein"]


def test_who_made_the_intro_was_not_there() -> None:
    apposed = _read("coffee w tobias brandt, cto at wave, lena introduced us. owe her one")
    afar = _read("at pycon all day. lena introduced me over slack to her colleague tobias brandt")

    assert (_people(apposed), _mentioned(apposed)) == (["Tobias Brandt"], ["Lena"])
    assert "Lena" in _mentioned(afar)


def test_introduced_to_someone_said_with_who_they_are_to_us() -> None:
    reading = _read("Lunch with Tobias. I promised to introduce him to our lawyer, Dr. Lena Vogt.")

    assert (_people(reading), _mentioned(reading)) == (["Tobias"], ["Lena Vogt"])


def test_a_baby_named_after_the_news_was_not_met() -> None:
    reading = _read("dinner w kwame + his partner clara. kwame's wife just had a baby boy, felix")

    assert "Felix" in _mentioned(reading)


def test_spotted_someone_is_meeting_them() -> None:
    lena = Contact(id="lena", name="Lena Vogt")
    reading = _read(
        "spotted tobias from lena's team at the gym, he's covering while lena's away", [lena]
    )

    assert (_people(reading), _mentioned(reading)) == (["Tobias"], ["Lena Vogt"])


def test_stuck_with_a_word_that_is_also_a_name() -> None:
    reading = _read("call w lena tonight re the certs, still stuck w visa")

    assert _people(reading) == ["Lena"]


def test_a_partner_programme_is_no_partner() -> None:
    reading = _read("lunch w lena. she'll share their partner onboarding guide")

    assert _mentioned(reading) == []


def test_words_for_a_meal_or_a_round_in_other_languages() -> None:
    assert _read("asado at diego's w his sister").kind.value == "dinner"
    assert _read("aperitivo w chiara after work").kind.value == "drinks"
    assert _read("watched the match at the pub w sean").kind.value == "drinks"
    # "thx'd him on slack" is a message; "we'd" still puts a kind in the future.
    assert _read("thx'd him on slack for the intro 🙏 owe tom one").kind.value == "message"


def test_a_lowercase_gathering_named_in_the_opening() -> None:
    demo = _read("founders fund demo day 🚀 best pitch: omar bin rashid, payroll for gig workers")
    party = _read("notes from the berlin climate founders party at soho house, sat w lena")
    conference = _read("at kafka summit london all day 🎤 lena introduced me over slack to jonas")

    assert (demo.occasion, demo.kind.value) == ("founders fund demo day", "event")
    assert party.occasion == "berlin climate founders party"
    assert (conference.occasion, conference.kind.value) == ("kafka summit london", "conference")


def test_a_kind_of_gathering_and_a_trip_are_no_gathering_names() -> None:
    assert _read("drinks w lena after the fintech mixer").occasion == ""
    assert _read("lisbon day 2 🇵🇹 lunch w joão at time out market").occasion == ""
    assert _read("at berlin airport all day, call w lena").occasion == ""


def test_news_of_standing_and_money_is_an_event_behind_them() -> None:
    post = _read("call w lena. she got the registrar post at the royal free!!").events
    partner = _read("drinks w tom, he made partner at his firm 🎉").events
    listed = _read("dm from lena, she made forbes 30 under 30 europe").events
    raised = _read("coffee w tom, his startup just raised 4m from point nine").events

    assert [(e.text, e.past) for e in post] == [("the registrar post at the royal free", True)]
    assert [e.past for e in [*partner, *listed, *raised]] == [True, True, True]


LENA = Contact(id="lena", name="Lena Vogt")


def test_a_thank_you_sent_after_a_deed_is_thanks_for_the_deed() -> None:
    texted = _read(
        "lena left soup on my doorstep when i was sick 🍲 texted her a big thank you", [LENA]
    )
    thanked = _read("lunch w tom. tom insisted on paying for all of us, thx'd him profusely lol")

    assert [(g.person, g.text) for g in texted.gratitude] == [
        ("Lena Vogt", "left soup on my doorstep when I was sick")
    ]
    assert [(g.person, g.text) for g in thanked.gratitude] == [
        ("Tom", "insisted on paying for all of us")
    ]


def test_a_treat_owed_for_this_is_thanks_not_a_promise() -> None:
    reading = _read(
        "coffee w jonas weber, cto at wave, lena introduced us. owe lena a beer for this", [LENA]
    )

    assert [(g.person, g.text) for g in reading.gratitude] == [("Lena Vogt", "a beer for this")]
    assert reading.promises == []


def test_the_name_typed_says_whom_she_and_he_mean() -> None:
    tina = Contact(id="tina", name="Wei-Ting Lin", aliases=["tina"])
    reading = _read(
        "brekkie w tom okafor, tina introduced us. he offered to run a workshop", [tina]
    )

    assert [o.person for o in reading.offers] == ["Tom Okafor"]


def test_what_someone_would_do_with_ours_is_no_goal_of_theirs() -> None:
    reading = _read("dinner w tom. he runs 40 shops. wants to try our card readers")

    assert [d.kind.value for d in reading.details if "readers" in d.text] == []


def test_a_keen_hobbyist_is_an_interest() -> None:
    reading = _read("lunch w tom, he's a keen trail runner")

    assert [(d.kind.value, d.text) for d in reading.details] == [
        ("interest", "a keen trail runner")
    ]


FRIDAY = date(2026, 12, 11)
THURSDAY = date(2026, 12, 10)


def test_a_promise_said_by_message_in_the_present() -> None:
    reading = _read("lunch w tom. told him on signal i'm sending the contract draft")

    assert [p.text for p in reading.promises] == ["sending the contract draft"]


def test_a_favour_asked_as_a_quoted_question_then_accepted() -> None:
    reading = _read("msg from tom: can i look over his pitch b4 thurs? said yes ofc")

    assert [(p.text, p.person, p.on) for p in reading.promises] == [
        ("look over his pitch", "Tom", THURSDAY)
    ]


def test_a_diet_said_with_a_dinner_ahead_is_no_event() -> None:
    reading = _read("call w tom. he's vegan btw, remember for the dinner in jan")

    assert reading.events == []
    assert [d.text for d in reading.details] == ["vegan btw, remember for the dinner in Jan"]


def test_a_meeting_rescheduled_is_the_next_step() -> None:
    reading = _read("text from tom, he cancelled our sync, migraine again. rescheduled for fri")

    assert [(s.text, s.on) for s in reading.next_steps] == [("our sync", FRIDAY)]
    assert [(d.kind.value, d.text) for d in reading.details] == [
        ("challenge", "cancelled our sync, migraine again")
    ]


def test_a_holiday_that_is_one_day_has_that_day() -> None:
    reading = _read("dinner w tom + his wife ana. ana turns 40 on new year's eve")

    assert [(b.person, b.on) for b in reading.birthdays] == [("Ana", date(2026, 12, 31))]


def test_a_week_of_a_month_is_said_but_not_pinned() -> None:
    reading = _read("Call with Tom. We agreed to do a planning day in the second week of March.")

    assert [(s.on, s.date_text) for s in reading.next_steps] == [
        (None, "in the second week of March")
    ]


def test_wanting_to_pilot_our_product_is_no_offer() -> None:
    reading = _read(
        "Lunch w Dr. Jonas Weber, head of oncology at the Charité. He wants to pilot our app"
    )

    assert reading.offers == []


def test_a_job_said_after_a_name_is_not_a_detail_of_the_one_before() -> None:
    reading = _read("dinner w tom + clara nowak, their cfo's chief of staff. clara is great")

    assert ("Clara Nowak", "chief of staff", "") in _jobs(reading)
    assert [d for d in reading.details if d.person == "Tom"] == []


def test_a_job_leading_a_long_aside_in_brackets() -> None:
    reading = _read(
        "sat between tom okafor (head of risk at monzo, from lagos originally, three kids "
        "who never sleep) and lena vogt. great night"
    )

    assert ("Tom Okafor", "head of risk", "Monzo") in _jobs(reading)


def test_a_meeting_ahead_said_after_an_aside_in_brackets() -> None:
    reading = _read("zoom w tom + lena vogt (pm on his team) fri 10am re the pricing")

    assert reading.planned
    assert reading.occurred_at is not None
    assert reading.occurred_at.date() == FRIDAY


def test_a_gathering_after_a_preamble_or_a_heading() -> None:
    long_one = _read(
        "ok long one. the berlin ai founders mixer last night was packed. met lena vogt"
    )
    heading = _read("lisbon: fintech founders meetup at the wave office. met lena vogt")

    assert long_one.occasion == "berlin ai founders mixer"
    assert heading.occasion == "fintech founders meetup"
