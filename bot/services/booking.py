"""Mediation visits: free slots, booking, moving and cancelling, and what mediators are told.

A slot has ``capacity`` seats (1 for a home visit). A booking holds one seat,
and the unique constraint on (slot, seat) is what makes double booking
impossible: we never check first and then write. Each attempt at a seat is its
own transaction, so a lost race leaves nothing behind and the next seat (or
the answer "taken") follows.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload

from bot.db import transaction
from bot.errors import SlotUnavailable
from bot.models import Booking, BookingNotice, BookingStatus, Conversation, SlotKind, VisitSlot, utcnow
from bot.services.conversations import same_resident
from bot.services.references import unused_reference
from bot.services.when import When

logger = logging.getLogger(__name__)

HORIZON = timedelta(weeks=4)
# What a series may ask for, from the command line or the console.
SERIES_MINUTES = range(15, 481)
SERIES_WEEKS = range(1, 53)
SERIES_CAPACITY = range(1, 201)
# A slot starting sooner than this cannot be booked: the mediator must be able to plan.
MIN_NOTICE = timedelta(hours=2)


@dataclass(frozen=True)
class NewBooking:
    """What the booking form collected."""

    conversation_id: str
    slot_id: int
    topic: str
    name: str
    phone: str
    address: str | None


def bookable_slots(
    session: Session, *, tenant_id: int, now: datetime, zone: ZoneInfo, when: When | None = None
) -> list[VisitSlot]:
    """Slots of the next weeks with a free seat that fit ``when``, soonest (or closest to the wished time) first."""
    candidates = list(session.scalars(_free_slots_query(tenant_id, now)))
    return candidates if when is None else fitting_the_wish(candidates, when, zone)


def fitting_the_wish(slots: list[VisitSlot], when: When, zone: ZoneInfo) -> list[VisitSlot]:
    """The slots that fit ``when``, soonest first (closest to the wished time within a day)."""
    fitting = [slot for slot in slots if _fits(slot, when, zone)]
    if when.around is not None:
        fitting.sort(key=lambda slot: (slot.starts_at.astimezone(zone).date(), _distance(slot, when, zone)))
    return fitting


def _free_slots_query(tenant_id: int, now: datetime) -> Select[tuple[VisitSlot]]:
    taken = (
        select(func.count(Booking.id))
        .where(Booking.slot_id == VisitSlot.id, Booking.seat.is_not(None))
        .scalar_subquery()
    )
    return (
        select(VisitSlot)
        .where(
            VisitSlot.tenant_id == tenant_id,
            VisitSlot.removed_at.is_(None),
            VisitSlot.starts_at >= now + MIN_NOTICE,
            VisitSlot.starts_at < now + HORIZON,
            taken < VisitSlot.capacity,
        )
        .order_by(VisitSlot.starts_at, VisitSlot.id)
    )


def _fits(slot: VisitSlot, when: When, zone: ZoneInfo) -> bool:
    start = slot.starts_at.astimezone(zone)
    if when.first_day is not None and not when.first_day <= start.date() <= (when.last_day or when.first_day):
        return False
    if when.weekday is not None and start.weekday() != when.weekday:
        return False
    if when.earliest is not None and start.time() < when.earliest:
        return False
    if when.latest is not None and start.time() >= when.latest:
        return False
    if when.around is not None and when.first_day is None and when.weekday is None and when.earliest is None:
        return _distance(slot, when, zone) <= timedelta(hours=1)
    return True


def _distance(slot: VisitSlot, when: When, zone: ZoneInfo) -> timedelta:
    start = slot.starts_at.astimezone(zone)
    wished = datetime.combine(start.date(), when.around or start.time(), tzinfo=zone)
    return abs(start - wished)


def book(database_url: str, new: NewBooking) -> Booking:
    """Book a seat of the slot for the resident, or raise ``SlotUnavailable``."""
    with transaction(database_url) as session:
        slot = _bookable_slot(session, new.slot_id, new.conversation_id)
    for seat in range(1, slot.capacity + 1):
        try:
            with transaction(database_url) as session:
                booking = Booking(
                    reference=unused_reference("RDV", lambda ref: _taken(session, ref)),
                    tenant_id=slot.tenant_id,
                    conversation_id=new.conversation_id,
                    slot_id=slot.id,
                    seat=seat,
                    topic=new.topic,
                    name=new.name,
                    phone=new.phone,
                    address=new.address if slot.kind is SlotKind.HOME_VISIT else None,
                )
                session.add(booking)
                session.flush()
                _hold_open_slot(session, slot.id)
                _notify(session, booking, "booked", f"Nouveau rendez-vous {booking.reference}")
                # Loaded here, so callers can read it once the session is closed.
                booking.slot = slot
                return booking
        except IntegrityError:
            logger.info("seat %s of slot %s taken meanwhile", seat, slot.id)
    raise SlotUnavailable("taken")


def move(database_url: str, *, booking_id: int, slot_id: int) -> Booking:
    """Move a booking to another slot's free seat, or raise ``SlotUnavailable`` (the booking stays as it was)."""
    with transaction(database_url) as session:
        booking = session.get_one(Booking, booking_id)
        slot = _bookable_slot(session, slot_id, booking.conversation_id)
    for seat in range(1, slot.capacity + 1):
        try:
            with transaction(database_url) as session:
                booking = session.get_one(Booking, booking_id)
                if booking.status is not BookingStatus.BOOKED:
                    raise SlotUnavailable("cancelled")
                booking.slot_id, booking.seat, booking.updated_at = slot.id, seat, utcnow()
                session.flush()
                _hold_open_slot(session, slot.id)
                _notify(session, booking, "moved", f"{booking.reference} déplacé sur un autre créneau")
                session.refresh(booking, ["slot"])
                return booking
        except IntegrityError:
            logger.info("seat %s of slot %s taken meanwhile", seat, slot.id)
    raise SlotUnavailable("taken")


