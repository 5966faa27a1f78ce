"""The python-telegram-bot application, and the polling worker (``python -m bot.cli serve-telegram``).

Polling needs no public address, so it is the default. In webhook mode
(``TELEGRAM_WEBHOOK_URL``) the web app takes updates instead: see ``webhook``.
"""

import logging
import os
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.channels.telegram import handlers, texts
from bot.channels.telegram.ordering import PerChatUpdateProcessor
from bot.channels.telegram.outbox_worker import OutboxWorker
from bot.channels.telegram.ratelimit import TelegramRateLimiter
from bot.rasa_client import RasaClient
from bot.router import Router
from bot.services.privacy import Privacy
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Updates of different chats are handled in parallel (each chat in order: see ordering).
CONCURRENT_UPDATES = 32
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
RUNTIME_KEY = "runtime"


def builder(settings: Settings) -> ApplicationBuilder:
    """An application builder for the bot of ``settings``, on ``TELEGRAM_API_BASE_URL``."""
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # Opt in to PTB's coming default (durations as timedelta): without it, PTB 22 warns on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    # httpx logs every request's URL at INFO, and the Bot API's URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    root = settings.telegram_api_base_url.rstrip("/")
    return (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .rate_limiter(TelegramRateLimiter())
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
    )


def prepare(application: Application, gateway: handlers.Gateway) -> None:
    """Register the handlers and the error handler."""
    handlers.register(application, gateway)
    application.add_error_handler(on_error)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failure with its traceback and the update's id, never its content (personal data)."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.exception("error while handling update %s", update_id, exc_info=context.error)


async def publish_command_menu(application: Application) -> None:
    """Show our commands in Telegram's "/" menu; without it they still work, so a failure is only logged."""
    try:
        await application.bot.set_my_commands(texts.COMMAND_MENU)
    except TelegramError as error:
        logger.warning("could not publish the command menu (%s)", type(error).__name__)


@dataclass
class PollingRuntime:
    """The clients of the polling worker, made in ``post_init`` and closed at shutdown."""

    rasa: RasaClient
    outbox: OutboxWorker


def run_polling(settings: Settings) -> None:
    """Serve Telegram by long polling until SIGINT or SIGTERM."""
    if settings.telegram_webhook_url:
        raise SystemExit("TELEGRAM_WEBHOOK_URL is set: the web app receives Telegram's updates, not this worker")
    application = builder(settings).post_init(_post_init).post_stop(_post_stop).post_shutdown(_post_shutdown).build()
    application.bot_data["settings"] = settings
    # Telegram keeps unconfirmed updates for a day: a restart takes them up, nothing is dropped.
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, bootstrap_retries=-1)


async def _post_init(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    rasa = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout_seconds)
    router = Router(
        database_url=settings.database_url,
        rasa=rasa,
        default_tenant=settings.default_tenant,
        photo_dir=settings.photo_dir,
        opening_hours=settings.opening_schedule,
        privacy=Privacy.from_settings(settings),
    )
    prepare(application, handlers.Gateway(router, settings.database_url, settings.default_tenant))
    await publish_command_menu(application)
    outbox = OutboxWorker(application.bot, settings.database_url)
    outbox.start()
    application.bot_data[RUNTIME_KEY] = PollingRuntime(rasa=rasa, outbox=outbox)
    logger.info("Telegram gateway polling as @%s", application.bot.username)


async def _post_stop(application: Application) -> None:
    await application.bot_data[RUNTIME_KEY].outbox.stop()


async def _post_shutdown(application: Application) -> None:
    await application.bot_data[RUNTIME_KEY].rasa.aclose()
