"""What mediators do with a conversation: the queue, the transcript, claim, reply, hand back, close.

A mediator's reply and the notices of a hand-back or a close go into the
transcript and into the outbox, which delivers them on the resident's own
channel (Telegram's worker, the widget's event stream).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from bot.errors import ConversationNotFound, NotActionable
from bot.models import Author, Conversation, Message, Mode, Resident, StaffUser, Tenant, utcnow
from bot.services import handoff, outbox
from bot.services.handoff import URGENT

MAX_REPLY_LENGTH = 2000
MAX_OUTCOME_LENGTH = 1000
PREVIEW_LENGTH = 120
HANDED_BACK = (
    "Le médiateur a terminé : c'est de nouveau l'assistant automatique qui vous répond. "
    "Posez-moi vos questions, ou demandez un médiateur à tout moment."
)
CLOSED = (
    "Le médiateur a clos cette conversation. Merci de votre message ! "
    "Si vous avez une autre question, écrivez-nous : une nouvelle conversation commencera."
)


@dataclass(frozen=True)
class QueueItem:
    """A conversation waiting for a person, as the queue lists it."""

    id: str
    tenant: str
    channel: str
    reason: str | None
    escalated_at: datetime
    last_message_at: datetime
    preview: str | None
    assigned_to: str | None

    @property
    def urgent(self) -> bool:
        """Urgent conversations come first."""
        return self.reason == URGENT


@dataclass(frozen=True)
class Line:
    """One message of a transcript, with who wrote it."""

    id: int
    author: Author
    author_name: str
    text: str | None
    payload: str | None
    created_at: datetime
    # Health, debts…: the mediator handles it with care (bot/services/sensitive.py).
    sensitive: bool = False


def queue(session: Session) -> list[QueueItem]:
    """Open conversations in human mode: urgent first, then the longest waiting."""
    last_resident_text = (
        select(Message.text)
        .where(Message.conversation_id == Conversation.id, Message.author == Author.RESIDENT)
        .order_by(Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Conversation, Tenant.name, Resident.channel, last_resident_text, StaffUser.display_name)
        .join(Tenant, Conversation.tenant_id == Tenant.id)
        .join(Resident, Conversation.resident_id == Resident.id)
        .outerjoin(StaffUser, Conversation.assigned_staff_id == StaffUser.id)
        .where(Conversation.mode == Mode.HUMAN, Conversation.closed_at.is_(None))
        .order_by(case((Conversation.escalation_reason == URGENT, 0), else_=1), Conversation.escalated_at)
    )
    return [
        QueueItem(
            id=c.id,
            tenant=tenant,
            channel=channel,
            reason=c.escalation_reason,
            escalated_at=c.escalated_at or c.started_at,
            last_message_at=c.last_message_at,
            preview=(text or "")[:PREVIEW_LENGTH] or None,
            assigned_to=assigned,
        )
        for c, tenant, channel, text, assigned in rows
    ]


def conversation(session: Session, *, conversation_id: str) -> Conversation:
    """The conversation, or ``ConversationNotFound``."""
    found = session.get(Conversation, conversation_id)
    if found is None:
        raise ConversationNotFound()
    return found


def transcript(session: Session, *, conversation_id: str, after_id: int = 0) -> list[Line]:
    """The conversation's messages after ``after_id``, oldest first, with their authors' names."""
    rows = session.execute(
        select(Message, StaffUser.display_name)
        .outerjoin(StaffUser, Message.staff_id == StaffUser.id)
        .where(Message.conversation_id == conversation_id, Message.id > after_id)
        .order_by(Message.id)
    )
    return [
        Line(m.id, m.author, _author_name(m.author, name), m.text, m.payload, m.created_at, m.sensitive)
        for m, name in rows
    ]


def _author_name(author: Author, staff_name: str | None) -> str:
    if author is Author.MEDIATOR:
        return staff_name or "Médiateur"
    return {Author.RESIDENT: "Habitant", Author.BOT: "Assistant"}[author]


def claim(session: Session, *, conversation_id: str, staff: StaffUser) -> Conversation:
    """The mediator takes the conversation (a colleague's claim passes to them)."""
    found = _waiting_for_a_person(session, conversation_id)
    found.assigned_staff_id = staff.id
    found.claimed_at = utcnow()
    return found


def reply(session: Session, *, conversation_id: str, staff: StaffUser, text: str) -> Message:
    """Store the mediator's reply and queue it for the resident's channel; claims an unclaimed conversation."""
    text = text.strip()
    if not text or len(text) > MAX_REPLY_LENGTH:
        raise NotActionable(f"La réponse doit faire entre 1 et {MAX_REPLY_LENGTH} caractères.")
    found = _waiting_for_a_person(session, conversation_id)
    if found.assigned_staff_id is None:
        found.assigned_staff_id, found.claimed_at = staff.id, utcnow()
    message = Message(conversation_id=found.id, author=Author.MEDIATOR, text=text, staff_id=staff.id)
    session.add(message)
    outbox.enqueue(session, conversation_id=found.id, text=text)
    found.last_message_at = utcnow()
    session.flush()
    return message


def hand_back(session: Session, *, conversation_id: str, staff: StaffUser) -> Conversation:
    """Back to bot mode; the resident is told the assistant answers again."""
    found = _waiting_for_a_person(session, conversation_id)
    handoff.to_bot(found)
    outbox.tell_resident(session, conversation=found, text=HANDED_BACK)
    return found


def close(session: Session, *, conversation_id: str, staff: StaffUser, outcome: str) -> Conversation:
    """Close with an outcome note (for staff); the resident is told, and their next message opens a new one."""
    outcome = outcome.strip()
    if not outcome or len(outcome) > MAX_OUTCOME_LENGTH:
        raise NotActionable(f"La note de clôture doit faire entre 1 et {MAX_OUTCOME_LENGTH} caractères.")
    found = conversation(session, conversation_id=conversation_id)
    if found.closed_at is not None:
        raise NotActionable("Cette conversation est déjà close.")
    found.closed_at = utcnow()
    found.outcome = outcome
    found.assigned_staff_id = found.assigned_staff_id or staff.id
    outbox.tell_resident(session, conversation=found, text=CLOSED)
    return found


def _waiting_for_a_person(session: Session, conversation_id: str) -> Conversation:
    found = conversation(session, conversation_id=conversation_id)
    if found.closed_at is not None:
        raise NotActionable("Cette conversation est close.")
    if found.mode is not Mode.HUMAN:
        raise NotActionable("L'assistant automatique a repris cette conversation : elle n'attend pas de médiateur.")
    return found
