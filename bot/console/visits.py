"""The Visits page: unseen booking notices, the slots of a period and their bookings; mediators act on them.

Mediators create series, remove slots, mark bookings, and mark the notices
("Changements à voir") seen. Landlords read their own tenants' notices, slots
and bookings and nothing else; every POST refuses them (403, audited). Reading
the page shows residents' names, phones and addresses, so it is audited like
opening a conversation. A refused
action shows the page again with the reason (409, or 422 for a series form).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bot.console.auth import EVERYONE, MEDIATORS, SignedIn, allow, checked_form, settings_of
from bot.console.templating import redirect, render
from bot.db import transaction
from bot.errors import Forbidden, InvalidSeries, NotActionable
from bot.models import BookingStatus, Tenant, utcnow
from bot.services import audit, booking_notices, stats, visits_admin
from bot.services.visits_admin import SeriesForm

router = APIRouter()

Reader = Annotated[SignedIn, Depends(allow(*EVERYONE))]
Mediator = Annotated[SignedIn, Depends(allow(*MEDIATORS))]
Form = Annotated[FormData, Depends(checked_form)]
Filter = Annotated[str | None, Query(max_length=64)]
DEFAULT_DAYS = 28
MAX_DAYS = 92
NOTICE_ID = re.compile(r"[0-9]{1,9}")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class View:
    """What the page shows: a tenant (slug, or None for all) and a period, as asked or as corrected."""

    tenant: str | None
    first: date
    last: date
    error: str | None = None

    def query(self) -> str:
        """The page's address with this view (where an action sends the browser back)."""
        fields = {"tenant": self.tenant or "", "du": self.first.isoformat(), "au": self.last.isoformat()}
        return "/console/visits?" + urlencode(fields)


def view_of(tenant: str | None, first: str | None, last: str | None, today: date) -> View:
    """The asked view; a wrong or too long period falls back to the next four weeks, with why."""
    try:
        start = date.fromisoformat(first) if first else today
        end = date.fromisoformat(last) if last else start + timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        return View(tenant or None, today, today + timedelta(days=DEFAULT_DAYS - 1), "Dates attendues : AAAA-MM-JJ.")
    if not start <= end < start + timedelta(days=MAX_DAYS):
        error = f"La fin doit suivre le début, {MAX_DAYS} jours au plus."
        return View(tenant or None, start, start + timedelta(days=DEFAULT_DAYS - 1), error)
    return View(tenant or None, start, end)


def _visible(session: Session, who: SignedIn) -> list[Tenant]:
    return stats.tenants_visible(session, tenant_ids=set(who.tenant_ids) if who.tenant_ids is not None else None)


@router.get("/console/visits")
def visits_page(request: Request, who: Reader, tenant: Filter = None, du: Filter = None, au: Filter = None) -> Response:
    """The slots of the period (the next four weeks by default) with their bookings."""
    today = datetime.now(settings_of(request).zone).date()
    return _show(request, who, view_of(tenant, du, au, today))


def _show(request: Request, who: SignedIn, view: View, status: int = 200, **extra: object) -> Response:
    """Render the page for ``view``; ``extra``: a refusal's message, the series form and its errors."""
    settings = settings_of(request)
    with transaction(settings.database_url) as session:
        visible = _visible(session, who)
        chosen = [t for t in visible if view.tenant in (None, t.slug)]
        # Another landlord's tenant reads exactly like a tenant that does not exist; the attempt is kept.
        action = audit.VIEW_VISITS if chosen or view.tenant is None else audit.FORBIDDEN
        audit.record(session, staff_id=who.staff_id, action=action, target=f"visits:{view.tenant or '*'}")
        slots = visits_admin.slots_between(
            session, tenant_ids=[t.id for t in chosen], first_day=view.first, last_day=view.last, zone=settings.zone
        )
        notices = booking_notices.unseen(session, tenant_ids=[t.id for t in chosen])
    if action == audit.FORBIDDEN:
        raise Forbidden()
    context = {
        "who": who, "view": view, "tenants": visible, "slots": slots, "notices": notices, "now": utcnow(),
        "today": datetime.now(settings.zone).date(), "weekdays": WEEKDAYS, "form": SeriesForm(), "errors": {},
    } | extra  # fmt: skip
    return render(request, "visits.html", context, status)


def _view_posted(request: Request, form: FormData) -> View:
    """The view the form was posted from (its hidden fields), to show it again."""
    today = datetime.now(settings_of(request).zone).date()
    return view_of(*(str(form.get(name) or "")[:64] or None for name in ("tenant", "du", "au")), today)


