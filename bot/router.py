"""The router: every channel hands each incoming message to ``Router.handle``.

It stores the message, then either forwards it to Rasa (bot mode) and stores
the replies, or leaves it for the mediators (human mode), whose console
shows it live. In human mode the resident is told a mediator has the
conversation and how to go back to the assistant (``bot/services/handoff.py``),
unless a mediator is writing to them; a message in another language gets a
short answer in it without Rasa (``bot/services/languages.py``).

An urgent situation in typed text (``bot/services/urgency.py``) escalates the
conversation. A danger gets the emergency numbers at once, without Rasa; any
other urgency (a cut, an eviction) still gets the bot's answer (a FAQ entry
may help meanwhile), followed by the handoff notice.
"""

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.errors import CommandLikeText, EngineUnavailable, UnknownCommand
from bot.models import Conversation, Mode, Tenant
from bot.rasa_client import RasaClient
from bot.services import conversations, handoff, languages, photos, requests, urgency
from bot.services.conversations import Reply
from bot.services.opening_hours import OpeningHours
from bot.services.opening_hours import parse as parse_opening_hours
from bot.services.privacy import Privacy
from bot.services.typed_buttons import typed_button
from bot.services.urgency import Urgency

logger = logging.getLogger(__name__)

# A danger is also recorded as an urgent request, so that it is followed up like any report.
URGENT_REQUEST = "J'enregistre un signalement urgent ({reference}) et je préviens un médiateur de la Régie."
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
    "demandes": "/my_requests",
    "oubli": "/erase_my_data",
}
# A resident's right to erasure does not wait for a mediator: /oubli and its
# confirmation button reach the bot even while a person has the conversation.
ANY_MODE = {"/erase_my_data", "/confirm_erase"}
# What Rasa gets when the resident leaves the mediator for the assistant: the menu of what it can do.
HELP = COMMANDS["aide"]


@dataclass(frozen=True)
class IncomingPhoto:
    """A photo a resident sent (Telegram photo, widget upload), as bytes; checked before anything is stored."""

    channel: str
    tenant: str | None
    sender_id: str
    data: bytes


# How a photo appears in the transcript (the console links to the file itself).
PHOTO_TEXT = "📷 Photo envoyée"


@dataclass(frozen=True)
class Outcome:
    """What to show the resident, and whether the engine answered at all."""

    replies: list[Reply]
    mode: Mode
    engine_available: bool = True


@dataclass(frozen=True)
class _Stored:
    """The incoming message stored: where, the mode now, the replies already decided, what Rasa gets."""

    conversation_id: str
    tenant: str
    mode: Mode
    # Decided without Rasa (a danger's numbers, a notice of human mode), already stored.
    replies: list[Reply]
    # The message touches a sensitive matter (bot/services/privacy.py reminds once).
    flagged: bool = False
    # What to send Rasa (a payload, typed text, the payload typed text means); None: the replies are the answer.
    forward: str | None = None


