"""Readings added on the fourteenth batch: jobs said as the note says them ("director of
x's lab", "cofounder of y"), and who works beside whom."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # Monday, 13:00 in Berlin


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _jobs(reading: NoteReading) -> list[tuple[str, str, str]]:
    return [(p.name, p.company, p.role) for p in reading.people]


def test_a_job_of_a_lowercase_company_names_the_company() -> None:
    founder = _read("dinner w omar haddad, cofounder of freightly (a load board). fun guy")
    head = _read("lunch w ines berg, head of quality, from the bakery")

    assert _jobs(founder) == [("Omar Haddad", "Freightly", "cofounder")]
    assert _jobs(head)[0][1:] == ("", "head of quality")  # quality is no company


def test_a_job_of_a_companys_unit_keeps_the_unit() -> None:
    reading = _read("coffee w greta lund, director of volvo's design studio, v sharp")

    assert _jobs(reading) == [("Greta Lund", "Volvo", "director of design studio")]


def test_made_still_and_finally_say_the_job_now() -> None:
    made = _read("lunch w tom. he's just been made cfo of klarna's uk arm!!")
    still = _read("walk w ana, she's still head of legal at ing but the merger drags on")

    assert _jobs(made) == [("Tom", "Klarna", "CFO")]
    assert _jobs(still) == [("Ana", "ING", "head of legal")]


def test_a_colleague_or_their_job_shares_the_company_just_named() -> None:
    colleague = _read(
        "drinks w lea roth, cto at mobilio, + her colleague tomas berg (v quiet). fun"
    )
    theirs = _read(
        "dinner w pia ek, md of tandem bikes, + marek, their head of sales ☕ "
        "marek offered to show us round"
    )

    assert _jobs(colleague)[1] == ("Tomas Berg", "Mobilio", "")
    assert _jobs(theirs)[1] == ("Marek", "Tandem Bikes", "head of sales")


def test_a_courtesy_title_of_another_language_is_no_part_of_the_name() -> None:
    indonesian = _read("lunch w pak budi santoso, cfo at sinar kargo. v formal")
    lawyer = _read("call w atty. liza reyes, general counsel at paymaya")

    assert _jobs(indonesian) == [("Budi Santoso", "Sinar Kargo", "CFO")]
    assert _jobs(lawyer) == [("Liza Reyes", "Paymaya", "general counsel")]


JUNIA = Contact(id="junia", name="Junia Okafor", aliases=["june"])
HOPE = Contact(id="hope", name="Hope Mensah")


def test_a_contact_alias_that_is_a_month_is_them_after_a_cue() -> None:
    assert _jobs(_read("call w june (monzo) abt the api", [JUNIA])) == [
        ("Junia Okafor", "Monzo", "")
    ]
    assert _read("flights booked for june", [JUNIA]).people == []


def test_dropping_by_or_a_late_hbd_names_the_contact() -> None:
    dropped = _read("hope dropped off a box of mangoes lol", [HOPE])
    wished = _read("belated hbd to june on signal, oops", [JUNIA])

    assert [p.name for p in dropped.people] == ["Hope Mensah"]
    assert [p.name for p in wished.people] == ["Junia Okafor"]


def test_hbd_and_a_birthday_voice_message_are_wishes() -> None:
    late = _read("belated hbd to june on signal, it was fri 🙈", [JUNIA])
    voice = _read("sent june a bday video msg 🎂 she's 30 today", [JUNIA])

    assert [(b.person, b.on) for b in late.birthdays] == [("Junia Okafor", date(2026, 12, 4))]
    assert [(b.person, b.on) for b in voice.birthdays] == [("Junia Okafor", date(2026, 12, 7))]


def test_a_promise_about_it_is_for_whoever_asked_just_before() -> None:
    reading = _read(
        "mtg w lena + omar. omar asked for a new laptop, i'll raise it w finance on fri"
    )

    assert [(p.person, p.text) for p in reading.promises] == [("Omar", "raise it w finance")]


def test_thanks_in_another_language_and_walked_me_thru_are_gratitude() -> None:
    merci = _read("call w léa + tom. merci to her for staying late on the migration")
    thru = _read("coffee w marta, she walked me thru her pricing model 🙏")

    assert [(g.person, g.text) for g in merci.gratitude] == [
        ("Léa", "staying late on the migration")
    ]
    assert [g.person for g in thru.gratitude] == ["Marta"]


MARILU = Contact(id="marilu", name="Luisa Ferri", aliases=["marilu"])


def test_we_will_call_after_new_yr_is_a_next_step_with_no_day() -> None:
    reading = _read("lunch w tom berg. we'll call after new yr")

    assert [(s.person, s.on, bool(s.date_text)) for s in reading.next_steps] == [
        ("Tom Berg", None, True)
    ]


def test_a_span_of_days_starts_on_its_first_and_a_spaced_alias_is_the_contact() -> None:
    reading = _read("group chat w mari lu, we're finally doing the porto trip 12-15 feb", [MARILU])

    assert [p.name for p in reading.people] == ["Luisa Ferri"]
    assert [(s.person, s.on) for s in reading.next_steps] == [("Luisa Ferri", date(2027, 2, 12))]


def test_he_means_the_man_who_was_the_subject_last() -> None:
    reading = _read(
        "dinner w omar haddad. karim's cousin, he set it up. omar's a chess nut. "
        "he'll share their rate card nxt wk"
    )

    assert [o.person for o in reading.offers] == ["Omar Haddad"]


def test_sending_a_thing_by_a_day_is_an_offer() -> None:
    reading = _read("video call w lea roth, lea's sending the api keys by wed")

    assert [(o.person, o.text, o.on) for o in reading.offers] == [
        ("Lea Roth", "send the api keys", date(2026, 12, 9))
    ]


def test_every_sunday_is_a_habit_not_a_day() -> None:
    reading = _read("lunch w omar haddad, he still plays every sunday")

    assert reading.events == []


def test_a_meeting_and_its_day_ending_a_clause_is_a_next_step() -> None:
    reading = _read("quick call w lea roth, she's here from the 14th, lunch on the 16th 🍜")

    assert [(s.person, s.on) for s in reading.next_steps] == [("Lea Roth", date(2026, 12, 16))]


def test_someones_assistant_at_a_company_is_a_job_there() -> None:
    reading = _read("coffee w ines berg, omar's chief of staff at wayfare, v sharp")

    assert _jobs(reading)[0] == ("Ines Berg", "Wayfare", "chief of staff")


def test_from_the_lowercase_place_names_no_company() -> None:
    assert _jobs(_read("coffee w/ tobias from the bouldering gym, nice guy"))[0][1] == ""
    assert _jobs(_read("coffee w/ tobias from the coworking, nice guy"))[0][1] == ""


def test_heading_up_a_kind_of_area_is_a_job() -> None:
    reading = _read("beers w omar haddad. omar's heading up apac partnerships there now")

    assert _jobs(reading) == [("Omar Haddad", "", "heading up APAC partnerships")]


def test_just_joined_us_as_a_job_is_that_job() -> None:
    reading = _read("coffee w ines berg (ib), just joined us as a data analyst from lyon")

    assert _jobs(reading) == [("Ines Berg", "", "data analyst")]


def test_chatted_to_someone_names_them() -> None:
    reading = _read(
        "fintech meetup at the old brewery. also chatted to femi adeyemi who runs ops at tabby"
    )

    assert _jobs(reading) == [("Femi Adeyemi", "Tabby", "runs ops")]


def test_whom_someone_brought_was_met_and_our_partner_in_a_place_is_named() -> None:
    reading = _read(
        "lunch w omar haddad, brought his daughter lina. i'll intro him to our broker in dubai, "
        "karim aziz"
    )

    assert [p.name for p in reading.people] == ["Omar Haddad", "Lina"]
    assert [p.name for p in reading.mentioned] == ["Karim Aziz"]


def test_fika_is_coffee_and_canas_are_drinks() -> None:
    assert _read("fika w greta lund at the office").kind.value == "coffee"
    assert _read("cañas w tomas berg in lavapiés").kind.value == "drinks"


def test_wanting_us_as_a_partner_is_no_offer() -> None:
    reading = _read("call w ines berg. she wants us as the design partner on her pilot")

    assert reading.offers == []


def test_being_in_a_city_for_the_weekend_is_no_event() -> None:
    reading = _read("breakfast w omar haddad sat 9am, he's in lisbon for the wknd")

    assert reading.events == []


def test_owing_her_for_a_deed_is_thanks_not_a_promise() -> None:
    reading = _read("walk w ines berg. owe her for watering our plants 🙏")

    assert reading.promises == []
    assert [g.person for g in reading.gratitude] == ["Ines Berg"]


def test_knackered_is_a_challenge() -> None:
    reading = _read("run w ines berg. she's knackered, 4 late shifts a wk rn")

    assert [d.kind.value for d in reading.details] == ["challenge"]


def test_owe_him_big_then_his_deed_is_thanks_for_it() -> None:
    reading = _read("owe tomas berg big, his intro to the zalando buyers turned into an order 🙏")

    assert [(g.person, g.text.split()[0]) for g in reading.gratitude] == [("Tomas Berg", "intro")]
    assert reading.details == []


def test_running_the_family_biz_is_a_job() -> None:
    reading = _read("lunch w tomas berg, he runs the family wine biz")

    assert _jobs(reading) == [("Tomas Berg", "", "runs the family wine biz")]


def test_news_of_an_election_or_a_permit_is_an_event() -> None:
    elected = _read(
        "email from ines berg, she's been elected to the royal society 🎉 sent congrats"
    )
    permit = _read("coffee w tomas berg. his work visa finally came thru!!")

    assert [(e.person, e.past) for e in elected.events] == [("Ines Berg", True)]
    assert [(e.person, e.past) for e in permit.events] == [("Tomas Berg", True)]


def test_still_goes_on_about_the_detail_before() -> None:
    reading = _read("dinner w omar haddad. omar's a chess nut, still plays every sunday")

    assert [d.text for d in reading.details] == ["a chess nut, plays every Sunday"]


def test_a_degree_under_way_is_a_goal() -> None:
    reading = _read("lunch w ines berg. she's doing a part-time phd on wknds, no idea how")

    assert [(d.kind.value, "phd" in d.text) for d in reading.details] == [("goal", True)]


def test_two_interests_joined_by_a_plus_are_two() -> None:
    reading = _read("coffee w tomas berg. massive ajax fan + plays bass in a band")

    assert [d.text for d in reading.details] == ["massive Ajax fan", "plays bass in a band"]


def test_news_that_someone_is_in_town_opens_a_plan() -> None:
    reading = _read("marek's in town!! drinks tonight 9ish at the wine bar")

    assert reading.planned


def test_getting_someone_on_it_is_the_task_just_asked() -> None:
    reading = _read(
        "call w ines berg. ines wants our security review by the 18th, i'll get our cto on it tmrw"
    )

    assert [(p.person, p.on) for p in reading.promises] == [("Ines Berg", date(2026, 12, 18))]


def test_a_meal_on_a_short_day_with_someone_while_hosting_is_planned() -> None:
    reading = _read("dinner at ours sat w tomas + lena, i'm cooking paella, wish me luck")

    assert reading.planned
    assert not _read("he sat w us at dinner, lovely").planned


def test_whom_a_message_is_from_is_named_by_a_surname_alone() -> None:
    reading = _read("slack from okonkwo: he's off tmrw, back thurs")

    assert [p.name for p in reading.people] == ["Okonkwo"]


def test_an_acronym_in_capitals_leaves_a_note_lowercase() -> None:
    reading = _read("slack from okonkwo: he's off tmrw, picking his sister up from LHR")

    assert [p.name for p in reading.people] == ["Okonkwo"]


def test_a_julebord_is_an_event_and_a_name_ends_at_who() -> None:
    reading = _read("the klarna julebord 🎄 met their cfo anders lake, who wants to chat in jan")

    assert reading.kind.value == "event"
    assert _jobs(reading) == [("Anders Lake", "", "CFO")]


def test_a_plural_job_after_a_list_is_each_ones() -> None:
    reading = _read("lunch w ana kos + ivo bek, cofounders of tandem. great pitch")

    assert _jobs(reading) == [
        ("Ana Kos", "Tandem", "cofounder"),
        ("Ivo Bek", "Tandem", "cofounder"),
    ]


def test_their_job_at_a_companys_site_is_at_that_company() -> None:
    reading = _read(
        "visit at zalora's depot in riga w their cto ivo bek + marek who runs their fleet. "
        "marek offered to send us the logs"
    )

    assert [(n, c) for n, c, _ in _jobs(reading)] == [("Ivo Bek", "Zalora"), ("Marek", "Zalora")]


def test_whose_taverna_we_went_to_was_met() -> None:
    reading = _read(
        "dinner w ines berg, then went to her husband marco's taverna, he's the chef, fed us loads"
    )

    assert [p.name for p in reading.people] == ["Ines Berg", "Marco"]


def test_a_launch_being_readied_for_a_month_is_ahead() -> None:
    reading = _read("coffee w ines berg, she's prepping their paris launch for march")

    assert [(e.person, e.past, e.approximate) for e in reading.events] == [
        ("Ines Berg", False, True)
    ]


def test_taking_it_to_their_committee_is_an_offer() -> None:
    reading = _read("zoom w ines berg, she's taking it to their credit cttee on thurs")

    assert [(o.person, o.on) for o in reading.offers] == [("Ines Berg", date(2026, 12, 10))]
    assert reading.events == []


def test_an_aside_on_what_someone_is_called_then_their_job() -> None:
    reading = _read("drinks w tom berg (tommy for short lol), sre at stripe")

    assert _jobs(reading)[0][1:] == ("Stripe", "SRE")


def test_asking_around_about_something_for_her_is_a_promise() -> None:
    reading = _read(
        "walk w ines berg. the reorg is dragging on. said i'd ask around abt roles at n26 for her"
    )

    assert [p.person for p in reading.promises] == ["Ines Berg"]
    assert [d.kind.value for d in reading.details] == ["challenge"]
    assert _read("walk w ines berg, i'll ask around").promises == []


def test_a_late_hbd_on_line_is_a_message_sent_today() -> None:
    reading = _read("belated hbd to june on line, it was fri 🙈 sent her a voucher", [JUNIA])

    assert reading.kind.value == "message"
    assert reading.occurred_at.date() == NOW.date()
