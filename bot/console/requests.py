"""The Requests page ("Demandes"): residents' reports listed and filtered, one request, its photos, its status.

Mediators and admins see every tenant's requests and change their status;
landlords see their own tenants' requests, read-only (the status form is not
shown to them and its POST answers 403). Every page, photo and change is
written to the audit log; a reference the account may not see is audited and
answered like one that does not exist.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bot.console.auth import EVERYONE, MEDIATORS, SignedIn, allow, checked_form, settings_of
from bot.console.templating import redirect, render
from bot.db import transaction
from bot.errors import BadFilter, NotActionable, PhotoNotFound, RequestNotFound
from bot.services import audit, photos, request_admin
from bot.services.request_admin import Filters
from bot.services.request_categories import CATEGORIES
from bot.services.requests import STATUS_LABELS

router = APIRouter()

Viewer = Annotated[SignedIn, Depends(allow(*EVERYONE))]
Mediator = Annotated[SignedIn, Depends(allow(*MEDIATORS))]
Form = Annotated[FormData, Depends(checked_form)]
# A resident's photo is shown as an image and nothing else: no sniffing it into HTML, no script,
# no copy kept by the browser or a proxy.
PHOTO_HEADERS = {
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Referrer-Policy": "same-origin",
}
# What the filters and the status form offer, in a fixed order.
CHOICES = {"request_statuses": STATUS_LABELS, "categories": CATEGORIES}


@contextmanager
def _unit_of_work(request: Request, who: SignedIn, target: str) -> Iterator[Session]:
    """One transaction; a reference or photo not found (or not the account's) is still audited, in its own."""
    database_url = settings_of(request).database_url
    try:
        with transaction(database_url) as session:
            yield session
    except (RequestNotFound, PhotoNotFound):
        with transaction(database_url) as session:
            audit.record(session, staff_id=who.staff_id, action=audit.REQUEST_NOT_FOUND, target=target)
        raise


@router.get("/console/requests")
def requests_page(
    request: Request,
    who: Viewer,
    status: str | None = None,
    category: str | None = None,
    tenant: str | None = None,
    page: str | None = None,
) -> Response:
    """The requests the account may see, filtered by status, category and tenant; 100 a page."""
    error = None
    with transaction(settings_of(request).database_url) as session:
        tenants = request_admin.visible_tenants(session, tenant_ids=who.tenant_ids)
        try:
            filters = request_admin.parse_filters(
                status=status, category=category, tenant=tenant, page=page, tenants=tenants
            )
            rows, more = request_admin.listing(session, filters=filters, tenant_ids=who.tenant_ids)
        except BadFilter as refused:
            # The page stays usable: the message, the filters' form, no rows.
            error, filters, rows, more = refused.message, Filters(), [], False
        query = request.url.query or None
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_REQUESTS, target=query)
        context = {"who": who, "rows": rows, "more": more, "filters": filters, "tenants": tenants, "error": error}
    return render(request, "requests.html", context | CHOICES, 400 if error else 200)


@router.get("/console/requests/{reference}")
def request_page(request: Request, reference: str, who: Viewer) -> Response:
    """One request: what, where, its history, followers and photos; the status form for mediators."""
    return _detail(request, reference, who)


def _detail(request: Request, reference: str, who: SignedIn, error: str | None = None, note: str = "") -> Response:
    """The request's page, with ``error`` (409) when a status change was refused and the note typed kept."""
    with _unit_of_work(request, who, reference) as session:
        found = request_admin.visible_request(session, reference=reference, tenant_ids=who.tenant_ids)
        followers, notified = request_admin.follower_counts(session, request_id=found.id)
        context = {
            "who": who,
            "item": found,
            "tenant": found.tenant.name,
            "category": request_admin.category_of(found.category),
            "steps": request_admin.history(session, request_id=found.id),
            "followers": followers,
            "notified": notified,
            "photo_ids": [photo.id for photo in found.photos],
            "error": error,
            "note": note,
        }
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_REQUEST, target=found.reference)
    return render(request, "request.html", context | CHOICES, 409 if error else 200)


@router.post("/console/requests/{reference}/status")
def change_status(request: Request, reference: str, who: Mediator, form: Form) -> Response:
    """A new status with a note; the residents who asked are told (by ``requests.change_status``)."""
    status, note = str(form.get("status") or ""), str(form.get("note") or "")
    try:
        with _unit_of_work(request, who, reference) as session:
            found = request_admin.visible_request(session, reference=reference, tenant_ids=who.tenant_ids)
            request_admin.change(session, request=found, status=status, note=note, staff_id=who.staff_id)
            target = f"{found.reference} {status}"  # a known status: change() refused any other
            audit.record(session, staff_id=who.staff_id, action=audit.CHANGE_REQUEST_STATUS, target=target)
    except NotActionable as refused:
        # The transaction rolled back: nothing changed, nobody was told; the page says why.
        return _detail(request, reference, who, error=refused.message, note=note)
    return redirect(f"/console/requests/{found.reference}")


@router.get("/console/requests/{reference}/photos/{photo_id}")
def photo(request: Request, reference: str, photo_id: str, who: Viewer) -> Response:
    """A photo of the request, for staff who may see its tenant; files are never served statically."""
    photo_dir = settings_of(request).photo_dir
    with _unit_of_work(request, who, f"{reference} photo {photo_id}") as session:
        found = request_admin.visible_request(session, reference=reference, tenant_ids=who.tenant_ids)
        chosen = request_admin.photo_of(found, photo_id)
        path = photos.path_of(chosen, photo_dir)
        if not path.is_file():
            raise PhotoNotFound()
        target = f"{found.reference} photo {chosen.id}"
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_REQUEST_PHOTO, target=target)
    return FileResponse(path, media_type=chosen.content_type, headers=PHOTO_HEADERS)
