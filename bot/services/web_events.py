"""Live messages of a web conversation: its outbox and its mode, as server-sent events.

The outbox (``bot.services.outbox``) holds what answers none of the resident's
messages (a mediator's reply, a notice). For the web channel there is no
worker: the widget's event stream reads the conversation's pending messages
about every ``poll_seconds``, writes each as an event whose ``id`` is the outbox
id, and marks it delivered once written. A reconnecting browser sends the last
id it received (``Last-Event-ID``): everything after it is written again, even
if already marked delivered, so a message lost with a dropped connection comes
back and the widget, which keeps the ids it has shown, shows none twice.

Only the web conversation of (tenant, sender) is read: a Telegram conversation,
or another tenant's, never reaches this stream.
"""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.models import Conversation, Mode, OutgoingMessage, Resident, utcnow
from bot.services.conversations import Button

logger = logging.getLogger(__name__)

CHANNEL = "web"
BATCH = 50
# How long the browser waits before reconnecting (the SSE ``retry`` field).
RECONNECT_MILLISECONDS = 3000


@dataclass(frozen=True)
class LiveMessage:
    """An outbox message as the widget shows it."""

    id: int
    text: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Snapshot:
    """A conversation's mode (None: no conversation yet) and the messages to write now."""

    mode: Mode | None
    messages: list[LiveMessage]


@dataclass(frozen=True)
class StreamTiming:
    """How often the stream reads the database, says it is alive, and when it ends (the browser reconnects)."""

    poll_seconds: float = 0.75
    keepalive_seconds: float = 15.0
    max_seconds: float = 900.0


def to_deliver(session: Session, *, tenant_id: int, external_id: str, after: int | None) -> Snapshot:
    """The web conversation's mode and its outbox messages due: pending ones, and any after ``after``."""
    # A resident has several conversations over time (a mediator closes one): the
    # stream carries all of theirs, and the mode of the latest.
    of_sender = (
        select(Conversation.id, Conversation.mode)
        .join(Resident, Conversation.resident_id == Resident.id)
        .where(Resident.tenant_id == tenant_id, Resident.channel == CHANNEL, Resident.external_id == external_id)
    )
    latest = session.execute(of_sender.order_by(Conversation.started_at.desc()).limit(1)).first()
    if latest is None:
        return Snapshot(mode=None, messages=[])
    wanted = OutgoingMessage.next_attempt_at.is_not(None)
    if after is not None:
        wanted = or_(wanted, and_(OutgoingMessage.id > after, OutgoingMessage.failed_at.is_(None)))
    rows = session.scalars(
        select(OutgoingMessage)
        .where(OutgoingMessage.conversation_id.in_(of_sender.with_only_columns(Conversation.id)), wanted)
        .order_by(OutgoingMessage.id)
        .limit(BATCH)
    )
    messages = [
        LiveMessage(id=m.id, text=m.text, buttons=tuple(Button(b["title"], b["payload"]) for b in m.buttons or []))
        for m in rows
    ]
    return Snapshot(mode=latest.mode, messages=messages)


def mark_delivered(session: Session, *, message_ids: Sequence[int]) -> None:
    """Note that these messages were written to a resident's stream (a replay changes nothing)."""
    session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id.in_(message_ids), OutgoingMessage.next_attempt_at.is_not(None))
        .values(delivered_at=utcnow(), next_attempt_at=None, attempts=OutgoingMessage.attempts + 1)
    )


def message_event(message: LiveMessage) -> str:
    """One message as an SSE event; JSON keeps the data on one line."""
    data = {"id": message.id, "text": message.text, "buttons": [vars(b) for b in message.buttons]}
    return f"id: {message.id}\nevent: message\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def status_event(mode: Mode) -> str:
    """The conversation's mode as an SSE event (no id: it needs no replay)."""
    return f"event: status\ndata: {json.dumps({'mode': mode.value})}\n\n"


async def stream(
    database_url: str,
    *,
    tenant_id: int,
    external_id: str,
    after: int | None,
    disconnected: Callable[[], Awaitable[bool]],
    timing: StreamTiming = StreamTiming(),
) -> AsyncIterator[str]:
    """The conversation's live events until the client leaves or ``timing.max_seconds`` pass."""
    yield f"retry: {RECONNECT_MILLISECONDS}\n\n"
    mode: Mode | None = None
    started = last_write = time.monotonic()
    while time.monotonic() - started < timing.max_seconds and not await disconnected():
        try:
            snapshot = await asyncio.to_thread(_read, database_url, tenant_id, external_id, after)
        except SQLAlchemyError:
            # The database may be restarting: the messages wait in it, read again next round.
            logger.exception("web events: database unavailable")
            snapshot = Snapshot(mode=None, messages=[])
        if snapshot.mode is not None and snapshot.mode != mode:
            mode = snapshot.mode
            yield status_event(mode)
            last_write = time.monotonic()
        for message in snapshot.messages:
            # The generator resumes only once the event was handed to the connection.
            yield message_event(message)
            last_write = time.monotonic()
            await asyncio.to_thread(_mark, database_url, message.id)
            after = max(after or 0, message.id)
        if time.monotonic() - last_write >= timing.keepalive_seconds:
            yield ": keep-alive\n\n"
            last_write = time.monotonic()
        await asyncio.sleep(timing.poll_seconds)


def _read(database_url: str, tenant_id: int, external_id: str, after: int | None) -> Snapshot:
    with transaction(database_url) as session:
        return to_deliver(session, tenant_id=tenant_id, external_id=external_id, after=after)


def _mark(database_url: str, message_id: int) -> None:
    with transaction(database_url) as session:
        mark_delivered(session, message_ids=[message_id])
