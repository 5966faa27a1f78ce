"""A resident's personal data: what we hold about them (a summary, a JSON export) and its erasure.

A resident is one (tenant, channel, external id); their data spans every
conversation of theirs: the transcript, the outbox, bookings, requests and
photos. Rasa's tracker holds the same dialogue under each conversation id.

Erasing (docs/privacy.md) runs in one transaction of ours, so nothing is
half-erased: contact details and transcripts go, coming visits are cancelled
(the mediators get the usual notice), requests stay as anonymous facts
(category, place, dates, status) for the landlord's follow-up. The resident
row stays, because conversations, bookings and requests point to it, but its
external id (a Telegram chat id, a widget's secret) becomes a random token:
nothing links it to a person any more, and that person's next message starts
afresh. Photo files and tracker events are deleted after the commit
(``forget_outside``); every step is harmless when repeated.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload

from bot.db import transaction
from bot.models import (
    AuditEntry,
    Booking,
    BookingStatus,
    Conversation,
    Message,
    OutgoingMessage,
    Photo,
    RequestEvent,
    RequestFollower,
    Resident,
    ResidentRequest,
    StaffUser,
    Tenant,
)
from bot.services import booking as booking_service
from bot.services import photos, tracker_store
from bot.services.contact import display_phone
from bot.services.request_categories import label

logger = logging.getLogger(__name__)

# What erased free text becomes: the column stays filled, the person is gone.
ERASED = "(effacé)"
ERASED_ID_PREFIX = "erased-"


@dataclass(frozen=True)
class Erasure:
    """What an erasure touched: the conversations (for the tracker store), photo files, cancelled visits."""

    conversation_ids: tuple[str, ...]
    photo_ids: tuple[str, ...]
    cancelled: tuple[str, ...]


def find_resident(session: Session, *, tenant_slug: str, channel: str, external_id: str) -> Resident | None:
    """The resident this channel's sender is at this tenant, if they ever wrote."""
    return session.scalar(
        select(Resident)
        .join(Tenant, Resident.tenant_id == Tenant.id)
        .where(Tenant.slug == tenant_slug, Resident.channel == channel, Resident.external_id == external_id)
    )


def resident_of(session: Session, *, conversation_id: str) -> Resident:
    """The resident of a conversation (an action knows only the conversation id), in one query."""
    return session.get_one(Conversation, conversation_id, options=[joinedload(Conversation.resident)]).resident


def conversation_ids(session: Session, resident: Resident) -> list[str]:
    """Every conversation of the resident, oldest first."""
    query = select(Conversation.id).where(Conversation.resident_id == resident.id).order_by(Conversation.started_at)
    return list(session.scalars(query))


# ---- Seeing it


def export(session: Session, *, resident: Resident, now: datetime) -> dict[str, Any]:
    """Everything stored about the resident, as JSON-ready data with French keys (the resident reads it)."""
    ids = conversation_ids(session, resident)
    bookings = _bookings(session, ids)
    requests = _requests(session, ids)
    return {
        "exporte_le": now.isoformat(),
        "partenaire": resident.tenant.name,
        "canal": resident.channel,
        "identifiant": resident.external_id,
        "coordonnees": _contact_details(bookings, requests),
        "rendez_vous": [_booking_data(b) for b in bookings],
        "demandes": [_request_data(r, reported=r.conversation_id in ids) for r in requests],
        "conversations": [_conversation_data(session, conversation_id) for conversation_id in ids],
        "consultations": _staff_access(session, ids),
    }


def _bookings(session: Session, ids: list[str]) -> list[Booking]:
    query = select(Booking).options(joinedload(Booking.slot)).where(Booking.conversation_id.in_(ids))
    return list(session.scalars(query.order_by(Booking.created_at)))


def _requests(session: Session, ids: list[str]) -> list[ResidentRequest]:
    """Requests the resident reported, or joined as a follower."""
    followed = select(RequestFollower.request_id).where(RequestFollower.conversation_id.in_(ids))
    query = select(ResidentRequest).where(ResidentRequest.conversation_id.in_(ids) | ResidentRequest.id.in_(followed))
    return list(session.scalars(query.order_by(ResidentRequest.created_at)))


