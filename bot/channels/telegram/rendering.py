"""A bot reply as Telegram ``sendMessage`` arguments: escaped HTML, inline keyboard, split to fit.

Pure functions, so every rule is tested directly. Telegram parses HTML strictly and
refuses a whole message over one stray ``<`` or ``&``; everything a resident, a
mediator or ``knowledge/`` wrote is therefore escaped, and ``*`` or ``_`` mean
nothing in HTML mode. URLs stay plain text: Telegram links them by itself.
"""

import html
import logging
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit, ParseMode

from bot.services.conversations import Button, Reply

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted after HTML parsing
MAX_CALLBACK_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64

# Where a long text may be cut, best first: after a sentence, before a line, between words.
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…])(?=\s)|(?=\n)")
_WORD_BOUNDARY = re.compile(r"(?=\s)")
# Telegram refuses a message without text, even one that only carries buttons.
BUTTONS_ONLY_TEXT = "Choisissez ci-dessous :"


def render(reply: Reply) -> list[dict[str, Any]]:
    """The ``send_message`` keyword arguments (without ``chat_id``) for one reply, in order."""
    keyboard = inline_keyboard(reply.buttons)
    parts = split_text(reply.text) or ([BUTTONS_ONLY_TEXT] if keyboard else [])
    # Only <, > and & mean something in Telegram's HTML outside a tag's attributes.
    messages: list[dict[str, Any]] = [
        {"text": html.escape(part, quote=False), "parse_mode": ParseMode.HTML} for part in parts
    ]
    if keyboard is not None:
        # The buttons answer the whole reply, so they follow its last part.
        messages[-1]["reply_markup"] = keyboard
    return messages


def render_text(text: str) -> list[dict[str, Any]]:
    """The ``send_message`` arguments for a plain text of ours."""
    return render(Reply(text=text))


def inline_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One button per row (titles are long on a phone); payloads over Telegram's limit are left out."""
    rows = []
    for button in buttons:
        if len(button.payload.encode()) > MAX_CALLBACK_DATA_BYTES:
            # Telegram would refuse the whole message for this one button.
            logger.error("button payload of %d bytes left out (limit 64)", len(button.payload.encode()))
            continue
        rows.append([InlineKeyboardButton(text=button.title, callback_data=button.payload)])
    return InlineKeyboardMarkup(rows) if rows else None


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at sentence boundaries when it can."""
    parts: list[str] = []
    current, length = "", 0
    for piece in _pieces(text, limit):
        piece_length = telegram_length(piece)
        if current and length + piece_length > limit:
            parts.append(current.rstrip())
            current = piece.lstrip()
            length = telegram_length(current)
        else:
            current += piece
            length += piece_length
    parts.append(current.rstrip())
    return [part for part in parts if part.strip()]


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (with the space before them); one too long is cut between words, then anywhere."""
    pieces: list[str] = []
    for sentence in _SENTENCE_BOUNDARY.split(text):
        if telegram_length(sentence) <= limit:
            pieces.append(sentence)
            continue
        for word in _WORD_BOUNDARY.split(sentence):
            pieces.extend([word] if telegram_length(word) <= limit else _cut(word, limit))
    return pieces


def _cut(word: str, limit: int) -> list[str]:
    """A word longer than a whole message (a pasted URL…), in chunks that fit."""
    chunks: list[str] = []
    start, length = 0, 0
    for index, char in enumerate(word):
        size = telegram_length(char)
        if length + size > limit:
            chunks.append(word[start:index])
            start, length = index, 0
        length += size
    chunks.append(word[start:])
    return chunks


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2
