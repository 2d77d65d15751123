"""Any bytes at all: the readers report or refuse, never crash, and planning copes."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.transfer.merge import Snapshot, plan_for
from bot.transfer.people import UnreadableFile
from bot.transfer.upload import read_upload

NOW = datetime(2026, 11, 27, tzinfo=UTC)
VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:3.0",
        "VERSION:4.0",
        "FN:Ada Lovelace",
        "N:Lovelace;Ada;;;",
        "FN:",
        "BDAY:--0229",
        "BDAY:1815-12-10",
        "BDAY:nonsense",
        "EMAIL:ada@example.org",
        "TEL;VALUE=uri:tel:+44-20-7946-0000",
        "ORG:;",
        "KIND:group",
        "PHOTO;ENCODING=b:////",
        " folded continuation",
        "X-ABDATE:2000-01-01",
        "::::",
        "\ud83d",
        "item1.X-ABLabel:_$!<Anniversary>!$_",
        "NOTE:a\\nb\\,c",
        "BEGIN:VCALENDAR",
    ]
)


def check(data: bytes) -> None:
    try:
        upload = read_upload("fuzz", data)
    except UnreadableFile:
        return  # refused whole, with a reason: fine
    plan = plan_for(Snapshot.empty("u"), upload, NOW)
    assert all(c.name.strip() for c in plan.new)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(VCARD_LINES, max_size=30))
def test_random_vcard_lines(lines: list[str]) -> None:
    check("\n".join(lines).encode("utf-8", errors="surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=8))
def test_random_tables(rows: list[list[str]]) -> None:
    text = "First Name,Last Name,Email\n" + "\n".join(",".join(r) for r in rows)
    check(text.encode("utf-8", errors="surrogatepass"))