def _bookable_slot(session: Session, slot_id: int, conversation_id: str) -> VisitSlot:
    slot = session.get(VisitSlot, slot_id)
    conversation = session.get_one(Conversation, conversation_id)
    if slot is None or slot.tenant_id != conversation.tenant_id or slot.removed_at is not None:
        raise SlotUnavailable("gone")
    if slot.starts_at < utcnow() + MIN_NOTICE:
        raise SlotUnavailable("past")
    return slot


def _hold_open_slot(session: Session, slot_id: int) -> None:
    """Lock the slot until commit, or raise ``SlotUnavailable("gone")`` if staff removed it meanwhile.

    Called after the seat is written: on SQLite the write already holds the
    database's lock, on PostgreSQL ``FOR NO KEY UPDATE`` waits for a removal
    in progress (``visits_admin.remove_slot`` updates the row first). Either
    way a booking and the removal of its slot never both succeed. (NO KEY:
    the seat's foreign key already holds a KEY SHARE lock, which it does not
    conflict with, so two bookings of one slot queue instead of deadlocking.)
    """
    query = select(VisitSlot.removed_at).where(VisitSlot.id == slot_id).with_for_update(key_share=True)
    if session.execute(query).scalar_one() is not None:
        raise SlotUnavailable("gone")


def cancel(session: Session, *, booking: Booking) -> None:
    """Cancel the booking: its seat is free again, and the mediators are told."""
    booking.status, booking.seat, booking.updated_at = BookingStatus.CANCELLED, None, utcnow()
    _notify(session, booking, "cancelled", f"{booking.reference} annulé par le résident")


def upcoming_bookings(session: Session, *, conversation_id: str, now: datetime) -> list[Booking]:
    """The resident's coming visits (every conversation of theirs), soonest first."""
    return list(
        session.scalars(
            _residents_bookings(conversation_id)
            .options(contains_eager(Booking.slot))
            .where(Booking.status == BookingStatus.BOOKED, VisitSlot.starts_at >= now)
            .order_by(VisitSlot.starts_at)
        )
    )


def by_reference(session: Session, *, reference: str) -> Booking | None:
    """The booking with this reference (its slot loaded), whoever it belongs to: for staff and notices."""
    return session.scalar(select(Booking).options(joinedload(Booking.slot)).where(Booking.reference == reference))


