"""What the report actions read and write: the requests service, in one transaction each.

The functions are synchronous; actions call them through ``asyncio.to_thread``.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from actions.context import settings
from bot.db import transaction
from bot.models import Conversation, Photo, RequestStatus, ResidentRequest, utcnow
from bot.services import requests
from bot.services.request_categories import BY_KEY, Category


@dataclass(frozen=True)
class Step:
    """One step of a request's history, as the resident is told it."""

    at: datetime
    status: RequestStatus
    note: str | None


@dataclass(frozen=True)
class RequestView:
    """A request as the resident may see it: no other resident's details."""

    reference: str
    category: Category
    place: str | None
    status: RequestStatus
    created_at: datetime
    history: tuple[Step, ...]


@dataclass(frozen=True)
class Recorded:
    """The request a report created or joined."""

    view: RequestView
    joined: bool


def same_problem(conversation_id: str, category: str, place: str) -> RequestView | None:
    """The open request of the last 48 hours with this category at this place, if any."""
    with transaction(settings().database_url) as session:
        tenant_id = session.get_one(Conversation, conversation_id).tenant_id
        found = requests.same_problem(session, tenant_id=tenant_id, category=category, place=place, now=utcnow())
        return None if found is None else _view(found)


def record(conversation_id: str, slots: dict[str, Any]) -> Recorded:
    """Record the report the form collected (or join the same problem reported lately)."""
    photo = slots.get("report_photo")
    phone = slots.get("report_phone")
    new = requests.NewRequest(
        conversation_id=conversation_id,
        category=slots["report_category"],
        place=slots["report_place"],
        description=slots.get("report_description") or "",
        phone=phone if phone and phone != "none" else None,
        notify=slots.get("report_notify") == "yes",
        photo_id=photo if photo and photo != "none" else None,
    )
    with transaction(settings().database_url) as session:
        request, joined = requests.report(session, new)
        return Recorded(_view(request), joined)


def photo_is_theirs(conversation_id: str, photo_id: str) -> bool:
    """Whether the photo was sent in this conversation and belongs to no request yet."""
    with transaction(settings().database_url) as session:
        photo = session.get(Photo, photo_id)
        return photo is not None and photo.conversation_id == conversation_id and photo.request_id is None


def own_requests(conversation_id: str) -> list[RequestView]:
    """The resident's requests, latest first."""
    with transaction(settings().database_url) as session:
        return [_view(found) for found in requests.own_requests(session, conversation_id=conversation_id)]


def request_for(conversation_id: str, reference: str, phone: str | None) -> RequestView | None:
    """The request with this reference, if it is the resident's or reported with ``phone``."""
    with transaction(settings().database_url) as session:
        found = requests.find_request(session, reference=reference, conversation_id=conversation_id, phone=phone)
        return None if found is None else _view(found)


def _view(found: ResidentRequest) -> RequestView:
    history = tuple(Step(event.created_at, event.status, event.note) for event in found.events)
    return RequestView(
        reference=found.reference,
        category=BY_KEY.get(found.category, BY_KEY["other"]),
        place=found.place,
        status=found.status,
        created_at=found.created_at,
        history=history,
    )
