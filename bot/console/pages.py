"""The mediators' pages: the queue and a conversation (claim, reply, hand back, close).

Only mediators and admins reach them; every action and every opening of a
conversation is written to the audit log. Actions answer with a redirect to
the conversation (post, redirect, get).
"""

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from bot.console.auth import EVERYONE, MEDIATORS, SignedIn, allow, checked_form, settings_of
from bot.console.templating import redirect, render
from bot.db import transaction
from bot.models import Mode, StaffUser
from bot.services import audit, booking, mediation
from bot.services.request_admin import of_resident

router = APIRouter()

Mediator = Annotated[SignedIn, Depends(allow(*MEDIATORS))]
Form = Annotated[FormData, Depends(checked_form)]


@router.get("/console")
def home(who: Annotated[SignedIn, Depends(allow(*EVERYONE))]) -> Response:
    """Mediators land on the queue, landlords on their statistics."""
    return redirect("/console/queue" if who.mediates else "/console/stats")


@router.get("/console/queue")
def queue_page(request: Request, who: Mediator) -> Response:
    """Conversations waiting for a person, urgent first."""
    with transaction(settings_of(request).database_url) as session:
        items = mediation.queue(session)
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_QUEUE)
    return render(request, "queue.html", {"who": who, "items": items})


@router.get("/console/conversations/{conversation_id}")
def conversation_page(request: Request, conversation_id: str, who: Mediator) -> Response:
    """The whole transcript, the resident's bookings and requests, and what the mediator can do with it."""
    with transaction(settings_of(request).database_url) as session:
        conversation = mediation.conversation(session, conversation_id=conversation_id)
        lines = mediation.transcript(session, conversation_id=conversation_id)
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_CONVERSATION, target=conversation_id)
        context = {
            "who": who,
            "conversation": conversation,
            "tenant": conversation.tenant.name,
            "channel": conversation.resident.channel,
            "assigned": conversation.assigned_staff.display_name if conversation.assigned_staff else None,
            "lines": lines,
            "bookings": booking.resident_history(session, conversation_id=conversation_id),
            "last_id": lines[-1].id if lines else 0,
            "waiting": conversation.mode is Mode.HUMAN and conversation.closed_at is None,
            "resident_requests": of_resident(session, conversation_id=conversation_id),
        }
    return render(request, "conversation.html", context)


def _act(request: Request, who: SignedIn, conversation_id: str, action: str, do: Callable[..., Any]) -> Response:
    """Run ``do(session, staff=…)`` and its audit entry in one unit of work, then back to the page."""
    with transaction(settings_of(request).database_url) as session:
        do(session, staff=session.get_one(StaffUser, who.staff_id))
        audit.record(session, staff_id=who.staff_id, action=action, target=conversation_id)
    return redirect(f"/console/conversations/{conversation_id}")


@router.post("/console/conversations/{conversation_id}/claim")
def claim(request: Request, conversation_id: str, who: Mediator, _form: Form) -> Response:
    """The mediator takes the conversation."""
    return _act(request, who, conversation_id, audit.CLAIM, partial(mediation.claim, conversation_id=conversation_id))


@router.post("/console/conversations/{conversation_id}/reply")
def reply(request: Request, conversation_id: str, who: Mediator, form: Form) -> Response:
    """Send a reply to the resident, on their channel."""
    text = str(form.get("text") or "")
    do = partial(mediation.reply, conversation_id=conversation_id, text=text)
    return _act(request, who, conversation_id, audit.REPLY, do)


@router.post("/console/conversations/{conversation_id}/hand-back")
def hand_back(request: Request, conversation_id: str, who: Mediator, _form: Form) -> Response:
    """Give the conversation back to the bot; the resident is told."""
    do = partial(mediation.hand_back, conversation_id=conversation_id)
    return _act(request, who, conversation_id, audit.HAND_BACK, do)


@router.post("/console/conversations/{conversation_id}/close")
def close(request: Request, conversation_id: str, who: Mediator, form: Form) -> Response:
    """Close with an outcome note; the resident is told."""
    outcome = str(form.get("outcome") or "")
    do = partial(mediation.close, conversation_id=conversation_id, outcome=outcome)
    return _act(request, who, conversation_id, audit.CLOSE, do)
