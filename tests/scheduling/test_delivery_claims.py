"""Claims with an owner and a lease; uncertain sends flagged; split replies resumed; channels."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from offline_bot_api import OfflineBotAPI, answer_json, ok
from reminder_harness import Recorder, indexed_coach, log_note, service
from telegram import Bot
from telegram.error import TimedOut

from bot.channels.telegram.delivery import TelegramSender
from bot.domain.clock import ManualClock
from bot.domain.model import Contact, Reminder, ReminderKind, ReminderStatus
from bot.engine.coach import Coach
from bot.engine.replies import Button, Reply
from bot.scheduling import delivery
from bot.scheduling.outcomes import Blocked, Delivered, Uncertain
from bot.scheduling.service import TELEGRAM_RATE, ReminderService
from bot.storage.tinydb_repository import TinyRepository, user_folder
from bot.templates import TemplateLibrary

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
FLAG = "In case this already reached you"
BOT = {"id": 9, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def rcoach(tmp_path: Path, clock: ManualClock, templates: TemplateLibrary) -> Coach:
    return indexed_coach(tmp_path / "data", clock, templates)


def due_user(coach: Coach, user: str = "1001") -> None:
    coach.handle_text(user, "/settings quiet off")
    # Pings only; the digests have their own tests (tests/engine/insight).
    coach.handle_text(user, "/settings digest off")
    coach.handle_text(user, "/settings weekly off")
    log_note(coach, user, "Coffee with Maria Lopez")


def statuses(coach: Coach, user: str = "1001") -> list[str]:
    with coach.repository.session(user) as store:
        return sorted(r.status.value for r in store.reminders())


class Scripted(OfflineBotAPI):
    """sendMessage answers from a script: "ok", "timeout", "500"; records what arrived."""

    def __init__(self, script: list[str]) -> None:
        self.script = script
        self.arrived: list[str] = []

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        if endpoint == "getMe":
            return ok(BOT)
        step = self.script.pop(0) if self.script else "ok"
        if step == "500":
            return answer_json(500, {"ok": False, "description": "Internal Server Error"})
        self.arrived.append(str(params["text"]))
        if step == "timeout":
            raise TimedOut("the answer was lost")  # it arrived; we never heard back
        chat = {"id": int(params["chat_id"]), "type": "private"}
        return ok({"message_id": len(self.arrived), "date": 1, "chat": chat, "text": "x"})


async def telegram_sender(script: list[str]) -> tuple[TelegramSender, Scripted]:
    api = Scripted(script)
    bot = Bot("1:claims-test", request=api, get_updates_request=api)
    await bot.initialize()
    return TelegramSender(bot), api


async def test_a_timeout_is_uncertain_and_the_resend_says_so(
    rcoach: Coach, clock: ManualClock
) -> None:
    due_user(rcoach)
    sender, api = await telegram_sender(["timeout"])
    svc = service(rcoach, sender)
    await svc.start()
    clock.advance(timedelta(days=1))
    await svc.run_due()
    assert statuses(rcoach) == ["pending", "sending"]  # not failed, not delivered: uncertain
    clock.advance(timedelta(minutes=1))
    await svc.run_due()
    await svc.stop()
    first, second = api.arrived
    assert FLAG not in first
    assert second.startswith(f"<i>{FLAG}")
    assert statuses(rcoach) == ["delivered", "pending"]


async def test_a_definite_failure_is_retried_without_a_flag(
    rcoach: Coach, clock: ManualClock
) -> None:
    due_user(rcoach)
    sender, api = await telegram_sender(["500"])
    svc = service(rcoach, sender)
    await svc.start()
    clock.advance(timedelta(days=1))
    await svc.run_due()
    clock.advance(timedelta(minutes=1))
    await svc.run_due()
    await svc.stop()
    (only,) = api.arrived
    assert FLAG not in only


async def test_a_split_reply_resumes_at_the_first_piece_not_confirmed(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    # Due tomorrow, so the service's own job stays away while this test drives it by hand.
    tomorrow = NOW + timedelta(days=1)
    with coach.repository.session("1001") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_reminders([Reminder("r-1", ReminderKind.CUSTOM, tomorrow, "c-1", "x")])
    long_text = "\n".join(f"line {n} " + "word " * 30 for n in range(300))
    buttons = ((Button("Done", ref="ref"),),)
    with coach.repository.session("1001") as store:
        ((claimed, reply),) = delivery.claim(
            store,
            tomorrow,
            owner="test",
            render=lambda s, rs, cs: Reply(long_text, buttons),
            alive=lambda o: False,
        )
    sender, api = await telegram_sender(["ok", "500"])
    pieces = sender.split(reply, room=200)
    assert len(pieces) >= 3
    svc = service(coach, sender)
    await svc.start()
    assert not (await svc._send_envelope("1001", claimed, reply))[0]
    with coach.repository.session("1001") as store:
        (left,) = delivery.envelopes(store)
        kept = delivery.message(store, left.id)
    assert left.sent == [1]
    assert kept == reply
    assert (await svc._send_envelope("1001", left, reply))[0]
    await svc.stop()
    assert len(api.arrived) == len(pieces)  # every piece once: the first was not re-sent
    assert api.arrived[0] == pieces[0].text


async def test_a_kill_between_the_answer_and_the_record_flags_the_resend(
    rcoach: Coach, clock: ManualClock
) -> None:
    due_user(rcoach)
    clock.advance(timedelta(days=1))
    render = lambda s, rs, cs: Reply("Follow up with Maria")  # noqa: E731
    with rcoach.repository.session("1001") as store:
        ((envelope, _),) = delivery.claim(
            store, clock.now(), owner="dead", render=render, alive=bool
        )
        delivery.trying(store, envelope.id, 0, 1)
    # ...and the process died there. A new deliverer takes the dead owner's claim at once.
    sender = Recorder()
    svc = service(rcoach, sender)
    await svc.start()
    await svc.run_due()
    await svc.stop()
    (ping,) = sender.texts("1001")
    assert ping.startswith(f"<i>{FLAG}")
    assert statuses(rcoach) == ["delivered", "pending"]


def test_a_live_owners_claim_is_left_alone_until_its_lease_ends(
    tmp_path: Path,
) -> None:
    repo = TinyRepository(tmp_path / "data")
    with repo.session("1001") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_reminders([Reminder("r-1", ReminderKind.CUSTOM, NOW, "c-1", "x")])
    render = lambda s, rs, cs: Reply("x")  # noqa: E731
    with repo.session("1001") as store:
        ((mine, _),) = delivery.claim(store, NOW, owner="worker-a", render=render, alive=bool)
    assert mine.owner == "worker-a"
    with repo.session("1001") as store:
        assert delivery.claim(store, NOW, owner="worker-b", render=render, alive=bool) == []
    later = NOW + delivery.LEASE + timedelta(seconds=1)
    with repo.session("1001") as store:
        ((taken, _),) = delivery.claim(store, later, owner="worker-b", render=render, alive=bool)
    assert taken.id == mine.id
    assert taken.owner == "worker-b"


def test_a_user_level_reminder_is_never_cancelled_as_an_orphan(tmp_path: Path) -> None:
    repo = TinyRepository(tmp_path / "data")
    with repo.session("1001") as store:
        store.save_reminders(
            [
                Reminder("r-review", ReminderKind.CUSTOM, NOW, "", "weekly review"),
                Reminder("r-orphan", ReminderKind.CUSTOM, NOW, "c-gone", "x"),
            ]
        )
    with repo.session("1001") as store:
        ((envelope, _),) = delivery.claim(
            store, NOW, owner="a", render=lambda s, rs, cs: Reply("x"), alive=bool
        )
        assert list(envelope.attempts) == ["r-review"]
        assert [r.id for r in store.finished_reminders()] == ["r-orphan"]


async def test_the_bot_never_touches_a_terminal_user(
    tmp_path: Path, clock: ManualClock, templates: TemplateLibrary
) -> None:
    coach = indexed_coach(tmp_path / "data", clock, templates)
    coach.channel = "terminal"
    due_user(coach, "me")
    folder = user_folder(tmp_path / "data", "me")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    sender, api = await telegram_sender([])
    bot_coach = indexed_coach(tmp_path / "data", clock, templates)
    bot_coach.channel = "telegram"
    svc = service(bot_coach, sender)
    await svc.start()
    clock.advance(timedelta(days=1))
    await svc.run_due()
    await svc.stop()
    assert api.arrived == []
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


async def test_only_a_telegram_id_is_ever_a_chat() -> None:
    sender, api = await telegram_sender([])
    assert isinstance(await sender("me", Reply("hi")), Blocked)
    assert isinstance(await sender("1001", Reply("hi")), Delivered)
    assert len(api.arrived) == 1


async def test_one_service_per_channel_delivers(
    rcoach: Coach, clock: ManualClock, tmp_path: Path, templates: TemplateLibrary
) -> None:
    due_user(rcoach)
    first, second = Recorder(), Recorder()
    one = service(rcoach, first)
    two = service(indexed_coach(tmp_path / "data", clock, templates), second)
    await one.start()
    await two.start()
    assert two.deliverer is None  # standing by
    clock.advance(timedelta(days=1))
    await one.run_due()
    await two.run_due()
    await one.stop()
    await two._poll()  # the first stopped: the second takes over, finds it all delivered
    assert two.deliverer is not None
    await two.run_due()
    await two.stop()
    assert len(first.sent) == 1
    assert second.sent == []


async def test_sends_are_paced_at_telegrams_rate(rcoach: Coach) -> None:
    svc = ReminderService(coach=rcoach, send=Recorder())
    assert svc.max_per_second == TELEGRAM_RATE == 30.0
    await svc.start()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(16):
        await svc._pace()
    await svc.stop()
    assert loop.time() - started >= 15 / TELEGRAM_RATE - 0.01


def test_a_timed_out_send_is_uncertain_not_failed(tmp_path: Path) -> None:
    repo = TinyRepository(tmp_path / "data")
    with repo.session("1001") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_reminders([Reminder("r-1", ReminderKind.CUSTOM, NOW, "c-1", "x")])
    with repo.session("1001") as store:
        ((envelope, _),) = delivery.claim(
            store, NOW, owner="a", render=lambda s, rs, cs: Reply("x"), alive=bool
        )
        wait = delivery.failed(store, envelope.id, Uncertain("timeout"), NOW)
    with repo.session("1001") as store:
        (kept,) = delivery.envelopes(store)
        (reminder,) = store.reminders()
    assert kept.uncertain
    assert reminder.status is ReminderStatus.SENDING
    assert reminder.retry_at == NOW + wait
    # Pressing Done meanwhile wins: the envelope is dropped at the next claim.
    with repo.session("1001") as store:
        store.save_reminders([replace(reminder, status=ReminderStatus.DONE)])
    with repo.session("1001") as store:
        later = NOW + timedelta(hours=1)
        assert (
            delivery.claim(store, later, owner="a", render=lambda s, rs, cs: Reply("x"), alive=bool)
            == []
        )
        assert delivery.envelopes(store) == []


def test_a_reply_kept_apart_by_an_earlier_version_is_still_sent_and_then_removed(
    tmp_path: Path,
) -> None:
    repo = TinyRepository(tmp_path / "data")
    with repo.session("1001") as store:
        store.save_contact(Contact(id="c-1", name="Maria"))
        store.save_reminders([Reminder("r-1", ReminderKind.CUSTOM, NOW, "c-1", "x")])
    render = lambda s, rs, cs: Reply("the ping", ((Button("Done", ref="ref"),),))  # noqa: E731
    with repo.session("1001") as store:
        ((mine, reply),) = delivery.claim(store, NOW, owner="old", render=render, alive=bool)
        # One record for the envelope and its reply: as an earlier version wrote it, apart.
        outbox = store.state(delivery.OUTBOX)
        assert outbox is not None
        kept = outbox.pop("messages")
        assert set(kept) == {mine.id}
        store.set_state(delivery.OUTBOX, outbox)
        store.set_state(f"{delivery.MESSAGE_PREFIX}{mine.id}", {"reply": kept[mine.id]})
    later = NOW + delivery.LEASE + timedelta(seconds=1)
    with repo.session("1001") as store:
        ((taken, again),) = delivery.claim(store, later, owner="new", render=render, alive=bool)
        assert taken.id == mine.id
        assert again == reply
        assert delivery.sent(store, taken.id, 7, later)
        assert store.state(delivery.OUTBOX) is None
        assert store.state(f"{delivery.MESSAGE_PREFIX}{mine.id}") is None
