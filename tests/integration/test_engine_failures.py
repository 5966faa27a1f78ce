"""Rasa or the action server down or slow: a clear French answer, the message kept."""

import uuid

import pytest

from tests.integration.proxy import ProxyMode
from tests.integration.stack import Stack
from tests.transcript import messages_of


def send(api, sender, text):
    return api.post("/api/chat", json={"sender_id": sender, "text": text})


@pytest.mark.parametrize(
    ("service", "mode"),
    [
        ("rasa_proxy", ProxyMode.REFUSE),
        ("rasa_proxy", ProxyMode.STALL),
        ("action_proxy", ProxyMode.REFUSE),
    ],
    ids=["rasa down", "rasa slow", "action server down"],
)
def test_the_resident_is_told_plainly_and_the_message_is_kept(api, stack: Stack, service, mode):
    sender = uuid.uuid4().hex
    getattr(stack, service).set_mode(mode)

    response = send(api, sender, "bonjour")

    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "engine_unavailable"
    assert "ne peut pas répondre pour le moment" in body["replies"][0]["text"]
    assert ("resident", "bonjour", None) in messages_of(stack.settings, sender)


def test_the_next_message_works_once_the_engine_is_back(api, stack: Stack):
    sender = uuid.uuid4().hex
    stack.rasa_proxy.set_mode(ProxyMode.REFUSE)
    assert send(api, sender, "bonjour").status_code == 503

    stack.rasa_proxy.set_mode(ProxyMode.PASS)
    response = send(api, sender, "bonjour")

    assert response.status_code == 200
    assert response.json()["replies"]
    assert [a for a, _, _ in messages_of(stack.settings, sender)].count("resident") == 2


def test_healthz_is_200_when_everything_answers(api):
    response = api.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "rasa": True, "action_server": True}


@pytest.mark.parametrize(("service", "check"), [("rasa_proxy", "rasa"), ("action_proxy", "action_server")])
def test_healthz_is_503_when_a_service_is_down(api, stack: Stack, service, check):
    getattr(stack, service).set_mode(ProxyMode.REFUSE)

    response = api.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"][check] is False
