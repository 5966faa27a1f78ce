"""Read what the stack stored: our transcript and Rasa's tracker events."""

import json

from sqlalchemy import create_engine, func, select, text

from bot.db import transaction
from bot.models import Conversation, Message, Resident
from bot.settings import Settings


def count_rows(settings: Settings) -> dict[str, int]:
    """How many residents, conversations and messages exist, in total."""
    with transaction(settings.database_url) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Resident, Conversation, Message)
        }


def conversation_of(settings: Settings, sender_id: str, channel: str = "web") -> Conversation | None:
    """The sender's latest conversation (the open one, if any)."""
    with transaction(settings.database_url) as session:
        return session.scalar(
            select(Conversation)
            .join(Resident)
            .where(Resident.external_id == sender_id, Resident.channel == channel)
            .order_by(Conversation.closed_at.is_not(None), Conversation.started_at.desc())
            .limit(1)
        )


def messages_of(settings: Settings, sender_id: str) -> list[tuple[str, str | None, str | None]]:
    """(author, text, payload) of each stored message of the sender, in order."""
    with transaction(settings.database_url) as session:
        rows = session.execute(
            select(Message.author, Message.text, Message.payload)
            .join(Conversation)
            .join(Resident)
            .where(Resident.external_id == sender_id)
            .order_by(Message.id)
        )
        return [(author.value, text_, payload) for author, text_, payload in rows]


def tracker_user_texts(settings: Settings, conversation_id: str) -> list[str]:
    """The user messages Rasa's tracker store holds for a conversation."""
    engine = create_engine(settings.tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"),
                {"sender": conversation_id},
            )
            return [json.loads(data)["text"] for (data,) in rows]
    finally:
        engine.dispose()