class Router:
    """Routes messages between channels, the transcript and Rasa."""

    def __init__(
        self,
        *,
        database_url: str,
        rasa: RasaClient,
        default_tenant: str,
        photo_dir: Path,
        opening_hours: OpeningHours | None = None,
        privacy: Privacy | None = None,
    ) -> None:
        self._database_url = database_url
        self._rasa = rasa
        self._default_tenant = default_tenant
        self._photo_dir = photo_dir
        self._opening_hours = opening_hours or parse_opening_hours()
        # None (unit tests of other features): no notices, no flags, no tracker clean-up.
        self.privacy = privacy

    async def handle(self, incoming: Incoming) -> Outcome:
        """Store ``incoming``, get the answer for it and store that too."""
        if incoming.text is not None and incoming.text.lstrip().startswith("/"):
            raise CommandLikeText(incoming.text[:20])
        if incoming.command is not None and incoming.command not in COMMANDS:
            raise UnknownCommand(incoming.command)
        situation = urgency.detect(incoming.text)
        stored = await asyncio.to_thread(self._store_incoming, incoming, situation)
        if stored.forward is None:
            return Outcome(replies=stored.replies, mode=stored.mode)
        return await self._answer(stored, stored.forward, incoming.channel, situation)

    async def handle_photo(self, photo: IncomingPhoto) -> Outcome:
        """Store a photo sent for the report form's photo question, then let the form go on.

        Refused (``PhotoNotExpected``, ``PhotoTooLarge``, ``PhotoWrongType``) with
        nothing stored when the bot did not ask for one or the file is no photo.
        """
        photos.content_type_of(photo.data)
        stored, photo_id = await asyncio.to_thread(self._store_photo, photo)
        # Only the router writes this payload, with the id it just stored: typed text cannot.
        message = "/choose" + json.dumps({"report_photo": photo_id})
        return await self._answer(stored, message, photo.channel, None)

    async def _answer(self, stored: _Stored, message: str, channel: str, situation: Urgency | None) -> Outcome:
        """Rasa's replies to the stored message, stored in turn (with the handoff notice of an urgency).

        They follow the replies already decided (the notice of a return to the assistant).
        """
        metadata = {"tenant": stored.tenant, "channel": channel}
        try:
            replies = await self._rasa.send(sender=stored.conversation_id, message=message, metadata=metadata)
        except EngineUnavailable:
            logger.exception("engine unavailable for conversation %s", stored.conversation_id)
            if situation is None:
                return Outcome(replies=[ENGINE_DOWN_REPLY], mode=stored.mode, engine_available=False)
            # An urgent message still reaches a person: the mediators need no engine.
            replies = []
        replies, mode = await asyncio.to_thread(self._store_replies, stored, replies, situation)
        return Outcome(replies=[*stored.replies, *replies], mode=mode)

    def _store_incoming(self, incoming: Incoming, situation: Urgency | None) -> _Stored:
        try:
            return self._store_incoming_once(incoming, situation)
        except IntegrityError:
            # Two first messages of one sender raced to create the resident or the
            # open conversation; the other one won, so this attempt finds it.
            return self._store_incoming_once(incoming, situation)

    def _store_incoming_once(self, incoming: Incoming, situation: Urgency | None) -> _Stored:
        with transaction(self._database_url) as session:
            tenant, conversation = self._open(session, incoming.channel, incoming.tenant, incoming.sender_id)
            flagged, meant = False, None
            if incoming.command is not None:
                conversations.record_command(session, conversation=conversation, command=incoming.command)
            else:
                meant = self._button_meant(session, conversation, incoming.text)
                message = conversations.record_resident_message(
                    session, conversation=conversation, text=incoming.text, payload=incoming.payload
                )
                flagged = self.privacy is not None and self.privacy.flag_incoming(message)
            forward = COMMANDS[incoming.command] if incoming.command else incoming.payload or meant or incoming.text
            replies, forward = self._decide(session, conversation, incoming, forward or "", situation)
            if replies:
                if forward is None:
                    # A first message about a danger is still told what is kept, after the numbers.
                    replies = self._with_privacy_notes(session, conversation, replies, flagged)
                conversations.record_bot_replies(session, conversation_id=conversation.id, replies=replies)
            return _Stored(conversation.id, tenant.slug, conversation.mode, replies, flagged, forward)

    def _decide(
        self, session: Session, conversation: Conversation, incoming: Incoming, message: str, situation: Urgency | None
    ) -> tuple[list[Reply], str | None]:
        """The replies decided before Rasa, and what Rasa gets (None: nothing, the replies are the whole answer)."""
        if conversation.mode is Mode.HUMAN and message in ANY_MODE:
            return [], message
        if situation is not None and (situation.danger or conversation.mode is Mode.HUMAN):
            urgent = self._escalate_urgent(session, conversation, situation, incoming.text)
            if urgent:  # a danger's numbers (and the notice of its handover)
                return urgent, None
        if conversation.mode is Mode.HUMAN:
            return self._in_human_mode(session, conversation, incoming, situation)
        if message == handoff.BACK_TO_ASSISTANT:
            # A button left from an earlier notice: the assistant already has the conversation.
            return [], HELP
        # Typed text read as itself (no button it means), not urgent: is it French at all?
        language = languages.detect(message) if message == incoming.text and situation is None else None
        if language is not None:
            return [languages.reply(language)], None
        return [], message

    def _in_human_mode(
        self, session: Session, conversation: Conversation, incoming: Incoming, situation: Urgency | None
    ) -> tuple[list[Reply], str | None]:
        """Back to the assistant when asked (never on an urgent message), else the notice that a person has it."""
        if situation is None and handoff.asks_for_the_assistant(incoming.text, incoming.payload):
            handoff.to_bot(conversation)
            return [Reply(text=handoff.BACK_WITH_THE_ASSISTANT)], HELP
        notice = handoff.waiting_notice(session, conversation=conversation, hours=self._opening_hours)
        return ([notice] if notice is not None else []), None

    @staticmethod
    def _button_meant(session: Session, conversation: Conversation, text: str | None) -> str | None:
        """The payload of the offered button that typed ``text`` means, read before the message is stored.

        In human mode only the buttons that work in any mode count: a typed "oui" to "effacer vos
        données ?" erases, as its button would; anything else is for the mediator.
        """
        if text is None:
            return None
        meant = typed_button(text, conversations.offered_buttons(session, conversation=conversation))
        return meant if conversation.mode is Mode.BOT or meant in ANY_MODE else None

    def _store_photo(self, photo: IncomingPhoto) -> tuple[_Stored, str]:
        written: Path | None = None
        try:
            with transaction(self._database_url) as session:
                tenant, conversation = self._open(session, photo.channel, photo.tenant, photo.sender_id)
                photos.check_expected(conversation)
                saved = photos.save(session, conversation=conversation, data=photo.data, photo_dir=self._photo_dir)
                written = photos.path_of(saved, self._photo_dir)
                conversations.record_resident_message(session, conversation=conversation, text=PHOTO_TEXT, payload=None)
                return _Stored(conversation.id, tenant.slug, conversation.mode, []), saved.id
        except Exception:
            # The row was not committed: its file must not stay behind.
            if written is not None:
                written.unlink(missing_ok=True)
            raise

    def _open(self, session: Session, channel: str, slug: str | None, sender_id: str) -> tuple[Tenant, Conversation]:
        """The sender's open conversation at the tenant named (by default the one they last wrote to)."""
        slug = slug or conversations.last_tenant_of(
            session, channel=channel, external_id=sender_id, default=self._default_tenant
        )
        tenant = conversations.find_tenant(session, slug=slug)
        return tenant, conversations.open_conversation(session, tenant=tenant, channel=channel, external_id=sender_id)

    def _store_replies(
        self, stored: _Stored, replies: list[Reply], situation: Urgency | None
    ) -> tuple[list[Reply], Mode]:
        conversation_id = stored.conversation_id
        with transaction(self._database_url) as session:
            # This turn's action erased the resident's data: finish it, and store nothing more.
            if self.privacy is not None and self.privacy.forget_if_erased(session, conversation_id=conversation_id):
                return replies, Mode.BOT
            conversation = session.get_one(Conversation, conversation_id)
            if situation is not None:
                replies = [*replies, *self._escalate_urgent(session, conversation, situation, None)]
            replies = self._with_privacy_notes(session, conversation, replies, stored.flagged)
            mode = conversations.record_bot_replies(session, conversation_id=conversation_id, replies=replies)
            return replies, mode

    def _with_privacy_notes(
        self, session: Session, conversation: Conversation, replies: list[Reply], flagged_now: bool
    ) -> list[Reply]:
        if self.privacy is None:
            return replies
        return self.privacy.with_notices(session, conversation=conversation, replies=replies, flagged_now=flagged_now)

    def _escalate_urgent(
        self, session: Session, conversation: Conversation, situation: Urgency, text: str | None
    ) -> list[Reply]:
        """Escalate as urgent; the numbers for a danger, the notice unless a person already has the conversation.

        A danger written while the bot had the conversation is also recorded as an urgent request.
        """
        numbers = [Reply(text=urgency.emergency_numbers(situation))] if situation.danger else []
        if situation.danger and text and conversation.mode is Mode.BOT:
            reported = requests.record_urgent(session, conversation=conversation, text=text)
            numbers.append(Reply(text=URGENT_REQUEST.format(reference=reported.reference)))
        already_human = conversation.mode is Mode.HUMAN
        handoff.escalate(session, conversation_id=conversation.id, reason=handoff.URGENT)
        if already_human:
            return numbers
        notice = f"{handoff.URGENT_HANDOFF} {handoff.availability(self._opening_hours)}"
        return [*numbers, Reply(text=notice)]
