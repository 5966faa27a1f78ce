"""Handing a conversation over to the Régie's mediators (human mode)."""

from sqlalchemy.orm import Session

from bot.models import Conversation, Mode, utcnow

REASONS = frozenset({"asked", "not_understood", "urgent"})


def escalate(session: Session, *, conversation_id: str, reason: str) -> Conversation:
    """Switch the conversation to human mode: the router stops calling Rasa."""
    if reason not in REASONS:
        raise ValueError(f"unknown escalation reason: {reason!r}")
    conversation = session.get_one(Conversation, conversation_id)
    if conversation.mode is not Mode.HUMAN:
        conversation.mode = Mode.HUMAN
        conversation.escalated_at = utcnow()
        conversation.escalation_reason = reason
    return conversation
