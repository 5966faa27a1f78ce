"""What staff do with visits in the console: list slots and bookings, create a series, remove a slot, mark a booking.

Creating a series goes through ``booking.create_series``, the same code as the
``create-slots`` command; this module only reads and checks the form's fields,
all of them at once, so the page can say everything that is wrong.

A slot is never deleted while a booking points at it: a slot with only
cancelled bookings is marked removed (``removed_at``) instead, so every
booking keeps its date, place and mediator; a slot that nobody ever booked is
deleted. A slot with an active booking is never removed: the resident must
move or cancel it first (or be told by a mediator).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, joinedload

from bot.errors import InvalidSeries, NotActionable, NotFound
from bot.models import Booking, BookingStatus, SlotKind, Tenant, VisitSlot
from bot.services.booking import (
    SERIES_CAPACITY,
    SERIES_MINUTES,
    SERIES_WEEKS,
    create_series,
    overlapping_slot,
    series_times,
)

# A series beyond this is more likely a typo (5-minute slots for a year) than a plan.
MAX_SERIES_SLOTS = 300
MAX_MEDIATOR_LENGTH = 100
MAX_PLACE_LENGTH = 200
MARKS = (BookingStatus.DONE, BookingStatus.NO_SHOW)
TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class SlotView:
    """A slot as the Visits page lists it: its tenant's name and every booking that points at it."""

    slot: VisitSlot
    tenant: str
    bookings: list[Booking]

    @property
    def taken(self) -> int:
        """Seats held (booked, done or missed; a cancelled booking gave its seat back)."""
        return sum(1 for b in self.bookings if b.seat is not None)

    @property
    def active(self) -> int:
        """Bookings still to come: while there is one, the slot cannot be removed."""
        return sum(1 for b in self.bookings if b.status is BookingStatus.BOOKED)


@dataclass(frozen=True)
class SeriesForm:
    """The series form's fields as typed (the page shows them again next to the errors)."""

    tenant: str = ""
    kind: str = SlotKind.HOME_VISIT.value
    first_day: str = ""
    weekdays: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    minutes: str = "60"
    weeks: str = "4"
    mediator: str = ""
    place: str = ""
    capacity: str = "1"


@dataclass(frozen=True)
class SeriesPlan:
    """A checked series, ready for ``create_series``."""

    tenant_id: int
    kind: SlotKind
    days: list[date]
    hours: tuple[str, str]
    minutes_each: int
    mediator: str
    place: str | None
    capacity: int


def slots_between(
    session: Session, *, tenant_ids: Iterable[int], first_day: date, last_day: date, zone: ZoneInfo
) -> list[SlotView]:
    """The slots (not removed) of these tenants from ``first_day`` to ``last_day`` in ``zone``, with their bookings."""
    since = datetime.combine(first_day, time(), tzinfo=zone)
    until = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone)
    rows = session.execute(
        select(VisitSlot, Tenant.name)
        .join(Tenant, VisitSlot.tenant_id == Tenant.id)
        .where(VisitSlot.tenant_id.in_(list(tenant_ids)), VisitSlot.removed_at.is_(None))
        .where(VisitSlot.starts_at >= since, VisitSlot.starts_at < until)
        .order_by(VisitSlot.starts_at, VisitSlot.id)
    ).all()
    bookings: dict[int, list[Booking]] = {slot.id: [] for slot, _ in rows}
    if bookings:
        query = select(Booking).where(Booking.slot_id.in_(list(bookings))).order_by(Booking.created_at, Booking.id)
        for found in session.scalars(query):
            bookings[found.slot_id].append(found)
    return [SlotView(slot=slot, tenant=name, bookings=bookings[slot.id]) for slot, name in rows]


