"""Residents' requests as staff see them in the console: the filtered list, one request, its photos, a status change.

A landlord account sees its own tenants' requests only; another tenant's
request reads exactly like one that does not exist (404), so the console
never tells which references exist elsewhere. A status change goes through
``requests.change_status``, which writes the history and tells the residents
who asked: nothing here repeats it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from bot.errors import BadFilter, NotActionable, PhotoNotFound, RequestNotFound
from bot.models import Photo, RequestEvent, RequestFollower, RequestStatus, ResidentRequest, StaffUser, Tenant
from bot.services import requests
from bot.services.request_categories import BY_KEY, CATEGORIES, Category
from bot.services.stats import tenants_visible

PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """The list's filters, checked; None means "all"."""

    status: RequestStatus | None = None
    category: str | None = None
    tenant: Tenant | None = None
    page: int = 1

    def query(self, page: int | None = None) -> dict[str, str]:
        """The filters as query parameters (for the links of the next and previous pages)."""
        values = {
            "status": self.status.value if self.status else None,
            "category": self.category,
            "tenant": self.tenant.slug if self.tenant else None,
            "page": str(page or self.page),
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Row:
    """A request as the list shows it."""

    reference: str
    created_at: datetime
    tenant: str
    category: Category
    place: str | None
    status: RequestStatus
    urgent: bool
    followers: int
    photos: int

    @property
    def status_label(self) -> str:
        """The status in French."""
        return requests.STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Step:
    """One step of a request's history, with the staff member who made it (None: the report or the bot)."""

    at: datetime
    status: RequestStatus
    note: str | None
    staff_name: str | None


def visible_tenants(session: Session, *, tenant_ids: frozenset[int] | None) -> list[Tenant]:
    """The tenants the account may see (a landlord's own; every one for the Régie's staff), by name."""
    return tenants_visible(session, tenant_ids=set(tenant_ids) if tenant_ids is not None else None)


def parse_filters(
    *, status: str | None, category: str | None, tenant: str | None, page: str | None, tenants: Sequence[Tenant]
) -> Filters:
    """The filters from the query's text, or ``BadFilter`` naming every unknown value.

    An empty value means "all" (the form's first option). A tenant the account
    may not see is refused as if it did not exist.
    """
    problems = []
    chosen_status = _member(status, {s.value: s for s in RequestStatus}, "statut", problems)
    chosen_category = _member(category, {c.key: c.key for c in CATEGORIES}, "catégorie", problems)
    chosen_tenant = _member(tenant, {t.slug: t for t in tenants}, "site", problems)
    page_number = int(page) if page and page.isdigit() and 0 < int(page) <= 10_000 else None
    if page and page_number is None:
        problems.append("page (un nombre à partir de 1)")
    if problems:
        raise BadFilter(f"Filtre inconnu : {', '.join(problems)}. Choisissez une valeur de la liste.")
    return Filters(chosen_status, chosen_category, chosen_tenant, page_number or 1)


def _member(value: str | None, known: dict[str, T], name: str, problems: list[str]) -> T | None:
    if not value:
        return None
    if value not in known:
        problems.append(name)
    return known.get(value)


def listing(session: Session, *, filters: Filters, tenant_ids: frozenset[int] | None) -> tuple[list[Row], bool]:
    """One page of requests, open urgent ones first, then the latest; and whether a next page exists."""
    query = _rows_query().offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    if tenant_ids is not None:
        query = query.where(ResidentRequest.tenant_id.in_(tenant_ids))
    if filters.status is not None:
        query = query.where(ResidentRequest.status == filters.status)
    if filters.category is not None:
        query = query.where(ResidentRequest.category == filters.category)
    if filters.tenant is not None:
        query = query.where(ResidentRequest.tenant_id == filters.tenant.id)
    rows = _rows(session, query)
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def of_resident(session: Session, *, conversation_id: str) -> list[Row]:
    """The requests the conversation's resident reported or joined, from any of their conversations."""
    ids = [request.id for request in requests.own_requests(session, conversation_id=conversation_id)]
    return _rows(session, _rows_query().where(ResidentRequest.id.in_(ids))) if ids else []


def _rows_query() -> Select[tuple[ResidentRequest, str, int, int]]:
    followers = select(func.count(RequestFollower.id)).where(RequestFollower.request_id == ResidentRequest.id)
    photos = select(func.count(Photo.id)).where(Photo.request_id == ResidentRequest.id)
    urgent_open = and_(ResidentRequest.urgent.is_(True), ResidentRequest.status.in_(requests.OPEN))
    return (
        select(ResidentRequest, Tenant.name, followers.scalar_subquery(), photos.scalar_subquery())
        .join(Tenant, ResidentRequest.tenant_id == Tenant.id)
        .order_by(case((urgent_open, 0), else_=1), ResidentRequest.created_at.desc(), ResidentRequest.id.desc())
    )


def _rows(session: Session, query: Select[tuple[ResidentRequest, str, int, int]]) -> list[Row]:
    return [_row(request, tenant, count, photo_count) for request, tenant, count, photo_count in session.execute(query)]


def category_of(key: str) -> Category:
    """The category with this key ("other" for a key no longer known)."""
    return BY_KEY.get(key, BY_KEY["other"])


def _row(request: ResidentRequest, tenant: str, followers: int, photos: int) -> Row:
    return Row(
        request.reference,
        request.created_at,
        tenant,
        category_of(request.category),
        request.place,
        request.status,
        request.urgent,
        followers,
        photos,
    )


def visible_request(session: Session, *, reference: str, tenant_ids: frozenset[int] | None) -> ResidentRequest:
    """The request with this reference if the account may see its tenant, or ``RequestNotFound``."""
    found = requests.by_reference(session, reference=reference.strip().upper())
    if found is None or (tenant_ids is not None and found.tenant_id not in tenant_ids):
        raise RequestNotFound()
    return found


def history(session: Session, *, request_id: int) -> list[Step]:
    """The request's steps, oldest first, with the names of the staff who made them."""
    rows = session.execute(
        select(RequestEvent, StaffUser.display_name)
        .outerjoin(StaffUser, RequestEvent.staff_id == StaffUser.id)
        .where(RequestEvent.request_id == request_id)
        .order_by(RequestEvent.id)
    )
    return [Step(event.created_at, event.status, event.note, name) for event, name in rows]


def follower_counts(session: Session, *, request_id: int) -> tuple[int, int]:
    """How many conversations follow the request, and how many of them asked to be told of changes."""
    followers = list(session.scalars(select(RequestFollower.notify).where(RequestFollower.request_id == request_id)))
    return len(followers), sum(followers)


def photo_of(request: ResidentRequest, photo_id: str) -> Photo:
    """The request's photo with this id, or ``PhotoNotFound`` (another request's photo included)."""
    found = next((photo for photo in request.photos if photo.id == photo_id), None)
    if found is None:
        raise PhotoNotFound()
    return found


def change(session: Session, *, request: ResidentRequest, status: str, note: str, staff_id: int) -> None:
    """Move the request to ``status`` (its value, as posted) with ``note``; ``NotActionable`` says why not."""
    try:
        new_status = RequestStatus(status)
    except ValueError:
        raise NotActionable("Choisissez un statut de la liste.") from None
    requests.change_status(session, request=request, status=new_status, note=note, staff_id=staff_id)