def find_booking(
    session: Session, *, reference: str, conversation_id: str, phone: str | None, verified: str | None = None
) -> Booking | None:
    """The coming booking with this reference, if the resident may see it.

    It is theirs (booked from one of their conversations), or they gave the phone
    number it was booked with, now (``phone``) or earlier in this conversation
    (``verified`` is then the reference they proved).
    """
    booking = by_reference(session, reference=reference)
    if booking is None or booking.status is not BookingStatus.BOOKED:
        return None
    if (phone is not None and phone == booking.phone) or verified == reference:
        return booking
    own = session.scalar(_residents_bookings(conversation_id).where(Booking.id == booking.id))
    return booking if own is not None else None


def drop_in_sessions(session: Session, *, tenant_id: int, now: datetime) -> list[VisitSlot]:
    """The coming drop-in sessions, booked up or not: residents may come without booking."""
    return list(
        session.scalars(
            select(VisitSlot)
            .where(VisitSlot.tenant_id == tenant_id, VisitSlot.kind == SlotKind.DROP_IN, VisitSlot.removed_at.is_(None))
            .where(VisitSlot.starts_at >= now, VisitSlot.starts_at < now + HORIZON)
            .order_by(VisitSlot.starts_at)
            .limit(6)
        )
    )


def resident_history(session: Session, *, conversation_id: str) -> list[Booking]:
    """Every booking of the resident behind this conversation (any status, any of their conversations), latest first."""
    query = _residents_bookings(conversation_id).options(contains_eager(Booking.slot))
    return list(session.scalars(query.order_by(VisitSlot.starts_at.desc(), Booking.id.desc())))


def _residents_bookings(conversation_id: str) -> Select[tuple[Booking]]:
    return select(Booking).join(VisitSlot).where(Booking.conversation_id.in_(same_resident(conversation_id)))


def _taken(session: Session, reference: str) -> bool:
    return session.scalar(select(Booking.id).where(Booking.reference == reference)) is not None


def _notify(session: Session, booking: Booking, kind: str, detail: str) -> None:
    session.add(BookingNotice(booking_id=booking.id, kind=kind, detail=detail))


def series_times(
    days: list[date], hours: tuple[str, str], minutes_each: int, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of each slot of ``minutes_each`` from the first to the second hour of each day."""
    first, last = (datetime.strptime(h, "%H:%M").time() for h in hours)
    times = []
    for day in days:
        start = datetime.combine(day, first, tzinfo=zone)
        end_of_day = datetime.combine(day, last, tzinfo=zone)
        while start + timedelta(minutes=minutes_each) <= end_of_day:
            end = start + timedelta(minutes=minutes_each)
            times.append((start.astimezone(UTC), end.astimezone(UTC)))
            start = end
    return times


def _same_mediator(first: str, second: str) -> bool:
    """Whether two typed mediator names are the same person ("Samia " and "samia")."""
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def overlapping_slot(
    session: Session, *, tenant_id: int, mediator: str, times: list[tuple[datetime, datetime]]
) -> VisitSlot | None:
    """The first slot (not removed) of ``mediator`` at this tenant that overlaps one of ``times``, if any.

    Mediators are typed names, not accounts: within one tenant the same name is
    the same person, who cannot be in two places at once; another tenant may
    be another Régie, with its own Samia.
    """
    if not times:
        return None
    nearby = session.scalars(
        select(VisitSlot)
        .where(VisitSlot.tenant_id == tenant_id, VisitSlot.removed_at.is_(None))
        .where(VisitSlot.starts_at < max(end for _, end in times), VisitSlot.ends_at > min(start for start, _ in times))
        .order_by(VisitSlot.starts_at, VisitSlot.id)
    )
    for slot in nearby:
        if _same_mediator(slot.mediator, mediator) and any(
            slot.starts_at < end and start < slot.ends_at for start, end in times
        ):
            return slot
    return None


def create_series(
    session: Session,
    *,
    tenant_id: int,
    kind: SlotKind,
    days: list[date],
    hours: tuple[str, str],
    minutes_each: int,
    mediator: str,
    zone: ZoneInfo,
    place: str | None = None,
    capacity: int = 1,
) -> list[VisitSlot]:
    """Slots of ``minutes_each`` from the first to the second hour ("14:00", "17:00") of each day."""
    slots = [
        VisitSlot(
            tenant_id=tenant_id, kind=kind, starts_at=start, ends_at=end, mediator=mediator, place=place,
            capacity=capacity,
        )
        for start, end in series_times(days, hours, minutes_each, zone)
    ]  # fmt: skip
    session.add_all(slots)
    session.flush()
    return slots
