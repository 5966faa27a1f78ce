"""Read-only pages: conversation statistics per tenant (landlords: their own tenants only) and the audit log."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from bot.console.auth import EVERYONE, SignedIn, allow, settings_of
from bot.console.templating import render
from bot.db import transaction
from bot.errors import Forbidden
from bot.models import Role
from bot.services import audit, stats

router = APIRouter()


@router.get("/console/stats")
def stats_page(
    request: Request,
    who: Annotated[SignedIn, Depends(allow(*EVERYONE))],
    tenant: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Conversations per day, escalations and top questions of the tenants the account may see."""
    settings = settings_of(request)
    with transaction(settings.database_url) as session:
        visible = stats.tenants_visible(session, tenant_ids=set(who.tenant_ids) if who.tenant_ids is not None else None)
        chosen = [t for t in visible if tenant is None or t.slug == tenant]
        if not chosen and tenant is not None:
            # Another landlord's tenant reads exactly like a tenant that does not exist; the attempt is kept.
            audit.record(session, staff_id=who.staff_id, action=audit.FORBIDDEN, target=f"stats:{tenant}")
        else:
            zone = settings.opening_schedule.zone
            figures = [stats.tenant_stats(session, tenant=t, zone=zone) for t in chosen]
            audit.record(session, staff_id=who.staff_id, action=audit.VIEW_STATS, target=tenant)
    if not chosen and tenant is not None:
        raise Forbidden()
    return render(request, "stats.html", {"who": who, "figures": figures})


@router.get("/console/audit")
def audit_page(request: Request, who: Annotated[SignedIn, Depends(allow(Role.ADMIN))]) -> Response:
    """The latest staff actions (admins only)."""
    with transaction(settings_of(request).database_url) as session:
        lines = audit.recent(session)
        audit.record(session, staff_id=who.staff_id, action=audit.VIEW_AUDIT)
    return render(request, "audit.html", {"who": who, "lines": lines})
