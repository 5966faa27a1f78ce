"""Staff's side of visits on the real database: series from the console's form, removing slots, marking bookings."""

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import slot_series
from bot.db import transaction
from bot.errors import InvalidSeries, NotActionable, NotFound, SlotUnavailable
from bot.models import Booking, BookingStatus, Conversation, SlotKind, Tenant, VisitSlot, utcnow
from bot.services import booking, visits_admin
from bot.services.visits_admin import SeriesForm
from bot.settings import Settings
from tests.visits_data import (
    new_booking,
    new_conversation,
    new_slot,
    new_tenant,
    stored_booking,
    stored_slot,
)


def _tenant_id(settings: Settings, slug: str) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def _slot_count(settings: Settings, tenant_id: int) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(select(func.count(VisitSlot.id)).where(VisitSlot.tenant_id == tenant_id))


def _form(settings: Settings, slug: str, **fields: object) -> SeriesForm:
    next_monday = datetime.now(settings.zone).date() + timedelta(days=7 - datetime.now(settings.zone).weekday())
    base = SeriesForm(
        tenant=slug, kind="home_visit", first_day=next_monday.isoformat(), weekdays=("1", "3"), start="14:00",
        end="17:00", minutes="60", weeks="2", mediator="Samia", place="", capacity="1",
    )  # fmt: skip
    return replace(base, **fields)


def _plan(settings: Settings, form: SeriesForm, slug: str) -> visits_admin.SeriesPlan:
    tenants = {slug: _tenant_id(settings, slug)}
    return visits_admin.plan_series(form, tenants=tenants, now=utcnow(), zone=settings.zone)


def test_a_series_from_the_form_makes_every_slot_in_the_regie_s_time(settings: Settings) -> None:
    slug = new_tenant(settings)
    plan = _plan(settings, _form(settings, slug), slug)

    with transaction(settings.database_url) as session:
        slots = visits_admin.create_planned(session, plan=plan, zone=settings.zone)

    assert len(slots) == 12  # Tuesdays and Thursdays, 3 one-hour slots, 2 weeks
    local = [s.starts_at.astimezone(settings.zone) for s in slots]
    assert {t.weekday() for t in local} == {1, 3} and {t.hour for t in local} == {14, 15, 16}
    assert all(s.capacity == 1 and s.place is None for s in slots)


def test_every_wrong_field_is_reported_at_once(settings: Settings) -> None:
    slug = new_tenant(settings)
    form = _form(
        settings, slug, kind="drop_in", first_day="31/02/2026", weekdays=(), start="14:00", end="13:00",
        minutes="5", weeks="60", mediator="x" * 101, place="", capacity="0",
    )  # fmt: skip

    with pytest.raises(InvalidSeries) as refused:
        _plan(settings, form, slug)

    assert set(refused.value.errors) == {
        "first_day", "weekdays", "end", "minutes", "weeks", "mediator", "place", "capacity",
    }  # fmt: skip
    assert "AAAA" not in refused.value.errors["first_day"] and "2026-12-01" in refused.value.errors["first_day"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tenant": "someone-else"}, "tenant"),
        ({"first_day": "2020-01-06"}, "first_day"),
        ({"kind": "picnic"}, "kind"),
        ({"capacity": "2"}, "capacity"),  # a home visit has one seat
        ({"start": "9h"}, "start"),
        ({"minutes": "240", "start": "14:00", "end": "15:00"}, "minutes"),  # no slot fits
        ({"minutes": "15", "start": "08:00", "end": "20:00", "weeks": "10"}, "weeks"),  # 960 slots
        ({"weekdays": ("1", "9")}, "weekdays"),
        ({"place": "p" * 201, "kind": "drop_in", "capacity": "8"}, "place"),
    ],
)
def test_a_series_is_refused_with_the_field_at_fault(settings: Settings, fields: dict, field: str) -> None:
    slug = new_tenant(settings)

    with pytest.raises(InvalidSeries) as refused:
        _plan(settings, _form(settings, slug, **fields), slug)

    assert field in refused.value.errors


def test_a_series_starting_in_the_past_today_is_refused(settings: Settings) -> None:
    slug = new_tenant(settings)
    today = datetime.now(settings.zone).date()
    form = _form(settings, slug, first_day=today.isoformat(), weekdays=(str(today.weekday()),), start="00:00")

    with pytest.raises(InvalidSeries) as refused:
        _plan(settings, form, slug)

    assert "passé" in refused.value.errors["start"]


