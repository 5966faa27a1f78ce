"""Updates already taken in: Telegram delivers again what it thinks we missed, we handle it once."""

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.channels.telegram import CHANNEL
from bot.db import transaction
from bot.models import TelegramUpdate, utcnow
from bot.services import outbox

# Telegram keeps an update for at most 24 hours: after two days it cannot come back.
KEEP_FOR = timedelta(days=2)


def take_in(database_url: str, *, update_id: int, chat_id: int | None) -> bool:
    """Record the update in its own transaction; False if it was already taken in.

    A resident who writes has unblocked the bot, so their chat is reachable again:
    noted in the same transaction, to keep one write per update.
    """
    try:
        with transaction(database_url) as session:
            session.add(TelegramUpdate(update_id=update_id))
            if chat_id is not None:
                outbox.mark_reachable(session, channel=CHANNEL, external_id=str(chat_id))
    except IntegrityError:
        return False
    return True


def forget_old(database_url: str) -> int:
    """Delete the records of updates too old to be delivered again; return how many."""
    with transaction(database_url) as session:
        result = session.execute(delete(TelegramUpdate).where(TelegramUpdate.received_at < utcnow() - KEEP_FOR))
        return result.rowcount
