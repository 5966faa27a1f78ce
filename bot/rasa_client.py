"""Client of Rasa's REST channel, with our own timeouts and failure rules."""

import logging
from dataclasses import replace
from typing import Any

import httpx

from bot.errors import EngineUnavailable
from bot.services.conversations import Button, Reply

logger = logging.getLogger(__name__)

REST_WEBHOOK = "/webhooks/rest/webhook"


class RasaClient:
    """Sends one message to Rasa and returns its replies, or raises ``EngineUnavailable``."""

    def __init__(self, base_url: str, timeout: float, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def send(self, *, sender: str, message: str, metadata: dict[str, str]) -> list[Reply]:
        """Rasa's replies to ``message`` from ``sender``.

        Rasa answers ``200 []`` when an action fails, so an empty answer is a
        failure too: every turn of our dialogue says something.
        """
        body = {"sender": sender, "message": message, "metadata": metadata}
        try:
            response = await self._http.post(REST_WEBHOOK, json=body)
            response.raise_for_status()
            items = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise EngineUnavailable(f"Rasa did not answer: {error!r}") from error
        replies = parse_replies(items) if isinstance(items, list) else []
        if not replies:
            raise EngineUnavailable("Rasa answered with no message")
        return replies

    async def is_up(self) -> bool:
        """Whether Rasa's server answers on its root."""
        try:
            return (await self._http.get("/")).status_code == 200
        except httpx.HTTPError:
            return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()


def parse_replies(items: list[Any]) -> list[Reply]:
    """Our replies from Rasa's REST answer.

    An action asking for a photo sends ``{"custom": {"expects": "photo"}}`` after
    its question (Rasa's REST channel gives custom data an item of its own):
    it marks the reply before it.
    """
    replies: list[Reply] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        custom = item.get("custom")
        if isinstance(custom, dict) and custom.get("expects") == "photo" and replies:
            replies[-1] = replace(replies[-1], expects_photo=True)
        reply = parse_reply(item)
        if reply.text or reply.buttons:
            replies.append(reply)
    return replies


def parse_reply(item: dict[str, Any]) -> Reply:
    """A ``Reply`` from one item of Rasa's REST answer (text and buttons only)."""
    buttons = tuple(
        Button(title=str(b["title"]), payload=str(b["payload"]))
        for b in item.get("buttons") or []
        if isinstance(b, dict) and "title" in b and "payload" in b
    )
    return Reply(text=str(item.get("text") or ""), buttons=buttons)
