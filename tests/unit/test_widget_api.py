"""The widget's HTTP side in-process: CORS per tenant, rate limits, the look, the script, the event stream's gate.

Rasa is a closed port here, so an accepted message gets the 503 of an
unreachable assistant: enough to tell an accepted call from a refused one.
"""

import gzip
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.api.chat_events import _last_event_id
from bot.db import transaction
from bot.services import widget
from bot.services.conversations import ensure_tenant
from bot.settings import Settings
from bot.web import create_app

LANDLORD = "https://www.habitat-nord.fr"
STRANGER = "https://evil.example"
LIMIT = 3


@pytest.fixture(scope="module")
def landlord(settings) -> str:
    with transaction(settings.database_url) as session:
        tenant = ensure_tenant(session, slug="habitat-nord", name="Habitat Nord", welcome_message="Bienvenue !")
        widget.set_look(session, tenant=tenant, primary_color="#ffd500", logo_url=None, allowed_origins=[LANDLORD])
    return "habitat-nord"


@asynccontextmanager
async def running(app_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process, its lifespan started, and a client of it."""
    app = create_app(app_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://regie.test") as http:
            yield http


@pytest.fixture
async def client(settings, landlord) -> AsyncIterator[httpx.AsyncClient]:
    app_settings = Settings(
        database_url=settings.database_url,
        var_dir=settings.var_dir,
        rasa_url="http://127.0.0.1:9",
        rasa_timeout_seconds=1,
        rate_limit_per_sender_per_minute=LIMIT,
        rate_limit_per_ip_per_minute=LIMIT * 2,
    )
    async with running(app_settings) as http:
        yield http


async def post(client: httpx.AsyncClient, origin: str | None = None, sender: str | None = None, **body):
    headers = {"Origin": origin} if origin else {}
    json = {"sender_id": sender or uuid.uuid4().hex, "text": "bonjour", **body}
    return await client.post("/api/chat", json=json, headers=headers)


async def test_a_call_without_origin_is_handled_as_before(client):
    response = await post(client)

    assert response.status_code == 503  # accepted: Rasa is down here
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


async def test_a_page_the_tenant_allows_gets_its_origin_back_and_no_wildcard(client, landlord):
    response = await post(client, LANDLORD, tenant=landlord)

    assert response.status_code == 503
    assert response.headers["access-control-allow-origin"] == LANDLORD
    assert "Retry-After" in response.headers["access-control-expose-headers"]


async def test_a_page_no_tenant_allows_is_refused_without_cors_headers(client):
    response = await post(client, STRANGER)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in response.headers


async def test_a_page_allowed_by_another_tenant_is_refused_by_this_one(client):
    response = await post(client, LANDLORD, tenant="demo")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"


async def test_in_development_any_local_page_may_use_the_demo_tenant_but_not_the_others(client, landlord):
    assert (await post(client, "http://localhost:4321")).status_code == 503
    assert (await post(client, "http://localhost:4321", tenant=landlord)).status_code == 403


async def test_in_production_the_demo_tenant_allows_only_its_listed_origins(settings):
    production = Settings(
        database_url=settings.database_url,
        var_dir=settings.var_dir,
        environment="production",
        session_secret="s" * 40,
        rasa_url="http://127.0.0.1:9",
    )
    async with running(production) as client:
        assert (await post(client, "http://localhost:4321")).status_code == 403
        assert (await post(client, f"http://127.0.0.1:{production.demo_site_port}")).status_code == 503


@pytest.mark.parametrize(("origin", "allowed"), [(LANDLORD, True), ("http://127.0.0.1:8001", True), (STRANGER, False)])
async def test_a_preflight_is_answered_only_for_an_allowed_origin(client, origin, allowed):
    response = await client.options(
        "/api/chat",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )

    assert response.status_code == (204 if allowed else 403)
    assert response.headers.get("access-control-allow-origin") == (origin if allowed else None)
    if allowed:
        assert response.headers["access-control-allow-methods"] == "GET, POST"
        assert "Content-Type" in response.headers["access-control-allow-headers"]


async def test_a_sender_over_the_limit_gets_429_with_retry_after_and_a_sentence(client):
    sender = uuid.uuid4().hex
    for _ in range(LIMIT):
        assert (await post(client, sender=sender)).status_code == 503

    response = await post(client, sender=sender)

    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["error"]["message"].startswith("Vous avez envoyé beaucoup de messages")


async def test_many_senders_from_one_address_are_limited_too(client):
    statuses = [(await post(client)).status_code for _ in range(LIMIT * 2 + 1)]

    assert statuses[-1] == 429 and 429 not in statuses[:-1]


async def test_the_look_is_served_to_an_allowed_page_with_a_readable_text_colour(client, landlord):
    response = await client.get(f"/api/widget/{landlord}", headers={"Origin": LANDLORD})

    assert response.status_code == 200
    assert response.json() == {
        "name": "Habitat Nord",
        "primary_color": "#ffd500",
        "text_color": "#000000",
        "logo_url": None,
        "welcome_message": "Bienvenue !",
    }
    assert (await client.get(f"/api/widget/{landlord}", headers={"Origin": "http://localhost:4321"})).status_code == 403
    assert (await client.get("/api/widget/inconnu")).status_code == 404


async def test_the_script_is_served_gzipped_and_says_nothing_of_innerhtml_or_eval(client):
    response = await client.get("/widget.js", headers={"Accept-Encoding": "gzip"})
    plain = response.content  # the client unpacks it

    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert len(gzip.compress(plain)) < 10_000
    for forbidden in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"eval(", b"new Function", b"document.write"):
        assert forbidden not in plain


@pytest.mark.parametrize("sender", ["short", "a" * 129, "has space12", "dots.not.ok"])
async def test_the_event_stream_refuses_a_malformed_sender_id(client, sender):
    response = await client.get(f"/api/chat/{sender}/events")

    assert response.status_code in (404, 422)  # a space or a slash never reaches the route
    if response.status_code == 422:
        assert response.json()["error"]["details"][0]["field"] == "sender_id"


async def test_the_event_stream_refuses_a_page_the_tenant_does_not_allow(client, landlord):
    response = await client.get(
        f"/api/chat/{uuid.uuid4().hex}/events?tenant={landlord}", headers={"Origin": "http://localhost:1"}
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"


@pytest.mark.parametrize(
    ("header", "query", "expected"), [(None, None, None), ("7", 3, 7), ("²", 3, 3), ("x", None, None)]
)
def test_the_last_event_id_comes_from_the_header_or_the_query_whichever_is_later(header, query, expected):
    assert _last_event_id(header, query) == expected
