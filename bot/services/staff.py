"""Staff accounts of the console: passwords (argon2id), logins with a lock-out, sessions.

A lock-out counts failures per e-mail address, whether an account has it or
not, and a refused login reads the same either way: the console never tells
who has an account. A session is a random token kept by the browser; only
its SHA-256 is stored, and logging out deletes the row.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.models import LoginThrottle, Role, StaffSession, StaffUser, Tenant, utcnow

MIN_PASSWORD_LENGTH = 12


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures lock an address out, and for how long."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginResult:
    """The staff member signed in, or why not (``locked`` says a lock-out is on)."""

    staff: StaffUser | None
    locked: bool = False


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id).
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when no account has the address: the answer takes as long."""
    return _hasher().hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    """Addresses are compared trimmed and lower-cased."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """The argon2id hash of a password, salt and parameters included."""
    return _hasher().hash(password)


def create_staff(
    session: Session, *, email: str, password: str, role: Role, display_name: str, tenant_slugs: tuple[str, ...] = ()
) -> StaffUser:
    """A new staff account; ``ValueError`` if the address is taken, a tenant unknown or the password short."""
    email = normalise_email(email)
    if "@" not in email:
        raise ValueError("an e-mail address needs an @")
    if len(password) < MIN_PASSWORD_LENGTH and not email.endswith("@demo.local"):
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise ValueError(f"an account already has the address {email}")
    tenants = [_tenant(session, slug) for slug in tenant_slugs]
    if role is Role.LANDLORD and not tenants:
        raise ValueError("a landlord account needs at least one tenant")
    staff = StaffUser(
        email=email, display_name=display_name, password_hash=hash_password(password), role=role, tenants=tenants
    )
    session.add(staff)
    session.flush()
    return staff


def _tenant(session: Session, slug: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise ValueError(f"no tenant has the slug {slug!r}")
    return tenant


def authenticate(
    session: Session, *, email: str, password: str, policy: LoginPolicy, now: datetime | None = None
) -> LoginResult:
    """Check a login; count the failure (locking the address out at the limit) or clear the count."""
    now = now or utcnow()
    email = normalise_email(email)
    throttle = session.get(LoginThrottle, email)
    if throttle is not None and throttle.locked_until is not None and _aware(throttle.locked_until) > now:
        return LoginResult(staff=None, locked=True)
    staff = session.scalar(select(StaffUser).where(StaffUser.email == email, StaffUser.disabled_at.is_(None)))
    if staff is not None and _verify(staff, password):
        if throttle is not None:
            session.delete(throttle)
        return LoginResult(staff=staff)
    if staff is None:
        _verify(None, password)
    return LoginResult(staff=None, locked=_count_failure(session, throttle, email, policy, now))


def _verify(staff: StaffUser | None, password: str) -> bool:
    try:
        _hasher().verify(staff.password_hash if staff else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if staff is not None and _hasher().check_needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return staff is not None


def _count_failure(
    session: Session, throttle: LoginThrottle | None, email: str, policy: LoginPolicy, now: datetime
) -> bool:
    """One more failure for the address; True when it locks the address out now."""
    if throttle is None:
        throttle = LoginThrottle(email=email, failures=0)
        session.add(throttle)
    elif throttle.locked_until is not None:
        # The last lock-out is over: counting starts again.
        throttle.failures, throttle.locked_until = 0, None
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= policy.max_failures:
        throttle.locked_until = now + policy.lockout
        return True
    return False


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; ours are all UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


@dataclass(frozen=True)
class NewSession:
    """What the browser keeps (``token``) and what its forms carry (``csrf_token``)."""

    token: str
    csrf_token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, *, staff: StaffUser, lifetime: timedelta) -> NewSession:
    """A new session for ``staff``; the staff member's expired ones are removed."""
    now = utcnow()
    session.execute(delete(StaffSession).where(StaffSession.staff_id == staff.id, StaffSession.expires_at <= now))
    token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        StaffSession(token_hash=_token_hash(token), staff=staff, csrf_token=csrf_token, expires_at=now + lifetime)
    )
    session.flush()
    return NewSession(token=token, csrf_token=csrf_token)


def session_of(session: Session, *, token: str) -> StaffSession | None:
    """The live session of this token (not expired, account not disabled), or None."""
    found = session.scalar(select(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    if found is None or _aware(found.expires_at) <= utcnow() or found.staff.disabled_at is not None:
        return None
    return found


def end_session(session: Session, *, token: str) -> int | None:
    """Delete the token's session (logout); return its staff id, if there was one."""
    found = session.scalar(select(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    if found is None:
        return None
    session.delete(found)
    return found.staff_id


def tenant_ids_of(staff: StaffUser) -> set[int] | None:
    """The tenants whose figures the account may read: a set for landlords, None (all) for the Régie."""
    return {tenant.id for tenant in staff.tenants} if staff.role is Role.LANDLORD else None
