"""Who is signed in to the console, with which role, and the CSRF checks of its forms.

Every console route but the login page and the static files depends on
``signed_in`` (through ``allow``), so an anonymous request never reaches a
handler: tests/unit/test_console_routes.py walks the route table to prove it.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from bot.db import transaction
from bot.errors import CsrfRejected, Forbidden, NotSignedIn
from bot.models import Role
from bot.services import audit, staff
from bot.settings import Settings

SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
COOKIE_PATH = "/console"


@dataclass(frozen=True)
class SignedIn:
    """The staff member behind a request (detached from the database)."""

    staff_id: int
    email: str
    display_name: str
    role: Role
    csrf_token: str
    # None: every tenant (the Régie's staff); a set: a landlord's own tenants.
    tenant_ids: frozenset[int] | None

    @property
    def mediates(self) -> bool:
        """Whether the account may act on conversations (mediators and admins)."""
        return self.role in (Role.MEDIATOR, Role.ADMIN)


def settings_of(request: Request) -> Settings:
    """The web app's settings."""
    return request.app.state.settings


def signed_in(request: Request) -> SignedIn:
    """The live session's staff member, or ``NotSignedIn``."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotSignedIn()
    with transaction(settings_of(request).database_url) as session:
        found = staff.session_of(session, token=token)
        if found is None:
            raise NotSignedIn()
        account = found.staff
        tenant_ids = staff.tenant_ids_of(account)
        return SignedIn(
            staff_id=account.id,
            email=account.email,
            display_name=account.display_name,
            role=account.role,
            csrf_token=found.csrf_token,
            tenant_ids=frozenset(tenant_ids) if tenant_ids is not None else None,
        )


def allow(*roles: Role) -> Callable[..., SignedIn]:
    """A dependency: the signed-in staff member, refused (403, audited) unless their role is among ``roles``."""

    def dependency(request: Request, who: Annotated[SignedIn, Depends(signed_in)]) -> SignedIn:
        if who.role not in roles:
            with transaction(settings_of(request).database_url) as session:
                audit.record(session, staff_id=who.staff_id, action=audit.FORBIDDEN, target=request.url.path)
            raise Forbidden()
        return who

    return dependency


async def checked_form(request: Request, who: Annotated[SignedIn, Depends(signed_in)]) -> FormData:
    """The posted form, refused unless it carries the session's CSRF token."""
    form = await request.form()
    token = form.get("csrf_token")
    if not isinstance(token, str) or not hmac.compare_digest(token, who.csrf_token):
        raise CsrfRejected()
    return form


def new_login_csrf(secret: str) -> tuple[str, str]:
    """A nonce for the login cookie and the token the form carries (its HMAC under the secret)."""
    nonce = secrets.token_urlsafe(32)
    return nonce, _login_token(secret, nonce)


def check_login_csrf(secret: str, nonce: str | None, token: object) -> None:
    """Refuse a login post whose token does not match its cookie (a form from elsewhere)."""
    if not nonce or not isinstance(token, str) or not hmac.compare_digest(token, _login_token(secret, nonce)):
        raise CsrfRejected()


def _login_token(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


MEDIATORS = (Role.MEDIATOR, Role.ADMIN)
EVERYONE = (Role.MEDIATOR, Role.ADMIN, Role.LANDLORD)
