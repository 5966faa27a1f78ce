"""Unit tests of the web app: the app itself (lifespan run), on the test database, Rasa never called."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.settings import Settings
from bot.web import create_app


@asynccontextmanager
async def browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client with its own cookies, of its own instance of the web app (lifespan run)."""
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client


@pytest.fixture
async def web(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous browser of the web app (no redirects followed)."""
    async with browser(settings) as client:
        yield client


@pytest.fixture
async def other_browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (its own cookies) of another instance of the web app."""
    async with browser(settings) as client:
        yield client
