"""Rows the tests need as a starting point: a tenant of their own, a resident's conversation, a visit slot."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db import transaction
from bot.models import Conversation, Resident, SlotKind, Tenant
from bot.services import booking
from bot.settings import Settings

ZONE = ZoneInfo("Europe/Paris")


def new_tenant(settings: Settings) -> int:
    """A fresh tenant (its own slug), so that tests do not see each other's rows."""
    with transaction(settings.database_url) as session:
        tenant = Tenant(slug=f"t-{uuid.uuid4().hex[:8]}", name="Bailleur test", welcome_message="Bonjour")
        session.add(tenant)
        session.flush()
        return tenant.id


def new_conversation(settings: Settings, tenant_id: int, resident_id: int | None = None) -> str:
    """A conversation of a new web resident (or of ``resident_id``, whose last one must be closed)."""
    with transaction(settings.database_url) as session:
        resident = (
            session.get_one(Resident, resident_id)
            if resident_id
            else Resident(tenant_id=tenant_id, channel="web", external_id=uuid.uuid4().hex)
        )
        conversation = Conversation(tenant_id=tenant_id, resident=resident, offered_payloads=[])
        session.add(conversation)
        session.flush()
        return conversation.id


def new_slot(settings: Settings, tenant_id: int, *, days: int = 3, hour: int = 14, capacity: int = 1) -> int:
    """A home visit (or a drop-in session when ``capacity`` > 1) in ``days`` days at ``hour``."""
    day = datetime.now(ZONE).date() + timedelta(days=days)
    kind = SlotKind.DROP_IN if capacity > 1 else SlotKind.HOME_VISIT
    with transaction(settings.database_url) as session:
        (slot,) = booking.create_series(
            session, tenant_id=tenant_id, kind=kind, days=[day], hours=(f"{hour:02d}:00", f"{hour + 1:02d}:00"),
            minutes_each=60, mediator="Samia", zone=ZONE, place="Local" if capacity > 1 else None, capacity=capacity,
        )  # fmt: skip
        return slot.id


def booking_request(conversation_id: str, slot_id: int, phone: str = "+33612345678") -> booking.NewBooking:
    """What the booking form gathers, for ``slot_id``."""
    return booking.NewBooking(
        conversation_id=conversation_id, slot_id=slot_id, topic="energy", name="Awa Diallo", phone=phone,
        address="Résidence Les Tilleuls, bât. B",
    )  # fmt: skip
