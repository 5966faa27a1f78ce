"""What the router does for privacy on each message: tell, flag, remind, and finish an erasure.

- **Told first**: the bot's first turn in a conversation ends with one sentence
  (an automatic assistant, what is kept, why, for how long, the privacy page).
- **Sensitive words** (``sensitive.detect``): the message is flagged for the
  mediator; the first such message of a conversation gets one gentle reminder.
- **Erasure through the dialogue**: ``action_confirm_erase`` erases our tables
  while Rasa holds the conversation in memory; Rasa then saves its tracker
  again. So the router deletes the tracker events once Rasa has answered, and
  stores nothing more for that conversation.
"""

import logging
from dataclasses import dataclass
from typing import Self
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from bot.models import Author, Conversation, Message, Mode
from bot.services import personal_data, sensitive, tracker_store
from bot.services.conversations import Reply
from bot.settings import Settings

logger = logging.getLogger(__name__)

PAGE_PATH = "/confidentialite"
NOTICE_START = "ℹ️ Je suis un assistant automatique"
NOTES_SEPARATOR = "\n\n"
SENSITIVE_REMINDER = (
    "Pour protéger votre vie privée, inutile de me donner des détails sur votre santé, vos dettes "
    "ou votre vie personnelle : quelques mots suffisent, un médiateur vous demandera ce qui est utile."
)


def duration(days: int) -> str:
    """A retention period in words: "12 mois", "3 mois", "30 jours"."""
    months = round(days / 30.4)
    return f"{months} mois" if days >= 60 and abs(days - months * 30.4) <= 5 else f"{days} jours"


@dataclass(frozen=True)
class Privacy:
    """The settings these steps need, read once at the router's start."""

    public_url: str
    transcript_days: int
    tracker_store_url: str
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The privacy steps of a process configured by ``settings``."""
        return cls(
            public_url=settings.public_url,
            transcript_days=settings.retention_transcript_days,
            tracker_store_url=settings.tracker_store_url,
            zone=settings.zone,
        )

    def page_url(self, tenant: str) -> str:
        """The privacy page, for this tenant's residents."""
        return f"{self.public_url}{PAGE_PATH}?tenant={tenant}"

    def notice(self, tenant: str) -> str:
        """The sentence that opens every conversation's first answer (the widget shows it too)."""
        return (
            f"{NOTICE_START} : vos messages sont gardés "
            f"{duration(self.transcript_days)} pour vous répondre et suivre vos demandes. "
            f"Vos données et vos droits : {self.page_url(tenant)}"
        )

    def flag_incoming(self, message: Message) -> bool:
        """Flag the resident's message just stored when it touches a sensitive matter; True when flagged."""
        message.sensitive = bool(sensitive.detect(message.text))
        return message.sensitive

    def with_notices(
        self, session: Session, *, conversation: Conversation, replies: list[Reply], flagged_now: bool
    ) -> list[Reply]:
        """The bot's replies, the last one followed by the notice (first turn) and the reminder (first flag).

        ``flagged_now``: this turn's message was flagged (``flag_incoming``).
        """
        notes = []
        if not _bot_spoke(session, conversation.id):
            notes.append(self.notice(conversation.tenant.slug))
        # In a handoff, the mediator is the one to guide the conversation.
        if conversation.mode is Mode.BOT and flagged_now and _first_flag(session, conversation.id):
            notes.append(SENSITIVE_REMINDER)
        if not notes or not replies:
            return replies
        last = replies[-1]
        return [*replies[:-1], Reply(text=NOTES_SEPARATOR.join([last.text, *notes]), buttons=last.buttons)]

    def forget_if_erased(self, session: Session, *, conversation_id: str) -> bool:
        """If the resident was erased during this turn, delete the tracker events Rasa just saved."""
        resident = personal_data.resident_of(session, conversation_id=conversation_id)
        if resident.erased_at is None:
            return False
        deleted = tracker_store.delete_events(self.tracker_store_url, personal_data.conversation_ids(session, resident))
        logger.info("erasure finished: %d tracker events deleted", deleted)
        return True


def without_notes(text: str) -> str:
    """A reply's text without the notes ``with_notices`` appended (for comparing answers)."""
    for start in (NOTICE_START, SENSITIVE_REMINDER):
        text = text.split(f"{NOTES_SEPARATOR}{start}")[0]
    return text


def _bot_spoke(session: Session, conversation_id: str) -> bool:
    return bool(
        session.scalar(select(exists().where(Message.conversation_id == conversation_id, Message.author == Author.BOT)))
    )


def _first_flag(session: Session, conversation_id: str) -> bool:
    """Whether the conversation has one flagged message only (one reminder is enough)."""
    flagged = select(func.count()).where(Message.conversation_id == conversation_id, Message.sensitive.is_(True))
    return session.scalar(flagged) == 1
