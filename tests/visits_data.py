"""Slots, bookings and booking notices written straight to the database, for the Visits tests (past ones included)."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db import transaction
from bot.models import Booking, BookingNotice, BookingStatus, Conversation, Resident, SlotKind, VisitSlot
from bot.services import booking
from bot.services.conversations import ensure_tenant
from bot.settings import Settings


def new_tenant(settings: Settings, name: str = "Bailleur test") -> str:
    """A new tenant; its slug."""
    slug = f"t-{uuid.uuid4().hex[:8]}"
    with transaction(settings.database_url) as session:
        ensure_tenant(session, slug=slug, name=name, welcome_message="Bonjour")
    return slug


def new_slot(
    settings: Settings, tenant: str, *, days: int = 3, hour: int = 14, capacity: int = 1, mediator: str = "Samia"
) -> int:
    """A one-hour slot ``days`` from today (negative: in the past) at ``hour``, made by ``create_series``; its id."""
    day = datetime.now(settings.zone).date() + timedelta(days=days)
    kind = SlotKind.DROP_IN if capacity > 1 else SlotKind.HOME_VISIT
    with transaction(settings.database_url) as session:
        tenant_id = ensure_tenant(session, slug=tenant, name=tenant, welcome_message="Bonjour").id
        (slot,) = booking.create_series(
            session, tenant_id=tenant_id, kind=kind, days=[day], hours=(f"{hour:02d}:00", f"{hour + 1:02d}:00"),
            minutes_each=60, mediator=mediator, zone=settings.zone, place="Local" if capacity > 1 else None,
            capacity=capacity,
        )  # fmt: skip
        return slot.id


def new_conversation(settings: Settings, tenant_id: int, resident_id: int | None = None) -> str:
    """A closed conversation of a new resident (or of ``resident_id``); its id."""
    with transaction(settings.database_url) as session:
        if resident_id is None:
            resident = Resident(tenant_id=tenant_id, channel="web", external_id=uuid.uuid4().hex)
            session.add(resident)
            session.flush()
            resident_id = resident.id
        conversation = Conversation(tenant_id=tenant_id, resident_id=resident_id, offered_payloads=[])
        conversation.closed_at = conversation.started_at = datetime.now(settings.zone)
        session.add(conversation)
        session.flush()
        return conversation.id


def new_booking(
    settings: Settings,
    slot_id: int,
    *,
    name: str = "Awa Diallo",
    status: BookingStatus = BookingStatus.BOOKED,
    conversation_id: str | None = None,
) -> tuple[int, str]:
    """A booking of the slot (written directly: past slots too); its id and reference."""
    if conversation_id is None:
        with transaction(settings.database_url) as session:
            tenant_id = session.get_one(VisitSlot, slot_id).tenant_id
        conversation_id = new_conversation(settings, tenant_id)
    with transaction(settings.database_url) as session:
        slot = session.get_one(VisitSlot, slot_id)
        taken = session.scalar(select(func.count(Booking.id)).where(Booking.slot_id == slot_id)) or 0
        found = Booking(
            reference=f"RDV-{uuid.uuid4().hex[:6].upper()}", tenant_id=slot.tenant_id, conversation_id=conversation_id,
            slot_id=slot_id, seat=None if status is BookingStatus.CANCELLED else taken + 1, status=status,
            topic="damp_heating", name=name, phone="+33612345678",
            address="Résidence Les Tilleuls, bât. B" if slot.kind is SlotKind.HOME_VISIT else None,
        )  # fmt: skip
        session.add(found)
        session.flush()
        return found.id, found.reference


def new_notice(
    settings: Settings,
    booking_id: int,
    *,
    kind: str = "booked",
    detail: str = "",
    minutes_ago: int = 0,
    seen: bool = False,
) -> int:
    """A notice of the booking, written ``minutes_ago`` minutes ago (already seen if ``seen``); its id."""
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    with transaction(settings.database_url) as session:
        notice = BookingNotice(
            booking_id=booking_id, kind=kind, detail=detail, created_at=at, seen_at=at if seen else None
        )
        session.add(notice)
        session.flush()
        return notice.id


def stored_notice(settings: Settings, notice_id: int) -> BookingNotice:
    with transaction(settings.database_url) as session:
        return session.get_one(BookingNotice, notice_id)


def stored_booking(settings: Settings, booking_id: int) -> Booking:
    with transaction(settings.database_url) as session:
        return session.get_one(Booking, booking_id)


def stored_slot(settings: Settings, slot_id: int) -> VisitSlot | None:
    with transaction(settings.database_url) as session:
        return session.get(VisitSlot, slot_id)
