"""Webhook mode when the database is down: the update is refused, so Telegram sends it again."""

import asyncio

from bot.channels.telegram.webhook import TelegramWebhook
from bot.rasa_client import RasaClient
from bot.router import Router
from bot.settings import Settings
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi


async def test_an_update_that_could_not_be_stored_is_not_acknowledged(tmp_path):
    api = FakeBotApi()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/no-such-folder/regie.db",
        telegram_bot_token=api.token,
        telegram_api_base_url=api.base_url,
        telegram_webhook_url="https://regie.example/telegram/webhook",
        telegram_webhook_secret="secret",
    )
    rasa = RasaClient("http://127.0.0.1:9", timeout=1)
    webhook = TelegramWebhook(
        settings,
        Router(database_url=settings.database_url, rasa=rasa, default_tenant="demo", photo_dir=settings.photo_dir),
    )
    webhook.start()
    try:
        async with asyncio.timeout(30):
            while not webhook.ready:
                await asyncio.sleep(0.05)

        handled = await webhook.handle({"update_id": 1, **updates.message(updates.new_chat_id(), "bonjour")})
    finally:
        await webhook.stop()
        await rasa.aclose()
        api.close()

    assert handled is False
