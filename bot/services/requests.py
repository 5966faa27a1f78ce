"""Problems residents report (requests, DEM-XXXXXX): record, merge duplicates, follow up, change status.

The same problem at the same place is often reported by several neighbours:
a report whose category and place match an open request of the last 48
hours joins it (the resident follows it) instead of creating a duplicate.
Places are compared by their words, accents, case, order and filler words
aside ("Bât. B, résidence Les Tilleuls" = "residence les tilleuls bat b").
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, selectinload

from bot.errors import NotActionable
from bot.models import Conversation, Photo, RequestEvent, RequestFollower, RequestStatus, ResidentRequest, utcnow
from bot.services import outbox
from bot.services.conversations import same_resident
from bot.services.references import unused_reference
from bot.services.request_categories import category_in, label, spot_in
from bot.services.urgency import normalise

DUPLICATE_WINDOW = timedelta(hours=48)
MAX_NOTE_LENGTH = 1000
OPEN = (RequestStatus.NEW, RequestStatus.IN_PROGRESS)
STATUS_LABELS = {
    RequestStatus.NEW: "reçue",
    RequestStatus.IN_PROGRESS: "en cours de traitement",
    RequestStatus.DONE: "traitée",
    RequestStatus.REJECTED: "refusée",
}
# Words that say nothing about where: "le hall du bâtiment B" and "hall bat B" are one place.
_FILLER = frozenset((
    "a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les", "sur", "dans", "devant", "pres", "chez",
    "residence", "res", "immeuble", "cite",
))  # fmt: skip
_SAME_WORD = {"batiment": "bat", "bt": "bat", "bal": "bat", "escalier": "esc", "etg": "etage"}


@dataclass(frozen=True)
class NewRequest:
    """What the report form collected."""

    conversation_id: str
    category: str
    place: str
    description: str
    phone: str | None = None
    notify: bool = False
    photo_id: str | None = None


def place_key(place: str) -> str:
    """The place reduced to its meaningful words, sorted: equal keys mean the same place."""
    words = re.sub(r"(\d+)\s*(e|eme|er|ere)\b", r"\1", normalise(place)).split()
    kept = {_SAME_WORD.get(word, word) for word in words if word not in _FILLER}
    return " ".join(sorted(kept))[:300]


def same_problem(
    session: Session, *, tenant_id: int, category: str, place: str, now: datetime
) -> ResidentRequest | None:
    """An open request of the last 48 hours with this category at this place, if any.

    "Other" problems at one place may have nothing in common: they are never merged.
    """
    if category == "other":
        return None
    return session.scalar(
        select(ResidentRequest)
        .where(
            ResidentRequest.tenant_id == tenant_id,
            ResidentRequest.category == category,
            ResidentRequest.place_key == place_key(place),
            ResidentRequest.created_at >= now - DUPLICATE_WINDOW,
            ResidentRequest.status.in_(OPEN),
        )
        .order_by(ResidentRequest.created_at)
        .limit(1)
    )


def report(session: Session, new: NewRequest) -> tuple[ResidentRequest, bool]:
    """Record the report, or add the resident to the same problem reported lately; the request and whether joined."""
    conversation = session.get_one(Conversation, new.conversation_id)
    now = utcnow()
    existing = same_problem(session, tenant_id=conversation.tenant_id, category=new.category, place=new.place, now=now)
    if existing is not None:
        follow(session, request=existing, conversation_id=conversation.id, notify=new.notify)
        _attach_photo(session, existing, new)
        return existing, True
    request = _create(
        session,
        conversation,
        category=new.category,
        place=new.place,
        description=new.description,
        phone=new.phone,
        urgent=False,
    )
    follow(session, request=request, conversation_id=conversation.id, notify=new.notify)
    _attach_photo(session, request, new)
    return request, False


def record_urgent(session: Session, *, conversation: Conversation, text: str) -> ResidentRequest:
    """A danger the resident wrote about: an urgent request, with the category and spot its words name.

    The mediator finds out the rest: the resident was given the emergency numbers, not a form.
    """
    category = category_in(text)
    key = "other" if category is None else category.key
    request = _create(
        session, conversation, category=key, place=spot_in(text), description=text, phone=None, urgent=True
    )
    follow(session, request=request, conversation_id=conversation.id, notify=True)
    return request


def follow(session: Session, *, request: ResidentRequest, conversation_id: str, notify: bool) -> None:
    """The conversation follows the request (once); ``notify`` says whether it hears of changes."""
    follower = session.scalar(
        select(RequestFollower).where(
            RequestFollower.request_id == request.id, RequestFollower.conversation_id == conversation_id
        )
    )
    if follower is None:
        session.add(RequestFollower(request_id=request.id, conversation_id=conversation_id, notify=notify))
    else:
        follower.notify = follower.notify or notify
    session.flush()


def own_requests(session: Session, *, conversation_id: str) -> list[ResidentRequest]:
    """The requests the resident reported or joined (from any of their conversations), latest first."""
    return list(
        session.scalars(
            select(ResidentRequest)
            .options(selectinload(ResidentRequest.events))
            .where(ResidentRequest.id.in_(_followed_by_resident(conversation_id)))
            .order_by(ResidentRequest.created_at.desc())
        )
    )


def find_request(
    session: Session, *, reference: str, conversation_id: str, phone: str | None
) -> ResidentRequest | None:
    """The request with this reference if the resident may see it: theirs, or reported with the phone they gave."""
    request = by_reference(session, reference=reference)
    if request is None:
        return None
    if phone is not None and phone == request.phone:
        return request
    own = _followed_by_resident(conversation_id).where(RequestFollower.request_id == request.id)
    return request if session.scalar(own.limit(1)) is not None else None


def by_reference(session: Session, *, reference: str) -> ResidentRequest | None:
    """The request with this reference, whoever reported it: for staff."""
    return session.scalar(
        select(ResidentRequest)
        .options(selectinload(ResidentRequest.events))
        .where(ResidentRequest.reference == reference)
    )


def change_status(
    session: Session, *, request: ResidentRequest, status: RequestStatus, note: str | None, staff_id: int | None
) -> None:
    """A step in the request's history; the residents who asked to be told get a message on their channel.

    A refusal needs its reason, which the residents are told.
    """
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise NotActionable(f"La note doit faire au plus {MAX_NOTE_LENGTH} caractères.")
    if status is RequestStatus.REJECTED and note is None:
        raise NotActionable("Indiquez la raison du refus : elle est transmise aux habitants.")
    _lock_and_reload(session, request)
    if status is request.status and note is None:
        raise NotActionable("La demande a déjà ce statut ; ajoutez une note pour la compléter.")
    request.status, request.updated_at = status, utcnow()
    session.add(RequestEvent(request_id=request.id, status=status, note=note, staff_id=staff_id))
    notice = status_notice(request, note)
    for conversation in _notified(session, request.id):
        outbox.tell_resident(session, conversation=conversation, text=notice)
    session.flush()


def _lock_and_reload(session: Session, request: ResidentRequest) -> None:
    """Wait for any other change of this request to commit, then read its status again.

    Two mediators changing one request at once are applied one after the other,
    the second seeing the first's status: no step recorded or told twice. A
    no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite,
    where SELECT … FOR UPDATE does not exist.
    """
    session.execute(
        update(ResidentRequest).where(ResidentRequest.id == request.id).values(status=ResidentRequest.status)
    )
    session.refresh(request)


def status_notice(request: ResidentRequest, note: str | None) -> str:
    """What a resident following the request is told of its new status."""
    text = f"Votre demande {request.reference} ({label(request.category)}) est {STATUS_LABELS[request.status]}."
    return f"{text} {'Raison' if request.status is RequestStatus.REJECTED else 'Note'} : {note}" if note else text


def _create(
    session: Session,
    conversation: Conversation,
    *,
    category: str,
    place: str | None,
    description: str,
    phone: str | None,
    urgent: bool,
) -> ResidentRequest:
    request = ResidentRequest(
        reference=unused_reference("DEM", lambda ref: _taken(session, ref)),
        tenant_id=conversation.tenant_id,
        conversation_id=conversation.id,
        category=category,
        place=place,
        place_key=place_key(place) if place else None,
        description=description,
        phone=phone,
        urgent=urgent,
    )
    session.add(request)
    session.flush()
    session.add(RequestEvent(request_id=request.id, status=RequestStatus.NEW))
    return request


def _attach_photo(session: Session, request: ResidentRequest, new: NewRequest) -> None:
    """The photo sent during the form, if it is this conversation's and not yet attached."""
    if new.photo_id is None:
        return
    photo = session.get(Photo, new.photo_id)
    if photo is not None and photo.conversation_id == new.conversation_id and photo.request_id is None:
        photo.request_id = request.id


def _followed_by_resident(conversation_id: str) -> Select[tuple[int]]:
    return select(RequestFollower.request_id).where(RequestFollower.conversation_id.in_(same_resident(conversation_id)))


def _notified(session: Session, request_id: int) -> list[Conversation]:
    return list(
        session.scalars(
            select(Conversation)
            .join(RequestFollower, RequestFollower.conversation_id == Conversation.id)
            .where(RequestFollower.request_id == request_id, RequestFollower.notify.is_(True))
        )
    )


def _taken(session: Session, reference: str) -> bool:
    return session.scalar(select(ResidentRequest.id).where(ResidentRequest.reference == reference)) is not None