def _contact_details(bookings: list[Booking], requests: list[ResidentRequest]) -> dict[str, list[str]]:
    def distinct(values: list[str | None]) -> list[str]:
        return sorted({v for v in values if v and v != ERASED})

    return {
        "noms": distinct([b.name for b in bookings]),
        "telephones": distinct([b.phone for b in bookings] + [r.phone for r in requests]),
        "adresses": distinct([b.address for b in bookings]),
    }


def _booking_data(found: Booking) -> dict[str, Any]:
    return {
        "reference": found.reference,
        "statut": found.status.value,
        "sujet": found.topic,
        "debut": found.slot.starts_at.isoformat(),
        "lieu": found.slot.place,
        "nom": found.name,
        "telephone": found.phone,
        "adresse": found.address,
    }


def _request_data(found: ResidentRequest, *, reported: bool) -> dict[str, Any]:
    common = {"reference": found.reference, "categorie": found.category, "statut": found.status.value}
    if not reported:
        return common | {"suivie": True}
    return common | {
        "lieu": found.place,
        "description": found.description,
        "telephone": found.phone,
        "photos": len(found.photos),
        "creee_le": found.created_at.isoformat(),
    }


def _conversation_data(session: Session, conversation_id: str) -> dict[str, Any]:
    conversation = session.get_one(Conversation, conversation_id)
    messages = session.scalars(select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id))
    return {
        "commencee_le": conversation.started_at.isoformat(),
        "close_le": conversation.closed_at.isoformat() if conversation.closed_at else None,
        "messages": [
            {"date": m.created_at.isoformat(), "auteur": m.author.value, "texte": m.text or f"[bouton {m.payload}]"}
            for m in messages
        ],
    }


def _staff_access(session: Session, ids: list[str]) -> list[dict[str, str]]:
    """When staff read or acted on the resident's conversations (the audit log): who by role, never by name."""
    rows = session.execute(
        select(AuditEntry.created_at, AuditEntry.action, StaffUser.role)
        .join(StaffUser, AuditEntry.staff_id == StaffUser.id)
        .where(AuditEntry.target.in_(ids))
        .order_by(AuditEntry.id)
    )
    return [{"date": at.isoformat(), "action": action, "role": role.value} for at, action, role in rows]


def summary(data: dict[str, Any], zone: ZoneInfo) -> str:
    """A short French summary of ``export``'s data, for a chat message."""
    messages = sum(len(c["messages"]) for c in data["conversations"])
    contact = data["coordonnees"]
    lines = [f"Voici ce que nous gardons sur vous ({data['partenaire']}) :"]
    conversations = len(data["conversations"])
    lines.append(f"• {_count(messages, 'message')}, dans {_count(conversations, 'conversation')} avec l'assistant.")
    phones = [display_phone(phone) for phone in contact["telephones"] if phone]
    details = [*contact["noms"], *phones, *contact["adresses"]]
    lines.append("• Coordonnées : " + (", ".join(details) if details else "aucune."))
    for booked in data["rendez_vous"]:
        start = datetime.fromisoformat(booked["debut"]).astimezone(zone)
        lines.append(f"• Rendez-vous {booked['reference']} le {start:%d/%m/%Y à %H:%M} ({_STATUS[booked['statut']]}).")
    for request in data["demandes"]:
        lines.append(f"• Demande {request['reference']} ({label(request['categorie'])}, {_STATUS[request['statut']]}).")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    """« 1 message », « 3 messages »."""
    return f"{number} {noun}{'s' if number > 1 else ''}"


_STATUS = {
    "booked": "à venir ou passé",
    "cancelled": "annulé",
    "done": "terminé",
    "no_show": "manqué",
    "new": "nouvelle",
    "in_progress": "en cours",
    "rejected": "refusée",
}


# ---- Erasing it


def erase(session: Session, *, resident: Resident, now: datetime) -> Erasure:
    """Erase the resident's personal data in the caller's transaction (see the module's docstring)."""
    ids = conversation_ids(session, resident)
    cancelled = _erase_bookings(session, ids, now)
    photos = _erase_requests(session, ids)
    session.execute(delete(RequestFollower).where(RequestFollower.conversation_id.in_(ids)))
    session.execute(delete(OutgoingMessage).where(OutgoingMessage.conversation_id.in_(ids)))
    session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
    session.execute(
        update(Conversation)
        .where(Conversation.id.in_(ids))
        .values(missed_message_id=None, outcome=None, offered_payloads=[], photo_requested_at=None)
    )
    session.execute(update(Conversation).where(Conversation.id.in_(ids), Conversation.closed_at.is_(None)).values(
        closed_at=now
    ))  # fmt: skip
    if resident.erased_at is None:
        resident.external_id, resident.erased_at = pseudonym(), now
    resident.unreachable_at = None
    return Erasure(conversation_ids=tuple(ids), photo_ids=tuple(photos), cancelled=tuple(cancelled))


