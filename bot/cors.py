"""CORS for the widget's API: landlords' pages call it from their own origins, never with a wildcard.

A preflight (``OPTIONS``) carries no body, so it cannot say which tenant the
call is for: it is answered for an origin that *some* tenant allows, and
refused (403, no CORS headers) otherwise. An actual call from such an origin
gets ``Access-Control-Allow-Origin`` naming it, errors included, so the widget
can read them. The endpoints then check the origin against *their* tenant
(``bot.api.access``): that is the real gate. A call without ``Origin`` (curl, a
server) passes untouched, as before the widget existed.
"""

import asyncio
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.db import transaction
from bot.errors import OriginNotAllowed, error_body
from bot.services import widget
from bot.settings import Settings

PATHS = ("/api/chat", "/api/widget/")
ALLOW_METHODS = "GET, POST"
# Content-Type: the widget posts JSON; Last-Event-ID: EventSource sends it when it reconnects.
ALLOW_HEADERS = "Content-Type, Last-Event-ID"
PREFLIGHT_MAX_AGE_SECONDS = "600"
CACHE_SECONDS = 10.0
# An origin not in the cache reloads it at most this often, so a flood of strangers costs little.
MISS_RELOAD_SECONDS = 1.0


class KnownOrigins:
    """The origins some tenant allows, read from the database at most every few seconds."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._origins: set[str] = set()
        self._loaded_at = float("-inf")

    async def allows(self, origin: str) -> bool:
        """Whether some tenant's widget may be embedded on a page of ``origin``."""
        if self._settings.environment == "development" and widget.LOCAL_ORIGIN.fullmatch(origin):
            return True
        age = time.monotonic() - self._loaded_at
        if age > CACHE_SECONDS or (origin not in self._origins and age > MISS_RELOAD_SECONDS):
            self._origins = await asyncio.to_thread(self._load)
            self._loaded_at = time.monotonic()
        return origin in self._origins

    def _load(self) -> set[str]:
        with transaction(self._settings.database_url) as session:
            return widget.all_allowed_origins(session)


class WidgetCors:
    """ASGI middleware answering the CORS protocol on the widget's API paths."""

    def __init__(self, app: ASGIApp, origins: KnownOrigins) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse unknown origins, answer preflights, name the origin on every other answer."""
        if scope["type"] != "http" or not scope["path"].startswith(PATHS):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and not await self.origins.allows(origin):
            await _refusal()(scope, receive, send)
            return
        if origin is not None and scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(origin)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if origin is not None:
                    response_headers["Access-Control-Allow-Origin"] = origin
                    response_headers["Access-Control-Expose-Headers"] = "Retry-After"
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _refusal() -> Response:
    body = error_body(OriginNotAllowed.code, OriginNotAllowed.message)
    return JSONResponse(body, status_code=OriginNotAllowed.status_code, headers={"Vary": "Origin"})


def _preflight(origin: str) -> Response:
    headers = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ALLOW_METHODS,
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE_SECONDS,
        "Vary": "Origin",
    }
    return Response(status_code=204, headers=headers)
