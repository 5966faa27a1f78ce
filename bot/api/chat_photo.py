"""``POST /api/chat/{sender_id}/photo``: the widget's photo for a problem report.

The body is the image itself (the widget sends the chosen file as it is);
its content, not its declared type or name, decides whether it is a JPEG,
PNG or WebP photo. It is taken only while the bot's last message asks for a
photo, and answered like a message: with the bot's next replies.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.requests import ClientDisconnect

from bot.api.access import check_origin, take_rate
from bot.api.chat import SENDER_ID_PATTERN, TENANT_SLUG_PATTERN, WEB_CHANNEL, ChatResponse, to_response
from bot.router import IncomingPhoto, Router

router = APIRouter()
PHOTO_PATH = r"/api/chat/[^/]+/photo"


@router.post(
    "/api/chat/{sender_id}/photo",
    response_model=ChatResponse,
    response_model_exclude_none=True,
    responses={
        409: {"description": "The bot is not asking for a photo now."},
        413: {"description": "Over 5 MB."},
        415: {"description": "Not a JPEG, PNG or WebP image."},
        429: {"description": "Too many messages a minute (see Retry-After)."},
    },
)
async def post_photo(
    request: Request,
    sender_id: Annotated[str, Path(min_length=8, max_length=128, pattern=SENDER_ID_PATTERN)],
    tenant: Annotated[str | None, Query(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)] = None,
) -> ChatResponse | Response:
    """Store the photo for the report under way and return the bot's next replies."""
    slug = tenant or request.app.state.settings.default_tenant
    await check_origin(request, slug)
    take_rate(request, sender_id)
    try:
        data = await request.body()
    except ClientDisconnect:
        # The body limit answered 413 already (or the client left): nothing to do.
        return Response(status_code=499)
    chat_router: Router = request.app.state.router
    outcome = await chat_router.handle_photo(
        IncomingPhoto(channel=WEB_CHANNEL, tenant=slug, sender_id=sender_id, data=data)
    )
    return to_response(outcome)
