"""Safe by construction: every route of the web app refuses an anonymous request unless it is deliberately public."""

import re

import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route

from bot.models import Role
from bot.web import create_app
from tests.console_client import PASSWORD, csrf_of, login, new_staff

# Each entry is public on purpose; a new public route must be added here, with its reason.
PUBLIC = {
    ("POST", "/api/chat"): "the residents' chat API (the sender_id is the conversation's secret)",
    ("GET", "/api/chat/{sender_id}/events"): "the widget's event stream (same secret)",
    ("POST", "/api/chat/{sender_id}/photo"): "the widget's photo for a problem report (same secret)",
    ("GET", "/widget.js"): "the embeddable widget's script",
    ("GET", "/api/widget/{tenant}"): "a tenant's public widget look (name, colours, logo, welcome)",
    ("GET", "/healthz"): "health check",
    ("GET", "/confidentialite"): "the privacy page residents read before writing",
    ("GET", "/api/widget/{tenant}/privacy"): "the privacy notice the widget shows before anyone writes",
    ("POST", "/api/chat/my-data"): "a widget sender's own data (the sender_id is the secret, as for /api/chat)",
    ("POST", "/api/chat/erase"): "a widget sender's own erasure (same secret, confirmed)",
    ("POST", "/telegram/webhook"): "Telegram's updates (checked against the webhook secret)",
    ("GET", "/console/login"): "the login form",
    ("POST", "/console/login"): "the login itself (CSRF-checked)",
    ("GET", "/openapi.json"): "the public API's schema (console routes are left out of it)",
}
PUBLIC_MOUNTS = {"/console/static": "the console's CSS and script", "/static": "the widget's public files (demo logo)"}
SAMPLE_ID = "00000000-0000-0000-0000-000000000000"


def refused(response) -> bool:
    """401/403, or the way a browser is sent to log in."""
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303, 307) and response.headers["location"].endswith("/console/login")


def flattened(routes: list[BaseRoute]) -> list[tuple[str, BaseRoute]]:
    """(full path, route) of every route, through included routers (FastAPI keeps them nested)."""
    found: list[tuple[str, BaseRoute]] = []
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            found += [(context.path, context.original_route) for context in route.effective_route_contexts()]
        else:
            found.append((getattr(route, "path", ""), route))
    return found


def app_routes() -> list[tuple[str, str]]:
    routes = []
    for path, route in flattened(create_app().routes):
        if isinstance(route, Mount):
            assert path in PUBLIC_MOUNTS, f"unexpected mount {path}"
        elif isinstance(route, APIRoute | Route):
            routes += [(method, path) for method in sorted((route.methods or set()) - {"HEAD"})]
        else:
            raise AssertionError(f"a route of an unknown kind: {route!r}")
    return routes


def test_the_console_is_in_the_route_table():
    paths = {path for _, path in app_routes()}

    assert {"/console/queue", "/console/conversations/{conversation_id}/reply", "/console/stats"} <= paths
    assert {
        "/console/visits",
        "/console/visits/series",
        "/console/visits/slots/{slot_id}/remove",
        "/console/visits/bookings/{booking_id}/mark",
        "/console/visits/notices/{notice_id}/seen",
        "/console/visits/notices/seen",
    } <= paths


@pytest.mark.parametrize(("method", "path"), [r for r in app_routes() if r not in PUBLIC])
async def test_an_anonymous_request_is_refused(web, method, path):
    url = re.sub(r"\{[^}]+\}", SAMPLE_ID, path)

    response = await web.request(
        method, url, data={"csrf_token": "x", "text": "<b>hi</b>"} if method == "POST" else None
    )

    assert refused(response), f"{method} {path} answered {response.status_code} to an anonymous request"


# The only forms a landlord (read-only) may post.
LANDLORD_POSTS = {"/console/login", "/console/logout"}


@pytest.mark.parametrize(
    "path", [p for m, p in app_routes() if m == "POST" and p.startswith("/console") and p not in LANDLORD_POSTS]
)
async def test_a_landlord_cannot_post_any_console_form(web, settings, path):
    assert (await login(web, new_staff(settings, Role.LANDLORD, ("demo",)), PASSWORD)).status_code == 303
    token = csrf_of(await web.get("/console/stats"))

    response = await web.post(re.sub(r"\{[^}]+\}", "1", path), data={"csrf_token": token, "status": "done"})

    assert response.status_code == 403, f"POST {path} answered {response.status_code} to a landlord"


async def test_the_static_files_are_public_and_served(web):
    response = await web.get("/console/static/console.js")

    assert response.status_code == 200 and "textContent" in response.text
