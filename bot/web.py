"""The web app (FastAPI): the public chat API and its event stream, the widget, health, Telegram, the console."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.api import chat, chat_events, chat_photo, health, privacy, telegram_webhook, widget
from bot.body_limit import BodySizeLimit
from bot.channels.telegram.webhook import running_webhook
from bot.console.app import install as install_console
from bot.cors import KnownOrigins, WidgetCors
from bot.errors import RateLimited, RejectedMessage, error_body
from bot.rasa_client import RasaClient
from bot.rate_limit import ChatRateLimits
from bot.router import Router
from bot.services.photos import MAX_PHOTO_BYTES
from bot.services.privacy import Privacy
from bot.services.web_events import StreamTiming
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
HEALTH_TIMEOUT_SECONDS = 3.0


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app, wired to the settings (read from the environment by default)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.rasa = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout_seconds)
        app.state.http = httpx.AsyncClient(timeout=HEALTH_TIMEOUT_SECONDS)
        app.state.router = Router(
            database_url=settings.database_url,
            rasa=app.state.rasa,
            default_tenant=settings.default_tenant,
            photo_dir=settings.photo_dir,
            opening_hours=settings.opening_schedule,
            privacy=Privacy.from_settings(settings),
        )
        app.state.rate_limits = ChatRateLimits(
            per_sender=settings.rate_limit_per_sender_per_minute, per_ip=settings.rate_limit_per_ip_per_minute
        )
        app.state.event_timing = StreamTiming()
        async with running_webhook(settings, app.state.router) as app.state.telegram:
            yield
        await app.state.rasa.aclose()
        await app.state.http.aclose()

    app = FastAPI(title="Régie Assistant", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES, larger={chat_photo.PHOTO_PATH: MAX_PHOTO_BYTES})
    # Outermost, so that every answer to a widget's call carries its CORS headers (a 413 too).
    app.add_middleware(WidgetCors, origins=KnownOrigins(settings))
    app.include_router(chat.router)
    app.include_router(chat_events.router)
    app.include_router(chat_photo.router)
    app.include_router(widget.router)
    app.include_router(health.router)
    app.include_router(telegram_webhook.router)
    app.include_router(privacy.router)
    app.mount("/static", StaticFiles(directory=widget.STATIC_DIR), name="static")
    install_console(app)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(RejectedMessage, _rejected_message)
    app.add_exception_handler(RateLimited, _rate_limited)
    return app


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [{"field": ".".join(str(p) for p in e["loc"][1:]) or "body", "problem": e["msg"]} for e in exc.errors()]
    body = error_body("invalid_request", "La requête est mal formée : voir 'details'.", details=details)
    return JSONResponse(status_code=422, content=body)


async def _rejected_message(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RejectedMessage)
    return JSONResponse(status_code=exc.status_code, content=error_body(exc.code, exc.message))


async def _rate_limited(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    body = error_body(exc.code, exc.message, retry_after=exc.retry_after)
    return JSONResponse(status_code=exc.status_code, content=body, headers={"Retry-After": str(exc.retry_after)})
