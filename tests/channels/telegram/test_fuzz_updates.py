"""Fuzzing the real Application: random text, surrogates, forged buttons, odd update kinds.

Every update goes through `Application.process_update` with the offline Bot
API. Whatever arrives: no handler raises, every message sent is valid
Telegram HTML of at most 4,096 characters, every callback_data fits 64 bytes
(FakeTelegram.process checks each message sent), and a forged or foreign
button changes nothing.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from telegram_fakes import ALICE, BOB, DATE, FakeTelegram

from bot.domain.clock import ManualClock

# Any code point, lone surrogates included (Telegram's JSON can carry "\ud83d").
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)
COMMANDS = [
    *("/start", "/help", "/log", "/people", "/person", "/due", "/suggest", "/openers"),
    *("/thanks", "/review", "/remind", "/reminders", "/settings", "/forget", "/cancel"),
    *("/nope", "/LOG", "/log@rapport_coach_bot"),
]
NAMES = ["Maria Lopez", "Tom Baker", "Priya", "", "Zoë Ångström", "<b>x</b>", "{{ 7*7 }}"]
NOTES = [
    "Coffee with {n}. She is training for the Berlin marathon in May.",
    "Lunch with {n} and Tom Baker. I promised to send the deck by Friday.",
    "Call with {n} about the hiring plan; she loves sailing",
]
GROUP = {"id": -100777, "type": "supergroup", "title": "Team"}
_QUERY_IDS = itertools.count(1)


class Session:
    """One Application for the whole fuzz run, and the buttons it has shown so far."""

    def __init__(self, data: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeTelegram(data, ManualClock(datetime(2026, 11, 27, 10, tzinfo=UTC)))
        # PTB's limiter holds group messages to 20 a minute by design: not what is tested here.
        self.fake.app.bot._rate_limiter = None
        self.loop.run_until_complete(self.fake.app.initialize())
        self.buttons: dict[int, list[str]] = {ALICE["id"]: [], BOB["id"]: []}

    def feed(self, update: dict[str, Any], user: dict[str, Any]) -> None:
        for sent in self.loop.run_until_complete(self.fake.process(update)):
            for row in sent.keyboard:
                for button in row:
                    if "callback_data" in button:
                        self.buttons.setdefault(user["id"], []).append(button["callback_data"])

    def close(self) -> None:
        self.loop.run_until_complete(self.fake.app.shutdown())
        self.loop.close()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    opened = Session(tmp_path_factory.mktemp("fuzz") / "data")
    yield opened
    opened.close()


def text_message(fake: FakeTelegram, user: dict[str, Any], text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0] if text.split() else "/"
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": fake.message(user, **content)}


def press(user: dict[str, Any], data: str) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private"}
    message = {"message_id": 1, "date": DATE, "chat": chat, "text": "…"}
    return {
        "callback_query": {
            "id": f"cq{next(_QUERY_IDS)}",
            "from": user,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
    }


@st.composite
def updates(draw: st.DrawFn, session: Session) -> tuple[dict[str, Any], dict[str, Any]]:
    fake = session.fake
    user = draw(st.sampled_from([ALICE, BOB]))
    kind = draw(
        st.sampled_from(
            ["text", "command", "note", "press", "forged", "foreign", "mutated",
             "edited", "photo", "group", "member"]
        )
    )  # fmt: skip
    if kind == "text":
        return text_message(fake, user, draw(ANY_TEXT)), user
    if kind == "command":
        args = draw(st.one_of(st.sampled_from(NAMES), ANY_TEXT))
        return text_message(fake, user, f"{draw(st.sampled_from(COMMANDS))} {args}"), user
    if kind == "note":
        note = draw(st.sampled_from(NOTES)).format(n=draw(st.sampled_from(NAMES)))
        return text_message(fake, user, note + draw(ANY_TEXT)), user
    # Buttons shown so far depend on earlier examples: pick by a drawn number, so the
    # drawing itself stays the same from run to run.
    pick, at = draw(st.integers(0, 10_000)), draw(st.integers(0, 63))
    own = (session.buttons.get(user["id"]) or ["none"])[-30:]
    other = (session.buttons.get((BOB if user is ALICE else ALICE)["id"]) or ["none"])[-30:]
    if kind == "press":
        return press(user, own[pick % len(own)]), user
    if kind == "foreign":
        return press(user, other[pick % len(other)]), user
    if kind == "mutated":
        data = own[pick % len(own)]
        at %= len(data)
        flipped = "A" if data[at] != "A" else "B"
        return press(user, data[:at] + flipped + data[at + 1 :]), user
    if kind == "forged":
        return press(user, draw(st.text(max_size=64))), user
    if kind == "edited":
        return {
            "edited_message": {**fake.message(user, text=draw(ANY_TEXT)), "edit_date": DATE}
        }, user
    if kind == "photo":
        photo = [{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}]
        return {"message": fake.message(user, photo=photo, caption=draw(ANY_TEXT))}, user
    if kind == "group":
        message = {**fake.message(user, text=draw(ANY_TEXT)), "chat": GROUP}
        return {"message": message}, user
    member = {"user": {"id": 123456, "is_bot": True, "first_name": "Coach"}, "status": "kicked",
              "until_date": 0}  # fmt: skip
    change = {
        "chat": {"id": user["id"], "type": "private"},
        "from": user,
        "date": DATE,
        "old_chat_member": {**member, "status": "member"},
        "new_chat_member": member,
    }
    return {"my_chat_member": change}, user


@settings(
    max_examples=400,
    deadline=None,
    # The bot keeps state from one example to the next, so a failure can't be replayed
    # or shrunk faithfully: generate only, and report the first failing update as it is.
    phases=[Phase.generate],
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_update_breaks_the_bot_or_telegrams_limits(
    session: Session, data: st.DataObject
) -> None:
    update, user = data.draw(updates(session))
    session.feed(update, user)  # FakeTelegram.process checks every message sent
    assert not session.fake.errors, session.fake.errors


def test_foreign_and_forged_buttons_change_nothing(session: Session, tmp_path: Path) -> None:
    """After the fuzzing: Bob pressing every button Alice was shown leaves her data alone."""
    fake = session.fake
    session.feed(
        text_message(fake, ALICE, "/log Coffee with Maria Lopez. She loves sailing."), ALICE
    )
    session.feed(text_message(fake, ALICE, "/people"), ALICE)
    folder = fake.data_dir / "users" / str(ALICE["id"])
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    for data in session.buttons[ALICE["id"]][-60:]:
        session.feed(press(BOB, data), BOB)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert not fake.errors
