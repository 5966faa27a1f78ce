"""Residents' data on the web: the privacy page, the widget's notice, and "Mes données" / erase for a widget sender.

``POST /api/chat/my-data`` and ``POST /api/chat/erase`` are authorised exactly
as ``POST /api/chat`` is for the same sender: the tenant must allow the
calling page's origin, the per-minute limits apply, and the ``sender_id`` (the
web conversation's only secret) selects the data: only the ``web`` resident of
(tenant, sender_id) is read or erased, never a Telegram chat, never another
sender's. They are POSTs so that the secret stays out of URLs and access logs.
"""

import asyncio
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict

from bot.api.access import check_origin, take_rate, tenant_for
from bot.api.chat import TENANT_SLUG_PATTERN, WEB_CHANNEL, SenderId, TenantSlug
from bot.errors import error_body
from bot.models import utcnow
from bot.services import personal_data
from bot.services.privacy import Privacy, duration
from bot.settings import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# What a resident's data answers carry: nothing cached, nothing sniffed.
DATA_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
NOT_FOUND = error_body("no_data", "Aucune donnée n'est enregistrée pour cette conversation.")

router = APIRouter()


class SenderRequest(BaseModel):
    """A widget's own sender id (and tenant), as for ``POST /api/chat``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    sender_id: SenderId
    tenant: TenantSlug | None = None


class EraseRequest(SenderRequest):
    """The erase call: ``confirm`` must be true (the widget's own dialog asked)."""

    confirm: Literal[True]


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))


@router.get("/confidentialite", response_class=HTMLResponse, include_in_schema=False)
async def privacy_page(
    request: Request,
    tenant: Annotated[str | None, Query(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)] = None,
) -> HTMLResponse:
    """The privacy page: who is responsible, what is kept, why, how long, and the resident's rights."""
    settings: Settings = request.app.state.settings
    found = await tenant_for(request, tenant or settings.default_tenant)
    page = (
        _templates()
        .get_template("privacy.html")
        .render(
            controller=settings.privacy_controller,
            contact=settings.privacy_contact,
            legal_basis=settings.privacy_legal_basis,
            partner=found.name,
            retention={
                "transcript": duration(settings.retention_transcript_days),
                "booking": duration(settings.retention_booking_contact_days),
                "request": duration(settings.retention_request_details_days),
                "sensitive": duration(settings.retention_sensitive_days),
            },
        )
    )
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.get("/api/widget/{tenant}/privacy")
async def widget_notice(
    request: Request, tenant: Annotated[str, PathParam(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)]
) -> dict[str, str]:
    """The sentence the widget shows before anyone writes, and the privacy page's address."""
    found = await tenant_for(request, tenant)
    privacy = Privacy.from_settings(request.app.state.settings)
    return {"notice": privacy.notice(found.slug), "page_url": privacy.page_url(found.slug)}


@router.post("/api/chat/my-data", responses={404: {"description": "Nothing stored for this sender."}})
async def my_data(body: SenderRequest, request: Request) -> Response:
    """Everything stored about this widget sender at this tenant, as a JSON file."""
    tenant = await _authorised(request, body)
    data = await asyncio.to_thread(
        personal_data.export_resident, request.app.state.settings.database_url,
        tenant_slug=tenant, channel=WEB_CHANNEL, external_id=body.sender_id, now=utcnow(),
    )  # fmt: skip
    if data is None:
        return JSONResponse(NOT_FOUND, status_code=404, headers=DATA_HEADERS)
    headers = DATA_HEADERS | {"Content-Disposition": 'attachment; filename="mes-donnees.json"'}
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


@router.post("/api/chat/erase", responses={404: {"description": "Nothing stored for this sender."}})
async def erase(body: EraseRequest, request: Request) -> JSONResponse:
    """Erase everything of this widget sender at this tenant (see bot/services/personal_data.py)."""
    tenant = await _authorised(request, body)
    settings: Settings = request.app.state.settings
    who = {"tenant_slug": tenant, "channel": WEB_CHANNEL, "external_id": body.sender_id, "now": utcnow()}
    where = {"tracker_store_url": settings.tracker_store_url, "photo_dir": settings.photo_dir}
    erasure = await asyncio.to_thread(personal_data.erase_resident, settings.database_url, **who, **where)
    if erasure is None:
        return JSONResponse(NOT_FOUND, status_code=404, headers=DATA_HEADERS)
    return JSONResponse({"erased": True, "cancelled": list(erasure.cancelled)}, headers=DATA_HEADERS)


async def _authorised(request: Request, body: SenderRequest) -> str:
    """The call's tenant, once the page's origin and the rate limits allow it (as for POST /api/chat)."""
    tenant = body.tenant or request.app.state.settings.default_tenant
    await check_origin(request, tenant)
    take_rate(request, body.sender_id)
    return tenant
