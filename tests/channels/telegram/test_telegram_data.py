"""Your data in Telegram: a .vcf document imports after a preview, /export sends three files,
a private deployment refuses strangers without storing anything, the admin hears of errors."""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from telegram_fakes import ALICE, BOB, TOKEN, FakeTelegram

from bot.config import Settings
from bot.domain.clock import ManualClock

FIXTURES = Path(__file__).parents[2] / "data" / "import"


async def test_vcf_document_previews_then_imports_into_people(telegram: FakeTelegram) -> None:
    data = (FIXTURES / "iphone.vcf").read_bytes()
    preview = (await telegram.document(ALICE, "contacts.vcf", data))[-1]
    assert "5 new people" in preview.text
    assert "Nothing is saved until you tap Import" in preview.text
    people = (await telegram.text(ALICE, "/people"))[-1]
    assert "Johnny" not in people.text  # nothing saved before the tap

    done = await telegram.press(ALICE, preview, "Import")
    assert "Imported from <b>contacts.vcf</b>" in done[-1].text
    people = (await telegram.text(ALICE, "/people"))[-1]
    assert "Johnny Appleseed" in people.text
    assert "Siobhán O'Neill" in html.unescape(people.text)

    again = (await telegram.document(ALICE, "contacts.vcf", data))[-1]
    assert "nothing new" in again.text
    assert again.keyboard == []


async def test_cancel_imports_nothing_and_old_buttons_do_nothing(telegram: FakeTelegram) -> None:
    data = (FIXTURES / "vcard4.vcf").read_bytes()
    preview = (await telegram.document(ALICE, "v4.vcf", data))[-1]
    cancelled = await telegram.press(ALICE, preview, "Cancel")
    assert "Nothing was imported" in cancelled[-1].text
    stale = await telegram.press(ALICE, preview, "Import")
    assert "no longer waiting" in stale[-1].text
    assert "Zoë" not in (await telegram.text(ALICE, "/people"))[-1].text


async def test_another_users_import_button_is_refused(telegram: FakeTelegram) -> None:
    preview = (await telegram.document(ALICE, "c.vcf", (FIXTURES / "iphone.vcf").read_bytes()))[-1]
    answer = await telegram.press(BOB, preview, "Import")
    assert answer == []  # a foreign press: a toast, nothing imported
    assert "expired" in telegram.toast()
    assert "Johnny" not in (await telegram.text(BOB, "/people"))[-1].text


async def test_import_path_is_refused_in_telegram(telegram: FakeTelegram) -> None:
    sent = await telegram.text(ALICE, "/import /etc/passwd")
    assert "can't open files on this computer" in sent[-1].text
    assert "root" not in sent[-1].text


async def test_oversized_document_is_refused_before_download(telegram: FakeTelegram) -> None:
    sent = await telegram.document(ALICE, "huge.vcf", b"BEGIN:VCARD", size=6 * 1024 * 1024)
    assert "5 MB" in sent[-1].text
    assert telegram.calls_since("getFile") == []


async def test_bad_document_gets_a_clear_reply(telegram: FakeTelegram) -> None:
    sent = await telegram.document(ALICE, "photo.png", b"\x89PNG\r\n\x1a\n....")
    assert "can't import <b>photo.png</b>" in sent[-1].text
    assert "image" in sent[-1].text


async def test_large_import_shows_one_progress_message(telegram: FakeTelegram) -> None:
    cards = "".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {i}\nEND:VCARD\n" for i in range(1500)
    ).encode()
    preview = (await telegram.document(ALICE, "many.vcf", cards))[-1]
    assert "1,500 new people" in preview.text
    before = len(telegram.request.calls)
    done = await telegram.press(ALICE, preview, "Import")
    calls = telegram.request.calls[before:]
    progress = [c for c in calls if c.method == "sendMessage" and "Importing" in c.params["text"]]
    assert len(progress) == 1  # one message...
    edits = [c for c in calls if c.method == "editMessageText"]
    assert edits  # ...edited as it goes
    assert "1,500 of 1,500" in edits[-1].params["text"]
    assert "1,500 new people" in done[-1].text