def _tuesday_slot(settings: Settings, slug: str, *, hour: int, mediator: str) -> int:
    """A one-hour slot on the Tuesday of the first week of ``_form``."""
    tuesday = date.fromisoformat(_form(settings, slug).first_day) + timedelta(days=1)
    days = (tuesday - datetime.now(settings.zone).date()).days
    return new_slot(settings, slug, days=days, hour=hour, mediator=mediator)


def test_a_series_that_overlaps_the_mediator_s_slot_is_refused_and_names_it(settings: Settings) -> None:
    slug = new_tenant(settings)
    busy = _tuesday_slot(settings, slug, hour=15, mediator="  SAMIA ")  # the same name, typed otherwise
    plan = _plan(settings, _form(settings, slug, start="15:30", end="17:30"), slug)

    with pytest.raises(InvalidSeries) as refused, transaction(settings.database_url) as session:
        visits_admin.create_planned(session, plan=plan, zone=settings.zone)

    assert f"(n° {busy})" in refused.value.errors["mediator"] and "de 15:00 à 16:00" in refused.value.errors["mediator"]
    assert _slot_count(settings, _tenant_id(settings, slug)) == 1  # nothing of the series was created


@pytest.mark.parametrize(
    ("hour", "mediator", "tenant"),
    [
        (13, "Samia", "same"),  # ends at 14:00, when the series starts
        (15, "Karim", "same"),  # another mediator
        (15, "Samia", "other"),  # another tenant, maybe another Régie's Samia
    ],
)
def test_a_series_beside_other_slots_is_created(settings: Settings, hour: int, mediator: str, tenant: str) -> None:
    slug = new_tenant(settings)
    _tuesday_slot(settings, slug if tenant == "same" else new_tenant(settings), hour=hour, mediator=mediator)
    plan = _plan(settings, _form(settings, slug), slug)

    with transaction(settings.database_url) as session:
        assert len(visits_admin.create_planned(session, plan=plan, zone=settings.zone)) == 12


def test_a_removed_slot_leaves_its_time_free(settings: Settings) -> None:
    slug = new_tenant(settings)
    removed = _tuesday_slot(settings, slug, hour=15, mediator="Samia")
    new_booking(settings, removed, status=BookingStatus.CANCELLED)  # so the slot is kept, marked removed
    with transaction(settings.database_url) as session:
        visits_admin.remove_slot(session, slot_id=removed, now=utcnow())
    plan = _plan(settings, _form(settings, slug), slug)

    with transaction(settings.database_url) as session:
        assert len(visits_admin.create_planned(session, plan=plan, zone=settings.zone)) == 12


def test_the_create_slots_command_refuses_an_overlapping_series_too(settings: Settings, capsys) -> None:
    slug = new_tenant(settings)
    argv = ["--tenant", slug, "--weekday", "mardi", "--hours", "14:00-16:00", "--weeks", "2", "--mediator", "Samia"]
    slot_series.create_slots(settings, argv)

    with pytest.raises(SystemExit, match="Samia a déjà un créneau"):
        slot_series.create_slots(settings, [*argv[:5], "15:00-17:00", *argv[6:]])

    assert "4 créneaux créés" in capsys.readouterr().out
    assert _slot_count(settings, _tenant_id(settings, slug)) == 4


def test_a_drop_in_series_keeps_its_place_and_seats(settings: Settings) -> None:
    slug = new_tenant(settings)
    form = _form(
        settings, slug, kind="drop_in", place="  Local   de la Régie ", capacity="8", start="09:30", end="12:00"
    )
    form = replace(form, minutes="150", weeks="1", weekdays=("2",))

    plan = _plan(settings, form, slug)

    assert (plan.kind, plan.place, plan.capacity, len(plan.days)) == (SlotKind.DROP_IN, "Local de la Régie", 8, 1)


def test_series_times_cuts_each_day_into_slots_across_a_clock_change(settings: Settings) -> None:
    times = booking.series_times([date(2026, 10, 24), date(2026, 10, 25)], ("09:00", "11:00"), 60, settings.zone)

    assert [t.astimezone(settings.zone).hour for t, _ in times] == [9, 10, 9, 10]
    assert times[0][0] == datetime(2026, 10, 24, 7, tzinfo=UTC) and times[2][0] == datetime(2026, 10, 25, 8, tzinfo=UTC)


