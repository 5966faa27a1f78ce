"""The web widget of a tenant: its look, who may embed it, and the one place both are checked.

A tenant's widget look (colour, logo) and allowed origins come from the
landlord; everything here checks them before they are stored or served, so the
widget can trust what the web app gives it. Nothing here knows HTTP.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Tenant

HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# scheme://host[:port], nothing else: browsers send exactly that in the Origin header.
ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?")
# Any page served from this machine, in development only (the demo tenant).
LOCAL_ORIGIN = re.compile(r"http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?")
MAX_LOGO_URL_LENGTH = 500
BLACK, WHITE = "#000000", "#ffffff"


class InvalidWidgetSetting(ValueError):
    """A colour, logo address or origin that the widget must not be given."""


@dataclass(frozen=True)
class WidgetLook:
    """What the widget draws for a tenant; ``text_color`` keeps text readable on ``primary_color``."""

    name: str
    primary_color: str
    text_color: str
    logo_url: str | None
    welcome_message: str


def check_color(value: str) -> str:
    """``value`` as a lower-case ``#rrggbb`` colour, or ``InvalidWidgetSetting``."""
    if not HEX_COLOR.fullmatch(value):
        raise InvalidWidgetSetting(f"colour {value!r} is not #rrggbb")
    return value.lower()


def check_logo_url(value: str | None) -> str | None:
    """An http(s) address, or a path of the web app (``/static/…``); anything else is refused."""
    if value is None:
        return None
    if len(value) > MAX_LOGO_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in value):
        raise InvalidWidgetSetting("logo address too long or with spaces")
    if value.startswith("/") and not value.startswith("//"):
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidWidgetSetting(f"logo address {value!r} is not http(s)")
    return value


def check_origin(value: str) -> str:
    """An exact origin (``https://www.bailleur.fr``, lower case, no path, no wildcard)."""
    origin = value.strip().lower()
    if not ORIGIN.fullmatch(origin):
        raise InvalidWidgetSetting(f"origin {value!r} is not scheme://host[:port]")
    return origin


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (always at least 4.58:1)."""
    return BLACK if contrast_ratio(background, BLACK) >= contrast_ratio(background, WHITE) else WHITE


def look_of(tenant: Tenant) -> WidgetLook:
    """The tenant's widget look, with the text colour its colour needs."""
    color = check_color(tenant.primary_color)
    return WidgetLook(
        name=tenant.name,
        primary_color=color,
        text_color=text_color_on(color),
        logo_url=tenant.logo_url,
        welcome_message=tenant.welcome_message,
    )


def origin_allowed(tenant: Tenant, origin: str, *, local_pages_allowed: bool) -> bool:
    """Whether a page of ``origin`` may talk to this tenant's widget API.

    ``local_pages_allowed`` is true for the demo tenant in development only:
    any page served on this machine may embed it then.
    """
    if local_pages_allowed and LOCAL_ORIGIN.fullmatch(origin):
        return True
    return origin in (tenant.allowed_origins or [])


def set_look(
    session: Session,
    *,
    tenant: Tenant,
    primary_color: str,
    logo_url: str | None,
    allowed_origins: list[str],
) -> None:
    """Check and store a tenant's widget look and allowed origins."""
    tenant.primary_color = check_color(primary_color)
    tenant.logo_url = check_logo_url(logo_url)
    tenant.allowed_origins = sorted({check_origin(o) for o in allowed_origins})
    session.flush()


def all_allowed_origins(session: Session) -> set[str]:
    """Every origin some tenant allows: the ones a preflight request may be answered for."""
    return {origin for origins in session.scalars(select(Tenant.allowed_origins)) for origin in origins or []}
