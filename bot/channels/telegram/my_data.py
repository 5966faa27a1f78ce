"""``/mesdonnees`` on Telegram: a summary of what is stored about this chat, then all of it as a JSON file.

It reads only the data of the update's own chat id (the Telegram conversation
is never reachable any other way), at the tenant the chat last wrote to.
Nothing is stored by asking: a newcomer is told there is nothing.
"""

import asyncio
import json
import logging
from datetime import UTC

from telegram import Bot, InputFile
from telegram.error import TelegramError

from bot.channels.telegram import CHANNEL, texts
from bot.channels.telegram.delivery import deliver, with_retries
from bot.db import transaction
from bot.models import utcnow
from bot.router import Router
from bot.services import conversations, personal_data
from bot.services.conversations import Reply

logger = logging.getLogger(__name__)

FILENAME = "mes-donnees.json"


def collect(router: Router, database_url: str, default_tenant: str, chat_id: int) -> tuple[str, bytes] | None:
    """The summary and the JSON file of this chat's resident, or None if they never wrote."""
    external_id = str(chat_id)
    with transaction(database_url) as session:
        slug = conversations.last_tenant_of(session, channel=CHANNEL, external_id=external_id, default=default_tenant)
        resident = personal_data.find_resident(session, tenant_slug=slug, channel=CHANNEL, external_id=external_id)
        if resident is None:
            return None
        data = personal_data.export(session, resident=resident, now=utcnow())
    zone = router.privacy.zone if router.privacy is not None else UTC
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return personal_data.summary(data, zone), content


async def send_my_data(bot: Bot, router: Router, database_url: str, default_tenant: str, chat_id: int) -> None:
    """Send the summary, then the file (a failed file is logged: the resident can ask again)."""
    found = await asyncio.to_thread(collect, router, database_url, default_tenant, chat_id)
    if found is None:
        await deliver(bot, database_url, chat_id, [Reply(text=texts.MY_DATA_NONE)])
        return
    summary, content = found
    await deliver(bot, database_url, chat_id, [Reply(text=summary)])
    try:
        await with_retries(
            lambda: bot.send_document(
                chat_id=chat_id, document=InputFile(content, filename=FILENAME), caption=texts.MY_DATA_FILE
            )
        )
    except TelegramError as error:
        logger.warning("the personal-data file was not delivered (%s)", type(error).__name__)