def plan_series(form: SeriesForm, *, tenants: dict[str, int], now: datetime, zone: ZoneInfo) -> SeriesPlan:
    """Check every field of ``form`` (``tenants``: the slugs allowed); ``InvalidSeries`` lists what is wrong."""
    errors: dict[str, str] = {}
    kind = SlotKind(form.kind) if form.kind in {k.value for k in SlotKind} else None
    if kind is None:
        errors["kind"] = "Choisissez visite à domicile ou permanence."
    if form.tenant not in tenants:
        errors["tenant"] = "Choisissez un site partenaire."
    first_day = _first_day(form.first_day, now.astimezone(zone).date(), errors)
    weekdays = _weekdays(form.weekdays, errors)
    hours = _hours(form.start, form.end, errors)
    minutes = _number(form.minutes, SERIES_MINUTES, "minutes", "La durée d'un créneau va de 15 à 480 minutes.", errors)
    weeks = _number(form.weeks, SERIES_WEEKS, "weeks", "Le nombre de semaines va de 1 à 52.", errors)
    capacity = _capacity(form.capacity, kind, errors)
    mediator = _text(form.mediator, "mediator", MAX_MEDIATOR_LENGTH, "Indiquez le médiateur", errors, required=True)
    place = _text(form.place, "place", MAX_PLACE_LENGTH, "Indiquez le lieu", errors, required=kind is SlotKind.DROP_IN)
    if errors:
        raise InvalidSeries(errors)
    assert kind and first_day and hours and minutes and weeks and capacity and mediator  # checked above
    days = [day for n in range(weeks * 7) if (day := first_day + timedelta(days=n)).weekday() in weekdays]
    # A home visit happens at the resident's: a place typed for it would mislead.
    place = place if kind is SlotKind.DROP_IN else None
    plan = SeriesPlan(tenants[form.tenant], kind, days, hours, minutes, mediator, place, capacity)
    _check_times(plan, now, zone)
    return plan


def create_planned(session: Session, *, plan: SeriesPlan, zone: ZoneInfo) -> list[VisitSlot]:
    """Create the series in the caller's transaction (all its slots or none), unless the mediator is already busy."""
    times = series_times(plan.days, plan.hours, plan.minutes_each, zone)
    check_mediator_free(session, tenant_id=plan.tenant_id, mediator=plan.mediator, times=times, zone=zone)
    return create_series(
        session, tenant_id=plan.tenant_id, kind=plan.kind, days=plan.days, hours=plan.hours,
        minutes_each=plan.minutes_each, mediator=plan.mediator, zone=zone, place=plan.place, capacity=plan.capacity,
    )  # fmt: skip


def check_mediator_free(
    session: Session, *, tenant_id: int, mediator: str, times: list[tuple[datetime, datetime]], zone: ZoneInfo
) -> None:
    """``InvalidSeries`` naming the first slot of ``mediator`` at this tenant that ``times`` would overlap."""
    if (busy := overlapping_slot(session, tenant_id=tenant_id, mediator=mediator, times=times)) is None:
        return
    start, end = busy.starts_at.astimezone(zone), busy.ends_at.astimezone(zone)
    reason = (
        f"{busy.mediator} a déjà un créneau le {start:%d/%m/%Y} de {start:%H:%M} à {end:%H:%M} (n° {busy.id}) : "
        "changez les jours, les heures ou le médiateur."
    )
    raise InvalidSeries({"mediator": reason})


def _check_times(plan: SeriesPlan, now: datetime, zone: ZoneInfo) -> None:
    times = series_times(plan.days, plan.hours, plan.minutes_each, zone)
    if not times:
        raise InvalidSeries({"minutes": "Aucun créneau de cette durée ne tient entre le début et la fin."})
    if len(times) > MAX_SERIES_SLOTS:
        raise InvalidSeries({"weeks": f"Cette série ferait {len(times)} créneaux : {MAX_SERIES_SLOTS} au plus."})
    if times[0][0] <= now:
        raise InvalidSeries({"start": "Le premier créneau serait déjà passé : commencez plus tard."})


def _first_day(text: str, today: date, errors: dict[str, str]) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if day < today:
            errors["first_day"] = "Le premier jour est déjà passé."
        elif day > today + timedelta(days=366):
            errors["first_day"] = "Le premier jour doit être dans l'année qui vient."
        return day
    errors["first_day"] = "Date attendue ainsi : 2026-12-01 (ou 01/12/2026)."
    return None


