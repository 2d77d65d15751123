"""/find over a fixture of 200 contacts: names, companies, details, events and months."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.insight.search import Results, parse_query, search
from bot.domain.model import Contact, Fact, FactKind, Interaction, InteractionKind

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 27)
FIRST = [
    "Ana",
    "Ben",
    "Cara",
    "Dion",
    "Elif",
    "Femi",
    "Gia",
    "Hugo",
    "Iris",
    "Jonas",
    "Kemi",
    "Liam",
    "Mona",
    "Nils",
    "Omar",
    "Pia",
]
LAST = [
    "Novak",
    "Berg",
    "Costa",
    "Dahl",
    "Egan",
    "Frey",
    "Gupta",
    "Holm",
    "Ito",
    "Jensen",
    "Kowal",
    "Lind",
    "Moreau",
    "Nagy",
]
FILLER_COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent", ""]
FILLER_DETAILS = ["loves sailing", "has two kids", "into jazz", "training for a half marathon"]


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def build() -> tuple[list[Contact], list[Interaction]]:
    """200 contacts; a handful planted with what the queries look for."""
    names = (f"{f} {s}" for s, f in itertools.product(LAST, FIRST))
    contacts: list[Contact] = []
    interactions: list[Interaction] = []
    for n in range(200):
        c = Contact(
            id=f"c{n:03d}",
            name=next(names),
            company=FILLER_COMPANIES[n % len(FILLER_COMPANIES)],
            created_at=at(1, 1),
        )
        c.facts = [Fact(FactKind.INTEREST, FILLER_DETAILS[n % 4], at(2, 1))]
        contacts.append(c)
        interactions.append(
            Interaction(
                f"i{n:03d}",
                [c.id],
                InteractionKind.COFFEE,
                at(6 + n % 5, 1 + n % 27),
                f"Coffee with {c.name} about the roadmap.",
            )
        )
    planted = {
        "c010": {"name": "Maria Lopez", "role": "Head of Design"},
        "c011": {"name": "Maria Chen", "company": "Stripe", "role": "Engineer"},
        "c012": {"name": "Tom Becker", "company": "Stripe"},
        "c013": {"name": "Sam Ortiz", "company": "Stripe", "role": "Head of Partnerships"},
        "c014": {"name": "Priya Raman"},
        "c015": {"name": "Yuki Tanaka", "company": "Monzo"},
    }
    for cid, fields in planted.items():
        contact = next(c for c in contacts if c.id == cid)
        for key, value in fields.items():
            setattr(contact, key, value)
    by_id = {c.id: c for c in contacts}
    by_id["c014"].facts.append(Fact(FactKind.INTEREST, "loves climbing", at(3, 12)))
    by_id["c015"].facts.append(Fact(FactKind.INTEREST, "into rock climbing", at(3, 12)))
    by_id["c020"].interests = ["climbs most weekends"]
    # Six people met at ProductCon over two days in March; one note names it in passing only.
    for n, cid in enumerate(("c010", "c014", "c015", "c030", "c031", "c032")):
        interactions.append(
            Interaction(
                f"pc{n}",
                [cid],
                InteractionKind.CONFERENCE,
                at(3, 12 + n % 2),
                f"Met {by_id[cid].name} at ProductCon. Talked about onboarding.",
                occasion="ProductCon" if n % 2 else "",
            )
        )
    interactions.append(
        Interaction(
            "m1", ["c040", "c041"], InteractionKind.LUNCH, at(3, 20), "Lunch, quarterly plans"
        )
    )
    interactions.append(
        Interaction(
            "s1", ["c050"], InteractionKind.CALL, at(10, 2), "Call; she's joining Stripe soon"
        )
    )
    return contacts, sorted(interactions, key=lambda i: i.occurred_at, reverse=True)


CONTACTS, INTERACTIONS = build()


def find(query: str) -> Results:
    return search(query, CONTACTS, INTERACTIONS, TODAY, BERLIN)


def names(results: Results) -> list[str]:
    return [h.contact.name for h in results.hits]


def test_the_fixture_has_200_contacts() -> None:
    assert len(CONTACTS) == 200
    assert len({c.name for c in CONTACTS}) == 200


def test_an_event_gathers_everyone_met_there() -> None:
    results = find("ProductCon")
    (gathering, *_) = results.gatherings
    assert gathering.label == "ProductCon"
    assert not gathering.by_date
    assert len(gathering.contacts) == 6
    assert {c.id for c in gathering.contacts} == {"c010", "c014", "c015", "c030", "c031", "c032"}
    assert (gathering.first, gathering.last) == (date(2026, 3, 12), date(2026, 3, 13))


@pytest.mark.parametrize("query", ["who did I meet at ProductCon?", "productcon", "Prodcutcon"])
def test_the_event_is_found_however_it_is_typed(query: str) -> None:
    assert len(find(query).gatherings[0].contacts) == 6


def test_a_company_ranks_those_who_work_there_above_a_note_that_mentions_it() -> None:
    results = find("Stripe")
    assert set(names(results)[:3]) == {"Maria Chen", "Tom Becker", "Sam Ortiz"}
    assert names(results)[3] == next(c.name for c in CONTACTS if c.id == "c050")
    assert results.gatherings == []  # working at Stripe is not an event


def test_a_detail_is_found_by_any_form_of_the_word() -> None:
    climbers = {"Priya Raman", "Yuki Tanaka", next(c.name for c in CONTACTS if c.id == "c020")}
    for query in ("climbing", "climbs", "climber", "who climbs?"):
        assert set(names(find(query))) == climbers, query


def test_a_name_beats_a_note_that_mentions_it_and_two_words_beat_one() -> None:
    assert names(find("Maria"))[:2] == ["Maria Chen", "Maria Lopez"]
    assert names(find("Maria Stripe"))[0] == "Maria Chen"
    assert names(find("head of design"))[0] == "Maria Lopez"


def test_a_month_gathers_the_meetings_in_it() -> None:
    results = find("March")
    (gathering,) = results.gatherings
    assert gathering.by_date
    assert gathering.label == "March 2026"
    assert len(gathering.contacts) == 8  # six at ProductCon and two at lunch
    assert len(results.hits) == 8


def test_a_month_with_words_narrows_to_that_month() -> None:
    assert set(names(find("onboarding march"))) == {
        c.name for c in CONTACTS if c.id in {"c010", "c014", "c015", "c030", "c031", "c032"}
    }
    assert names(find("onboarding october")) == []


def test_the_month_alone_means_the_most_recent_one() -> None:
    assert parse_query("March", TODAY)[1] == (2026, 3)
    assert parse_query("December", TODAY)[1] == (2025, 12)
    assert parse_query("november", TODAY)[1] == (2026, 11)
    assert parse_query("march 2025", TODAY)[1] == (2025, 3)


def test_nothing_matches_nonsense_and_odd_input_is_harmless() -> None:
    assert names(find("zzqx")) == []
    assert find("").hits == []
    assert find("the of at").hits == []
    assert find("{{ 7*7 }} <b>").hits == []
    assert find("x" * 500).hits == []


def test_accents_do_not_matter() -> None:
    contacts = [Contact(id="z", name="Zoë Brandt", created_at=at(1, 1))]
    assert [h.contact.name for h in search("zoe", contacts, [], TODAY, BERLIN).hits] == [
        "Zoë Brandt"
    ]


def test_timing_is_not_asserted_here() -> None:
    """Speed lives in bench/insight_find.py; this only checks a big history still answers."""
    many = [
        Interaction(f"x{n}", ["c100"], InteractionKind.CALL, at(1, 1) + timedelta(hours=n), "call")
        for n in range(2000)
    ]
    assert find("call") is not None
    assert search("call", CONTACTS, many, TODAY, BERLIN).hits[0].contact.id == "c100"