async def test_export_sends_three_documents_with_the_users_zone(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Coffee with Maria Lopez from Acme. Her birthday is 12 May.")
    await telegram.text(ALICE, "/settings")
    sent = await telegram.text(ALICE, "/export")
    assert "three files" in sent[-1].text
    documents = [d for d in telegram.request.documents if d[0] == ALICE["id"]]
    names = sorted(name.rsplit(".", 1)[1] for _, name, _ in documents)
    assert names == ["csv", "ics", "json"]
    ics = next(content for _, name, content in documents if name.endswith(".ics"))
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert events
    assert any("Maria Lopez" in str(e["SUMMARY"]) for e in events)
    assert all(e.decoded("DTSTART").tzinfo is not None for e in events)


async def test_export_events_carry_a_non_utc_zone(data_dir: Path, clock: ManualClock) -> None:
    fake = FakeTelegram(data_dir, clock)
    async with fake.app:
        coach = fake.app.bot_data.coach
        assert coach is not None
        with coach.repository.session(str(ALICE["id"])) as store:
            profile = store.profile()
            profile.timezone = "Europe/Berlin"
            store.save_profile(profile)
        await fake.text(ALICE, "/log Lunch with Tom Becker. I promised to send him the deck.")
        await fake.text(ALICE, "/export")
    ics = next(c for _, n, c in fake.request.documents if n.endswith(".ics"))
    calendar = Calendar.from_ical(ics)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        start = event.decoded("DTSTART")
        assert start.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
        assert start.hour == 9  # a local morning, as the reminder


async def test_a_stranger_is_refused_and_nothing_is_stored(
    data_dir: Path, clock: ManualClock
) -> None:
    settings = Settings(data_dir=data_dir, allowed_users=frozenset({ALICE["id"]}))
    fake = FakeTelegram(data_dir, clock, settings)
    async with fake.app:
        assert "Ann Lee" in (await fake.text(ALICE, "/log Coffee with Ann Lee"))[0].text
        files_before = sorted(p for p in data_dir.rglob("*") if p.is_file())
        refused = await fake.text(BOB, "/start")
        await fake.text(BOB, "Coffee with Maria Lopez, she runs marathons")
        await fake.document(BOB, "c.vcf", (FIXTURES / "iphone.vcf").read_bytes())
        await fake.press_data(BOB, "made-up")
    assert "private" in refused[0].text
    assert str(BOB["id"]) not in {p.name for p in data_dir.rglob("*")}
    assert sorted(p for p in data_dir.rglob("*") if p.is_file()) == files_before
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert str(BOB["id"]).encode() not in path.read_bytes()
    answers = [c for c in fake.request.calls if c.method == "answerCallbackQuery"]
    assert "private" in answers[-1].params["text"]


async def test_nobody_allowed_means_nothing_stored_at_all(
    data_dir: Path, clock: ManualClock
) -> None:
    fake = FakeTelegram(data_dir, clock, Settings(data_dir=data_dir, allowed_users=frozenset({1})))
    async with fake.app:
        await fake.text(ALICE, "/start")
        await fake.text(ALICE, "Lunch with Tom")
    assert not (data_dir / "users").exists()


async def test_admin_gets_a_short_report_without_user_text_or_token(
    data_dir: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = 999
    fake = FakeTelegram(data_dir, clock, Settings(data_dir=data_dir, admin_id=admin))
    async with fake.app:
        coach = fake.app.bot_data.coach
        assert coach is not None

        def broken(user_id: str, text: str) -> list[object]:
            raise ValueError(f"could not handle {text!r} with {TOKEN}")

        monkeypatch.setattr(coach, "handle_text", broken)
        await fake.text(ALICE, "Dinner with my secret friend Zed")
        await fake.text(ALICE, "Dinner with my secret friend Zed")  # the same failure again
    reports = [
        c.params["text"]
        for c in fake.request.calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == admin
    ]
    assert len(reports) == 1
    assert "ValueError" in reports[0]
    assert "a message" in reports[0]
    assert "Zed" not in reports[0]
    assert TOKEN not in reports[0]
    assert TOKEN.split(":")[0] not in reports[0]
    fake.errors.clear()


async def test_forget_me_in_telegram_erases_the_users_every_file(
    telegram: FakeTelegram, data_dir: Path
) -> None:
    await telegram.text(ALICE, "/log Coffee with Maria Lopez from Acme. She runs marathons.")
    await telegram.document(ALICE, "c.vcf", (FIXTURES / "vcard4.vcf").read_bytes())
    await telegram.text(BOB, "/log Lunch with Tom Becker.")
    first = (await telegram.text(ALICE, "/forget me"))[-1]
    second = (await telegram.press(ALICE, first, "Continue"))[-1]
    done = await telegram.press(ALICE, second, "Erase everything now")
    assert "I erased everything" in done[-1].text
    alice = str(ALICE["id"]).encode()
    for path in data_dir.rglob("*"):
        assert str(ALICE["id"]) not in path.name
        if path.is_file():
            assert alice not in path.read_bytes()
            assert b"Maria" not in path.read_bytes()
    assert "Tom Becker" in (await telegram.text(BOB, "/people"))[-1].text
