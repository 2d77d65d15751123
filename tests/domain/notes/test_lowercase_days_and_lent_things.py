"""Days typed in lowercase on a phone, and other small readings of batch ten and eleven."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # Thursday, 18:00 in Berlin
MONDAY = date(2026, 12, 7)


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def test_a_lowercase_short_day_ending_the_clause_is_a_day() -> None:
    promise = _read("met jp at aws community day. follow up w him mon").promises
    evening = _read("coffee w linh. i'll do a mock interview w her mon evening").promises
    offer = _read("breakfast w tom. he will send the agreement draft mon. his kid has flu").offers

    assert [(p.text, p.on) for p in promise] == [("follow up w him", MONDAY)]
    assert [(p.text, p.on) for p in evening] == [("do a mock interview w her", MONDAY)]
    # The full stop the day took with it still ends the clause.
    assert [(o.text, o.on) for o in offer] == [("send the agreement draft", MONDAY)]


def test_short_day_forms_that_are_ordinary_words_stay_words() -> None:
    reading = _read("lunch w tom, we sat. he loves the sun. c'mon")

    assert reading.promises == reading.offers == reading.next_steps == reading.events == []
    assert reading.occurred_at is not None
    assert reading.occurred_at.date() == NOW.date()


GOSIA = Contact(id="gosia", name="Małgorzata Wójcik", aliases=["gosia"], company="Allegro")


def test_thanks_owed_for_what_they_just_did() -> None:
    referred = _read("call w zeynep. zeynep referred him, owe her one 🙏")
    set_up = _read("call w gosia. gosia set it all up from berlin, owe her a dinner 🙏", [GOSIA])

    assert [(g.text, g.person) for g in referred.gratitude] == [("referred him", "Zeynep")]
    assert [(g.text, g.person) for g in set_up.gratitude] == [
        ("set it all up from Berlin", "Małgorzata Wójcik")
    ]
    assert set_up.promises == []
    # With no deed before it, a beer owed is still a promise; a plan is no deed.
    assert [p.text for p in _read("lunch w tom. owe him a beer").promises] == ["a beer"]
    assert _read("lunch w tom. he's moving to lyon, owe him one").gratitude == []


def test_ty_and_thanks_before_a_name() -> None:
    ty = _read("slack huddle w cindy. ty cindy for jumping on it at 3am 🙏").gratitude
    thanks = _read("call w cindy. thanks cindy for the intro").gratitude

    assert [(g.text, g.person) for g in ty] == [("jumping on it at 3am", "Cindy")]
    assert [(g.text, g.person) for g in thanks] == [("the intro", "Cindy")]


def test_a_lowercase_alias_said_again_is_the_person() -> None:
    reading = _read("call w gosia. gosia set it all up from berlin", [GOSIA])

    assert [p.contact_id for p in reading.people] == ["gosia"]
    assert not reading.mentioned


def test_a_bare_weekday_told_in_the_past_is_the_last_one() -> None:
    loss = _read("call w gosia, her dad passed away on monday 💔").events
    interview = _read("lunch w dan - he's got a job interview at google on monday").events

    assert [(e.text, e.on, e.past) for e in loss] == [("dad passed away", date(2026, 11, 30), True)]
    # "'s got" is having, not a past deed: the interview is ahead.
    assert [(e.on, e.past) for e in interview] == [(MONDAY, False)]


def test_a_missed_birthday_and_an_age_wished_happy() -> None:
    missed = _read("called zeynep to say sorry for missing her bday on sun 🙈").birthdays
    seoyeon = Contact(id="seoyeon", name="Seo-yeon Choi")
    wished = _read("texted seo-yeon happy 29th 🎉🎂", [seoyeon]).birthdays

    assert [b.on for b in missed] == [date(2026, 11, 29)]
    assert [b.on for b in wished] == [NOW.date()]
    assert _read("call w tom. happy 10th anniversary to him").birthdays == []


def test_an_apposed_relation_describes_the_name_before_it() -> None:
    cindy = Contact(id="cindy", name="Xinyi Huang", aliases=["cindy"])
    reading = _read(
        "coffee w kevin huang, cindy's brother, pm at shopify. massive hockey fan", [cindy]
    )

    assert [(p.name, p.role, p.company) for p in reading.people] == [
        ("Kevin Huang", "PM", "Shopify")
    ]
    assert [p.contact_id for p in reading.mentioned] == ["cindy"]
    assert [d.person for d in reading.details] == ["Kevin Huang"]


def test_leave_to_use_what_is_theirs_is_an_offer() -> None:
    van = _read("bumped into Dimi. said i can borrow his van this wknd for my move").offers
    bike = _read("lunch w tom, said i can borrow his bike for the wknd").offers

    assert [(o.text, o.on) for o in van] == [
        ("let me borrow his van for my move", date(2026, 12, 5))
    ]
    assert [(o.text, o.on) for o in bike] == [("let me borrow his bike", date(2026, 12, 5))]
    assert _read("lunch w tom, said i should apply").offers == []


def test_whom_a_promise_adds_or_connects_stays_in_it() -> None:
    added = _read("lunch w hana. i'll add her to our board games group").promises
    intro = _read("lunch w hana. i'll intro her to tom").promises

    assert [p.text for p in added] == ["add her to our board games group"]
    assert [p.text for p in intro] == ["intro to Tom"]


def test_jobs_said_with_works_as_and_and() -> None:
    reading = _read(
        "Dinner with Aoife, her sister Niamh and Niamh's husband Olu. Niamh is a GP, and Olu "
        "works as a data engineer at Zalando. Babak is now a partner at Point Nine and "
        "focuses on B2B SaaS."
    )
    jobs = {p.name: (p.role, p.company) for p in reading.people}

    assert jobs["Niamh"] == ("GP", "")
    assert jobs["Olu"] == ("data engineer", "Zalando")


def test_a_bf_or_gf_before_a_name_says_it_is_a_person() -> None:
    reading = _read("drinks w aoife + her bf cian 🍺 cian's a nurse at vivantes")

    cian = next(p for p in reading.people if p.name == "Cian")
    assert (cian.role, cian.company) == ("nurse", "Vivantes")


def test_what_else_they_do_after_and_is_the_rest() -> None:
    from bot.domain.notes.affiliation import role_and_company

    assert role_and_company("is now a partner at Point Nine and focuses on B2B SaaS") == (
        "partner",
        "Point Nine",
        "focuses on B2B SaaS",
    )
    # "and" going on with the job stays in it.
    assert role_and_company("is head of sales and marketing at Acme") == (
        "head of sales and marketing",
        "Acme",
        "",
    )


def test_a_day_said_in_passing_and_a_place_of_two_words() -> None:
    jp = Contact(id="jp", name="João Pedro Almeida", aliases=["jp"])
    reading = _read(
        "voice note from jp, he's stuck in são paulo bc his dad had a fall 😟 flying back sun "
        "hopefully",
        [jp],
    )

    assert [(e.text, e.on, e.past) for e in reading.events] == [
        ("stuck in São Paulo bc his dad had a fall", None, True),
        ("flying back hopefully", date(2026, 12, 6), False),
    ]


def test_places_of_several_words_are_capitalised_but_not_everyday_phrases() -> None:
    from bot.domain.notes.places import capitalise_places

    assert capitalise_places("moving to new york in march") == "moving to New York in march"
    assert capitalise_places("2 wks in cape town") == "2 wks in Cape Town"
    assert capitalise_places("a long beach walk") == "a long beach walk"


def test_lowercase_letter_firms_and_a_word_that_opens_a_job() -> None:
    sap = _read("coffee w tom, he's a pm at sap").people
    aws = _read("coffee w tom, solutions architect at aws").people
    kojo = _read("coffee w efua's cofounder kojo at betahaus")

    assert [(p.name, p.role, p.company) for p in sap] == [("Tom", "PM", "SAP")]
    assert [(p.name, p.role, p.company) for p in aws] == [("Tom", "solutions architect", "AWS")]
    assert [p.name for p in kojo.mentioned] == ["Efua"]


def test_details_from_batch_eleven() -> None:
    cert = _read("1:1 w seo-yeon, she wants to get the aws solutions architect cert by march")
    phd = _read("beers w dimi after work. he's thinking abt quitting to do a phd in athens")
    aoife = _read("lunch w aoife. her mam's not well. she's gone veggie btw")
    dinner = _read("dinner at trish's w her husband jun + their 3 kids, total chaos but so fun")

    assert not cert.mentioned  # a cert is no one
    assert [(d.kind.value, d.text) for d in cert.details] == [
        ("goal", "wants to get the aws solutions architect cert by March")
    ]
    assert [d.kind.value for d in phd.details] == ["goal"]
    assert (aoife.details[0].kind.value, aoife.details[0].text) == ("family", "mam's not well")
    assert "gone veggie" in aoife.details[1].text
    # The evening itself is no challenge of Trish's.
    assert dinner.details == []


def test_the_cue_for_a_relative_does_not_reach_the_owners_next_mention() -> None:
    reading = _read(
        "whatsapp w piet's partner joost - piet turns 35 on the 19th and joost's planning a party",
        contacts=[
            Contact(id="pieter", name="Pieter van der Linden", aliases=["piet"], created_at=NOW)
        ],
    )

    assert [p.name for p in reading.people] == ["Joost"]
    assert [p.name for p in reading.mentioned] == ["Pieter van der Linden"]
    assert [(b.person, b.on) for b in reading.birthdays] == [
        ("Pieter van der Linden", date(2026, 12, 19))
    ]


def test_a_message_on_signal_from_a_relative_is_with_the_relative() -> None:
    reading = _read(
        "signal from kofi's brother yaw, his startup just closed their seed",
        contacts=[Contact(id="kofi", name="Kofi Boateng", created_at=NOW)],
    )

    assert [p.name for p in reading.people] == ["Yaw"]
    assert [p.name for p in reading.mentioned] == ["Kofi Boateng"]


def test_before_christmas_and_a_quarter_are_real_but_vague_times() -> None:
    zeynep = Contact(id="zeynep", name="Zeynep Yıldız", created_at=NOW)
    piet = Contact(id="piet", name="Pieter van der Linden", aliases=["piet"], created_at=NOW)

    promise = _read("coffee w zeynep, i'll set up a chat w trish b4 xmas", [zeynep]).promises[0]
    event = _read("call w piet, he's leaving mollie end of q1", [piet]).events[0]

    assert (promise.on, promise.date_text) == (None, "b4 xmas")
    assert (event.text, event.on, event.date_text) == ("leaving Mollie", None, "end of q1")


def test_a_quarter_naming_a_thing_is_no_time() -> None:
    reading = _read("call w mia - she promised to send me the q1 roadmap tmrw")

    assert [(o.text, o.date_text) for o in reading.offers] == [("send me the q1 roadmap", "tmrw")]


def test_news_of_others_told_by_someone_is_not_their_event() -> None:
    reading = _read("lunch w carmen. carmen says BBVA is freezing hiring till Q2")

    assert reading.events == []


def test_a_day_at_a_lowercase_gathering_names_the_occasion() -> None:
    reading = _read("day 2 at the ai engineer summit 🤖 best convo was w henrik lund, cpo at wolt")

    assert reading.occasion == "ai engineer summit"
    assert reading.kind.value == "conference"


def test_a_lowercase_firm_after_a_job_runs_to_the_clause_end() -> None:
    lena = _read("drinks w lena vogt, head of risk at trade republic, and tariq").people[0]
    yusuf = _read("lunch w yusuf (pm at trade republic)").people[0]
    ngozi = _read(
        "lunch w ngozi balogun, she's a partner at aluko & oyebode. super helpful"
    ).people[0]

    assert (lena.company, lena.role) == ("Trade Republic", "head of risk")
    assert (yusuf.company, yusuf.role) == ("Trade Republic", "PM")
    assert (ngozi.company, ngozi.role) == ("Aluko & Oyebode", "partner")


def test_a_hyphenated_first_name_typed_with_a_space_is_the_contact() -> None:
    anne = Contact(id="as", name="Anne-Sophie Lefèvre", created_at=NOW)

    reading = _read("thx note to anne sophie for covering my panel slot", [anne])

    assert [(p.name, p.contact_id) for p in reading.people] == [("Anne-Sophie Lefèvre", "as")]


def test_met_in_the_opening_then_sent_something_is_still_met() -> None:
    haruka = Contact(id="haruka", name="Haruka Takahashi", created_at=NOW)

    reading = _read(
        "dinner w haruka + her manager yusuke mori. he wants our deck, i'll send it to haruka "
        "by wed",
        [haruka],
    )

    assert [p.name for p in reading.people] == ["Haruka Takahashi", "Yusuke Mori"]
    assert reading.mentioned == []
    assert [p.person for p in reading.promises] == ["Haruka Takahashi"]


def test_a_call_still_ahead_is_no_meeting_now() -> None:
    sasha = Contact(id="sasha", name="Aleksandr Sokolov", aliases=["sasha"], created_at=NOW)

    reading = _read(
        "emailed sasha a big thank you for the intro to dmitri 🙌 call w dmitri is mon 11am",
        [sasha],
    )

    assert [p.name for p in reading.people] == ["Aleksandr Sokolov"]
    assert [p.name for p in reading.mentioned] == ["Dmitri"]


def test_a_firm_typed_in_lowercase_ends_at_and() -> None:
    joana = _read("coffe w joana ferreira, vp eng at feedzai and inês's old boss").people[0]

    assert (joana.company, joana.role) == ("Feedzai", "VP eng")


def test_lowercase_names_said_the_ways_people_are_introduced() -> None:
    haruka = Contact(id="haruka", name="Haruka Takahashi", created_at=NOW)
    founder = _read(
        "coffee w a founder from the ef cohort, oluwaseun (seun) adeleke, building payroll"
    )
    fellowship = _read(
        "coffee w aoife, she's applying for a fellowship at stanford, deadline is jan 15"
    )
    team = _read(
        "drinks w takahashi-san + her team. shota from their ml team is a huge f1 fan. he'll "
        "send me the paper",
        [haruka],
    )

    assert [(p.name, p.role) for p in founder.people] == [("Oluwaseun Adeleke", "founder")]
    assert [p.name for p in fellowship.people] == ["Aoife"]
    assert [p.name for p in team.people] == ["Haruka Takahashi", "Shota"]
    assert [o.person for o in team.offers] == ["Shota"]


def test_an_illness_is_no_one() -> None:
    ines = Contact(id="ines", name="Inês da Costa", created_at=NOW)

    reading = _read("slack from ines: she's out sick w covid 🤒", [ines])

    assert [p.name for p in reading.people] == ["Inês da Costa"]
    assert reading.mentioned == []


def _steps(reading: NoteReading) -> list[tuple[str, date | None]]:
    return [(s.text, s.on) for s in reading.next_steps]


def test_next_steps_as_typed_after_a_meeting() -> None:
    moved = _read("slack from anastasia, moved our 1:1 to nxt wed 10am bc of her trip")
    demo = _read("sync w nastya. we'll demo it to jürgen's team on the 16th")
    gym = _read("drinks w max. we're hitting the boulder gym sun")
    syncs = _read("video call w faisal. he wants weekly syncs from jan 11")
    loop = _read("breakfast w jana. she'll loop in her partner angela, next call in 2 wks")

    assert _steps(moved) == [("our 1:1 at 10am", date(2026, 12, 9))]
    assert _steps(demo) == [("demo it to jürgen's team", date(2026, 12, 16))]
    assert [on for _, on in _steps(gym)] == [date(2026, 12, 6)]
    assert _steps(syncs) == [("weekly syncs", date(2027, 1, 11))]
    assert _steps(loop) == [("next call", date(2026, 12, 17))]
    assert [(o.text, o.on) for o in loop.offers] == [("loop in her partner Angela", None)]
    assert _steps(_read("lunch w max. we'll go from there")) == []


def test_thanks_sent_to_someone_and_a_meeting_arranged_with_thanks() -> None:
    anne = Contact(id="as", name="Anne-Sophie Lefèvre", created_at=NOW)
    emeka = Contact(id="emeka", name="Chukwuemeka Okafor", aliases=["emeka"], created_at=NOW)
    ines = Contact(id="ines", name="Inês da Costa", aliases=["ines"], created_at=NOW)

    note = _read("thx note to anne sophie for covering my panel slot at slush 🙏", [anne])
    ty = _read("ty ty ty to emeka for jumping on a call at 11pm last night", [emeka])
    set_up = _read("walk w inês's brother duarte. inês set it up 🙏 he's getting married", [ines])
    said = _read("breakfast w inês's friend sofie, she's a designer. inês set it up.", [ines])

    assert [(g.person, g.text) for g in note.gratitude] == [
        ("Anne-Sophie Lefèvre", "covering my panel slot at slush")
    ]
    assert [p.name for p in ty.people] == ["Chukwuemeka Okafor"]
    assert [g.text for g in ty.gratitude] == ["jumping on a call at 11pm last night"]
    assert [(g.person, g.text) for g in set_up.gratitude] == [("Inês da Costa", "set it up")]
    assert said.gratitude == []


def test_a_walk_is_time_together_and_meals_have_their_local_words() -> None:
    assert _read("walk in the tiergarten w rohan after lunch").kind.value == "other"
    assert _read("comida w santiago at contramar").kind.value == "lunch"
    assert _read("interviewed léa moreau for the staff designer role").kind.value == "meeting"


def test_a_meeting_ahead_with_their_news_and_a_round_birthday() -> None:
    drinks = _read("drinks w lachie's sister imogen tmrw 6pm, she just moved to berlin for a job")
    dm = _read("dm'd haruka abt her 40th on the 28th 🎂 cant make it so i'll send a gift")
    told = _read("coffee w ana, her 40th is on the 28th")

    assert drinks.planned
    assert not dm.planned
    assert [(b.person, b.on) for b in dm.birthdays] == [("Haruka", date(2026, 12, 28))]
    assert [(b.person, b.on) for b in told.birthdays] == [("Ana", date(2026, 12, 28))]
    assert told.events == []


def test_an_interview_a_referrer_and_a_contact_known_by_surname() -> None:
    anne = Contact(id="as", name="Anne-Sophie Lefèvre", created_at=NOW)
    anand = Contact(id="anand", name="K. S. Anand", created_at=NOW)

    interview = _read(
        "interviewed léa moreau for the staff designer role, anne-sophie referred her", [anne]
    )
    drinks = _read("drinks w the freshworks crew, anand was there ofc", [anand])

    assert [p.name for p in interview.people] == ["Léa Moreau"]
    assert [p.name for p in interview.mentioned] == ["Anne-Sophie Lefèvre"]
    assert [(p.name, p.contact_id) for p in drinks.people] == [("K. S. Anand", "anand")]


def test_a_firm_from_colleagues_or_an_office_where_they_met() -> None:
    crew = _read("sydney 🇦🇺 drinks w lachie + a few of his atlassian colleagues").people[0]
    office = _read("coffee w emeka at the paystack office in yaba ☕").people[0]
    place = _read("lunch w tom at the berlin office").people[0]

    assert (crew.name, crew.company) == ("Lachie", "Atlassian")
    assert (office.name, office.company) == ("Emeka", "Paystack")
    assert place.company == ""


def test_what_did_not_happen_and_a_pint_we_said_we_would_grab() -> None:
    kofi = _read("email from kofi. thx'd him, he really didnt have to do that on a sunday")
    station = _read("bumped into callum at waverley station. we said we'd grab a pint nxt month")

    assert kofi.events == []
    assert station.kind.value == "other"


def test_a_gathering_named_days_heads_the_note() -> None:
    reading = _read(
        "DevOpsDays Amsterdam, day 1. Met Ms. van Dijk (SRE lead at Adyen) and caught up with "
        "Kenji. Kenji helped me debug our Kubernetes setup over lunch."
    )

    assert (reading.kind.value, reading.occasion) == ("conference", "DevOpsDays Amsterdam")


def test_a_time_said_with_another_day_is_that_days() -> None:
    moved = _read("slack from pieter, moved our 1:1 to nxt wed 10am bc of his trip")
    call = _read("call w tom 9am, next sync fri 3pm")

    assert not moved.time_said
    assert moved.occurred_at == NOW
    assert not call.planned
    assert call.occurred_at.date() == NOW.date()
    assert _steps(call) == [("next sync at 3pm", date(2026, 12, 4))]


def test_a_bare_owe_him_after_a_deed_is_thanks_and_never_a_promise() -> None:
    anand = Contact(id="anand", name="K. S. Anand", created_at=NOW)

    set_up = _read("mtg w sri, cto at zerodha. anand set it up, owe him 🙏", [anand])
    bare = _read("coffee w tom. ana referred him, owe her")

    assert [(g.person, g.text) for g in set_up.gratitude] == [("K. S. Anand", "set it up")]
    assert set_up.promises == []
    assert bare.promises == []


def test_initials_before_a_name_lead_on_to_it() -> None:
    anand = _read("coffee w K. S. Anand at the freshworks office").people
    sridhar = _read("mtg w R. Sridhar, cto at zerodha").people

    assert [(p.name, p.company) for p in anand] == [("K. S. Anand", "Freshworks")]
    assert [(p.name, p.role) for p in sridhar] == [("R. Sridhar", "CTO")]
    assert _read("met J. today").people == []
    assert [p.name for p in _read("coffee w Lena M. today").people] == ["Lena M"]


def test_running_their_something_is_the_job_there() -> None:
    emeka = _read(
        "coffee w emeka at the paystack office ☕ he's running their new lending product now"
    )

    assert [(p.company, p.role) for p in emeka.people] == [
        ("Paystack", "running their new lending product")
    ]
    assert emeka.details == []


def test_shared_work_someone_takes_on_is_their_offer() -> None:
    sync = _read(
        "quick sync w nastya + oleg. oleg will fix the flaky build by mon, nastya's writing "
        "the release notes"
    )
    phd = _read("lunch w tom. he'll finish his phd in may")

    assert [(o.person, o.text) for o in sync.offers] == [
        ("Oleg", "fix the flaky build"),
        ("Nastya", "write the release notes"),
    ]
    assert sync.events == []
    assert phd.offers == []
    assert [e.text for e in phd.events] == ["finish his phd"]


def test_a_promise_to_someone_does_not_name_them_again() -> None:
    haruka = Contact(id="haruka", name="Haruka Takahashi", created_at=NOW)

    sent = _read("coffee w haruka + yusuke. i'll send our deck to haruka by wed", [haruka])
    intro = _read("coffee w tom. i'll introduce him to haruka", [haruka])

    assert [(p.person, p.text) for p in sent.promises] == [("Haruka Takahashi", "send our deck")]
    assert [p.text for p in intro.promises] == ["introduce him to Haruka"]
