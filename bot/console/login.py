"""Login and logout of the console.

A refused login says the same whether the address has an account or not;
after too many failures for one address, the lock-out is said, also without
telling whether the account exists.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData

from bot.console.auth import (
    COOKIE_PATH,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SignedIn,
    check_login_csrf,
    checked_form,
    new_login_csrf,
    settings_of,
    signed_in,
)
from bot.console.templating import redirect, render
from bot.db import transaction
from bot.services import audit, staff
from bot.settings import Settings

router = APIRouter()

WRONG = "Adresse e-mail ou mot de passe incorrect."
MAX_FIELD_LENGTH = 254


def _locked_message(settings: Settings) -> str:
    return (
        f"Trop d'essais infructueux pour cette adresse : la connexion est bloquée pendant "
        f"{settings.login_lockout_minutes} minutes. Réessayez plus tard."
    )


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    settings = settings_of(request)
    nonce, token = new_login_csrf(settings.session_secret)
    response = render(request, "login.html", {"csrf_token": token, "error": error}, status_code=status_code)
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        httponly=True,
        secure=settings.console_cookie_secure,
        samesite="strict",
        path=f"{COOKIE_PATH}/login",
    )
    return response


@router.get("/console/login")
def login_form(request: Request) -> Response:
    """The login form (public)."""
    return _login_page(request)


@router.post("/console/login")
async def login(request: Request) -> Response:
    """Check the address and password; a session cookie on success."""
    settings = settings_of(request)
    form = await request.form()
    check_login_csrf(settings.session_secret, request.cookies.get(LOGIN_COOKIE), form.get("csrf_token"))
    email = str(form.get("email") or "")[:MAX_FIELD_LENGTH]
    password = str(form.get("password") or "")[:MAX_FIELD_LENGTH]
    policy = staff.LoginPolicy(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))
    try:
        token, locked = _authenticate(settings, email, password, policy)
    except IntegrityError:
        # Two failures for a new address raced to create its counter: count this one again.
        token, locked = _authenticate(settings, email, password, policy)
    if token is None:
        if locked:
            return _login_page(request, _locked_message(settings), status_code=429)
        return _login_page(request, WRONG, status_code=401)
    response = redirect("/console")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=settings.console_cookie_secure,
        samesite="strict",
        path=COOKIE_PATH,
    )
    response.delete_cookie(LOGIN_COOKIE, path=f"{COOKIE_PATH}/login")
    return response


def _authenticate(settings: Settings, email: str, password: str, policy: staff.LoginPolicy) -> tuple[str | None, bool]:
    """The new session's token (None when refused) and whether a lock-out is on; audited, in one unit of work."""
    with transaction(settings.database_url) as session:
        result = staff.authenticate(session, email=email, password=password, policy=policy)
        if result.staff is None:
            action = audit.LOGIN_LOCKED if result.locked else audit.LOGIN_FAILED
            audit.record(session, staff_id=None, action=action, target=staff.normalise_email(email))
            return None, result.locked
        lifetime = timedelta(hours=settings.console_session_hours)
        new = staff.start_session(session, staff=result.staff, lifetime=lifetime)
        audit.record(session, staff_id=result.staff.id, action=audit.LOGIN)
        return new.token, False


@router.post("/console/logout")
def logout(
    request: Request,
    who: Annotated[SignedIn, Depends(signed_in)],
    _form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    """End the session in the database (the cookie alone no longer opens anything)."""
    with transaction(settings_of(request).database_url) as session:
        staff.end_session(session, token=request.cookies.get(SESSION_COOKIE, ""))
        audit.record(session, staff_id=who.staff_id, action=audit.LOGOUT)
    response = redirect("/console/login")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response
