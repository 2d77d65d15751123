"""Phone-typed notes: emoji between clauses, whose promise it is, agreed next steps."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading
from bot.domain.notes.text import sentences

NOW = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def test_an_emoji_between_clauses_breaks_the_sentence() -> None:
    pieces = [p.text for p in sentences("she closed her seed round 🎉 hiring a head of eng next")]

    assert pieces == ["she closed her seed round", "hiring a head of eng next"]


def test_an_emoji_inside_a_clause_does_not() -> None:
    assert [p.text for p in sentences("She loves 🧗 climbing")] == ["She loves 🧗 climbing"]
    assert len(sentences("he ran the Amsterdam 🏃 marathon")) == 1


def test_a_laughing_face_is_an_emoji_too() -> None:
    text = "dinner w Marco he's learning italian for his wife's family 😂 birthday is march 3"
    reading = _read(text, [Contact(id="marco", name="Marco Rossi")])

    assert [b.on.strftime("%m-%d") for b in reading.birthdays if b.on] == ["03-03"]


def test_promised_to_send_her_the_deck_is_my_promise() -> None:
    text = "breakfast w chiara bianchi, she's head of partnerships. promised to send her our deck"
    reading = _read(text)

    assert [(p.person, p.text) for p in reading.promises] == [("Chiara Bianchi", "send our deck")]
    assert reading.offers == []


def test_we_said_we_would_is_a_next_step() -> None:
    reading = _read("lunch w tom yesterday. we said we'd do dinner w our partners sometime in jan")

    assert [s.person for s in reading.next_steps] == ["Tom"]
    assert "dinner" in reading.next_steps[0].text
    assert reading.promises == []


def test_gratitude_in_its_many_phrasings() -> None:
    cases = {
        "dinner w emma. thanked emma for hosting us in london": "hosting",
        "drinks w tim, so grateful for his help with the visa paperwork": "visa",
        "lunch w sara, owe her one for covering my talk last week": "covering",
        "call w/ lukas, really appreciated him vouching for me": "vouching",
    }
    for text, word in cases.items():
        reading = _read(text)

        assert len(reading.gratitude) == 1, text
        assert word in reading.gratitude[0].text, text


def test_thanks_between_others_or_to_me_is_not_my_gratitude() -> None:
    assert _read("lunch w/ raj + diego. diego thanked raj for the intro").gratitude == []
    assert _read("coffee w emma. she thanked me for the referral").gratitude == []


def test_a_role_then_what_the_place_is_like() -> None:
    reading = _read("lunch w kwame asante, founder of a logistics startup in accra")
    diego = _read("coffee w diego. he's the founder of a fintech startup called Pagar")

    assert [(p.name, p.role) for p in reading.people] == [("Kwame Asante", "founder")]
    assert reading.details == []
    assert [(p.role, p.company) for p in diego.people] == [("founder", "Pagar")]


def test_roles_said_with_a_verb() -> None:
    cases = {
        "coffee w/ jana novak, she does ux research at delivery hero": (
            "UX research",
            "Delivery Hero",
        ),
        "lunch w marco bianchi, he does m&a at deutsche bank": ("m&a", "Deutsche Bank"),
        "lunch w fatima, she heads up procurement there": ("heads up procurement", ""),
        "met julia at the meetup, she does freelance illustration": ("freelance illustration", ""),
    }
    for text, (role, company) in cases.items():
        person = _read(text).people[0]

        assert (person.role, person.company) == (role, company), text


def test_doing_a_hobby_is_no_role() -> None:
    assert _read("coffee w jana, she does yoga").people[0].role == ""


def test_she_turns_35_tmrw_is_her_birthday_not_an_event() -> None:
    reading = _read("bday drinks for lea tonight, she turns 35 tmrw!")

    assert [(b.person, b.on and b.on.isoformat()) for b in reading.birthdays] == [
        ("Lea", "2026-12-03")
    ]
    assert reading.events == []


def test_a_move_last_month_is_behind_and_does_not_date_the_meeting() -> None:
    reading = _read("drinks w/ Mia, she moved to amsterdam last month. misses berlin already")

    assert reading.occurred_at == NOW
    assert [(e.past, e.on) for e in reading.events] == [(True, None)]
    assert "Amsterdam" in reading.events[0].text  # as English writes it


def test_a_gathering_named_in_lowercase() -> None:
    reading = _read("met lina at the berlin product meetup, she's a PM at n26")

    assert reading.occasion == "berlin product meetup"
    assert _read("met chidi at the investor dinner").occasion == ""


def test_a_birthday_that_was_on_a_weekday_is_the_one_just_gone() -> None:
    reading = _read("drinks w tim yesterday, his bday was on sunday so bought him a beer")

    assert [b.on and b.on.isoformat() for b in reading.birthdays] == ["2026-11-29"]


def test_there_after_a_role_is_the_company_just_named() -> None:
    reading = _read("coffee w/ sara okoye from deliveroo, she's head of ops there")

    assert [(p.name, p.company, p.role) for p in reading.people] == [
        ("Sara Okoye", "Deliveroo", "head of ops")
    ]


def test_a_title_typed_in_lowercase_reads_in_capitals() -> None:
    assert [p.role for p in _read("met jon at the meetup, he's a pm at n26").people] == ["PM"]
    assert [p.role for p in _read("zoom w/ ana, she does ux research at spotify").people] == [
        "UX research"
    ]
    # Only the acronyms: the rest of the role stays as typed.
    assert [p.role for p in _read("call w/ Li, she's head of design at Miro").people] == [
        "head of design"
    ]


def test_a_short_aside_in_brackets_keeps_a_meeting_ahead_planned() -> None:
    # Bracket asides used to end the opening clause, so the day was read as their event
    # and a lunch next week was logged as met today.
    reading = _read("lunch w sara okoye (deliveroo) next tues to talk about the lisbon move")

    assert reading.planned
    assert reading.occurred_at is not None
    assert reading.occurred_at.date().isoformat() == "2026-12-08"
    assert reading.events == []
    assert [(p.name, p.company) for p in reading.people] == [("Sara Okoye", "Deliveroo")]


def test_a_clause_in_brackets_is_still_a_clause() -> None:
    reading = _read("chatted w/ another dad, Rahul (works at Goldman in risk). loves chess")

    assert [(p.name, p.company) for p in reading.people] == [("Rahul", "Goldman")]


def test_her_colleague_after_and_is_one_more_person_met_not_a_clause() -> None:
    """Seen as a user: "and her colleague tom on monday" became Amara's plan, dated Monday ahead."""
    reading = _read("had lunch w amara okafor and her colleague tom on monday")

    assert [p.name for p in reading.people] == ["Amara Okafor", "Tom"]
    assert reading.occurred_at.date().isoformat() == "2026-11-30"  # the Monday just gone
    assert reading.events == []


