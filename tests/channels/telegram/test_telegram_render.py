"""Engine replies as Bot API messages: splitting at 4096 and keyboards."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.render import (
    MAX_MESSAGE,
    keyboard,
    messages,
    split_html,
    telegram_length,
)
from bot.engine.replies import Button, Reply


def test_short_text_is_one_piece() -> None:
    assert split_html("<b>hi</b>\nthere") == ["<b>hi</b>\nthere"]


def test_long_text_splits_on_line_boundaries() -> None:
    lines = [f"line {i} " + "word " * 20 for i in range(200)]
    text = "\n".join(lines)

    pieces = split_html(text)

    assert len(pieces) > 1
    assert all(telegram_length(p) <= MAX_MESSAGE for p in pieces)
    assert "\n".join(pieces) == text
    assert all(p.split("\n")[0] in lines for p in pieces)


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    text = "<b>" + "\n".join(f"bold line {i} " + "x" * 50 for i in range(200)) + "</b>"

    pieces = split_html(text)

    assert len(pieces) > 1
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in pieces)


def test_a_single_huge_line_is_cut_outside_entities() -> None:
    text = "&amp; " * 2000

    pieces = split_html(text)

    assert all(telegram_length(p) <= MAX_MESSAGE for p in pieces)
    assert all(not p.rstrip().endswith("&amp") for p in pieces)
    assert "".join(pieces).count("&amp;") == 2000


def test_emoji_count_double_like_telegram_counts_them() -> None:
    text = "\n".join("🙂" * 100 for _ in range(30))  # 3000 characters, 6000+ UTF-16 units

    pieces = split_html(text)

    assert len(pieces) == 2
    assert all(telegram_length(p) <= MAX_MESSAGE for p in pieces)


TOKENS = ["word", "&amp;", "<b>bold</b>", "<i>it</i>", "🙂", " ", "  ", "\n"]


def visible_words(html: str) -> str:
    return "".join(re.sub(r"<[^>]+>", "", html).split())


@given(st.lists(st.sampled_from(TOKENS), max_size=600))
def test_split_never_exceeds_the_limit_or_loses_words(tokens: list[str]) -> None:
    text = "".join(tokens)
    if not text.strip():
        return
    pieces = split_html(text, limit=200)
    assert all(telegram_length(p) <= 200 for p in pieces)
    assert visible_words("".join(pieces)) == visible_words(text)


def test_keyboard_renders_refs_as_callback_data_and_urls_as_links() -> None:
    reply = Reply(
        "Draft",
        (
            (
                Button("Share in Telegram", url="https://t.me/share/url?text=hi"),
                Button("Done", ref="r1"),
            ),
        ),
    )

    markup = keyboard(reply)

    assert markup is not None
    share, done = markup.inline_keyboard[0]
    assert share.url == "https://t.me/share/url?text=hi"
    assert share.callback_data is None
    assert done.callback_data == "r1"


def test_an_oversized_ref_is_refused_rather_than_sent() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(Reply("x", ((Button("Go", ref="é" * 40),),)))


def test_keyboard_goes_on_the_last_piece_only() -> None:
    reply = Reply("\n".join("y" * 100 for _ in range(100)), ((Button("OK", ref="r"),),))

    out = messages(reply)

    assert [m.markup is not None for m in out] == [False] * (len(out) - 1) + [True]