def _weekdays(values: tuple[str, ...], errors: dict[str, str]) -> set[int]:
    days = {int(v) for v in values if v in {"0", "1", "2", "3", "4", "5", "6"}}
    if not days or len(days) != len(set(values)):
        errors["weekdays"] = "Cochez au moins un jour de la semaine."
    return days


def _hours(start: str, end: str, errors: dict[str, str]) -> tuple[str, str] | None:
    start, end = start.strip()[:5], end.strip()[:5]
    if not TIME.fullmatch(start) or not TIME.fullmatch(end):
        errors["start"] = "Heures attendues ainsi : 14:00."
        return None
    if end <= start:
        errors["end"] = "L'heure de fin doit venir après l'heure de début."
        return None
    return start, end


def _number(text: str, allowed: range, field: str, message: str, errors: dict[str, str]) -> int | None:
    value = int(text) if text.strip().isdigit() else None
    if value not in allowed:
        errors[field] = message
        return None
    return value


def _capacity(text: str, kind: SlotKind | None, errors: dict[str, str]) -> int | None:
    capacity = _number(text, SERIES_CAPACITY, "capacity", "La capacité va de 1 à 200 places.", errors)
    if kind is SlotKind.HOME_VISIT and capacity not in (None, 1):
        errors["capacity"] = "Une visite à domicile a une seule place."
        return None
    return capacity


def _text(text: str, field: str, limit: int, ask: str, errors: dict[str, str], *, required: bool) -> str | None:
    value = " ".join(text.split())
    if (required and not value) or len(value) > limit:
        errors[field] = f"{ask} ({limit} caractères au plus)."
        return None
    return value


def remove_slot(session: Session, *, slot_id: int, now: datetime) -> bool:
    """Withdraw a free coming slot: deleted if never booked, else marked removed; True when deleted."""
    # Lock first: FOR UPDATE on PostgreSQL (a full lock, so a seat being written, which holds
    # KEY SHARE, makes us wait rather than deadlock when we delete), and the write below takes
    # SQLite's database lock. A booking of this slot either committed before and is counted
    # below, or waits and then finds the slot gone or removed (booking._hold_open_slot).
    session.execute(select(VisitSlot.id).where(VisitSlot.id == slot_id).with_for_update())
    marked = session.execute(
        update(VisitSlot).where(VisitSlot.id == slot_id, VisitSlot.removed_at.is_(None)).values(removed_at=now)
    )
    slot = session.get(VisitSlot, slot_id, populate_existing=True)
    if not isinstance(marked, CursorResult) or marked.rowcount != 1 or slot is None:
        raise NotFound()
    if slot.starts_at <= now:
        raise NotActionable("Ce créneau a déjà commencé : il reste dans l'historique.")
    statuses = list(session.scalars(select(Booking.status).where(Booking.slot_id == slot_id)))
    if BookingStatus.BOOKED in statuses:
        raise NotActionable(
            "Ce créneau a un rendez-vous en cours : il ne peut pas être retiré. "
            "Le résident peut le déplacer ou l'annuler (prévenez-le)."
        )
    if statuses:
        return False
    session.delete(slot)
    return True


def mark_booking(session: Session, *, booking_id: int, status: BookingStatus, now: datetime, zone: ZoneInfo) -> Booking:
    """Mark a booking done or missed, once its day has come; a cancelled booking is refused."""
    if status not in MARKS:
        raise NotActionable("Un rendez-vous se marque « venu » ou « absent ».")
    found = session.get(Booking, booking_id, options=[joinedload(Booking.slot)])
    if found is None:
        raise NotFound()
    if found.slot.starts_at.astimezone(zone).date() > now.astimezone(zone).date():
        raise NotActionable("Ce rendez-vous n'a pas encore eu lieu : il se marque le jour venu.")
    # Conditional write: a resident cancelling at this very moment is never overwritten.
    changed = session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status != BookingStatus.CANCELLED)
        .values(status=status, updated_at=now)
    )
    if not isinstance(changed, CursorResult) or changed.rowcount != 1:
        raise NotActionable("Ce rendez-vous est annulé : il ne peut pas être marqué.")
    session.refresh(found)
    return found
