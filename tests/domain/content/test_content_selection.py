"""Draft selection: needs met, no repeats within 90 days, varied pillars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.content.details import ContactPicture, KnownDetail
from bot.domain.content.history import NO_REPEAT_WINDOW, DraftHistory
from bot.domain.content.pillars import Pillar
from bot.domain.content.selection import DraftTemplate, candidates, choose
from bot.domain.memory.phrase import Form, Phrase, Timing
from bot.domain.model import Tier

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def template(
    name: str, pillar: Pillar, needs: tuple[str, ...], tone: str = "warm"
) -> DraftTemplate:
    return DraftTemplate(name, "check-in", pillar, tone, needs)


def picture(**slots: list[str]) -> ContactPicture:
    return ContactPicture(
        "c-1",
        "Maria",
        Tier.NETWORK,
        {
            s.replace("event_ahead", "event"): [
                KnownDetail(
                    s.replace("event_ahead", "event"),
                    Phrase(noun=t),
                    Timing.AHEAD if s == "event_ahead" else Timing.ONGOING,
                    NOW,
                )
                for t in texts
            ]
            for s, texts in slots.items()
        },
    )


TEMPLATES = [
    template("a", Pillar.TRUST, ("interest",)),
    template("b", Pillar.TRUST, ("interest",), tone="light"),
    template("c", Pillar.COLLABORATION, ("goal",)),
    template("d", Pillar.FULFILMENT, ("event_ahead",)),
    template("e", Pillar.MENTORSHIP, ("challenge",)),
]


def test_only_templates_whose_needs_are_known() -> None:
    pool = candidates(TEMPLATES, picture(interest=["chess"], goal=["hiring"]), NOW)
    assert {c.template.name for c in pool} == {"a", "b", "c"}


def test_one_candidate_per_detail() -> None:
    pool = candidates(TEMPLATES, picture(interest=["chess", "jazz"]), NOW)
    assert len(pool) == 4
    assert len({c.key for c in pool}) == 4


def test_picks_differ_in_pillar_first() -> None:
    pool = candidates(
        TEMPLATES, picture(interest=["chess"], goal=["hiring"], event_ahead=["a talk"]), NOW
    )
    picked = choose(pool, exclude=set(), count=3)
    assert len({c.template.pillar for c in picked}) == 3


def test_excluded_keys_are_never_picked() -> None:
    pool = candidates(TEMPLATES, picture(interest=["chess"], goal=["hiring"]), NOW)
    first = choose(pool, exclude=set(), count=2)
    second = choose(pool, exclude={c.key for c in first}, count=2)
    assert not {c.key for c in first} & {c.key for c in second}


def test_history_remembers_for_90_days_then_forgets() -> None:
    history = DraftHistory()
    history.record("c-1", ["k1"], NOW)
    assert history.recent_keys("c-1", NOW + timedelta(days=89)) == {"k1"}
    assert history.recent_keys("c-2", NOW) == set()
    later = NOW + NO_REPEAT_WINDOW + timedelta(days=1)
    assert history.recent_keys("c-1", later) == set()
    history.record("c-1", ["k2"], later)
    assert [k for _, k, _, _ in history.entries] == ["k2"]  # pruned


def test_history_round_trips_and_survives_junk() -> None:
    history = DraftHistory()
    history.record("c-1", ["k1", "k2"], NOW)
    again = DraftHistory.from_state(history.to_state())
    assert again.recent_keys("c-1", NOW) == {"k1", "k2"}
    junk = DraftHistory.from_state({"entries": [["c-1"], ["c-1", "k", "not a date"], 7]})
    assert junk.entries == []


def test_a_slot_only_takes_words_of_the_form_it_needs() -> None:
    gerund_only = DraftTemplate(
        "g", "check-in", Pillar.TRUST, "warm", ("goal",), {"goal": (Form.GERUND,)}
    )
    known = ContactPicture(
        "c-1",
        "Maria",
        Tier.NETWORK,
        {
            "goal": [
                KnownDetail(
                    "goal", Phrase(noun="your plan to move", gerund="moving"), Timing.AHEAD, NOW
                )
            ]
        },
    )
    (choice,) = candidates([gerund_only], known, NOW)
    assert choice.context("Maria")["goal"] == "moving"
    noun_less = ContactPicture(
        "c-1",
        "Maria",
        Tier.NETWORK,
        {"goal": [KnownDetail("goal", Phrase(gerund="moving"), Timing.AHEAD, NOW)]},
    )
    assert candidates([template("n", Pillar.TRUST, ("goal",))], noun_less, NOW) == []


def test_a_past_event_never_gets_good_luck_and_a_future_one_never_how_did_it_go() -> None:
    ahead = DraftTemplate(
        "luck", "check-in", Pillar.TRUST, "warm", ("event",), when=frozenset({Timing.AHEAD})
    )
    after = DraftTemplate(
        "how",
        "ask-how-it-went",
        Pillar.TRUST,
        "warm",
        ("event",),
        when=frozenset({Timing.JUST_HAPPENED}),
    )

    def with_event(timing: Timing) -> ContactPicture:
        event = KnownDetail("event", Phrase(noun="the talk"), timing, NOW)
        return ContactPicture("c-1", "Maria", Tier.NETWORK, {"event": [event]})

    assert [c.template.name for c in candidates([ahead, after], with_event(Timing.AHEAD), NOW)] == [
        "luck"
    ]
    assert [
        c.template.name for c in candidates([ahead, after], with_event(Timing.JUST_HAPPENED), NOW)
    ] == ["how"]
    assert candidates([ahead, after], with_event(Timing.PAST), NOW) == []


def test_templates_used_for_someone_else_in_this_sitting_come_last() -> None:
    pool = candidates(TEMPLATES, picture(interest=["chess"]), NOW)
    (first,) = choose(pool, exclude=set(), count=1)
    (second,) = choose(
        pool, exclude=set(), count=1, used_elsewhere=frozenset({first.template.name})
    )
    assert second.template.name != first.template.name
