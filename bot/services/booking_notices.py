"""Booking notices in the console: the unseen ones of some tenants, and marking them seen.

``booking.py`` writes a notice for each booking made, moved or cancelled; the
Visits page lists the unseen ones until a mediator marks them seen. A notice
belongs to its booking's tenant: for an account that may not see that tenant
it reads as one that does not exist (``NotFound``). Marking is a conditional
write, so a notice keeps the first time it was seen and a second click (or two
mediators at once) changes nothing.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.models import Booking, BookingNotice, Tenant, VisitSlot

# More than a page of changes means nobody has looked for a while: the newest matter first.
MAX_SHOWN = 50
NOT_FOUND = "Ce changement n'existe pas, ou votre compte ne permet pas de le voir."


@dataclass(frozen=True)
class NoticeLine:
    """A notice as the Visits page lists it: with its booking's reference, current slot and tenant's name."""

    notice: BookingNotice
    reference: str
    slot: VisitSlot
    tenant: str


@dataclass(frozen=True)
class Unseen:
    """The newest unseen notices, and how many older ones were left out."""

    lines: list[NoticeLine]
    more: int


def unseen(session: Session, *, tenant_ids: Collection[int], limit: int = MAX_SHOWN) -> Unseen:
    """The unseen notices of these tenants' bookings, newest first, at most ``limit``."""
    where = (BookingNotice.seen_at.is_(None), Booking.tenant_id.in_(list(tenant_ids)))
    rows = session.execute(
        select(BookingNotice, Booking.reference, VisitSlot, Tenant.name)
        .join(Booking, BookingNotice.booking_id == Booking.id)
        .join(VisitSlot, Booking.slot_id == VisitSlot.id)
        .join(Tenant, Booking.tenant_id == Tenant.id)
        .where(*where)
        .order_by(BookingNotice.created_at.desc(), BookingNotice.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(
        select(func.count(BookingNotice.id)).join(Booking, BookingNotice.booking_id == Booking.id).where(*where)
    )
    lines = [NoticeLine(notice=n, reference=ref, slot=slot, tenant=name) for n, ref, slot, name in rows]
    return Unseen(lines=lines, more=(total or 0) - len(lines))


def mark_seen(session: Session, *, notice_id: int, tenant_ids: Collection[int] | None, now: datetime) -> str:
    """Mark the notice seen (already seen: nothing changes); its booking's reference, or ``NotFound``."""
    query = select(Booking.reference).join(BookingNotice, BookingNotice.booking_id == Booking.id)
    reference = session.scalar(_of_tenants(query.where(BookingNotice.id == notice_id), tenant_ids))
    if reference is None:
        raise NotFound(NOT_FOUND)
    session.execute(
        update(BookingNotice).where(BookingNotice.id == notice_id, BookingNotice.seen_at.is_(None)).values(seen_at=now)
    )
    return reference


def mark_all_seen(
    session: Session, *, notice_ids: Collection[int], tenant_ids: Collection[int] | None, now: datetime
) -> int:
    """Mark these notices seen, skipping those the account may not see; how many were not seen before."""
    query = select(BookingNotice.id).join(Booking, BookingNotice.booking_id == Booking.id)
    visible = list(session.scalars(_of_tenants(query.where(BookingNotice.id.in_(list(notice_ids))), tenant_ids)))
    if not visible:
        return 0
    changed = session.execute(
        update(BookingNotice).where(BookingNotice.id.in_(visible), BookingNotice.seen_at.is_(None)).values(seen_at=now)
    )
    return changed.rowcount if isinstance(changed, CursorResult) else 0


def _of_tenants(query: Select[Any], tenant_ids: Collection[int] | None) -> Select[Any]:
    """``query`` (joined to bookings) restricted to these tenants; None: every tenant (the Régie's staff)."""
    return query if tenant_ids is None else query.where(Booking.tenant_id.in_(list(tenant_ids)))
