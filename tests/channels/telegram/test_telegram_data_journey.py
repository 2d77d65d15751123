"""A user's whole journey with their data in Telegram: a phone's .vcf in, /export out,
/forget me, the export back in, and nothing of theirs left in files or logs between."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from icalendar import Calendar
from telegram_fakes import ALICE, FakeTelegram

FIXTURES = Path(__file__).parents[2] / "data" / "import"
NOTES = (
    "/log Coffee with Maria Lopez from Acme at ProductCon. She is training for the Berlin "
    "marathon. I promised to send her the deck by Friday.",
    "/log Lunch with Tom Becker from Stripe. He helped me with an intro to Sara.",
)


async def export(telegram: FakeTelegram) -> dict[str, bytes]:
    """Ask for /export; return the documents it sent, by extension."""
    before = len(telegram.request.documents)
    await telegram.text(ALICE, "/export")
    return {name.rsplit(".", 1)[1]: data for _, name, data in telegram.request.documents[before:]}


async def forget_me(telegram: FakeTelegram) -> str:
    first = (await telegram.text(ALICE, "/forget me"))[-1]
    second = (await telegram.press(ALICE, first, "Continue"))[-1]
    return (await telegram.press(ALICE, second, "Erase everything now"))[-1].text


async def test_vcf_export_forget_me_and_the_export_back_in_a_non_utc_zone(
    telegram: FakeTelegram, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the bot's default --log-level
    phone = (FIXTURES / "iphone.vcf").read_bytes()
    await telegram.press(ALICE, (await telegram.document(ALICE, "c.vcf", phone))[-1], "Import")
    for note in NOTES:
        await telegram.text(ALICE, note)
    await telegram.text(ALICE, "/settings timezone Europe/Berlin")
    await telegram.text(ALICE, "/settings quiet 22:30-07:15")
    files = await export(telegram)
    assert sorted(files) == ["csv", "ics", "json"]
    calendar = Calendar.from_ical(files["ics"])
    assert {str(e["DTSTART"].params["TZID"]) for e in calendar.walk("VEVENT")} == {"Europe/Berlin"}

    assert "I erased everything" in await forget_me(telegram)
    left = [p for p in data_dir.rglob("*") if p.is_file() and p.name != "secret.key"]
    for path in left:
        content = path.read_bytes()
        for trace in (str(ALICE["id"]), "Maria", "Appleseed", "Berlin", "Stripe"):
            assert trace.encode() not in content, f"{trace} left in {path}"
        assert str(ALICE["id"]) not in str(path)

    # The export goes back in after the erase: the user's first message made a fresh
    # profile with digests planned in UTC, and the restore must not leave those behind.
    preview = (await telegram.document(ALICE, "back.json", files["json"]))[-1]
    assert "time zone Europe/Berlin" in preview.text
    await telegram.press(ALICE, preview, "Import")
    await telegram.text(ALICE, "/people")  # another turn: digest planning sees it all in order
    again = await export(telegram)
    assert json.loads(again["json"]) == json.loads(files["json"])

    for record in caplog.records:
        line = record.getMessage()
        for trace in ("Maria", "Appleseed", "Tom Becker", "marathon"):
            assert trace not in line, f"{trace} logged: {line}"
