"""Jobs said beside a name, surname particles typed in lowercase, and jobs with a region."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.model import Contact
from bot.domain.notes.extractor import read_note
from bot.domain.notes.reading import NoteReading

NOW = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # a Thursday


def _read(text: str, contacts: list[Contact] | None = None) -> NoteReading:
    return read_note(text, now=NOW, timezone="Europe/Berlin", contacts=contacts or [])


def _jobs(reading: NoteReading) -> list[tuple[str, str, str]]:
    return [(p.name, p.role, p.company) for p in reading.people]


def test_after_a_job_title_an_everyday_word_is_the_company() -> None:
    reading = _read("coffee in kings cross w hamza qureshi, staff data scientist at wise")

    assert _jobs(reading) == [("Hamza Qureshi", "staff data scientist", "Wise")]


def test_a_job_for_a_region_is_a_job() -> None:
    sebastian = _read("a guy called sebastián ruiz-tagle, gm for europe at fintual, chilean")
    jo = _read("coffee w jo, head of design for latam at n26")

    assert _jobs(sebastian) == [("Sebastián Ruiz-Tagle", "GM for Europe", "Fintual")]
    assert _jobs(jo) == [("Jo", "head of design for LATAM", "N26")]
    # "for" still ends no job that goes on to a story.
    assert _jobs(_read("coffee w jo, looking for a designer for the new team")) == [("Jo", "", "")]


def test_surname_particles_typed_in_lowercase() -> None:
    daphne = _read("lunch w daphne de jong, head of payments at mollie. super direct")
    ana = _read("coffee w ana da silva and tom")

    assert _jobs(daphne) == [("Daphne de Jong", "head of payments", "Mollie")]
    # The whole name is read, so "and tom" still continues the list.
    assert [p.name for p in ana.people] == ["Ana da Silva", "Tom"]
    assert [p.name for p in _read("lunch w tom de la cruz").people] == ["Tom de la Cruz"]
    assert _jobs(_read("chat w lea, she's de facto lead")) == [("Lea", "de facto lead", "")]


def test_where_someone_still_works_said_in_passing() -> None:
    matteo = _read("lunch w matteo, he's thinking of leaving satispay to do a phd in milan")
    camille = _read("Breakfast with Camille. She's decided to leave Doctolib after six years.")
    kofi = _read("dinner w her flatmate kofi, he's doing a postdoc at max planck in neuroscience")
    leonor = _read("mtg w leonor + her team at farfetch, 5 of them")

    assert _jobs(matteo) == [("Matteo", "", "Satispay")]
    assert _jobs(camille) == [("Camille", "", "Doctolib")]
    assert _jobs(kofi) == [("Kofi", "postdoc", "Max Planck")]
    assert _jobs(leonor) == [("Leonor", "", "Farfetch")]


def test_no_company_from_an_office_and_no_job_from_whose_manager() -> None:
    lerato = _read("video call w bongani and his boss lerato from the joburg office")
    dominik = _read("call w dominik (finn's manager) re finn's promo case")

    assert all(p.company == "" for p in lerato.people)
    assert _jobs(dominik) == [("Dominik", "", "")]
    # An app's name is a company's too.
    assert _jobs(_read("lunch w tom from google")) == [("Tom", "", "Google")]


def test_who_made_the_intro_is_only_mentioned_and_the_job_is_the_other_ones() -> None:
    reading = _read("coffee w efua asante, a founder kwame introduced me to")

    assert _jobs(reading) == [("Efua Asante", "founder", "")]
    assert [p.name for p in reading.mentioned] == ["Kwame"]


def test_the_job_said_now_or_outright_wins() -> None:
    milos = _read("lunch w ana + miloš, her cofounder from her old startup, now cto at nordeus")
    kojo = _read("coffee w efua's cofounder kojo at betahaus on tues. he's the cto, ex-andela")

    # Her job is his alone: Ana, listed with him, gets no company from it.
    assert _jobs(milos) == [("Ana", "", ""), ("Miloš", "CTO", "Nordeus")]
    loves = _read(
        "lunch w ana + miloš, her cofounder from her old startup, now cto at nordeus and loves it"
    )
    assert _jobs(loves)[-1] == ("Miloš", "CTO", "Nordeus")
    assert _jobs(kojo) == [("Kojo", "CTO", "")]


def test_a_lowercase_company_ends_on_no_joining_word() -> None:
    reading = _read("lunch w tom becker from acme and his cofounder aisha khan")

    assert _jobs(reading) == [("Tom Becker", "", "Acme"), ("Aisha Khan", "cofounder", "")]


def test_the_job_they_got_is_where_they_work_but_an_offer_is_not() -> None:
    priya = _read("texted w priya, she got the job at revolut!! gonna celebrate")
    giulia = _read("video call w giulia, she got an offer from ferrero")

    assert _jobs(priya) == [("Priya", "", "Revolut")]
    assert _jobs(giulia) == [("Giulia", "", "")]


def test_where_her_team_is_she_works() -> None:
    leonie = _read("lunch w leonie, her team at sap might get cut in q1")
    rafael = _read("breakfast w rafael, he's head of us expansion at nubank now")

    assert _jobs(leonie) == [("Leonie", "", "SAP")]
    assert _jobs(rafael) == [("Rafael", "head of US expansion", "Nubank")]
