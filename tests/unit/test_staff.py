"""Staff accounts: argon2id passwords, the lock-out per address, sessions that end for good."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from bot.db import transaction
from bot.models import Role, StaffSession
from bot.services import staff


def address() -> str:
    return f"staff-{uuid.uuid4().hex[:8]}@regie.test"


POLICY = staff.LoginPolicy(max_failures=3, lockout=timedelta(minutes=15))


def new_account(settings, email: str, role: Role = Role.MEDIATOR) -> None:
    with transaction(settings.database_url) as session:
        staff.create_staff(session, email=email, password="a-long-password-1", role=role, display_name="Samia")


def attempt(settings, email: str, password: str, now: datetime | None = None) -> staff.LoginResult:
    with transaction(settings.database_url) as session:
        return staff.authenticate(session, email=email, password=password, policy=POLICY, now=now)


def test_passwords_are_stored_as_argon2id_hashes(settings):
    email = address()
    new_account(settings, email)

    with transaction(settings.database_url) as session:
        account = staff.authenticate(session, email=email, password="a-long-password-1", policy=POLICY).staff
        assert account.password_hash.startswith("$argon2id$")
        assert "a-long-password-1" not in account.password_hash


def test_an_address_is_compared_trimmed_and_lower_cased(settings):
    email = address()
    new_account(settings, email)

    assert attempt(settings, f"  {email.upper()} ", "a-long-password-1").staff is not None


def test_the_lock_out_starts_at_the_limit_and_ends_after_its_time(settings):
    email = address()
    new_account(settings, email)
    now = datetime.now(UTC)

    results = [attempt(settings, email, "wrong", now) for _ in range(3)]
    during = attempt(settings, email, "a-long-password-1", now + timedelta(minutes=14))
    after = attempt(settings, email, "a-long-password-1", now + timedelta(minutes=16))

    assert [r.locked for r in results] == [False, False, True]
    assert during.staff is None and during.locked
    assert after.staff is not None


def test_a_success_clears_the_count_of_failures(settings):
    email = address()
    new_account(settings, email)

    attempt(settings, email, "wrong")
    attempt(settings, email, "wrong")
    attempt(settings, email, "a-long-password-1")

    assert not attempt(settings, email, "wrong").locked


def test_a_landlord_needs_a_tenant_and_a_short_password_is_refused(settings):
    with transaction(settings.database_url) as session, pytest.raises(ValueError, match="tenant"):
        staff.create_staff(session, email=address(), password="x" * 20, role=Role.LANDLORD, display_name="B")
    with transaction(settings.database_url) as session, pytest.raises(ValueError, match="12"):
        staff.create_staff(session, email=address(), password="short", role=Role.MEDIATOR, display_name="M")


def test_an_address_cannot_have_two_accounts(settings):
    email = address()
    new_account(settings, email)

    with pytest.raises(ValueError, match="already"):
        new_account(settings, email.upper())


def test_a_session_ends_at_logout_and_at_expiry(settings):
    email = address()
    new_account(settings, email)
    with transaction(settings.database_url) as session:
        account = staff.authenticate(session, email=email, password="a-long-password-1", policy=POLICY).staff
        live = staff.start_session(session, staff=account, lifetime=timedelta(hours=1))
        expired = staff.start_session(session, staff=account, lifetime=timedelta(hours=1))
        session.flush()
        session.query(StaffSession).filter(StaffSession.csrf_token == expired.csrf_token).update(
            {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}
        )

    with transaction(settings.database_url) as session:
        assert staff.session_of(session, token=live.token) is not None
        assert staff.session_of(session, token=expired.token) is None
        assert staff.end_session(session, token=live.token) is not None
    with transaction(settings.database_url) as session:
        assert staff.session_of(session, token=live.token) is None
