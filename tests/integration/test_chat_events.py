"""The widget's event stream over real HTTP: live outbox messages, replays after a reconnection, the gate."""

import json
import uuid
from collections.abc import Iterator

import httpx

from bot.db import transaction
from bot.services import outbox
from tests.integration.stack import Stack
from tests.transcript import conversation_of

DEMO_PAGE = "http://127.0.0.1:8001"


def read_events(lines: Iterator[str], count: int) -> list[dict[str, str]]:
    """The next ``count`` events of a stream's lines (comments and the retry field skipped)."""
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in lines:
        if not line:
            if "event" in current:
                events.append(current)
            current = {}
            if len(events) == count:
                return events
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            current[name] = value
    raise AssertionError(f"the stream ended after {events}")


def started_conversation(api: httpx.Client, stack: Stack) -> tuple[str, str]:
    sender = uuid.uuid4().hex
    assert api.post("/api/chat", json={"sender_id": sender, "text": "bonjour"}).status_code == 200
    return sender, conversation_of(stack.settings, sender).id


def enqueue(stack: Stack, conversation_id: str, text: str) -> int:
    with transaction(stack.settings.database_url) as session:
        return outbox.enqueue(session, conversation_id=conversation_id, text=text).id


def test_a_queued_message_arrives_on_the_stream_with_its_outbox_id(api, stack: Stack):
    sender, conversation_id = started_conversation(api, stack)

    with api.stream("GET", f"/api/chat/{sender}/events", headers={"Origin": DEMO_PAGE}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["access-control-allow-origin"] == DEMO_PAGE
        lines = response.iter_lines()
        status = read_events(lines, 1)[0]
        message_id = enqueue(stack, conversation_id, "Bonjour, ici la médiatrice.")
        message = read_events(lines, 1)[0]

    assert (status["event"], json.loads(status["data"])) == ("status", {"mode": "bot"})
    assert message["id"] == str(message_id)
    assert json.loads(message["data"])["text"] == "Bonjour, ici la médiatrice."


def test_a_reconnection_with_last_event_id_gets_what_followed_and_nothing_twice(api, stack: Stack):
    sender, conversation_id = started_conversation(api, stack)
    first = enqueue(stack, conversation_id, "un")
    second = enqueue(stack, conversation_id, "deux")
    with api.stream("GET", f"/api/chat/{sender}/events") as response:
        assert [e.get("id") for e in read_events(response.iter_lines(), 3)] == [None, str(first), str(second)]

    with api.stream("GET", f"/api/chat/{sender}/events", headers={"Last-Event-ID": str(first)}) as response:
        lines = response.iter_lines()
        replayed = read_events(lines, 2)[1]
        third = enqueue(stack, conversation_id, "trois")
        after = read_events(lines, 1)[0]

    assert replayed["id"] == str(second)
    assert after["id"] == str(third)


def test_an_unknown_tenant_has_no_stream(api, stack: Stack):
    sender, _ = started_conversation(api, stack)

    response = api.get(f"/api/chat/{sender}/events?tenant=inconnu")

    assert response.status_code == 404


def test_a_page_not_allowed_can_neither_chat_nor_listen(api):
    stranger = {"Origin": "https://evil.example"}
    sender = uuid.uuid4().hex

    chat = api.post("/api/chat", json={"sender_id": sender, "text": "bonjour"}, headers=stranger)
    events = api.get(f"/api/chat/{sender}/events", headers=stranger)
    preflight = api.options("/api/chat", headers=stranger | {"Access-Control-Request-Method": "POST"})

    for response in (chat, events, preflight):
        assert response.status_code == 403
        assert "access-control-allow-origin" not in response.headers
