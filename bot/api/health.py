"""``GET /healthz``: 200 only when the database, Rasa and the action server answer."""

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.db import transaction

router = APIRouter()


def _database_answers(database_url: str) -> bool:
    try:
        with transaction(database_url) as session:
            session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


async def _action_server_answers(http: httpx.AsyncClient, base_url: str) -> bool:
    try:
        return (await http.get(f"{base_url}/health")).status_code == 200
    except httpx.HTTPError:
        return False


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """Each dependency's state; 503 when any of them does not answer."""
    state = request.app.state
    database, rasa, actions = await asyncio.gather(
        asyncio.to_thread(_database_answers, state.settings.database_url),
        state.rasa.is_up(),
        _action_server_answers(state.http, state.settings.action_server_url),
    )
    checks = {"database": database, "rasa": rasa, "action_server": actions}
    healthy = all(checks.values())
    return JSONResponse(
        status_code=200 if healthy else 503,
        content={"status": "ok" if healthy else "unavailable", "checks": checks},
    )
