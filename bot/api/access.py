"""Who may use the widget's API: the tenant's allowed origins, and the per-minute limits.

``bot.cors`` only answers the CORS protocol; these checks know the tenant a
call is for, so they are the gate. A call without ``Origin`` is not a
browser's and is not checked here (the chat API stays usable from servers).
"""

import asyncio

from fastapi import Request

from bot.db import transaction
from bot.errors import OriginNotAllowed, RateLimited
from bot.models import Tenant
from bot.rate_limit import ChatRateLimits
from bot.services import widget
from bot.services.conversations import find_tenant
from bot.settings import Settings


async def tenant_for(request: Request, slug: str) -> Tenant:
    """The tenant named ``slug`` (``UnknownTenant`` if none), if the calling page's origin may use it."""
    settings: Settings = request.app.state.settings
    return await asyncio.to_thread(_tenant_for, settings, slug, request.headers.get("origin"))


def _tenant_for(settings: Settings, slug: str, origin: str | None) -> Tenant:
    with transaction(settings.database_url) as session:
        tenant = find_tenant(session, slug=slug)
        local_pages_allowed = settings.environment == "development" and slug == settings.default_tenant
        if origin is not None and not widget.origin_allowed(tenant, origin, local_pages_allowed=local_pages_allowed):
            raise OriginNotAllowed(origin)
        return tenant


async def check_origin(request: Request, slug: str) -> None:
    """Refuse a browser call whose page the tenant does not allow; other calls pass untouched."""
    if "origin" in request.headers:
        await tenant_for(request, slug)


def take_rate(request: Request, sender_id: str) -> None:
    """Count one message of ``sender_id`` from the client's address, or raise ``RateLimited``."""
    limits: ChatRateLimits = request.app.state.rate_limits
    address = request.client.host if request.client else "unknown"
    wait = limits.take(sender=sender_id, address=address)
    if wait:
        raise RateLimited(wait)
