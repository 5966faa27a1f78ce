"""A browser-like client of the console: cookies, and the CSRF token scraped from each page's forms."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bot.db import transaction
from bot.models import Role
from bot.services import conversations, handoff
from bot.services.staff import create_staff
from bot.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct-horse-battery-staple"


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token of the page's first form."""
    match = CSRF.search(page.text)
    assert match, f"no CSRF token in {page.request.url}"
    return match.group(1)


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    """Fill the login form as a browser would."""
    form = await client.get("/console/login")
    return await client.post("/console/login", data={"csrf_token": csrf_of(form), "email": email, "password": password})


async def post_form(client: httpx.AsyncClient, page: str, action: str, **fields: str) -> httpx.Response:
    """Post a form of ``page`` (its CSRF token included) to ``action``."""
    token = csrf_of(await client.get(page))
    return await client.post(action, data={"csrf_token": token, **fields})


def new_staff(settings: Settings, role: Role, tenants: tuple[str, ...] = ()) -> str:
    """A new account with PASSWORD; its e-mail address."""
    email = f"{role.value}-{uuid.uuid4().hex[:8]}@regie.test"
    with transaction(settings.database_url) as session:
        create_staff(session, email=email, password=PASSWORD, role=role, display_name=email, tenant_slugs=tenants)
    return email


def waiting_conversation(
    settings: Settings, text: str, tenant: str = "demo", reason: str = handoff.ASKED, channel: str = "web"
) -> str:
    """A conversation in human mode whose resident wrote ``text``; its id."""
    with transaction(settings.database_url) as session:
        found = conversations.find_tenant(session, slug=tenant)
        conversation = conversations.open_conversation(
            session, tenant=found, channel=channel, external_id=uuid.uuid4().hex
        )
        conversations.record_resident_message(session, conversation=conversation, text=text, payload=None)
        handoff.escalate(session, conversation_id=conversation.id, reason=reason)
        return conversation.id


@contextmanager
def signed_in_client(base_url: str, email: str, password: str) -> Iterator[httpx.Client]:
    """A browser of the real stack's console, signed in."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = client.get("/console/login")
        data = {"csrf_token": csrf_of(form), "email": email, "password": password}
        response = client.post("/console/login", data=data)
        assert response.status_code == 303, response.text[:500]
        yield client


def submit(client: httpx.Client, page: str, action: str, **fields: str) -> httpx.Response:
    """Post a form of ``page`` with its CSRF token, as a browser would."""
    token = csrf_of(client.get(page))
    return client.post(action, data={"csrf_token": token, **fields})
