"""Booking on the real database: seats, capacity, cancellations, moves, and who may see a booking."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import transaction
from bot.errors import SlotUnavailable
from bot.models import Booking, BookingNotice, BookingStatus, SlotKind, VisitSlot
from bot.services import booking
from bot.services.when import parse_when
from bot.settings import Settings
from tests.factories import ZONE, booking_request, new_conversation, new_slot, new_tenant


def _active_bookings(settings: Settings, slot_id: int) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(
            select(func.count(Booking.id)).where(Booking.slot_id == slot_id, Booking.seat.is_not(None))
        )


def test_a_booking_gets_a_reference_and_tells_the_mediators(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    conversation_id, slot_id = new_conversation(settings, tenant_id), new_slot(settings, tenant_id)
    made = booking.book(settings.database_url, booking_request(conversation_id, slot_id))
    assert made.reference.startswith("RDV-") and made.slot.id == slot_id
    with transaction(settings.database_url) as session:
        notices = session.scalars(select(BookingNotice.kind).where(BookingNotice.booking_id == made.id)).all()
    assert notices == ["booked"]


def test_concurrent_attempts_book_a_home_visit_once(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    slot_id = new_slot(settings, tenant_id)
    conversations = [new_conversation(settings, tenant_id) for _ in range(8)]

    def attempt(conversation_id: str) -> bool:
        try:
            booking.book(settings.database_url, booking_request(conversation_id, slot_id))
            return True
        except SlotUnavailable:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, conversations))
    assert outcomes.count(True) == 1
    assert _active_bookings(settings, slot_id) == 1


def test_a_drop_in_session_takes_bookings_up_to_its_capacity(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    slot_id = new_slot(settings, tenant_id, capacity=3)
    for _ in range(3):
        booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), slot_id))
    with pytest.raises(SlotUnavailable):
        booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), slot_id))
    with transaction(settings.database_url) as session:
        made = session.scalars(select(Booking).where(Booking.slot_id == slot_id)).all()
    assert all(b.address is None for b in made), "a drop-in session keeps no home address"


def test_cancelling_frees_the_seat(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    slot_id = new_slot(settings, tenant_id)
    first = booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), slot_id))
    with transaction(settings.database_url) as session:
        booking.cancel(session, booking=session.get_one(Booking, first.id))
    again = booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), slot_id))
    assert again.reference != first.reference
    with transaction(settings.database_url) as session:
        assert session.get_one(Booking, first.id).status is BookingStatus.CANCELLED


def test_moving_takes_the_new_seat_and_frees_the_old_one(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    old_slot, later_slot = new_slot(settings, tenant_id, hour=9), new_slot(settings, tenant_id, hour=15)
    made = booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), old_slot))
    moved = booking.move(settings.database_url, booking_id=made.id, slot_id=later_slot)
    assert (moved.reference, moved.slot.id) == (made.reference, later_slot)
    assert _active_bookings(settings, old_slot) == 0


def test_moving_to_a_taken_slot_leaves_the_booking_as_it_was(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    mine, taken = new_slot(settings, tenant_id, hour=9), new_slot(settings, tenant_id, hour=15)
    made = booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), mine))
    booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), taken))
    with pytest.raises(SlotUnavailable):
        booking.move(settings.database_url, booking_id=made.id, slot_id=taken)
    assert _active_bookings(settings, mine) == 1


def test_slots_of_another_tenant_past_or_gone_cannot_be_booked(settings: Settings) -> None:
    tenant_id, other_tenant = new_tenant(settings), new_tenant(settings)
    conversation_id = new_conversation(settings, tenant_id)
    for slot_id, reason in (
        (new_slot(settings, other_tenant), "gone"),
        (new_slot(settings, tenant_id, days=-1), "past"),
        (10**9, "gone"),
    ):
        with pytest.raises(SlotUnavailable) as refused:
            booking.book(settings.database_url, booking_request(conversation_id, slot_id))
        assert refused.value.reason == reason


def test_a_booking_is_found_by_its_resident_or_with_its_phone_only(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    conversation_id = new_conversation(settings, tenant_id)
    made = booking.book(settings.database_url, booking_request(conversation_id, new_slot(settings, tenant_id)))
    stranger = new_conversation(settings, tenant_id)

    def find(conversation: str, phone: str | None) -> bool:
        with transaction(settings.database_url) as session:
            return (
                booking.find_booking(session, reference=made.reference, conversation_id=conversation, phone=phone)
                is not None
            )

    assert find(conversation_id, None)
    assert not find(stranger, None) and not find(stranger, "+33699999999")
    assert find(stranger, "+33612345678")


def test_bookable_slots_fit_the_wish(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    morning, afternoon = new_slot(settings, tenant_id, days=4, hour=9), new_slot(settings, tenant_id, days=4, hour=15)
    booked = new_slot(settings, tenant_id, days=5, hour=15)
    booking.book(settings.database_url, booking_request(new_conversation(settings, tenant_id), booked))
    today = datetime.now(ZONE).date()

    def ids(text: str | None) -> list[int]:
        wish = parse_when(text, today) if text else None
        with transaction(settings.database_url) as session:
            slots = booking.bookable_slots(session, tenant_id=tenant_id, now=datetime.now(UTC), zone=ZONE, when=wish)
        return [slot.id for slot in slots]

    assert ids(None) == [morning, afternoon]
    assert ids("plutôt le matin") == [morning]
    assert ids("l'après-midi") == [afternoon]
    assert ids("vers 15h") == [afternoon]
    in_four_days = today + timedelta(days=4)
    assert ids(f"le {in_four_days.day}/{in_four_days.month} vers 10h") == [morning, afternoon]


def test_a_series_follows_local_time_across_the_change_to_winter_time(settings: Settings) -> None:
    tenant_id = new_tenant(settings)
    with transaction(settings.database_url) as session:
        slots = booking.create_series(
            session, tenant_id=tenant_id, kind=SlotKind.HOME_VISIT, days=[date(2027, 10, 26), date(2027, 11, 2)],
            hours=("14:00", "16:00"), minutes_each=60, mediator="Samia", zone=ZONE,
        )  # fmt: skip
        starts = [s.starts_at.astimezone(ZONE).hour for s in slots]
        utc_hours = [s.starts_at.astimezone(UTC).hour for s in slots]
        assert session.scalar(select(func.count(VisitSlot.id)).where(VisitSlot.tenant_id == tenant_id)) == 4
    # 26 October is still summer time (UTC+2), 2 November winter time (UTC+1).
    assert starts == [14, 15, 14, 15] and utc_hours == [12, 13, 13, 14]
