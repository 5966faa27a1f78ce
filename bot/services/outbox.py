"""The outbox: messages to residents that answer none of theirs (a mediator's reply, a status notice).

A channel's worker delivers them at least once, oldest first and one at a time per
conversation, so they arrive in order. A failure keeps a message pending with one
more attempt and a later next try; nothing is dropped. A resident the channel
cannot reach any more (a Telegram user who blocked the bot) is marked unreachable:
their pending messages are given up, with the reason, until they write again.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from bot.models import Author, Conversation, Message, OutgoingMessage, Resident, utcnow
from bot.services.conversations import Button

MAX_BACKOFF_SECONDS = 300
MAX_ERROR_LENGTH = 200
UNREACHABLE = "unreachable: the resident blocked the bot"


@dataclass(frozen=True)
class Pending:
    """An outbox message due now, with the channel's address of its resident."""

    id: int
    conversation_id: str
    external_id: str
    text: str
    buttons: tuple[Button, ...]
    unreachable: bool


def enqueue(
    session: Session, *, conversation_id: str, text: str, buttons: Sequence[Button] | None = None
) -> OutgoingMessage:
    """Queue a message for the conversation's resident, on the conversation's channel.

    Its buttons become the ones the router accepts next, as for any message of the bot.
    """
    conversation = session.get_one(Conversation, conversation_id)
    stored = [{"title": b.title, "payload": b.payload} for b in buttons or ()] or None
    message = OutgoingMessage(conversation_id=conversation_id, text=text, buttons=stored)
    if buttons:
        conversation.offered_payloads = [b.payload for b in buttons]
    session.add(message)
    session.flush()
    return message


def tell_resident(session: Session, *, conversation: Conversation, text: str) -> None:
    """A notice the resident did not ask for: in the transcript (as the bot's) and in the outbox."""
    session.add(Message(conversation_id=conversation.id, author=Author.BOT, text=text))
    enqueue(session, conversation_id=conversation.id, text=text)
    conversation.last_message_at = utcnow()


def due(session: Session, *, channel: str, limit: int = 50) -> list[Pending]:
    """The channel's messages due now, oldest first, at most one per conversation."""
    earlier = aliased(OutgoingMessage)
    # A later message waits while an earlier one of its conversation is pending.
    waits_for_earlier = exists().where(
        earlier.conversation_id == OutgoingMessage.conversation_id,
        earlier.id < OutgoingMessage.id,
        earlier.next_attempt_at.is_not(None),
    )
    rows = session.execute(
        select(OutgoingMessage, Resident.external_id, Resident.unreachable_at)
        .join(Conversation, OutgoingMessage.conversation_id == Conversation.id)
        .join(Resident, Conversation.resident_id == Resident.id)
        .where(Resident.channel == channel, OutgoingMessage.next_attempt_at <= utcnow(), ~waits_for_earlier)
        .order_by(OutgoingMessage.id)
        .limit(limit)
    )
    return [_pending(message, external_id, unreachable_at) for message, external_id, unreachable_at in rows]


def _pending(message: OutgoingMessage, external_id: str, unreachable_at: datetime | None) -> Pending:
    buttons = tuple(Button(title=b["title"], payload=b["payload"]) for b in message.buttons or [])
    return Pending(
        id=message.id,
        conversation_id=message.conversation_id,
        external_id=external_id,
        text=message.text,
        buttons=buttons,
        unreachable=unreachable_at is not None,
    )


def mark_delivered(session: Session, *, message_id: int) -> None:
    """Note that the message reached the resident: it is no longer pending."""
    message = session.get_one(OutgoingMessage, message_id)
    message.attempts += 1
    message.delivered_at = utcnow()
    message.next_attempt_at = None


def mark_failed(session: Session, *, message_id: int, error: str) -> None:
    """Note a failed attempt: the message stays pending and is tried again later, ever less often."""
    message = session.get_one(OutgoingMessage, message_id)
    message.attempts += 1
    message.last_error = error[:MAX_ERROR_LENGTH]
    message.next_attempt_at = utcnow() + timedelta(seconds=backoff_seconds(message.attempts))


def give_up(session: Session, *, message_id: int, reason: str) -> None:
    """Stop trying to deliver the message, keeping why."""
    message = session.get_one(OutgoingMessage, message_id)
    message.failed_at = utcnow()
    message.last_error = reason[:MAX_ERROR_LENGTH]
    message.next_attempt_at = None


def backoff_seconds(attempts: int) -> float:
    """How long to wait after the ``attempts``-th failure: doubling, at most five minutes."""
    return float(min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def mark_unreachable(session: Session, *, channel: str, external_id: str) -> int:
    """The channel refuses our messages to this resident: stop sending; return how many were given up."""
    now = utcnow()
    residents = select(Resident.id).where(Resident.channel == channel, Resident.external_id == external_id)
    session.execute(
        update(Resident).where(Resident.id.in_(residents), Resident.unreachable_at.is_(None)).values(unreachable_at=now)
    )
    conversations = select(Conversation.id).where(Conversation.resident_id.in_(residents))
    result = session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.conversation_id.in_(conversations), OutgoingMessage.next_attempt_at.is_not(None))
        .values(failed_at=now, last_error=UNREACHABLE, next_attempt_at=None)
    )
    return result.rowcount


def mark_reachable(session: Session, *, channel: str, external_id: str) -> None:
    """The resident wrote to us again (so unblocked the bot): messages may reach them again."""
    session.execute(
        update(Resident)
        .where(Resident.channel == channel, Resident.external_id == external_id, Resident.unreachable_at.is_not(None))
        .values(unreachable_at=None)
    )
