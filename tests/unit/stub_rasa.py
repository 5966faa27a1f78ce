"""A router whose Rasa is stubbed at the HTTP seam: its answers are given, the messages it got recorded."""

import json
from collections.abc import Callable
from typing import Any

import httpx

from bot.rasa_client import RasaClient
from bot.router import Router
from bot.settings import Settings

Answer = list[dict[str, Any]] | None


def router_answering(
    settings: Settings, answer: Answer | Callable[[dict[str, Any]], Answer], calls: list | None = None, **options: Any
) -> Router:
    """Rasa answers ``answer`` to every message (None: a 502), or what ``answer(body)`` returns.

    ``calls`` receives the JSON body of each message sent to Rasa; ``options`` go to the router.
    """

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if calls is not None:
            calls.append(body)
        answered = answer(body) if callable(answer) else answer
        return httpx.Response(200, json=answered) if answered is not None else httpx.Response(502)

    rasa = RasaClient("http://rasa.test", timeout=1, transport=httpx.MockTransport(handler))
    return Router(
        database_url=settings.database_url, rasa=rasa, default_tenant="demo", photo_dir=settings.photo_dir, **options
    )
