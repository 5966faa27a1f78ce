"""Console login: sessions, cookies, CSRF, lock-out, logout, audit."""

from datetime import timedelta

from sqlalchemy import select, update

from bot.db import transaction
from bot.models import AuditEntry, LoginThrottle, Role, StaffSession, StaffUser, utcnow
from bot.settings import Settings
from bot.web import create_app
from tests.console_client import PASSWORD, csrf_of, login, new_staff, post_form


def audit_actions(settings, email: str) -> list[str]:
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .outerjoin(StaffUser, AuditEntry.staff_id == StaffUser.id)
                .where((StaffUser.email == email) | (AuditEntry.target == email))
                .order_by(AuditEntry.id)
            )
        )


async def test_the_demo_mediator_signs_in_and_gets_an_httponly_strict_session_cookie(web):
    response = await login(web, "mediateur@demo.local", "demo-mediateur")

    assert response.status_code == 303 and response.headers["location"] == "/console"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("console_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # development on http://127.0.0.1
    assert (await web.get("/console/queue")).status_code == 200


async def test_outside_development_the_cookies_are_secure(settings):
    import httpx

    production = Settings(
        database_url=settings.database_url, var_dir=settings.var_dir, environment="production", session_secret="s" * 40
    )
    app = create_app(production)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client,
    ):
        page = await client.get("/console/login")
        assert "Secure" in page.headers["set-cookie"]
        response = await login(client, "mediateur@demo.local", "demo-mediateur")
    assert "Secure" in next(c for c in response.headers.get_list("set-cookie") if c.startswith("console_session="))


async def test_the_session_token_is_stored_hashed(web, settings):
    await login(web, "mediateur@demo.local", "demo-mediateur")
    token = web.cookies["console_session"]

    with transaction(settings.database_url) as session:
        hashes = list(session.scalars(select(StaffSession.token_hash)))
    assert token not in hashes and all(len(h) == 64 for h in hashes)


async def test_a_wrong_password_and_an_unknown_address_read_the_same(web, settings):
    email = new_staff(settings, Role.MEDIATOR)

    wrong = await login(web, email, "not-the-password")
    unknown = await login(web, "nobody-here@regie.test", "not-the-password")

    assert wrong.status_code == unknown.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text
    assert wrong.text.split("<main>")[1].replace(csrf_of(wrong), "") == unknown.text.split("<main>")[1].replace(
        csrf_of(unknown), ""
    )
    assert "console_session" not in web.cookies


async def test_five_failures_lock_the_address_for_fifteen_minutes_even_with_the_right_password(web, settings):
    email = new_staff(settings, Role.MEDIATOR)

    statuses = [(await login(web, email, f"wrong-{i}")).status_code for i in range(5)]
    right = await login(web, email, PASSWORD)

    assert statuses == [401, 401, 401, 401, 429]
    assert right.status_code == 429
    assert "bloquée pendant 15 minutes" in right.text
    assert audit_actions(settings, email).count("login_failed") == 4
    assert "login_locked" in audit_actions(settings, email)


async def test_an_unknown_address_is_locked_out_the_same_way(web):
    statuses = [(await login(web, "ghost@regie.test", f"wrong-{i}")).status_code for i in range(6)]

    assert statuses == [401, 401, 401, 401, 429, 429]


async def test_after_the_lock_out_the_right_password_works_again(web, settings):
    email = new_staff(settings, Role.MEDIATOR)
    for i in range(5):
        await login(web, email, f"wrong-{i}")
    with transaction(settings.database_url) as session:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.email == email)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )

    assert (await login(web, email, PASSWORD)).status_code == 303


async def test_a_login_post_without_its_csrf_token_is_refused(web):
    await web.get("/console/login")

    response = await web.post("/console/login", data={"email": "mediateur@demo.local", "password": "demo-mediateur"})

    assert response.status_code == 403
    assert "console_session" not in web.cookies


async def test_a_login_token_from_another_browser_is_refused(web, other_browser):
    token = csrf_of(await other_browser.get("/console/login"))
    await web.get("/console/login")

    response = await web.post(
        "/console/login", data={"csrf_token": token, "email": "mediateur@demo.local", "password": "demo-mediateur"}
    )

    assert response.status_code == 403


async def test_logout_ends_the_session_even_for_a_copy_of_the_cookie(web, other_browser, settings):
    email = new_staff(settings, Role.MEDIATOR)
    await login(web, email, PASSWORD)
    stolen = web.cookies["console_session"]

    response = await post_form(web, "/console/queue", "/console/logout")

    assert response.status_code == 303 and response.headers["location"] == "/console/login"
    other_browser.cookies.set("console_session", stolen, domain="testserver", path="/console")
    replay = await other_browser.get("/console/queue")
    assert replay.status_code == 303 and replay.headers["location"] == "/console/login"
    assert audit_actions(settings, email) == ["login", "view_queue", "logout"]


async def test_logout_without_the_csrf_token_is_refused(web):
    await login(web, "mediateur@demo.local", "demo-mediateur")

    response = await web.post("/console/logout")

    assert response.status_code == 403
    assert (await web.get("/console/queue")).status_code == 200


async def test_a_disabled_account_loses_its_session(web, settings):
    email = new_staff(settings, Role.MEDIATOR)
    await login(web, email, PASSWORD)
    with transaction(settings.database_url) as session:
        session.execute(update(StaffUser).where(StaffUser.email == email).values(disabled_at=utcnow()))

    assert (await web.get("/console/queue")).status_code == 303
