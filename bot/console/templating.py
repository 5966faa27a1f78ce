"""Rendering console pages: Jinja2 with autoescape always on, French dates, strict security headers.

Nothing a resident or a mediator typed is marked safe: every value goes
through autoescape, and the page's script only sets ``textContent``.
"""

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from actions.booking_text import TOPICS
from bot.services.contact import display_phone

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# No inline script or style, no framing, forms post only to us.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages carry residents' messages: no copy in any cache.
    "Cache-Control": "no-store",
}

REASON_LABELS = {"asked": "demande un médiateur", "not_understood": "non compris deux fois", "urgent": "URGENT"}
ROLE_LABELS = {"mediator": "médiateur", "landlord": "bailleur", "admin": "administrateur"}
CHANNEL_LABELS = {"web": "site web", "telegram": "Telegram"}
KIND_LABELS = {"home_visit": "visite à domicile", "drop_in": "permanence"}
STATUS_LABELS = {"booked": "réservé", "cancelled": "annulé", "done": "venu", "no_show": "absent"}
# The kinds bot/services/booking.py writes in booking_notices.
NOTICE_LABELS = {"booked": "nouveau", "moved": "déplacé", "cancelled": "annulé"}
# The bot's own wording (actions/booking_text.py imports no Rasa code): staff read the label the resident chose.
TOPIC_LABELS = {key: topic.label for key, topic in TOPICS.items()}
WEEKDAY_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every timestamp of ours is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def waited(since: datetime, now: datetime | None = None) -> str:
    """``4 min``, ``1 h 05``, ``2 j 3 h``: how long someone has been waiting."""
    minutes = max(int(((now or datetime.now(UTC)) - as_utc(since)).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"


@lru_cache(maxsize=4)
def templates(zone_name: str) -> Jinja2Templates:
    """The console's templates, with dates shown in the Régie's time zone."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    environment = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    environment.filters["local"] = lambda moment: as_utc(moment).astimezone(zone).strftime("%d/%m/%Y %H:%M")
    environment.filters["localdate"] = lambda moment: as_utc(moment).astimezone(zone).date()
    environment.filters["day"] = lambda moment: _day(as_utc(moment).astimezone(zone))
    environment.filters["hm"] = lambda moment: as_utc(moment).astimezone(zone).strftime("%H:%M")
    environment.filters["phone"] = display_phone
    environment.filters["waited"] = waited
    environment.globals.update(reasons=REASON_LABELS, roles=ROLE_LABELS, channels=CHANNEL_LABELS)
    environment.globals.update(kinds=KIND_LABELS, statuses=STATUS_LABELS, topics=TOPIC_LABELS)
    environment.globals.update(notice_kinds=NOTICE_LABELS)
    return Jinja2Templates(env=environment)


def _day(local: datetime) -> str:
    """``mar. 01/12/2026``: a slot's day at a glance."""
    return f"{WEEKDAY_SHORT[local.weekday()]} {local:%d/%m/%Y}"


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A console page with the security headers."""
    settings = request.app.state.settings
    response = templates(settings.timezone).TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(url: str) -> Response:
    """See other: after a POST, the browser GETs the page again (no resubmission on reload)."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
