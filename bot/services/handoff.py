"""Handing a conversation over to the Régie's mediators (human mode), and telling the resident when.

Three triggers: the resident asks (``action_handoff``), the bot fails to
understand two messages in a row (``record_miss``, from ``action_answer_faq``),
or the router spots an urgent situation (``bot/services/urgency.py``).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Author, Conversation, Message, Mode, utcnow
from bot.services.opening_hours import OpeningHours, french_moment, french_time

ASKED = "asked"
NOT_UNDERSTOOD = "not_understood"
URGENT = "urgent"
REASONS = frozenset({ASKED, NOT_UNDERSTOOD, URGENT})

NOT_UNDERSTOOD_TWICE = (
    "Je n'ai toujours pas compris votre message, désolé. Je transmets la conversation à un médiateur "
    "de la Régie : il vous répondra ici même."
)
URGENT_HANDOFF = "Votre situation paraît urgente : je la transmets en priorité à un médiateur de la Régie."
OUTSIDE_HOURS_EMERGENCY = (
    "En cas de danger, appelez le 112 (ou 18 pompiers, 15 SAMU, 17 police) ; "
    "pour une odeur de gaz, Urgence Sécurité Gaz : 0 800 47 33 33."
)


def escalate(session: Session, *, conversation_id: str, reason: str) -> Conversation:
    """Switch the conversation to human mode: the router stops calling Rasa.

    An urgent reason replaces an earlier one, so the conversation moves up the queue.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown escalation reason: {reason!r}")
    conversation = session.get_one(Conversation, conversation_id)
    if conversation.mode is not Mode.HUMAN:
        conversation.mode = Mode.HUMAN
        conversation.escalated_at = utcnow()
        conversation.escalation_reason = reason
    elif reason == URGENT:
        conversation.escalation_reason = URGENT
    return conversation


def record_miss(session: Session, *, conversation_id: str) -> bool:
    """The bot did not understand the resident's latest message; True when that makes two in a row (escalated).

    "In a row" means consecutive messages of the resident: the previous one
    was the last miss. An unknown conversation (a test tracker) counts nothing.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    latest = list(
        session.scalars(
            select(Message.id)
            .where(Message.conversation_id == conversation_id, Message.author == Author.RESIDENT)
            .order_by(Message.id.desc())
            .limit(2)
        )
    )
    if not latest:
        return False
    previous = latest[1] if len(latest) > 1 else None
    if previous is not None and conversation.missed_message_id == previous and conversation.mode is Mode.BOT:
        escalate(session, conversation_id=conversation_id, reason=NOT_UNDERSTOOD)
        return True
    conversation.missed_message_id = latest[0]
    return False


def availability(hours: OpeningHours, now: datetime | None = None) -> str:
    """When a mediator will answer: soon during opening hours, else when the Régie reopens."""
    now = now or utcnow()
    if hours.is_open(now):
        closing = hours.closes_at(now)
        until = f" (la Régie est ouverte jusqu'à {french_time(closing)})" if closing else ""
        return f"Un médiateur vous répond ici même dès que possible{until}."
    reopening = hours.next_opening(now)
    when = f", {french_moment(reopening, now)}" if reopening else ""
    return (
        f"La Régie est fermée en ce moment (horaires : {hours.describe()}). "
        f"Un médiateur vous répondra ici même dès la réouverture{when}. {OUTSIDE_HOURS_EMERGENCY}"
    )