def test_a_slot_nobody_booked_is_deleted(settings: Settings) -> None:
    slot_id = new_slot(settings, new_tenant(settings))

    with transaction(settings.database_url) as session:
        assert visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow()) is True

    assert stored_slot(settings, slot_id) is None


def test_a_slot_with_only_cancelled_bookings_is_kept_as_history_and_no_longer_offered(settings: Settings) -> None:
    slug = new_tenant(settings)
    slot_id = new_slot(settings, slug)
    booking_id, _ = new_booking(settings, slot_id, status=BookingStatus.CANCELLED)

    with transaction(settings.database_url) as session:
        assert visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow()) is False

    kept = stored_slot(settings, slot_id)
    assert kept is not None and kept.removed_at is not None
    assert stored_booking(settings, booking_id).slot_id == slot_id
    with transaction(settings.database_url) as session:
        tenant_id = _tenant_id(settings, slug)
        assert booking.bookable_slots(session, tenant_id=tenant_id, now=utcnow(), zone=settings.zone) == []
        today = datetime.now(settings.zone).date()
        listed = visits_admin.slots_between(
            session, tenant_ids=[tenant_id], first_day=today, last_day=today + timedelta(days=7), zone=settings.zone
        )
        assert listed == []
    with pytest.raises(SlotUnavailable, match="gone"):
        booking.book(settings.database_url, _new_booking(settings, tenant_id, slot_id))


def _new_booking(settings: Settings, tenant_id: int, slot_id: int) -> booking.NewBooking:
    return booking.NewBooking(
        conversation_id=new_conversation(settings, tenant_id), slot_id=slot_id, topic="energy", name="Awa",
        phone="+33612345678", address="ici",
    )  # fmt: skip


def test_a_slot_with_an_active_booking_is_not_removed(settings: Settings) -> None:
    slot_id = new_slot(settings, new_tenant(settings))
    booking_id, _ = new_booking(settings, slot_id)

    with pytest.raises(NotActionable, match="rendez-vous en cours"), transaction(settings.database_url) as session:
        visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())

    slot = stored_slot(settings, slot_id)
    assert slot is not None and slot.removed_at is None
    assert stored_booking(settings, booking_id).status is BookingStatus.BOOKED


def test_a_past_slot_stays_in_the_history(settings: Settings) -> None:
    slot_id = new_slot(settings, new_tenant(settings), days=-2)

    with pytest.raises(NotActionable, match="déjà commencé"), transaction(settings.database_url) as session:
        visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())

    assert stored_slot(settings, slot_id) is not None


def test_an_unknown_or_already_removed_slot_is_not_found(settings: Settings) -> None:
    slot_id = new_slot(settings, new_tenant(settings))
    new_booking(settings, slot_id, status=BookingStatus.CANCELLED)
    with transaction(settings.database_url) as session:
        visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())

    for missing in (slot_id, 987_654_321):
        with pytest.raises(NotFound), transaction(settings.database_url) as session:
            visits_admin.remove_slot(session, slot_id=missing, now=utcnow())


@pytest.mark.parametrize(("days", "status"), [(-1, BookingStatus.DONE), (0, BookingStatus.NO_SHOW)])
def test_a_booking_is_marked_from_its_day_on(settings: Settings, days: int, status: BookingStatus) -> None:
    booking_id, _ = new_booking(settings, new_slot(settings, new_tenant(settings), days=days, hour=22 if days else 0))

    with transaction(settings.database_url) as session:
        visits_admin.mark_booking(session, booking_id=booking_id, status=status, now=utcnow(), zone=settings.zone)

    assert stored_booking(settings, booking_id).status is status


def test_a_coming_booking_cannot_be_marked_yet(settings: Settings) -> None:
    booking_id, _ = new_booking(settings, new_slot(settings, new_tenant(settings), days=1, hour=0))

    with pytest.raises(NotActionable, match="pas encore eu lieu"), transaction(settings.database_url) as session:
        visits_admin.mark_booking(
            session, booking_id=booking_id, status=BookingStatus.DONE, now=utcnow(), zone=settings.zone
        )


def test_a_cancelled_booking_cannot_be_marked(settings: Settings) -> None:
    slot_id = new_slot(settings, new_tenant(settings), days=-1)
    booking_id, _ = new_booking(settings, slot_id, status=BookingStatus.CANCELLED)

    with pytest.raises(NotActionable, match="annulé"), transaction(settings.database_url) as session:
        visits_admin.mark_booking(
            session, booking_id=booking_id, status=BookingStatus.DONE, now=utcnow(), zone=settings.zone
        )

    assert stored_booking(settings, booking_id).status is BookingStatus.CANCELLED


