"""What the booking actions read: the tracker's values, and the booking service in one transaction each.

The functions that touch the database are synchronous; actions call them
through ``asyncio.to_thread``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions import booking_text
from actions.context import settings
from bot.db import transaction
from bot.errors import SlotUnavailable
from bot.models import Booking, Conversation, VisitSlot, utcnow
from bot.services import booking
from bot.services.slot_choice import SlotChoice, choose_slot
from bot.services.when import When, parse_when

MAX_PROPOSALS = 5
PICK_OR_WRITE = "Choisissez-en un, ou écrivez le jour qui vous arrange (par exemple « mardi après-midi ») :"
MEDIATOR_BUTTON = {"title": "Parler à un médiateur", "payload": "/request_human"}


def intent_of(tracker: Tracker) -> str | None:
    """The intent of the resident's last message."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity(tracker: Tracker, name: str) -> str | None:
    """The value of an entity in the last message (a button's payload carries them)."""
    values = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name]
    return str(values[0]) if values and values[0] is not None else None


def when_wished(text: str, zone: ZoneInfo) -> When:
    """The resident's wish for a date, read in the Régie's time zone."""
    return parse_when(text, datetime.now(zone).date())


def slot_typed(conversation_id: str, text: str) -> SlotChoice:
    """The bookable slot the resident's words designate, or the wish they express."""
    zone = settings().zone
    return choose_slot(text, bookable(conversation_id), datetime.now(zone).date(), zone)


def load_slot(slot_id: str | None) -> VisitSlot | None:
    """The slot with this id (a slot's value is its id as text), or None."""
    if not str(slot_id or "").isdigit():
        return None
    with transaction(settings().database_url) as session:
        return session.get(VisitSlot, int(slot_id))


def slot_if_bookable(conversation_id: str, slot_id: str) -> VisitSlot | None:
    """The slot if the conversation's tenant can book it now."""
    with transaction(settings().database_url) as session:
        slots = _bookable(session, conversation_id, None)
    return next((slot for slot in slots if str(slot.id) == slot_id), None)


def _bookable(session: Session, conversation_id: str, when: When | None) -> list[VisitSlot]:
    tenant_id = session.get_one(Conversation, conversation_id).tenant_id
    return booking.bookable_slots(session, tenant_id=tenant_id, now=utcnow(), zone=settings().zone, when=when)


@dataclass(frozen=True)
class Offer:
    """Slots to propose, as a heading and buttons; or, when none is free, the way out."""

    heading: str
    slots: list[VisitSlot]
    buttons: list[dict[str, str]] = field(default_factory=list)
    none_left: str = ""
    fallback_buttons: list[dict[str, str]] = field(default_factory=list)


def proposals(conversation_id: str, wish_text: str | None) -> Offer:
    """The next free slots, those fitting the wish first; the drop-in times and a mediator when none is free."""
    zone = settings().zone
    wish = when_wished(wish_text, zone) if wish_text else None
    with transaction(settings().database_url) as session:
        every = _bookable(session, conversation_id, None)
        fitting = booking.fitting_the_wish(every, wish, zone) if wish else every
        if not every:
            return Offer(
                heading="",
                slots=[],
                none_left=no_slot_text(session, conversation_id),
                fallback_buttons=[MEDIATOR_BUTTON],
            )
    quoted = f"« {(wish_text or '')[:60]} »"
    if wish and fitting:
        heading = f"Voici les créneaux libres qui correspondent à {quoted} :"
    elif wish:
        heading = f"Aucun créneau libre ne correspond à {quoted}. Voici les prochains :"
    else:
        heading = f"Voici les prochains créneaux libres. {PICK_OR_WRITE}"
    chosen = (fitting or every)[:MAX_PROPOSALS]
    return Offer(heading=heading, slots=chosen, buttons=[booking_text.slot_button(slot, zone) for slot in chosen])


def no_slot_text(session: Session, conversation_id: str) -> str:
    """No visit can be booked: say so, with the drop-in sessions where one can come without booking."""
    conversation = session.get_one(Conversation, conversation_id)
    drop_ins = booking.drop_in_sessions(session, tenant_id=conversation.tenant_id, now=utcnow())
    text = "Aucun créneau de rendez-vous n'est libre dans les quatre prochaines semaines."
    if drop_ins:
        zone = settings().zone
        lines = [f"• {booking_text.day_and_time(s.starts_at, zone)}, {booking_text.where(s)}" for s in drop_ins]
        text += " Vous pouvez venir aux permanences de la Régie :\n" + "\n".join(lines)
    return text + "\nUn médiateur peut aussi vous répondre ici."


def book_or_move(conversation_id: str, slots: dict[str, Any]) -> str:
    """Book the visit the form describes (or move the booking being moved); its reference."""
    database_url = settings().database_url
    slot_id = int(slots["booking_slot"])
    if moving := slots.get("booking_moving"):
        with transaction(database_url) as session:
            found = booking.find_booking(
                session,
                reference=moving,
                conversation_id=conversation_id,
                phone=None,
                verified=slots.get("booking_verified"),
            )
            if found is None:
                raise SlotUnavailable("cancelled")
        return booking.move(database_url, booking_id=found.id, slot_id=slot_id).reference
    new = booking.NewBooking(
        conversation_id=conversation_id,
        slot_id=slot_id,
        topic=slots.get("booking_topic") or "other",
        name=slots["booking_name"],
        phone=booking_text.phone_of(slots["booking_phone"]),
        address=slots.get("booking_address"),
    )
    return booking.book(database_url, new).reference


def booking_by_reference(reference: str) -> Booking | None:
    """The booking with this reference, its slot loaded."""
    with transaction(settings().database_url) as session:
        return booking.by_reference(session, reference=reference)


def bookable(conversation_id: str) -> list[VisitSlot]:
    """The slots the conversation's tenant can book now, soonest first."""
    with transaction(settings().database_url) as session:
        return _bookable(session, conversation_id, None)


def has_bookable_slot(conversation_id: str) -> bool:
    """Whether the conversation's tenant has a slot free in the coming weeks."""
    with transaction(settings().database_url) as session:
        return bool(_bookable(session, conversation_id, None))


def no_slot_text_for(conversation_id: str) -> str:
    """``no_slot_text`` in its own transaction."""
    with transaction(settings().database_url) as session:
        return no_slot_text(session, conversation_id)


def upcoming(conversation_id: str) -> list[Booking]:
    """The resident's coming bookings, slots loaded."""
    with transaction(settings().database_url) as session:
        return booking.upcoming_bookings(session, conversation_id=conversation_id, now=utcnow())


def find_resident_booking(
    conversation_id: str, reference: str, phone: str | None, verified: str | None
) -> Booking | None:
    """``booking.find_booking`` in its own transaction."""
    with transaction(settings().database_url) as session:
        return booking.find_booking(
            session, reference=reference, conversation_id=conversation_id, phone=phone, verified=verified
        )
