"""Jobs said before a name, whose relation it is, and next meetings said in passing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # a Thursday


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _jobs(reading: NoteReading) -> list[tuple[str, str, str]]:
    return [(p.name, p.role, p.company) for p in reading.people]


def test_a_job_before_the_name_may_name_the_company() -> None:
    assert _jobs(_read("coffe w a recruiter from zalando, kim something")) == [
        ("Kim", "recruiter", "Zalando")
    ]
    assert _jobs(_read("coffee w the cto of zalando, kim.")) == [("Kim", "CTO", "Zalando")]
    # An area of work is part of the job, and a cohort is no company.
    assert _jobs(_read("coffee w the head of growth, kim.")) == [("Kim", "head of growth", "")]
    founder = _read("video call w a founder from the antler cohort, mehmet yilmaz")
    assert _jobs(founder) == [("Mehmet Yilmaz", "founder", "")]


def test_whose_partner_at_a_firm_is_only_how_the_one_met_is_known() -> None:
    reading = _read("lunch tmrw w nadia petrov's partner at cherry, florian. nadia set it up")

    assert _jobs(reading) == [("Florian", "partner", "Cherry")]
    assert [p.name for p in reading.mentioned] == ["Nadia Petrov"]


def test_her_partner_without_a_firm_is_kin_not_a_job() -> None:
    reading = _read("dinner w ana and her partner, Luis")

    assert ("Luis", "", "") in _jobs(reading)


def test_an_everyday_word_after_a_job_is_the_company_but_not_after_the() -> None:
    assert _jobs(_read("coffee w ben, he's a pm at square")) == [("Ben", "PM", "Square")]
    assert _jobs(_read("coffee w ben, he's a pm at the moment")) == [("Ben", "PM", "")]


def test_a_known_lowercase_name_owning_a_verb_is_the_subject() -> None:
    hannah = Contact(id="hannah", name="Hannah Weiss", aliases=["han"])
    reading = _read("video call w hannah. han's moving to the amsterdam office in april.", [hannah])

    assert [(e.text, e.on, e.approximate) for e in reading.events] == [
        ("moving to the Amsterdam office", date(2027, 4, 1), True)
    ]


def test_a_chat_aside_is_no_part_of_the_phrase() -> None:
    kasia = Contact(id="kasia", name="Katarzyna Nowicka", aliases=["kasia"])
    text = "dinner at kasia's. kasia's running for the board of her coop in jan lol"
    reading = _read(text, [kasia])

    assert [e.text for e in reading.events] == ["running for the board of her coop"]


def test_training_for_a_race_given_a_month_is_an_event() -> None:
    dated = _read("lunch w jonas. he's training for ironman hamburg in june")
    vague = _read("lunch w jonas. he's training for a race next summer")

    assert [(e.on, e.approximate) for e in dated.events] == [(date(2027, 6, 1), True)]
    assert vague.events == []


def test_next_meetings_said_in_passing_are_next_steps() -> None:
    def steps(text: str) -> list[tuple[str, date | None, bool]]:
        return [(s.text, s.on, s.approximate) for s in _read(text).next_steps]

    assert steps("zoom w lucia re the rebrand. next sync dec 15") == [
        ("next sync", date(2026, 12, 15), False)
    ]
    assert steps("coffee w theo. next call in jan") == [("next call", date(2027, 1, 1), True)]
    assert steps("walk w omar. we should catch up before xmas") == [("catch up", None, False)]
    assert steps("call w hannah. rescheduled our planning to next thurs") == [
        ("our planning", date(2026, 12, 10), False)
    ]
    assert steps("coffee w theo. the next call is the big one") == []


def test_phone_shorthand_for_next_and_weeks() -> None:
    lunch = _read("lunch w pieter nxt tues 12:30, his treat")
    call = _read("call w theo. we'll catch up nxt wk")

    assert (lunch.planned, lunch.occurred_at and lunch.occurred_at.date()) == (
        True,
        date(2026, 12, 8),
    )
    assert [s.on for s in call.next_steps] == [date(2026, 12, 10)]


def test_need_is_no_past_tense_but_talked_is() -> None:
    assert _read("1:1 w ngozi tmrw 10am, need to prep her promo packet").planned
    assert not _read("lunch w pieter tmrw, we talked abt it").planned


def test_tonight_with_a_time_still_ahead_is_planned() -> None:
    # NOW is 18:00 in Berlin.
    assert _read("dinner tonight w fatou & her husband cheikh, in kreuzberg at 8").planned
    assert _read("drinks w fatou tonight at 7pm").planned
    assert not _read("drinks w fatou tonight at 5pm").planned


def test_a_relation_typed_in_lowercase_is_no_part_of_the_name() -> None:
    reading = _read("drinks w aoife & her flatmate becky, a nurse at vivantes.")

    assert _jobs(reading) == [("Aoife", "", ""), ("Becky", "nurse", "Vivantes")]
    # After a relation, a word English never uses is a name even if no list knows it.
    cheikh = _read("dinner w fatou & her husband cheikh")
    assert [p.name for p in cheikh.people] == ["Fatou", "Cheikh"]


def test_whose_little_brother_is_only_mentioned() -> None:
    fatou = Contact(id="fatou", name="Fatou Diallo", aliases=["fatou"])
    reading = _read("call w fatou's little brother ousmane, 22, studying econ", [fatou])

    assert ([p.name for p in reading.people], [p.name for p in reading.mentioned]) == (
        ["Ousmane"],
        ["Fatou Diallo"],
    )


def test_a_contacts_lowercase_name_owning_something_is_them() -> None:
    hamid = Contact(id="hamid", name="Hamid Rezaei")
    reading = _read("hamid's bday was sun, totally forgot, sent a belated msg", [hamid])

    assert [p.contact_id for p in reading.people] == ["hamid"]
    # The day named belongs to the birthday, not to the message sent today.
    assert [b.on for b in reading.birthdays] == [date(2026, 11, 29)]
    assert reading.occurred_at is not None
    assert reading.occurred_at.date() == date(2026, 12, 3)


def test_a_short_weekday_needs_a_cue_to_be_a_day() -> None:
    from bot.domain.notes.dates import find_dates

    today = date(2026, 12, 3)
    assert [m.on for m in find_dates("dinner w kenji sat 7pm", today)] == [date(2026, 12, 5)]
    assert [m.on for m in find_dates("his bday was sun", today)] == [date(2026, 12, 6)]
    assert find_dates("sat down with him", today) == []
    assert find_dates("the sun was out", today) == []


def test_more_ways_to_name_the_next_meeting() -> None:
    def steps(text: str) -> list[tuple[str, date | None]]:
        return [(s.text, s.on) for s in _read(text).next_steps]

    assert steps(
        "zoom w jiahui re the pilot. they'll send the sow by wed, next check-in dec 16"
    ) == [("next check-in", date(2026, 12, 16))]
    assert steps("zoom w hamid abt the workshop. next zoom on the 15th") == [
        ("next zoom", date(2026, 12, 15))
    ]
    assert steps("met chloé at the roundtable, and we said coffee in jan") == [
        ("coffee", date(2027, 1, 1))
    ]
    assert steps("call w helen marsh. we'll reconvene after xmas") == [("reconvene", None)]


def test_a_yes_to_an_ask_makes_it_my_promise() -> None:
    def promises(text: str) -> list[tuple[str, date | None]]:
        return [(p.text, p.on) for p in _read(text).promises]

    assert promises("call w hamid. asked me to water his plants til then, of course") == [
        ("water his plants til then", None)
    ]
    assert promises("lunch w bo. asked if i'd help w the website, told him sure") == [
        ("help w the website", None)
    ]
    assert promises("call w giulia. asked me to look over the contract, will do by mon") == [
        ("look over the contract", date(2026, 12, 7))
    ]
    # Asked but not taken on, and no deadline: nothing promised yet.
    assert promises("call w giulia. asked me to look over the contract") == []


def test_who_was_only_mentioned_beside_the_one_met() -> None:
    sasha = _read("whatsapp w sasha, he wants me to meet his cofounder dmitri")
    helen = _read("call w helen marsh, ngozi's old professor at tu munich, re the research")

    assert [p.name for p in sasha.mentioned] == ["Dmitri"]
    assert ([p.name for p in helen.people], [p.name for p in helen.mentioned]) == (
        ["Helen Marsh"],
        ["Ngozi"],
    )
    # Whose professor she is says nothing of her job; a landlord's lawyer is a lawyer.
    assert _jobs(helen) == [("Helen Marsh", "", "")]
    assert _jobs(_read("Met Mr. van Dijk, the landlord's lawyer, to sign the lease")) == [
        ("Mr. van Dijk", "lawyer", "")
    ]


def test_an_old_job_before_the_name_is_not_the_job_now() -> None:
    reading = _read("call w my old manager from n26, francesca, she's now coo at a fintech")

    assert _jobs(reading) == [("Francesca", "COO", "")]


def test_thanks_said_as_owing_or_as_a_thank_you() -> None:
    owed = _read("call w liz. owe her big for getting legal to sign off so fast")
    emailed = _read("emailed sasha a big thank you for the intro to dmitri")

    assert ([g.text for g in owed.gratitude], owed.promises) == (
        ["getting legal to sign off so fast"],
        [],
    )
    assert [g.text for g in emailed.gratitude] == ["the intro to Dmitri"]
    assert [p.text for p in _read("call w liz. i owe her a beer").promises] == ["a beer"]


def test_the_job_after_where_we_met() -> None:
    chloe = _read("met chloé dubois at the product leaders roundtable, vp product at back market.")
    amaka = _read("met amaka obi at the climate tech meetup, ceo of a battery startup in lagos.")

    assert _jobs(chloe) == [("Chloé Dubois", "VP product", "Back Market")]
    assert (chloe.kind.value, chloe.occasion) == ("event", "product leaders roundtable")
    assert _jobs(amaka) == [("Amaka Obi", "CEO", "")]
    assert _jobs(_read("coffee w tom at the cafe, he said hi")) == [("Tom", "", "")]


def test_a_company_someone_works_at_is_no_person() -> None:
    text = "met joão pereira, ceo of a proptech called casafy, and mariana who runs sales at casafy"

    assert [(p.name, p.company) for p in _read(text).people] == [
        ("João Pereira", "Casafy"),
        ("Mariana", "Casafy"),
    ]


def test_a_stranger_named_after_a_long_description() -> None:
    text = (
        "sat next to a guy on my flight back from lisbon this morning, rui costa, partner at a vc"
    )

    assert _jobs(_read(text)) == [("Rui Costa", "partner", "")]


def test_a_day_of_a_gathering_heads_the_note_without_a_colon() -> None:
    reading = _read("fintech summit day 2 📈 met joão pereira")

    assert (reading.kind.value, reading.occasion) == ("conference", "Fintech Summit")


def test_taking_on_a_shared_task_is_an_offer() -> None:
    reading = _read("zoom w hamid + fatou. fatou will draft the agenda, hamid's sorting the venue.")
    liz = _read("call w liz abt the fraud api. she'll loop in her eng lead priya nxt wk.")

    assert [(o.person, o.text) for o in reading.offers] == [
        ("Fatou", "draft the agenda"),
        ("Hamid", "sort the venue"),
    ]
    assert [(o.text, o.on) for o in liz.offers] == [
        ("loop in her eng lead Priya", date(2026, 12, 10))
    ]
    # Her own event is no offer to anyone.
    assert _read("coffee w ana, she's organising a conference in may").offers == []


def test_thanks_said_and_owed_to_someone_named() -> None:
    elif_ = Contact(id="elif", name="Elif Demir")
    texted = _read("texted elif thx for the book rec, finished it in 2 days", [elif_])
    arjun = _read("call w arjun. thx'd him for the quick turnaround on the sandbox keys")

    assert [(g.person, g.text) for g in texted.gratitude] == [("Elif Demir", "the book rec")]
    assert [g.text for g in arjun.gratitude] == ["the quick turnaround on the sandbox keys"]
    assert _read("coffee w meera. owe kavya one for setting it up").promises == []


def test_hyphenated_lowercase_names() -> None:
    jiwoo = Contact(id="jiwoo", name="Ji-woo Kang")
    reading = _read("lunch w ji-woo and her teammate hyun-soo, he's a backend dev", [jiwoo])

    assert [p.contact_id for p in reading.people] == ["jiwoo", None]
    assert _jobs(reading)[1][1] == "backend dev"
    # A prefix is no name: "ex-colleague" is what she was.
    assert [p.name for p in _read("coffee chat w/ priyanka, ex-colleague, now a pm").people] == [
        "Priyanka"
    ]


def test_whom_i_promised_and_by_when() -> None:
    chi = Contact(id="chi", name="Chiamaka Eze", aliases=["chi"])
    emeka = Contact(id="emeka", name="Emeka Okonkwo")
    text = "dinner at emeka's, sat next to chi. promised chi i'd review her board deck b4 wed"
    reading = _read(text, [chi, emeka])

    assert [(p.person, p.text, p.on) for p in reading.promises] == [
        ("Chiamaka Eze", "review her board deck", date(2026, 12, 9))
    ]
    # At someone's, they were the host: met, not only mentioned.
    assert [p.name for p in reading.people] == ["Emeka Okonkwo", "Chiamaka Eze"]


def test_whom_an_intro_goes_to_is_only_mentioned() -> None:
    carmen = Contact(id="carmen", name="Carmen Ortega", aliases=["carmen"])
    thiago = Contact(id="thiago", name="Thiago Costa")
    aga = Contact(id="aga", name="Agnieszka Zielińska", aliases=["aga"])
    cases = {
        "coffee w meera. i'll intro meera to carmen": "Carmen Ortega",
        "zoom w declan. declan thanked me for the intro to thiago": "Thiago Costa",
        "1:1 w emeka. told him i'll pitch it to aga on mon": "Agnieszka Zielińska",
    }
    for text, away in cases.items():
        assert [p.name for p in _read(text, [carmen, thiago, aga]).mentioned] == [away], text


def test_someone_worked_with_once_was_not_at_the_meetup() -> None:
    daan = Contact(id="daan", name="Daan van der Berg", aliases=["daan"])
    text = "caught up w declan at the irish tech meetup. small world, he used to work w daan"
    reading = _read(text, [daan])

    assert ([p.name for p in reading.people], [p.name for p in reading.mentioned]) == (
        ["Declan"],
        ["Daan van der Berg"],
    )


def test_what_they_think_of_me_is_no_detail_of_theirs() -> None:
    assert _read("call w wojtek. he's thinking i should take the offer").details == []
    assert _read("call w wojtek. he loves my idea").details == []
    assert [d.text for d in _read("call w wojtek, he loves sailing").details] == ["loves sailing"]
    # A hardship told to me is still theirs.
    told = _read("bumped into wei. wei told me he's going through a tough divorce")
    assert [d.kind.value for d in told.details] == ["challenge"]


def test_i_promised_someone_reads_the_same_as_promised_someone() -> None:
    chi = Contact(id="chi", name="Chiamaka Eze", aliases=["chi"])
    for text in (
        "dinner w chi. i promised chi i'd review her deck",
        "dinner w chi. promised chi i'd review her deck",
    ):
        assert [(p.person, p.text) for p in _read(text, [chi]).promises] == [
            ("Chiamaka Eze", "review her deck")
        ], text


def test_a_trip_after_a_comma_is_its_own_event() -> None:
    # "how did the sabbatical go?" was drafted for a trip that starts in January.
    reading = _read("bumped into burak. he took the sabbatical, off to japan for 3 months from jan")

    assert [(e.text, e.on, e.past) for e in reading.events] == [
        ("off to Japan for 3 months", date(2027, 1, 1), False)
    ]


def test_a_gp_is_written_in_capitals() -> None:
    reading = _read("call w dara o'brien (gp) re the clinic pilot")
    assert _jobs(reading) == [("Dara O'Brien", "GP", "")]
