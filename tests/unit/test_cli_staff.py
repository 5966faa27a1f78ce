"""The command line for console accounts: demo logins in development, real accounts from create-staff."""

import uuid

import pytest
from sqlalchemy import select

from bot import cli
from bot.db import transaction
from bot.models import Role, StaffUser
from bot.settings import Settings


def test_setup_in_development_seeded_the_three_demo_accounts(settings):
    with transaction(settings.database_url) as session:
        accounts = dict(session.execute(select(StaffUser.email, StaffUser.role)).all())

    assert accounts["mediateur@demo.local"] is Role.MEDIATOR
    assert accounts["bailleur@demo.local"] is Role.LANDLORD
    assert accounts["admin@demo.local"] is Role.ADMIN


def test_the_banner_prints_the_demo_logins_in_development_only(settings, capsys):
    cli.banner(settings)
    development = capsys.readouterr().out
    cli.banner(Settings(environment="production", session_secret="s" * 40))
    production = capsys.readouterr().out

    assert "/console" in development and "mediateur@demo.local / demo-mediateur" in development
    assert "demo-mediateur" not in production and "create-staff" in production


def test_create_staff_reads_the_password_from_the_environment_never_from_argv(settings, monkeypatch):
    email = f"samia-{uuid.uuid4().hex[:6]}@regie.test"
    monkeypatch.setenv(cli.PASSWORD_VARIABLE, "a-long-enough-password")

    cli.create_staff_account(settings, ["--email", email, "--role", "landlord", "--tenant", "demo", "--name", "Samia"])

    with transaction(settings.database_url) as session:
        account = session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert account.role is Role.LANDLORD and [t.slug for t in account.tenants] == ["demo"]
        assert account.password_hash.startswith("$argon2id$")
    with pytest.raises(SystemExit):
        cli.create_staff_account(settings, ["--email", email, "--role", "mediator", "--password", "x"])


def test_create_staff_refuses_an_address_already_taken(settings, monkeypatch):
    monkeypatch.setenv(cli.PASSWORD_VARIABLE, "a-long-enough-password")

    with pytest.raises(SystemExit, match="already"):
        cli.create_staff_account(settings, ["--email", "mediateur@demo.local", "--role", "mediator"])
