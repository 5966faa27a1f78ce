"""The router: every channel hands each incoming message to ``Router.handle``.

It stores the message, then either forwards it to Rasa (bot mode) and stores
the replies, or leaves it for the mediators (human mode).
"""

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from bot.db import transaction
from bot.errors import CommandLikeText, EngineUnavailable, UnknownCommand
from bot.models import Mode
from bot.rasa_client import RasaClient
from bot.services import conversations
from bot.services.conversations import Reply

logger = logging.getLogger(__name__)

ENGINE_DOWN_REPLY = Reply(
    text=(
        "Désolé, l'assistant ne peut pas répondre pour le moment. "
        "Votre message est bien enregistré : réessayez dans quelques minutes."
    )
)


@dataclass(frozen=True)
class Incoming:
    """A resident's message as a channel received it: typed text, a button's payload or a command.

    ``tenant`` None means the tenant this sender last wrote to (or the default
    one). ``command`` is a channel's own command (Telegram's ``/aide``), one
    of ``COMMANDS``: it needs no offered button.
    """

    channel: str
    tenant: str | None
    sender_id: str
    text: str | None = None
    payload: str | None = None
    command: str | None = None


# Channel commands and the intent each one triggers.
COMMANDS = {
    "start": "/greet",
    "aide": "/help",
    "mediateur": "/request_human",
    "rdv": "/book_visit",
    "signaler": "/report_problem",
}


@dataclass(frozen=True)
class Outcome:
    """What to show the resident, and whether the engine answered at all."""

    replies: list[Reply]
    mode: Mode
    engine_available: bool = True


class Router:
    """Routes messages between channels, the transcript and Rasa."""

    def __init__(self, *, database_url: str, rasa: RasaClient, default_tenant: str) -> None:
        self._database_url = database_url
        self._rasa = rasa
        self._default_tenant = default_tenant

    async def handle(self, incoming: Incoming) -> Outcome:
        """Store ``incoming``, get the answer for it and store that too."""
        if incoming.text is not None and incoming.text.lstrip().startswith("/"):
            raise CommandLikeText(incoming.text[:20])
        if incoming.command is not None and incoming.command not in COMMANDS:
            raise UnknownCommand(incoming.command)
        conversation_id, tenant, mode = await asyncio.to_thread(self._store_incoming, incoming)
        if mode is Mode.HUMAN:
            return Outcome(replies=[], mode=mode)
        message = COMMANDS[incoming.command] if incoming.command else incoming.payload or incoming.text
        metadata = {"tenant": tenant, "channel": incoming.channel}
        try:
            replies = await self._rasa.send(sender=conversation_id, message=message or "", metadata=metadata)
        except EngineUnavailable:
            logger.exception("engine unavailable for conversation %s", conversation_id)
            return Outcome(replies=[ENGINE_DOWN_REPLY], mode=mode, engine_available=False)
        mode = await asyncio.to_thread(self._store_replies, conversation_id, replies)
        return Outcome(replies=replies, mode=mode)

    def _store_incoming(self, incoming: Incoming) -> tuple[str, str, Mode]:
        try:
            return self._store_incoming_once(incoming)
        except IntegrityError:
            # Two first messages of one sender raced to create the conversation;
            # the other one won, so this attempt finds it.
            return self._store_incoming_once(incoming)

    def _store_incoming_once(self, incoming: Incoming) -> tuple[str, str, Mode]:
        with transaction(self._database_url) as session:
            slug = incoming.tenant or conversations.last_tenant_of(
                session, channel=incoming.channel, external_id=incoming.sender_id, default=self._default_tenant
            )
            tenant = conversations.find_tenant(session, slug=slug)
            conversation = conversations.open_conversation(
                session, tenant=tenant, channel=incoming.channel, external_id=incoming.sender_id
            )
            if incoming.command is not None:
                conversations.record_command(session, conversation=conversation, command=incoming.command)
            else:
                conversations.record_resident_message(
                    session, conversation=conversation, text=incoming.text, payload=incoming.payload
                )
            return conversation.id, tenant.slug, conversation.mode

    def _store_replies(self, conversation_id: str, replies: list[Reply]) -> Mode:
        with transaction(self._database_url) as session:
            return conversations.record_bot_replies(session, conversation_id=conversation_id, replies=replies)