def _series_form(form: FormData) -> SeriesForm:
    def field(name: str) -> str:
        return str(form.get(name) or "")[:1000]

    weekdays = tuple(str(value)[:2] for value in form.getlist("weekdays"))[:7]
    names = ("tenant", "kind", "first_day", "start", "end", "minutes", "weeks", "mediator", "place", "capacity")
    return SeriesForm(weekdays=weekdays, **{name: field(name) for name in names})


@router.post("/console/visits/series")
def create_series(request: Request, who: Mediator, form: Form) -> Response:
    """Create a weekly series of slots, all or nothing; a wrong field shows the form again with every error."""
    settings, fields = settings_of(request), _series_form(form)
    try:
        with transaction(settings.database_url) as session:
            tenants = {t.slug: t.id for t in _visible(session, who)}
            plan = visits_admin.plan_series(fields, tenants=tenants, now=utcnow(), zone=settings.zone)
            slots = visits_admin.create_planned(session, plan=plan, zone=settings.zone)
            target = f"{fields.tenant}: {len(slots)} créneaux n° {slots[0].id} à {slots[-1].id}"
            audit.record(session, staff_id=who.staff_id, action=audit.CREATE_SLOTS, target=target)
    except InvalidSeries as refused:
        view = _view_posted(request, form)
        return _show(request, who, view, 422, message=refused.message, form=fields, errors=refused.errors)
    first = plan.days[0]
    last = min(max(plan.days[-1], first + timedelta(days=DEFAULT_DAYS - 1)), first + timedelta(days=MAX_DAYS - 1))
    return redirect(View(fields.tenant, first, last).query())


@router.post("/console/visits/slots/{slot_id}/remove")
def remove_slot(request: Request, slot_id: int, who: Mediator, form: Form) -> Response:
    """Withdraw a free coming slot (refused while a booking is active)."""
    try:
        with transaction(settings_of(request).database_url) as session:
            deleted = visits_admin.remove_slot(session, slot_id=slot_id, now=utcnow())
            target = f"slot:{slot_id} " + ("supprimé" if deleted else "retiré (rendez-vous annulés gardés)")
            audit.record(session, staff_id=who.staff_id, action=audit.REMOVE_SLOT, target=target)
    except NotActionable as refused:
        return _show(request, who, _view_posted(request, form), 409, message=refused.message)
    return redirect(_view_posted(request, form).query())


@router.post("/console/visits/bookings/{booking_id}/mark")
def mark_booking(request: Request, booking_id: int, who: Mediator, form: Form) -> Response:
    """Mark a booking done (the resident came) or no-show, from its day on."""
    settings = settings_of(request)
    wanted = str(form.get("status") or "")
    try:
        if wanted not in {s.value for s in visits_admin.MARKS}:
            raise NotActionable("Un rendez-vous se marque « venu » ou « absent ».")
        with transaction(settings.database_url) as session:
            found = visits_admin.mark_booking(
                session, booking_id=booking_id, status=BookingStatus(wanted), now=utcnow(), zone=settings.zone
            )
            target = f"{found.reference}: {wanted}"
            audit.record(session, staff_id=who.staff_id, action=audit.MARK_BOOKING, target=target)
    except NotActionable as refused:
        return _show(request, who, _view_posted(request, form), 409, message=refused.message)
    return redirect(_view_posted(request, form).query())


@router.post("/console/visits/notices/{notice_id}/seen")
def mark_notice_seen(request: Request, notice_id: int, who: Mediator, form: Form) -> Response:
    """Mark one booking notice seen (again: harmless); another tenant's reads as not found."""
    with transaction(settings_of(request).database_url) as session:
        reference = booking_notices.mark_seen(session, notice_id=notice_id, tenant_ids=who.tenant_ids, now=utcnow())
        target = f"notice:{notice_id} {reference}"
        audit.record(session, staff_id=who.staff_id, action=audit.NOTICE_SEEN, target=target)
    return redirect(_view_posted(request, form).query())


@router.post("/console/visits/notices/seen")
def mark_notices_seen(request: Request, who: Mediator, form: Form) -> Response:
    """Mark seen the notices the page showed (their ids are in the form).

    Not "every unseen one": a notice that arrived after the page was drawn has
    been seen by nobody, so it stays on the page.
    """
    asked = [int(v) for v in form.getlist("notice")[: booking_notices.MAX_SHOWN] if NOTICE_ID.fullmatch(str(v))]
    with transaction(settings_of(request).database_url) as session:
        changed = booking_notices.mark_all_seen(session, notice_ids=asked, tenant_ids=who.tenant_ids, now=utcnow())
        target = f"{changed} vus sur {len(asked)} : notices " + ",".join(map(str, asked))
        audit.record(session, staff_id=who.staff_id, action=audit.NOTICE_SEEN, target=target)
    return redirect(_view_posted(request, form).query())