def test_a_booking_cannot_be_marked_back_to_booked(settings: Settings) -> None:
    booking_id, _ = new_booking(settings, new_slot(settings, new_tenant(settings), days=-1))

    with pytest.raises(NotActionable), transaction(settings.database_url) as session:
        visits_admin.mark_booking(
            session, booking_id=booking_id, status=BookingStatus.BOOKED, now=utcnow(), zone=settings.zone
        )


def test_the_listing_keeps_to_the_tenants_and_the_period_with_seats_taken(settings: Settings) -> None:
    mine, other = new_tenant(settings), new_tenant(settings)
    drop_in = new_slot(settings, mine, days=2, capacity=8)
    later = new_slot(settings, mine, days=40)
    new_slot(settings, other, days=2)
    new_booking(settings, drop_in)
    new_booking(settings, drop_in, status=BookingStatus.CANCELLED)
    today = datetime.now(settings.zone).date()

    with transaction(settings.database_url) as session:
        listed = visits_admin.slots_between(
            session, tenant_ids=[_tenant_id(settings, mine)], first_day=today, last_day=today + timedelta(days=27),
            zone=settings.zone,
        )  # fmt: skip

    assert [v.slot.id for v in listed] == [drop_in] and later not in [v.slot.id for v in listed]
    assert (listed[0].taken, listed[0].active, len(listed[0].bookings)) == (1, 1, 2)


def test_the_resident_s_bookings_span_their_conversations(settings: Settings) -> None:
    slug = new_tenant(settings)
    tenant_id = _tenant_id(settings, slug)
    first = new_conversation(settings, tenant_id)
    with transaction(settings.database_url) as session:
        resident_id = session.get_one(Conversation, first).resident_id
    second = new_conversation(settings, tenant_id, resident_id)
    _, old = new_booking(settings, new_slot(settings, slug, days=-3), conversation_id=first)
    _, new = new_booking(settings, new_slot(settings, slug, days=3), conversation_id=second)
    new_booking(settings, new_slot(settings, slug, days=4))  # someone else's

    with transaction(settings.database_url) as session:
        history = booking.resident_history(session, conversation_id=second)

    assert [b.reference for b in history] == [new, old]


def _attempt_booking(settings: Settings, new: booking.NewBooking) -> None:
    with contextlib.suppress(SlotUnavailable):
        booking.book(settings.database_url, new)


def _attempt_removal(settings: Settings, slot_id: int) -> None:
    with contextlib.suppress(NotActionable), transaction(settings.database_url) as session:
        visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())


@pytest.mark.parametrize("capacity", [1, 4])
def test_a_slot_is_never_both_removed_and_booked(settings: Settings, capacity: int) -> None:
    slug = new_tenant(settings)
    tenant_id = _tenant_id(settings, slug)
    slot_id = new_slot(settings, slug, capacity=capacity)
    requests = [_new_booking(settings, tenant_id, slot_id) for _ in range(capacity + 1)]

    with ThreadPoolExecutor(max_workers=len(requests) + 1) as pool:
        futures = [pool.submit(_attempt_removal, settings, slot_id)]
        futures += [pool.submit(_attempt_booking, settings, new) for new in requests]
        for future in futures:
            future.result()

    slot = stored_slot(settings, slot_id)
    assert (slot is not None and slot.removed_at is None) or _active(settings, slot_id) == 0


def _active(settings: Settings, slot_id: int) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(
            select(func.count(Booking.id)).where(Booking.slot_id == slot_id, Booking.status == BookingStatus.BOOKED)
        )


def test_a_booking_made_during_a_removal_waits_for_it_then_finds_the_slot_gone(settings: Settings) -> None:
    slug = new_tenant(settings)
    slot_id = new_slot(settings, slug, capacity=4)
    new_booking(settings, slot_id, status=BookingStatus.CANCELLED)  # so the slot is kept, marked removed
    new = _new_booking(settings, _tenant_id(settings, slug), slot_id)

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction(settings.database_url) as session:
            visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())
            attempt = pool.submit(booking.book, settings.database_url, new)
            time.sleep(0.5)
            assert not attempt.done()  # held by the removal's lock until it commits
        with pytest.raises(SlotUnavailable, match="gone"):
            attempt.result(timeout=10)

    assert _active(settings, slot_id) == 0
