"""Nothing kept longer than needed: delete or anonymise personal data past its retention period.

Each kind of data has its period (settings ``RETENTION_*_DAYS``, stated on the
privacy page). ``purge`` takes ``now`` so that tests move the clock; it runs
daily in production (``bot.cli serve-retention``) and on demand (``make purge``).
Every step is idempotent: a second run the same day changes nothing.

- transcripts: messages and outbox of conversations silent for the period are
  deleted, the conversation closed (a later message starts a fresh one), and
  Rasa's tracker events deleted; a resident with nothing recent left loses
  the link to their channel id, as in an erasure;
- booking contact details: name, phone and address blanked once the visit is
  that old; the slot, topic and status stay for statistics;
- requests done or rejected for the period: reduced to category, place, dates
  and status; photos deleted;
- sensitive messages (health, debts…): their text is replaced early, as the
  CNIL advises for such data typed spontaneously.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Self

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.models import (
    Booking,
    Conversation,
    Message,
    OutgoingMessage,
    RequestFollower,
    RequestStatus,
    Resident,
    ResidentRequest,
    VisitSlot,
)
from bot.services import personal_data, photos, tracker_store
from bot.settings import Settings

logger = logging.getLogger(__name__)

SENSITIVE_PURGED = "(message sensible effacé)"
# Erasures of the last days are checked again in the tracker store, in case one was cut short.
ERASURE_RECHECK = timedelta(days=3)


@dataclass(frozen=True)
class Periods:
    """How long each kind of data is kept, in days."""

    transcript_days: int
    booking_contact_days: int
    request_details_days: int
    sensitive_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The periods configured for this deployment."""
        return cls(
            transcript_days=settings.retention_transcript_days,
            booking_contact_days=settings.retention_booking_contact_days,
            request_details_days=settings.retention_request_details_days,
            sensitive_days=settings.retention_sensitive_days,
        )


@dataclass(frozen=True)
class Purged:
    """What one purge did; the ids are for the tracker store and the photo files."""

    sensitive_messages: int
    conversations: tuple[str, ...]
    residents: int
    booking_contacts: int
    requests: int
    photo_ids: tuple[str, ...]


def purge(session: Session, *, now: datetime, periods: Periods) -> Purged:
    """Delete or anonymise, in the caller's transaction, what is past its period at ``now``."""
    sensitive = _purge_sensitive(session, now - timedelta(days=periods.sensitive_days))
    conversations = _purge_transcripts(session, now - timedelta(days=periods.transcript_days), now)
    residents, their_photos = _forget_silent_residents(session, now - timedelta(days=periods.transcript_days), now)
    contacts = _purge_booking_contacts(session, now - timedelta(days=periods.booking_contact_days))
    request_ids = _closed_requests_before(session, now - timedelta(days=periods.request_details_days))
    photos = personal_data.anonymise_requests(session, request_ids=request_ids)
    recently_erased = _recently_erased_conversations(session, now - ERASURE_RECHECK)
    return Purged(
        sensitive_messages=sensitive,
        conversations=tuple(conversations + recently_erased),
        residents=residents,
        booking_contacts=contacts,
        requests=len(request_ids),
        photo_ids=tuple(photos + their_photos),
    )


def _purge_sensitive(session: Session, before: datetime) -> int:
    result = session.execute(
        update(Message)
        .where(Message.sensitive.is_(True), Message.created_at < before, Message.text != SENSITIVE_PURGED)
        .values(text=SENSITIVE_PURGED)
    )
    return result.rowcount


def _purge_transcripts(session: Session, before: datetime, now: datetime) -> list[str]:
    """Conversations silent since ``before`` that still hold messages: emptied and closed."""
    has_content = exists().where(Message.conversation_id == Conversation.id) | exists().where(
        OutgoingMessage.conversation_id == Conversation.id
    )
    ids = list(session.scalars(select(Conversation.id).where(Conversation.last_message_at < before, has_content)))
    if not ids:
        return []
    session.execute(delete(OutgoingMessage).where(OutgoingMessage.conversation_id.in_(ids)))
    session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
    session.execute(update(Conversation).where(Conversation.id.in_(ids)).values(missed_message_id=None, outcome=None))
    session.execute(update(Conversation).where(Conversation.id.in_(ids), Conversation.closed_at.is_(None)).values(
        closed_at=now
    ))  # fmt: skip
    return ids


def _forget_silent_residents(session: Session, before: datetime, now: datetime) -> tuple[int, list[str]]:
    """Residents none of whose conversations is recent are forgotten as in an erasure; return (count, photo ids).

    Their channel id goes, and their requests become anonymous facts (the landlord's follow-up goes on).
    """
    recent = exists().where(Conversation.resident_id == Resident.id, Conversation.last_message_at >= before)
    residents = list(session.scalars(select(Resident).where(Resident.erased_at.is_(None), ~recent)))
    photos: list[str] = []
    for resident in residents:
        ids = personal_data.conversation_ids(session, resident)
        reported = list(session.scalars(select(ResidentRequest.id).where(ResidentRequest.conversation_id.in_(ids))))
        photos += personal_data.anonymise_requests(session, request_ids=reported, conversation_ids=ids)
        session.execute(delete(RequestFollower).where(RequestFollower.conversation_id.in_(ids)))
        resident.external_id = personal_data.pseudonym()
        resident.erased_at, resident.unreachable_at = now, None
    return len(residents), photos


def _purge_booking_contacts(session: Session, before: datetime) -> int:
    bookings = session.scalars(
        select(Booking).join(VisitSlot).where(VisitSlot.ends_at < before, Booking.name != personal_data.ERASED)
    )
    count = 0
    for found in bookings:
        personal_data.blank_contact(found)
        count += 1
    return count


def _closed_requests_before(session: Session, before: datetime) -> list[int]:
    closed = (RequestStatus.DONE, RequestStatus.REJECTED)
    query = select(ResidentRequest.id).where(
        ResidentRequest.status.in_(closed),
        ResidentRequest.updated_at < before,
        ResidentRequest.description != personal_data.ERASED,
    )
    return list(session.scalars(query))


def _recently_erased_conversations(session: Session, since: datetime) -> list[str]:
    query = select(Conversation.id).join(Resident).where(Resident.erased_at >= since)
    return list(session.scalars(query))


def run(database_url: str, *, tracker_store_url: str, photo_dir: Path, now: datetime, periods: Periods) -> Purged:
    """One purge: our tables in one transaction, then the tracker events and the photo files."""
    with transaction(database_url) as session:
        purged = purge(session, now=now, periods=periods)
    tracker_store.delete_events(tracker_store_url, purged.conversations)
    photos.delete_files(photo_dir, purged.photo_ids)
    logger.info(
        "retention purge: %d sensitive messages, %d transcripts, %d residents, %d booking contacts, %d requests",
        purged.sensitive_messages, len(purged.conversations), purged.residents, purged.booking_contacts,
        purged.requests,
    )  # fmt: skip
    return purged