def test_her_colleague_from_a_company_keeps_the_meeting_day_and_the_company() -> None:
    text = "lunch with Dr. Amara Okafor and her colleague Tom from Siemens on friday afternoon"
    reading = _read(text)

    assert [(p.name, p.company) for p in reading.people] == [
        ("Amara Okafor", ""),  # a title before a given name is no part of the name
        ("Tom", "Siemens"),
    ]
    assert reading.occurred_at.date().isoformat() == "2026-11-27"
    assert reading.events == []


def test_a_lowercase_company_after_a_job_is_kept_even_if_it_is_a_first_name() -> None:
    """Seen as a user: "head of design at miro" kept the role and lost the company."""
    reading = _read("coffee w/ jana novak, she's head of design at miro")

    assert [(p.company, p.role) for p in reading.people] == [("Miro", "head of design")]


def test_from_a_first_name_is_still_no_company() -> None:
    assert [p.company for p in _read("coffee w/ tom from anna's team").people if p.company] == []


def test_names_places_and_months_typed_lowercase_get_their_capitals() -> None:
    text = (
        "coffee w sam. i promised the intro to tom by friday. "
        "she's running the lisbon half in april"
    )
    reading = _read(text)

    assert [p.text for p in reading.promises] == ["the intro to Tom"]
    assert [e.text for e in reading.events] == ["running the Lisbon half"]


def test_ordinary_words_and_addresses_keep_their_case() -> None:
    reading = _read("lunch w priya, she loves the visa paperwork. email tom@acme.com re the grant")
    texts = [d.text for d in reading.details] + [p.text for p in reading.promises]

    assert "loves the visa paperwork" in texts  # "visa" is no one's name after "the"
    assert all("Tom@" not in t for t in texts)


def test_who_after_a_name_starts_a_clause_about_them() -> None:
    sara = _read("call w/ sara who works at stripe in payments").people[0]
    jo = _read("met Jo who's CFO at Flutterwave now")
    tom = _read("coffee with Tom Becker who is head of design at Miro").people[0]

    assert (sara.name, sara.company) == ("Sara", "Stripe")
    assert [(p.company, p.role) for p in jo.people] == [("Flutterwave", "CFO")]
    assert jo.occasion == ""  # where she works, not where we met
    assert (tom.company, tom.role) == ("Miro", "head of design")
    assert _read("asked Ana who else is coming").people[0].company == ""


def test_a_lowercase_company_is_cut_from_what_follows_it() -> None:
    tom = _read("coffee w tom, works at miro now, loves sailing")

    assert tom.people[0].company == "Miro"
    assert [d.text for d in tom.details] == ["loves sailing"]  # "now" adds nothing
    sara = _read("call w/ sara, works at stripe in payments")
    assert sara.people[0].company == "Stripe"
    # The area is her job, so it goes on the contact and not into a detail.
    assert (sara.people[0].role, [d.text for d in sara.details]) == ("payments", [])
    sam = _read("call w/ sam, works at sap in walldorf")
    assert (sam.people[0].role, [d.text for d in sam.details]) == ("", ["works at SAP in walldorf"])


