"""The public chat API: ``POST /api/chat`` (DESIGN.md, stable)."""

from typing import Annotated, Self

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.api.access import check_origin, take_rate
from bot.errors import error_body
from bot.router import Incoming, Outcome, Router

MAX_TEXT_LENGTH = 2000
WEB_CHANNEL = "web"
SENDER_ID_PATTERN = r"^[A-Za-z0-9_-]+$"
TENANT_SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

SenderId = Annotated[str, StringConstraints(min_length=8, max_length=128, pattern=SENDER_ID_PATTERN)]
TenantSlug = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)]

router = APIRouter()


class ChatRequest(BaseModel):
    """A resident's message: typed ``text`` or a button's ``payload``, never both."""

    model_config = ConfigDict(extra="forbid", strict=True)

    sender_id: SenderId
    text: Annotated[str, Field(max_length=MAX_TEXT_LENGTH)] | None = None
    payload: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    tenant: TenantSlug | None = None

    @model_validator(mode="after")
    def _text_or_payload(self) -> Self:
        if (self.text is None) == (self.payload is None):
            raise ValueError("give either 'text' or 'payload', not both and not neither")
        if self.text is not None and not self.text.strip():
            raise ValueError("'text' is empty")
        return self


class ButtonOut(BaseModel):
    """A button as the widget draws it."""

    title: str
    payload: str


class ReplyOut(BaseModel):
    """One message of the bot; ``accepts_photo`` when it asks for a photo (``POST /api/chat/{sender}/photo``)."""

    text: str
    buttons: list[ButtonOut] | None = None
    accepts_photo: bool | None = None


class ChatResponse(BaseModel):
    """The bot's replies to one message and the conversation's mode."""

    replies: list[ReplyOut]
    mode: str


def to_response(outcome: Outcome) -> ChatResponse:
    """The API's view of a router outcome."""
    replies = [
        ReplyOut(
            text=r.text,
            buttons=[ButtonOut(title=b.title, payload=b.payload) for b in r.buttons] or None,
            accepts_photo=r.expects_photo or None,
        )
        for r in outcome.replies
    ]
    return ChatResponse(replies=replies, mode=outcome.mode.value)


@router.post(
    "/api/chat",
    response_model=ChatResponse,
    response_model_exclude_none=True,
    responses={
        403: {"description": "A browser page whose origin the tenant does not allow."},
        429: {"description": "Too many messages a minute from this sender or address (see Retry-After)."},
        503: {"description": "The assistant cannot answer now; the message is kept."},
    },
)
async def post_chat(body: ChatRequest, request: Request) -> ChatResponse | JSONResponse:
    """Hand the message to the router and return the bot's replies."""
    chat_router: Router = request.app.state.router
    tenant = body.tenant or request.app.state.settings.default_tenant
    await check_origin(request, tenant)
    take_rate(request, body.sender_id)
    incoming = Incoming(
        channel=WEB_CHANNEL, tenant=tenant, sender_id=body.sender_id, text=body.text, payload=body.payload
    )
    outcome = await chat_router.handle(incoming)
    response = to_response(outcome)
    if not outcome.engine_available:
        content = response.model_dump(exclude_none=True) | error_body(
            "engine_unavailable", "L'assistant ne répond pas pour le moment ; le message est enregistré."
        )
        return JSONResponse(status_code=503, content=content, headers={"Retry-After": "30"})
    return response
