"""Which day a note is about, birthdays said around a wish, and cues for lowercase names."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.dates import find_dates
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # Thursday, 18:00 in Berlin


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _day(reading: NoteReading) -> date:
    assert reading.occurred_at is not None
    return reading.occurred_at.date()


def test_a_weekday_with_a_time_of_day_is_planned() -> None:
    finn = _read("coffee w finn mon 8:30 b4 standup ☕")
    astrid = _read("dinner sat 7pm w astrid + her wife maja at the georgian place")
    logged = _read("coffee w kojo at betahaus on tues, didnt log it")

    assert (finn.planned, _day(finn)) == (True, date(2026, 12, 7))
    assert (astrid.planned, _day(astrid)) == (True, date(2026, 12, 5))
    # Without a time a bare weekday is the last one; "didnt" is past too.
    assert (logged.planned, _day(logged)) == (False, date(2026, 12, 1))


def test_a_label_before_the_note_is_no_part_of_it() -> None:
    reading = _read("note to self: call w astrid mon 9am re q1 budget")

    assert [p.name for p in reading.people] == ["Astrid"]
    assert (reading.planned, _day(reading)) == (True, date(2026, 12, 7))


def test_the_day_of_what_they_are_thanked_for_is_not_the_meeting_day() -> None:
    yuki = _read("texted yuki thx for covering the booth yesterday 🙏 owe u one")

    assert _day(yuki) == date(2026, 12, 3)
    assert [g.text for g in yuki.gratitude] == ["covering the booth"]
    assert yuki.promises == []  # "owe u one" is thanks, not a promise


def test_an_early_wish_takes_the_day_said_next() -> None:
    ricardo = _read("texted ricardo early bday wishes, it's tmrw 🎂 turning 50")
    undated = _read("texted ana early bday wishes")
    drinks = _read("bday drinks for lea tmrw")

    assert [(b.person, b.on) for b in ricardo.birthdays] == [("Ricardo", date(2026, 12, 4))]
    assert (ricardo.planned, _day(ricardo)) == (False, date(2026, 12, 3))
    assert undated.birthdays == []
    assert drinks.planned


def test_lowercase_names_after_chat_apps_and_gave() -> None:
    pj = Contact(id="pj", name="Pieter-Jan Claes", aliases=["pj"])

    assert [p.name for p in _read("slack from pj: thanks for the review", [pj]).people] == [
        "Pieter-Jan Claes"
    ]
    # An everyday word starts no name, so the name after it is read.
    assert [p.name for p in _read("gave tom a call to check in").people] == ["Tom"]


def _steps(reading: NoteReading) -> list[tuple[str, str, date | None]]:
    return [(s.text, s.person, s.on) for s in reading.next_steps]


def test_next_meetings_said_in_passing() -> None:
    call = _read("zoom w matteo re pricing. next call tues 3pm")
    finn = [Contact(id="finn", name="Finn Schröder")]
    moved = _read("finn messaged, he's out w the flu till mon 🤒 moved our 1:1 to tues 10am", finn)
    drinks = _read("linkedin dm from cami, she's in berlin next week and wants drinks thurs")

    assert _steps(call) == [("next call at 3pm", "Matteo", date(2026, 12, 8))]
    assert _steps(moved) == [("our 1:1 at 10am", "Finn Schröder", date(2026, 12, 8))]
    assert _steps(drinks) == [("drinks", "Cami", date(2026, 12, 10))]
    assert all("drinks" not in e.text for e in drinks.events)
    # Without a day, wanting coffee is no step.
    assert _read("coffee w ana, she wants coffee sometime").next_steps == []


def test_a_step_agreed_with_several_people_goes_to_the_first_met() -> None:
    reading = _read("sync w pj & camille on the partner program. next sync mon 11am")

    assert [(s.person, s.on) for s in reading.next_steps] == [("Pj", date(2026, 12, 7))]


def test_promised_i_would_is_my_promise() -> None:
    reading = _read("lunch w tom. promised i'd bring catan next time")

    assert [(p.text, p.person) for p in reading.promises] == [("bring catan next time", "Tom")]


def test_it_points_back_at_the_thing_named_before() -> None:
    arvind = _read("dinner w arvind, he wants to see our deck, i'll send it tmrw")
    ricardo = _read("call w ricardo, needs our soc2 report asap, i'll get it to him tmrw")
    wife = _read("lunch w tom and his wife. i'll send it tmrw")

    assert [p.text for p in arvind.promises] == ["send our deck"]
    assert arvind.offers == []  # wanting to see it offers nothing
    assert [p.text for p in ricardo.promises] == ["get our soc2 report to him"]
    assert [p.text for p in wife.promises] == ["send it"]  # his wife is no thing to send


def _details(reading: NoteReading) -> list[tuple[str, str, str]]:
    return [(d.person, d.kind.value, d.text) for d in reading.details]


def test_what_to_remember_at_a_table_and_fans_said_without_a_subject() -> None:
    chiara = _read("dinner w chiara, fyi she's vegetarian")
    daphne = _read("lunch w daphne. huge ajax fan so don't bring up feyenoord lol")

    assert _details(chiara) == [("Chiara", "other", "vegetarian")]
    assert chiara.people[0].role == ""  # "vegetarian" ends like a job; it is none
    assert _details(daphne) == [("Daphne", "interest", "huge Ajax fan")]


def test_what_the_user_did_is_no_detail_of_theirs() -> None:
    noor = _read("gave noor a call, her mum's out of surgery. sent flowers to the hospital")

    assert [text for _, _, text in _details(noor)] == ["mum's out of surgery"]


def test_a_list_after_the_last_name_is_about_that_person() -> None:
    reading = _read("sat between yuki and a guy called sebastián ruiz, 3 kids and runs ultras")

    assert _details(reading) == [
        ("Sebastián Ruiz", "family", "3 kids"),
        ("Sebastián Ruiz", "interest", "runs ultras"),
    ]


def test_an_age_told_in_reported_speech_gives_the_birthday() -> None:
    known = [Contact(id="finn", name="Finn Schröder")]
    finn = _read("finn mentioned at standup he turns 30 next wed 🎉 team's doing a cake", known)

    assert [(b.person, b.on) for b in finn.birthdays] == [("Finn Schröder", date(2026, 12, 9))]
    assert finn.kind.value == "meeting"  # a standup is a meeting
    assert finn.events == []


def test_a_video_sent_to_me_is_a_message() -> None:
    assert _read("bongani sent me a thank u video for the mentoring").kind.value == "message"


def test_news_just_in_is_a_past_event() -> None:
    xiaoyu = _read("whatsapp from xiaoyu - she got the job!!! 🎉 starts in london feb 1.")
    dan = _read("lunch w dan, he's got a job interview at google")

    assert [(e.text, e.past, e.on) for e in xiaoyu.events] == [
        ("the job", True, None),
        # "london feb 1" holds no "on feb 1": the date's lead word starts a word.
        ("starts in London", False, date(2027, 2, 1)),
    ]
    assert all(not e.past for e in dan.events)  # an interview to come is no news yet


def test_who_after_a_comma_tells_of_the_one_just_named() -> None:
    reading = _read("Also bumped into Astrid, who's speaking tomorrow.")

    assert [(e.person, e.text, e.on) for e in reading.events] == [
        ("Astrid", "speaking", date(2026, 12, 4))
    ]


def test_luck_wished_for_their_day() -> None:
    reading = _read("texted marek good luck for his demo day tmrw 🍀")

    assert (reading.planned, _day(reading)) == (False, date(2026, 12, 3))
    assert [(e.text, e.on) for e in reading.events] == [("demo day", date(2026, 12, 4))]


def test_nerves_about_an_event_are_a_challenge_too() -> None:
    reading = _read("1:1 w marek. hes nervous abt his first conference talk on fri")

    assert [e.on for e in reading.events] == [date(2026, 12, 4)]
    assert [kind for _, kind, _ in _details(reading)] == ["challenge"]


def test_prep_labels_and_teams_at_a_company_office() -> None:
    prep = _read("prep: call w felix + his boss on mon at 9 re the roadmap")
    team = _read("mtg w jonas & his team (4 ppl) at the trade republic office")
    ask = _read("call w nadia, wants to see jan numbers before committing")

    assert (prep.planned, _day(prep)) == (True, date(2026, 12, 7))
    assert [(p.name, p.company) for p in team.people] == [("Jonas", "Trade Republic")]
    assert ask.details == []  # wanting to see something is no goal of theirs


def test_a_chance_encounter_is_no_meeting() -> None:
    assert _read("bumped into julien at kita pickup lol").kind.value == "other"
    assert _read("ran into tom at the station, his wife is due in april").kind.value == "other"
    assert _read("mtg w tom re the budget").kind.value == "meeting"


def test_whom_a_thing_is_passed_or_connected_to_is_only_mentioned() -> None:
    finn = [Contact(id="finn", name="Finn Schröder")]
    cv = _read("long call w oksana, she's job hunting. i'll pass her cv to finn", finn)
    becky = _read("walk w xiaoyu. said i'd connect her w becky, my friend")
    matteo = _read("caught up w yuki. told her id intro her to matteo")

    assert [p.name for p in cv.mentioned] == ["Finn Schröder"]
    assert [p.name for p in becky.mentioned] == ["Becky"]
    assert [(p.person, "Matteo" in p.text) for p in matteo.promises] == [("Yuki", True)]


def test_a_yes_with_a_weekend_takes_on_the_ask() -> None:
    reading = _read("coffee w hamza. asked me to review his pydata talk, will do over the wknd")

    assert [(p.text, p.on) for p in reading.promises] == [
        ("review his pydata talk", date(2026, 12, 5))
    ]


def test_what_i_am_sending_next_is_my_promise() -> None:
    reading = _read("Call w Rita Barros (COO). Sending her revised terms Mon.")

    assert [(p.text, p.person, p.on) for p in reading.promises] == [
        ("send her revised terms", "Rita Barros", date(2026, 12, 7))
    ]
    assert _read("lunch w tom. sending good vibes lol").promises == []
    assert [m.text for m in find_dates("she reads the Sun.", date(2026, 12, 3))] == []


def test_busy_with_a_thing_names_no_one() -> None:
    assert [p.name for p in _read("1:1 w/ finn, hes overwhelmed w oncall").people] == ["Finn"]
    assert [p.name for p in _read("lunch w matteo, hes obsessed w padel lol").people] == ["Matteo"]


def test_a_day_of_a_gathering_names_it() -> None:
    assert _read("Second day at Slush. Had lunch with Johanna").occasion == "Slush"
    assert _read("first day at Google, lunch w tom").occasion == ""  # a job's first day


def test_a_second_favour_after_a_plus_is_another_offer() -> None:
    reading = _read("lunch w daphne. she'll send their deck + put me in touch w ruben by next week")

    assert [(o.text, o.on) for o in reading.offers] == [
        ("send their deck", date(2026, 12, 10)),
        ("put me in touch w Ruben", date(2026, 12, 10)),
    ]
    # A list of names joined by "+" is still one clause.
    assert [p.name for p in _read("lunch w priya + jonas").people] == ["Priya", "Jonas"]


def test_being_in_town_or_off_sick_until_a_day_is_no_event() -> None:
    finn = [Contact(id="finn", name="Finn Schröder")]
    sick = _read("finn messaged, he's out w the flu till mon 🤒 moved our 1:1 to tues 10am", finn)
    away = _read("zoom w daniel. daniel is away until may 18")

    assert sick.events == []
    assert _read("lunch w miloš. he's in town till sat").events == []
    assert [e.on for e in away.events] == [date(2027, 5, 18)]  # away until a day: still asked
    assert [s.text for s in _read("1:1 w dilnoza. we'll do 1:1s every other fri").next_steps] == [
        "1:1s"
    ]