def test_a_job_before_at_is_no_gathering_but_meeting_someone_there_is() -> None:
    assert _read("met the CTO at ProductCon").occasion == "ProductCon"


def test_jobs_typed_with_a_gerund_an_aside_or_a_shop_name() -> None:
    han = _read("coffee w han this morning, she's leading the new ai whiteboard team at miro now")
    yara = _read("coffee w yara haddad, she's head of people at gorillas (still around apparently)")
    sofie = _read("breakfast w sofie, she's a product designer at ikea, looking for a mentor")

    assert [(p.company, p.role) for p in han.people] == [
        ("Miro", "leading the new AI whiteboard team")  # roles tidied: "ai" reads AI
    ]
    assert [(p.company, p.role) for p in yara.people] == [("Gorillas", "head of people")]
    assert [(p.company, p.role) for p in sofie.people] == [("Ikea", "product designer")]
    assert _read("met sam at ikea, she's redoing her flat").people[0].company == ""


def test_a_known_contact_typed_lowercase_with_a_chat_app_verb_is_met() -> None:
    known = [
        Contact(id="jonas", name="Jonas Keller"),
        Contact(id="samuel", name="Samuel Adeyemi", aliases=["sammy"]),
        Contact(id="hannah", name="Hannah Weiss"),
    ]

    for text, who in [
        ("dm'd jonas abt the api access", "jonas"),
        ("sammy dm'd me, his daughter was born last night!!", "samuel"),
        ("thx note to hannah for the referral", "hannah"),
    ]:
        reading = _read(text, known)
        assert [p.contact_id for p in reading.people] == [who], text
        assert reading.kind.value == "message", text


def test_who_someone_is_then_their_lowercase_name_is_a_person_met() -> None:
    tobi = _read("breakfast at 8 w a guy from my running club, tobi, turns out he's a cto")
    kim = _read("coffe w a recruiter from zalando, kim something. she'll send 2 roles by mon")

    assert [p.name for p in tobi.people] == ["Tobi"]
    assert [p.name for p in kim.people] == ["Kim"]
    assert _read("lunch w a lot of people from work, great fun").people == []


def test_a_day_of_a_gathering_heads_a_note_and_a_camp_is_one() -> None:
    dld = _read("DLD day 1: met two ppl worth remembering")
    camp = _read("met wen li at product camp hamburg, sr pm at about you")

    assert (dld.occasion, dld.kind.value) == ("DLD", "conference")
    assert (camp.occasion, camp.kind.value) == ("product camp", "conference")
    assert _read("summer camp with the kids was fun, met tom there").occasion == ""


def test_the_clause_that_dates_the_meeting_is_no_promise() -> None:
    nadia = _read("call at 10:30 this morning w an investor, nadia petrov from cherry ventures")
    tom = _read("call w tom yesterday, send him the deck by friday")

    assert nadia.promises == []  # "call ..." here is what happened, not a to-do
    assert [p.text for p in tom.promises] == ["send the deck"]
    assert [p.text for p in _read("call tom tomorrow abt the deck").promises] != []


def test_a_lowercase_company_after_from_may_be_two_words() -> None:
    nadia = _read("call w nadia petrov from cherry ventures. she liked the deck").people[0]

    assert nadia.company == "Cherry Ventures"
    assert _read("coffee w anna from the gym").people[0].company == ""


def test_something_under_way_for_me_is_their_offer() -> None:
    kasia = _read("call w kasia 20 min. she's sending me the hiring rubric tmrw")
    tom = _read("coffee w tom, he's sending his kids to a new school")

    assert [(o.text, o.person) for o in kasia.offers] == [("send me the hiring rubric", "Kasia")]
    assert kasia.events == []
    assert tom.offers == []  # nothing for the user: his news


def test_a_meeting_named_then_set_for_a_day_is_an_agreed_next_step() -> None:
    nadia = _read("call w nadia petrov from cherry ventures. follow up call set for feb 2")

    assert [(s.text, s.on) for s in nadia.next_steps] == [("follow up call", date(2027, 2, 2))]
    assert nadia.promises == []


def test_a_yes_to_what_was_asked_makes_it_my_promise_and_it_refers_back() -> None:
    yara = _read(
        "coffee w yara. she asked if i could send her the survey - said yes, will dig it up by sat"
    )
    tom = _read("lunch w tom. he asked me to review his deck. said yes")

    assert [(p.text, p.on) for p in yara.promises] == [("send the survey", date(2026, 12, 5))]
    assert [p.text for p in tom.promises] == ["review his deck"]


def test_a_first_name_inside_a_noun_phrase_stays_a_word() -> None:
    doc = _read("coffee w priya sharma. promised to send her the hiring doc by fri")
    tom = _read("coffee w priya. promised to send the deck to her friend tom by fri")

    assert [p.text for p in doc.promises] == ["send the hiring doc"]
    assert [p.text for p in tom.promises] == ["send the deck to her friend Tom"]
