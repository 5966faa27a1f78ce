"""The gateway inside the web app in webhook mode: Telegram posts each update to ``/telegram/webhook``.

Each update is handled before the web app answers, so a 200 means the message
is stored. The web app also delivers the Telegram outbox in this mode, since no
polling worker runs.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.telegram.app import ALLOWED_UPDATES, builder, prepare, publish_command_menu
from bot.channels.telegram.handlers import Gateway
from bot.channels.telegram.ordering import ChatLocks
from bot.channels.telegram.outbox_worker import OutboxWorker
from bot.router import Router
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_CONNECT_PAUSE_SECONDS = 60


class TelegramWebhook:
    """Registers the webhook with Telegram, then handles the updates the web app receives."""

    def __init__(self, settings: Settings, router: Router) -> None:
        self.secret = settings.telegram_webhook_secret or ""
        self._url = settings.telegram_webhook_url or ""
        self._application = builder(settings).updater(None).build()
        prepare(self._application, Gateway(router, settings.database_url, settings.default_tenant))
        self._application.add_error_handler(self._note_failure)
        self._outbox = OutboxWorker(self._application.bot, settings.database_url)
        self._connecting: asyncio.Task[None] | None = None
        self._failed: set[int] = set()
        self._chats = ChatLocks()
        self.ready = False

    def start(self) -> None:
        """Connect to Telegram in the background: the web app serves its other routes meanwhile."""
        self._connecting = asyncio.create_task(self._connect(), name="telegram-webhook-connect")

    async def _connect(self) -> None:
        """Initialize and register the webhook, retrying while Telegram cannot be reached."""
        pause = 1.0
        while True:
            try:
                await self._application.initialize()
                await self._application.bot.set_webhook(
                    self._url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
                )
                break
            except TelegramError:
                logger.exception("Telegram webhook not registered yet; next try in %.0f s", pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_CONNECT_PAUSE_SECONDS)
        await publish_command_menu(self._application)
        self._outbox.start()
        self.ready = True
        logger.info("Telegram webhook registered for @%s", self._application.bot.username)

    async def handle(self, data: dict[str, Any]) -> bool:
        """Handle one update; False when it failed and Telegram should send it again.

        One we cannot read is logged and counts as handled: sending it again would not help.
        """
        update = self._read(data)
        if update is None:
            logger.warning("Telegram webhook: unreadable update ignored")
            return True
        # Telegram may post several updates of one chat at once: they are handled in order.
        async with self._chats.hold(update):
            await self._application.process_update(update)
        if update.update_id in self._failed:
            self._failed.discard(update.update_id)
            return False
        return True

    async def _note_failure(self, update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Remember an update whose handling raised (the database was down…), to answer it with a 500."""
        if isinstance(update, Update):
            self._failed.add(update.update_id)

    def _read(self, data: dict[str, Any]) -> Update | None:
        if not isinstance(data.get("update_id"), int):
            return None
        try:
            return Update.de_json(data, self._application.bot)
        # What PTB raises on JSON that is not an update: it has no parse error of its own.
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    async def stop(self) -> None:
        """Stop connecting or delivering, and close the bot's connections."""
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        if self.ready:
            await self._outbox.stop()
        await self._application.shutdown()


@asynccontextmanager
async def running_webhook(settings: Settings, router: Router) -> AsyncIterator[TelegramWebhook | None]:
    """The webhook gateway while the web app runs; None when webhook mode is off."""
    if not settings.telegram_webhook_url:
        yield None
        return
    webhook = TelegramWebhook(settings, router)
    webhook.start()
    try:
        yield webhook
    finally:
        await webhook.stop()
