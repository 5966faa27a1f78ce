"""A web conversation's live events: its outbox read on a real database, replays, and who can read it."""

import json
import uuid

from bot.db import transaction
from bot.models import Conversation, Mode, OutgoingMessage, utcnow
from bot.services import outbox, web_events
from bot.services.conversations import Button, ensure_tenant, find_tenant, open_conversation
from bot.services.handoff import escalate


def conversation(settings, sender: str, channel: str = "web", slug: str | None = None) -> tuple[int, str]:
    """(tenant id, conversation id) of the sender's conversation, created."""
    with transaction(settings.database_url) as session:
        tenant = find_tenant(session, slug=slug or settings.default_tenant)
        return tenant.id, open_conversation(session, tenant=tenant, channel=channel, external_id=sender).id


def enqueue(settings, conversation_id: str, text: str, buttons=None) -> int:
    with transaction(settings.database_url) as session:
        return outbox.enqueue(session, conversation_id=conversation_id, text=text, buttons=buttons).id


def to_deliver(settings, tenant_id: int, sender: str, after: int | None = None) -> web_events.Snapshot:
    with transaction(settings.database_url) as session:
        return web_events.to_deliver(session, tenant_id=tenant_id, external_id=sender, after=after)


def deliver(settings, *ids: int) -> None:
    with transaction(settings.database_url) as session:
        web_events.mark_delivered(session, message_ids=ids)


def test_pending_messages_are_due_in_order_and_no_more_once_delivered(settings):
    sender = uuid.uuid4().hex
    tenant_id, conversation_id = conversation(settings, sender)
    first = enqueue(settings, conversation_id, "Bonjour, ici Samia, médiatrice.")
    second = enqueue(settings, conversation_id, "Un rendez-vous ?", [Button("Oui", "/affirm")])

    snapshot = to_deliver(settings, tenant_id, sender)
    deliver(settings, first, second)

    assert snapshot.mode is Mode.BOT
    assert [m.id for m in snapshot.messages] == [first, second]
    assert snapshot.messages[1].buttons == (Button("Oui", "/affirm"),)
    assert to_deliver(settings, tenant_id, sender).messages == []
    with transaction(settings.database_url) as session:
        assert session.get_one(OutgoingMessage, first).delivered_at is not None


def test_a_reconnection_gets_again_everything_after_its_last_event_id(settings):
    sender = uuid.uuid4().hex
    tenant_id, conversation_id = conversation(settings, sender)
    ids = [enqueue(settings, conversation_id, f"message {n}") for n in range(3)]
    deliver(settings, *ids)

    replay = to_deliver(settings, tenant_id, sender, after=ids[0])

    assert [m.id for m in replay.messages] == ids[1:]


def test_a_sender_without_conversation_has_nothing_and_no_mode(settings):
    tenant_id, _ = conversation(settings, uuid.uuid4().hex)

    assert to_deliver(settings, tenant_id, uuid.uuid4().hex) == web_events.Snapshot(mode=None, messages=[])


def test_a_telegram_conversation_or_another_tenants_is_never_read_by_the_web_stream(settings):
    sender = uuid.uuid4().hex
    tenant_id, telegram_conversation = conversation(settings, sender, channel="telegram")
    with transaction(settings.database_url) as session:
        ensure_tenant(session, slug="autre-bailleur", name="Autre", welcome_message="Bonjour")
    other_tenant_id, other_conversation = conversation(settings, sender, slug="autre-bailleur")
    enqueue(settings, telegram_conversation, "pour Telegram")
    enqueue(settings, other_conversation, "pour l'autre bailleur")

    assert to_deliver(settings, tenant_id, sender, after=0).messages == []
    assert [m.text for m in to_deliver(settings, other_tenant_id, sender).messages] == ["pour l'autre bailleur"]


async def test_the_stream_writes_the_mode_then_each_message_with_its_id_and_marks_it_delivered(settings):
    sender = uuid.uuid4().hex
    tenant_id, conversation_id = conversation(settings, sender)
    message_id = enqueue(settings, conversation_id, "Réponse du médiateur <b>", [Button("Merci", "/thanks")])
    with transaction(settings.database_url) as session:
        escalate(session, conversation_id=conversation_id, reason="asked")
    polls = iter([False, False, True])

    async def disconnected() -> bool:
        return next(polls)

    timing = web_events.StreamTiming(poll_seconds=0.01, keepalive_seconds=0.0, max_seconds=5)
    chunks = [
        chunk
        async for chunk in web_events.stream(
            settings.database_url, tenant_id=tenant_id, external_id=sender, after=None,
            disconnected=disconnected, timing=timing,
        )
    ]  # fmt: skip

    assert chunks[0] == "retry: 3000\n\n"
    assert chunks[1] == 'event: status\ndata: {"mode": "human"}\n\n'
    header, event, data = chunks[2].strip().split("\n")
    assert (header, event) == (f"id: {message_id}", "event: message")
    assert json.loads(data.removeprefix("data: ")) == {
        "id": message_id,
        "text": "Réponse du médiateur <b>",
        "buttons": [{"title": "Merci", "payload": "/thanks"}],
    }
    assert ": keep-alive\n\n" in chunks[3:]
    assert to_deliver(settings, tenant_id, sender).messages == []


def test_the_stream_carries_the_closing_notice_and_the_next_conversation(settings):
    sender = uuid.uuid4().hex
    tenant_id, first_conversation = conversation(settings, sender)
    closing = enqueue(settings, first_conversation, "Conversation terminée. Bonne journée !")
    with transaction(settings.database_url) as session:
        session.get_one(Conversation, first_conversation).closed_at = utcnow()
    _, second_conversation = conversation(settings, sender)
    welcome_back = enqueue(settings, second_conversation, "Re-bonjour")

    snapshot = to_deliver(settings, tenant_id, sender)

    assert second_conversation != first_conversation
    assert [m.id for m in snapshot.messages] == [closing, welcome_back]
