"""``GET /api/chat/{sender_id}/events``: a web conversation's later messages, as server-sent events."""

import re
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import StreamingResponse

from bot.api.access import tenant_for
from bot.api.chat import SENDER_ID_PATTERN, TENANT_SLUG_PATTERN
from bot.services import web_events

router = APIRouter()

# Proxies must neither cache nor buffer the stream (X-Accel-Buffering: nginx).
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _last_event_id(header: str | None, query: int | None) -> int | None:
    """The last outbox id the browser received: EventSource's header, or the widget's query after a reload."""
    # Anything but a plain number (which we never sent) is ignored, as if absent.
    from_header = int(header) if header and re.fullmatch(r"[0-9]{1,18}", header) else None
    known = [i for i in (from_header, query) if i is not None]
    return max(known) if known else None


@router.get(
    "/api/chat/{sender_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "`message` and `status` events"}},
)
async def chat_events(
    request: Request,
    sender_id: Annotated[str, Path(min_length=8, max_length=128, pattern=SENDER_ID_PATTERN)],
    tenant: Annotated[str | None, Query(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)] = None,
    last_event_id: Annotated[int | None, Query(ge=0, lt=2**62)] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Stream the conversation's mediator replies and notices, and its mode, until the client leaves."""
    found = await tenant_for(request, tenant or request.app.state.settings.default_tenant)
    events = web_events.stream(
        request.app.state.settings.database_url,
        tenant_id=found.id,
        external_id=sender_id,
        after=_last_event_id(last_event_id_header, last_event_id),
        disconnected=request.is_disconnected,
        timing=request.app.state.event_timing,
    )
    return StreamingResponse(events, media_type="text/event-stream", headers=STREAM_HEADERS)
