"""Delivers the outbox of Telegram conversations (mediator replies, notices), about every second."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import Bot

from bot.channels.telegram import CHANNEL, updates
from bot.channels.telegram.delivery import ChatUnreachable, NotDelivered, send_replies
from bot.db import transaction
from bot.services import outbox
from bot.services.conversations import Reply

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
CLEANUP_EVERY_SECONDS = 3600


class OutboxWorker:
    """A background task of the gateway's event loop: start it, stop it, nothing else."""

    def __init__(self, bot: Bot, database_url: str, poll_seconds: float = POLL_SECONDS) -> None:
        self._bot = bot
        self._database_url = database_url
        self._poll_seconds = poll_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start delivering in the background."""
        self._task = asyncio.create_task(self._run(), name="telegram-outbox")

    async def stop(self) -> None:
        """Finish the current round, then stop."""
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        next_cleanup = time.monotonic()
        while not self._stopping.is_set():
            try:
                await deliver_due(self._bot, self._database_url)
                if time.monotonic() >= next_cleanup:
                    await asyncio.to_thread(updates.forget_old, self._database_url)
                    next_cleanup = time.monotonic() + CLEANUP_EVERY_SECONDS
            except SQLAlchemyError:
                # The database may be restarting: the messages wait in it, try again next round.
                logger.exception("outbox: database unavailable")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._poll_seconds)


async def deliver_due(bot: Bot, database_url: str) -> int:
    """Deliver the messages due now, one per conversation, in parallel; return how many were tried."""
    pending = await asyncio.to_thread(_due, database_url)
    await asyncio.gather(*(_deliver_one(bot, database_url, item) for item in pending))
    return len(pending)


def _due(database_url: str) -> list[outbox.Pending]:
    with transaction(database_url) as session:
        return outbox.due(session, channel=CHANNEL)


async def _deliver_one(bot: Bot, database_url: str, item: outbox.Pending) -> None:
    if item.unreachable:
        change = partial(outbox.give_up, message_id=item.id, reason=outbox.UNREACHABLE)
    else:
        change = await _attempt(bot, item)
    await asyncio.to_thread(_record, database_url, change)


async def _attempt(bot: Bot, item: outbox.Pending) -> Callable[[Session], object]:
    """Send one message; return the outbox change that records how it went."""
    try:
        await send_replies(bot, int(item.external_id), [Reply(text=item.text, buttons=item.buttons)])
    except ChatUnreachable:
        return partial(outbox.mark_unreachable, channel=CHANNEL, external_id=item.external_id)
    except NotDelivered as failure:
        return partial(outbox.mark_failed, message_id=item.id, error=f"{type(failure.error).__name__}: {failure.error}")
    return partial(outbox.mark_delivered, message_id=item.id)


def _record(database_url: str, change: Callable[[Session], object]) -> None:
    with transaction(database_url) as session:
        change(session)
