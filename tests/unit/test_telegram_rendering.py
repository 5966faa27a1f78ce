"""Rendering a bot reply into Telegram sendMessage arguments (a pure function)."""

import html
import re

import pytest
from telegram import InlineKeyboardMarkup

from bot.channels.telegram.rendering import BUTTONS_ONLY_TEXT, render, split_text, telegram_length
from bot.services.conversations import Button, Reply

MENU = (Button("Économies d'énergie", "/topic_energy"), Button("Parler à un médiateur", "/request_human"))


def unescaped(message: dict) -> str:
    return html.unescape(message["text"])


@pytest.mark.parametrize(
    "text",
    [
        "*gras* et _souligné_ et `code`",
        "<b>pas du HTML</b> & <script>alert(1)</script>",
        "5 < 6 > 2 && 1 &amp; 2 &lt;",
        "[lien](https://example.fr/a_b?x=1&y=2)",
    ],
)
def test_user_and_knowledge_text_is_escaped_so_it_shows_exactly_as_written(text):
    (message,) = render(Reply(text=text))

    assert message["parse_mode"] == "HTML"
    assert not re.search(r"<|>|&(?!(amp|lt|gt);)", message["text"])
    assert unescaped(message) == text


def test_urls_stay_plain_text_for_telegram_to_link():
    (message,) = render(Reply(text="Voir https://www.energie-info.fr/fiche_pratique/treve-hivernale/ ici."))

    assert "https://www.energie-info.fr/fiche_pratique/treve-hivernale/" in message["text"]
    assert "<a" not in message["text"]


def test_buttons_become_an_inline_keyboard_whose_callback_data_is_the_payload():
    (message,) = render(Reply(text="Menu", buttons=MENU))

    keyboard = message["reply_markup"]
    assert isinstance(keyboard, InlineKeyboardMarkup)
    assert [(b.text, b.callback_data) for row in keyboard.inline_keyboard for b in row] == [
        ("Économies d'énergie", "/topic_energy"),
        ("Parler à un médiateur", "/request_human"),
    ]


def test_a_payload_over_64_bytes_is_left_out_and_the_rest_is_kept(caplog):
    too_long = Button("Trop long", "/book_visit" + "é" * 30)

    (message,) = render(Reply(text="Menu", buttons=(too_long, *MENU)))

    assert [b.callback_data for row in message["reply_markup"].inline_keyboard for b in row] == [
        "/topic_energy",
        "/request_human",
    ]
    assert "left out" in caplog.text and "é" not in caplog.text


def test_a_reply_of_buttons_only_still_has_a_text():
    (message,) = render(Reply(text="", buttons=MENU))

    assert message["text"] == BUTTONS_ONLY_TEXT


def test_an_empty_reply_renders_nothing():
    assert render(Reply(text="  ")) == []


def test_a_long_reply_is_split_at_sentences_with_the_buttons_on_the_last_part():
    text = " ".join(f"Phrase numéro {i} sur les économies d'énergie." for i in range(300))

    messages = render(Reply(text=text, buttons=MENU))

    assert len(messages) == 4
    assert all(telegram_length(unescaped(m)) <= 4096 for m in messages)
    assert all(unescaped(m).endswith(".") for m in messages)
    assert " ".join(unescaped(m) for m in messages) == text
    assert ["reply_markup" in m for m in messages] == [False, False, False, True]


def test_the_limit_counts_characters_after_escaping_not_the_entities():
    text = "&" * 4000

    (message,) = render(Reply(text=text))

    assert unescaped(message) == text


def test_split_prefers_sentences_then_lines_then_words():
    assert split_text("Un. Deux. Trois.", limit=10) == ["Un. Deux.", "Trois."]
    assert split_text("ligne une\nligne deux", limit=12) == ["ligne une", "ligne deux"]
    assert split_text("mot mot mot mot", limit=8) == ["mot mot", "mot mot"]


def test_a_word_longer_than_a_message_is_cut_anywhere():
    assert split_text("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_emoji_count_two_as_telegram_counts_them():
    parts = split_text("👉" * 10, limit=10)

    assert parts == ["👉" * 5, "👉" * 5]


def test_a_short_text_is_one_part_unchanged():
    text = "Le chèque énergie aide à payer.\n\n👉 Gardez votre avis d'impôt."

    assert split_text(text) == [text]
