"""/garden, /week and /due through the real PTB Application and the offline Bot API."""

from __future__ import annotations

import io

from PIL import Image
from telegram_fakes import ALICE, FakeTelegram


async def test_garden_is_sent_as_a_photo_with_its_caption(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Coffee with Maria Lopez from Acme")
    before = len(telegram.calls_since("sendPhoto"))
    (sent,) = await telegram.text(ALICE, "/garden")
    (call,) = telegram.calls_since("sendPhoto")[before:]
    assert call.params["chat_id"] == ALICE["id"]
    assert "Your garden" in call.params["caption"]
    assert call.params["parse_mode"] == "HTML"
    (name, data, mime) = call.params["_files"]["photo"]
    assert name.endswith(".png")
    assert mime == "image/png"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size[0] == 1200
    assert sent.text == call.params["caption"]


async def test_week_and_due_answer_in_telegram_html(telegram: FakeTelegram) -> None:
    await telegram.text(ALICE, "/log Lunch with Tom Baker. I asked him for a referral.")
    (week,) = await telegram.text(ALICE, "/week")
    assert "<b>Your week</b>" in week.text
    (due,) = await telegram.text(ALICE, "/due")
    assert "Follow up with <b>Tom Baker</b>" in due.text
    (redrawn,) = await telegram.press(ALICE, due, "Done #1")
    assert "Done:" in redrawn.text
