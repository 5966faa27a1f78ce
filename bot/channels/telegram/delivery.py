"""Sending to Telegram through its errors: flood waits, network failures, blocked bots.

``RetryAfter`` (a 429) waits as long as Telegram says and tries again; network
errors and timeouts are retried a few times with a growing pause. What still
fails goes to the outbox, which tries again later: no reply is lost. A
``Forbidden`` (the resident blocked the bot) marks the resident unreachable.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.telegram import CHANNEL
from bot.channels.telegram.rendering import render
from bot.db import transaction
from bot.models import Conversation, Resident
from bot.services import outbox
from bot.services.conversations import Reply

logger = logging.getLogger(__name__)

MAX_FLOOD_WAITS = 5
MAX_NETWORK_RETRIES = 4
FIRST_NETWORK_PAUSE_SECONDS = 0.5

T = TypeVar("T")


class ChatUnreachable(Exception):
    """Telegram refuses our messages to this chat: the resident blocked the bot."""


class NotDelivered(Exception):
    """Telegram did not take these replies, even after retrying."""

    def __init__(self, remaining: list[Reply], error: TelegramError) -> None:
        super().__init__(f"{len(remaining)} replies not delivered: {type(error).__name__}")
        self.remaining = remaining
        self.error = error


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, in seconds (a timedelta once PTB_TIMEDELTA is on, else an int)."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Bot API call, waiting out flood limits and retrying network failures a few times.

    A timeout may hide a request Telegram did get: retrying it can show a
    message twice, which beats losing it.
    """
    flood_waits = network_failures = 0
    while True:
        try:
            return await call()
        except RetryAfter as error:
            flood_waits += 1
            if flood_waits > MAX_FLOOD_WAITS:
                raise
            await asyncio.sleep(retry_after_seconds(error))
        except BadRequest:
            raise  # our request is wrong: sending it again cannot help
        except NetworkError:
            network_failures += 1
            if network_failures > MAX_NETWORK_RETRIES:
                raise
            await asyncio.sleep(FIRST_NETWORK_PAUSE_SECONDS * 2 ** (network_failures - 1))


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send the replies in order; ``ChatUnreachable`` or ``NotDelivered`` (with what is left) on failure."""
    for index, reply in enumerate(replies):
        for message in render(reply):
            try:
                await with_retries(lambda message=message: _send(bot, chat_id, message))
            except Forbidden as error:
                raise ChatUnreachable(str(error)) from error
            except TelegramError as error:
                raise NotDelivered(list(replies[index:]), error) from error


async def _send(bot: Bot, chat_id: int, message: dict[str, Any]) -> Message:
    return await bot.send_message(chat_id=chat_id, **message)


async def deliver(bot: Bot, database_url: str, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send the answer to a resident's message; what Telegram does not take now goes to the outbox."""
    try:
        await send_replies(bot, chat_id, replies)
    except ChatUnreachable:
        await asyncio.to_thread(_mark_unreachable, database_url, chat_id)
    except NotDelivered as failure:
        logger.warning("replies not delivered (%s): queued in the outbox", type(failure.error).__name__)
        await asyncio.to_thread(_queue, database_url, chat_id, failure.remaining)


def _mark_unreachable(database_url: str, chat_id: int) -> None:
    with transaction(database_url) as session:
        given_up = outbox.mark_unreachable(session, channel=CHANNEL, external_id=str(chat_id))
    logger.info("a resident blocked the bot: marked unreachable, %d outbox messages given up", given_up)


def _queue(database_url: str, chat_id: int, replies: list[Reply]) -> None:
    with transaction(database_url) as session:
        conversation_id = session.scalar(
            select(Conversation.id)
            .join(Resident, Conversation.resident_id == Resident.id)
            .where(Resident.channel == CHANNEL, Resident.external_id == str(chat_id))
            .order_by(Conversation.last_message_at.desc())
            .limit(1)
        )
        if conversation_id is None:
            # Only our own texts (help, "voice notes unsupported") have no conversation: no transcript to keep.
            logger.warning("a text of the gateway was not delivered and has no conversation to wait in")
            return
        for reply in replies:
            outbox.enqueue(session, conversation_id=conversation_id, text=reply.text, buttons=reply.buttons)
