"""Bad input on POST /api/chat: a clear 4xx JSON error, and nothing stored."""

import uuid

import pytest

from tests.integration.stack import Stack
from tests.transcript import count_rows

SENDER = "a" * 32

BAD_BODIES = [
    pytest.param({"text": "bonjour"}, 422, "invalid_request", id="missing sender_id"),
    pytest.param({"sender_id": SENDER}, 422, "invalid_request", id="neither text nor payload"),
    pytest.param({"sender_id": SENDER, "text": "bonjour", "payload": "/greet"}, 422, "invalid_request", id="both"),
    pytest.param({"sender_id": SENDER, "text": 42}, 422, "invalid_request", id="text not a string"),
    pytest.param({"sender_id": ["x"], "text": "bonjour"}, 422, "invalid_request", id="sender_id not a string"),
    pytest.param({"sender_id": "abc", "text": "bonjour"}, 422, "invalid_request", id="sender_id too short"),
    pytest.param({"sender_id": "a b<script>xx", "text": "bonjour"}, 422, "invalid_request", id="sender_id bad chars"),
    pytest.param({"sender_id": SENDER, "text": ""}, 422, "invalid_request", id="empty text"),
    pytest.param({"sender_id": SENDER, "text": " \n\t "}, 422, "invalid_request", id="whitespace text"),
    pytest.param({"sender_id": SENDER, "text": "x" * 2001}, 422, "invalid_request", id="text over 2000"),
    pytest.param({"sender_id": SENDER, "text": "bonjour", "x": 1}, 422, "invalid_request", id="unknown field"),
    pytest.param(
        {"sender_id": SENDER, "text": "bonjour", "tenant": "nope"}, 404, "unknown_tenant", id="unknown tenant"
    ),
    pytest.param({"sender_id": SENDER, "text": "bonjour", "tenant": "../x"}, 422, "invalid_request", id="bad tenant"),
    pytest.param({"sender_id": SENDER, "text": "/greet"}, 422, "text_starts_with_slash", id="slash intent"),
    pytest.param(
        {"sender_id": SENDER, "text": '  /request_human{"x": 1}'}, 422, "text_starts_with_slash", id="spaced slash"
    ),
    pytest.param({"sender_id": SENDER, "payload": "/greet"}, 409, "payload_not_offered", id="payload never offered"),
]


@pytest.mark.parametrize(("body", "status", "code"), BAD_BODIES)
def test_bad_body_gets_a_clear_error_and_nothing_is_stored(api, stack: Stack, body, status, code):
    before = count_rows(stack.settings)

    response = api.post("/api/chat", json=body)

    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert count_rows(stack.settings) == before


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'"bonjour"', b"null"],
    ids=["broken json", "a list", "a string", "null"],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, stack: Stack, raw):
    before = count_rows(stack.settings)

    response = api.post("/api/chat", content=raw, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert count_rows(stack.settings) == before


def test_an_oversized_body_is_refused_before_it_is_read(api):
    body = b'{"sender_id": "' + b"a" * 100_000 + b'", "text": "x"}'

    response = api.post("/api/chat", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_a_refused_message_leaves_the_conversation_usable(api):
    sender = uuid.uuid4().hex
    api.post("/api/chat", json={"sender_id": sender, "text": "/restart"})

    response = api.post("/api/chat", json={"sender_id": sender, "text": "bonjour"})

    assert response.status_code == 200