def pseudonym() -> str:
    """A random external id for an erased resident: unique, and linked to nobody."""
    return f"{ERASED_ID_PREFIX}{uuid.uuid4().hex}"


def _erase_bookings(session: Session, ids: list[str], now: datetime) -> list[str]:
    """Cancel coming visits (seat freed, mediators told) and blank every booking's contact details."""
    cancelled = []
    for found in _bookings(session, ids):
        if found.status is BookingStatus.BOOKED and found.slot.starts_at >= now:
            booking_service.cancel(session, booking=found)
            cancelled.append(found.reference)
        blank_contact(found)
    return cancelled


def blank_contact(found: Booking) -> None:
    """Remove the name, phone and address of a booking; its slot, topic and status stay (statistics)."""
    found.name, found.phone, found.address = ERASED, "", None


def _erase_requests(session: Session, ids: list[str]) -> list[str]:
    """Reduce the resident's requests to anonymous facts; return the ids of the photos removed."""
    reported = select(ResidentRequest.id).where(ResidentRequest.conversation_id.in_(ids))
    return anonymise_requests(session, request_ids=list(session.scalars(reported)), conversation_ids=ids)


def anonymise_requests(session: Session, *, request_ids: list[int], conversation_ids: Sequence[str] = ()) -> list[str]:
    """Keep category, place, dates and status of the requests; drop what a person wrote or sent.

    Staff notes go too: they may name the resident. Photos of the requests
    (and any of the conversations not yet attached to one) are deleted; their
    ids are returned so that the files follow.
    """
    session.execute(
        update(ResidentRequest).where(ResidentRequest.id.in_(request_ids)).values(description=ERASED, phone=None)
    )
    session.execute(update(RequestEvent).where(RequestEvent.request_id.in_(request_ids)).values(note=None))
    photos = select(Photo.id).where(Photo.request_id.in_(request_ids) | Photo.conversation_id.in_(conversation_ids))
    photo_ids = list(session.scalars(photos))
    session.execute(delete(Photo).where(Photo.id.in_(photo_ids)))
    return photo_ids


def forget_outside(erasure: Erasure, *, tracker_store_url: str | None, photo_dir: Path | None) -> None:
    """After the commit: the tracker events and the photo files. ``None`` skips one (the caller does it)."""
    if tracker_store_url is not None:
        tracker_store.delete_events(tracker_store_url, erasure.conversation_ids)
    if photo_dir is not None:
        photos.delete_files(photo_dir, erasure.photo_ids)


def erase_resident(
    database_url: str,
    *,
    tenant_slug: str,
    channel: str,
    external_id: str,
    now: datetime,
    tracker_store_url: str,
    photo_dir: Path,
) -> Erasure | None:
    """Erase everything of a channel's sender at a tenant, tracker and files included; None if unknown."""
    with transaction(database_url) as session:
        resident = find_resident(session, tenant_slug=tenant_slug, channel=channel, external_id=external_id)
        if resident is None:
            return None
        erasure = erase(session, resident=resident, now=now)
    forget_outside(erasure, tracker_store_url=tracker_store_url, photo_dir=photo_dir)
    logger.info(
        "personal data erased: %d conversations, %d visits cancelled",
        len(erasure.conversation_ids),
        len(erasure.cancelled),
    )
    return erasure


def export_resident(
    database_url: str, *, tenant_slug: str, channel: str, external_id: str, now: datetime
) -> dict[str, Any] | None:
    """``export`` of a channel's sender at a tenant, or None if they never wrote there."""
    with transaction(database_url) as session:
        resident = find_resident(session, tenant_slug=tenant_slug, channel=channel, external_id=external_id)
        return None if resident is None else export(session, resident=resident, now=now)
