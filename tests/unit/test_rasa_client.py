"""The Rasa client turns every kind of Rasa failure into EngineUnavailable."""

import json

import httpx
import pytest

from bot.errors import EngineUnavailable
from bot.rasa_client import RasaClient
from bot.services.conversations import Button, Reply


def client_answering(handler) -> RasaClient:
    return RasaClient("http://rasa.test", timeout=1, transport=httpx.MockTransport(handler))


async def test_replies_keep_text_and_buttons_and_forward_metadata():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(json.loads(request.content))
        return httpx.Response(
            200,
            json=[
                {"recipient_id": "c1", "text": "Bonjour"},
                {"recipient_id": "c1", "text": "Menu", "buttons": [{"title": "Aide", "payload": "/help"}]},
                {"recipient_id": "c1", "image": "https://example.org/x.png"},
            ],
        )

    rasa = client_answering(handler)

    replies = await rasa.send(sender="c1", message="bonjour", metadata={"tenant": "demo", "channel": "web"})

    assert replies == [Reply("Bonjour"), Reply("Menu", (Button("Aide", "/help"),))]
    assert seen == {"sender": "c1", "message": "bonjour", "metadata": {"tenant": "demo", "channel": "web"}}
    await rasa.aclose()


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json=[]),
        httpx.Response(200, json={"error": "x"}),
        httpx.Response(200, content=b"not json"),
        httpx.Response(500, json={"error": "boom"}),
    ],
    ids=["silent 200 []", "not a list", "not json", "500"],
)
async def test_a_useless_answer_is_a_failure(response):
    rasa = client_answering(lambda request: response)

    with pytest.raises(EngineUnavailable):
        await rasa.send(sender="c1", message="bonjour", metadata={})
    await rasa.aclose()


async def test_a_timeout_is_a_failure():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    rasa = client_answering(handler)

    with pytest.raises(EngineUnavailable):
        await rasa.send(sender="c1", message="bonjour", metadata={})
    await rasa.aclose()
