"""Live updates of the console: small JSON answers that the page's script polls every few seconds.

Polling keeps the console one server-rendered page with one static script
(no inline code, CSP ``script-src 'self'``); the script writes every value
with ``textContent``, never as HTML.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from bot.console.auth import MEDIATORS, SignedIn, allow, settings_of
from bot.console.templating import REASON_LABELS, as_utc, waited
from bot.db import transaction
from bot.services import mediation

router = APIRouter()

Mediator = Annotated[SignedIn, Depends(allow(*MEDIATORS))]
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/console/api/queue")
def queue(request: Request, who: Mediator) -> JSONResponse:
    """The queue as the page shows it, urgent first."""
    with transaction(settings_of(request).database_url) as session:
        items = mediation.queue(session)
    body = [
        {
            "id": item.id,
            "tenant": item.tenant,
            "channel": item.channel,
            "urgent": item.urgent,
            "reason": REASON_LABELS.get(item.reason or "", item.reason or ""),
            "waiting": waited(item.escalated_at),
            "preview": item.preview or "",
            "assigned_to": item.assigned_to or "",
        }
        for item in items
    ]
    return JSONResponse({"items": body}, headers=NO_STORE)


@router.get("/console/api/conversations/{conversation_id}/messages")
def messages(
    request: Request, conversation_id: str, who: Mediator, after: Annotated[int, Query(ge=0)] = 0
) -> JSONResponse:
    """The conversation's messages after ``after`` and its state (mode, closed, who has it)."""
    with transaction(settings_of(request).database_url) as session:
        conversation = mediation.conversation(session, conversation_id=conversation_id)
        lines = mediation.transcript(session, conversation_id=conversation_id, after_id=after)
        state = {
            "mode": conversation.mode.value,
            "closed": conversation.closed_at is not None,
            "assigned_to": conversation.assigned_staff.display_name if conversation.assigned_staff else "",
        }
    zone = settings_of(request).opening_schedule.zone
    body: dict[str, Any] = state | {
        "messages": [
            {
                "id": line.id,
                "author": line.author.value,
                "author_name": line.author_name,
                "text": line.text or "",
                "payload": line.payload or "",
                "at": as_utc(line.created_at).astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                "sensitive": line.sensitive,
            }
            for line in lines
        ]
    }
    return JSONResponse(body, headers=NO_STORE)
