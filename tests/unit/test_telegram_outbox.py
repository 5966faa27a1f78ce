"""The outbox service on a real database (a channel of its own: the Telegram worker may be running)."""

import uuid

import pytest

from bot.db import transaction
from bot.models import Conversation, OutgoingMessage
from bot.services import outbox
from bot.services.conversations import Button, find_tenant, open_conversation

CHANNEL = "outbox-test"


@pytest.fixture
def external_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def conversation_id(settings, external_id) -> str:
    with transaction(settings.database_url) as session:
        tenant = find_tenant(session, slug=settings.default_tenant)
        return open_conversation(session, tenant=tenant, channel=CHANNEL, external_id=external_id).id


def enqueue(settings, conversation_id: str, text: str, buttons=None) -> int:
    with transaction(settings.database_url) as session:
        return outbox.enqueue(session, conversation_id=conversation_id, text=text, buttons=buttons).id


def due_ids(settings) -> list[int]:
    with transaction(settings.database_url) as session:
        return [item.id for item in outbox.due(session, channel=CHANNEL)]


def change(settings, function, **arguments) -> None:
    with transaction(settings.database_url) as session:
        function(session, **arguments)


def stored(settings, message_id: int) -> OutgoingMessage:
    with transaction(settings.database_url) as session:
        return session.get_one(OutgoingMessage, message_id)


def test_messages_of_a_conversation_are_due_one_at_a_time_oldest_first(settings, conversation_id):
    first = enqueue(settings, conversation_id, "un")
    second = enqueue(settings, conversation_id, "deux")

    assert first in due_ids(settings) and second not in due_ids(settings)
    change(settings, outbox.mark_delivered, message_id=first)
    assert second in due_ids(settings)


def test_a_failure_keeps_the_message_pending_later_and_keeps_later_ones_waiting(settings, conversation_id):
    first = enqueue(settings, conversation_id, "un")
    second = enqueue(settings, conversation_id, "deux")

    change(settings, outbox.mark_failed, message_id=first, error="NetworkError: Bad Gateway")

    message = stored(settings, first)
    assert message.attempts == 1 and message.last_error == "NetworkError: Bad Gateway"
    assert message.next_attempt_at is not None and message.delivered_at is None and message.failed_at is None
    assert first not in due_ids(settings) and second not in due_ids(settings)


def test_backoff_doubles_up_to_five_minutes():
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3, 4, 20)] == [1, 2, 4, 8, 300]


def test_an_unreachable_resident_has_pending_messages_given_up_until_they_write_again(
    settings, conversation_id, external_id
):
    message_id = enqueue(settings, conversation_id, "un")

    change(settings, outbox.mark_unreachable, channel=CHANNEL, external_id=external_id)

    assert stored(settings, message_id).failed_at is not None
    assert stored(settings, message_id).last_error == outbox.UNREACHABLE
    later = enqueue(settings, conversation_id, "deux")
    (item,) = [i for i in _due(settings) if i.id == later]
    assert item.unreachable
    change(settings, outbox.mark_reachable, channel=CHANNEL, external_id=external_id)
    assert not next(i for i in _due(settings) if i.id == later).unreachable


def test_buttons_of_an_outbox_message_become_the_accepted_payloads(settings, conversation_id):
    enqueue(settings, conversation_id, "Votre rendez-vous est confirmé.", buttons=[Button("Annuler", "/cancel_visit")])

    with transaction(settings.database_url) as session:
        (item,) = [i for i in outbox.due(session, channel=CHANNEL) if i.conversation_id == conversation_id]
        assert session.get_one(Conversation, conversation_id).offered_payloads == ["/cancel_visit"]
    assert item.buttons == (Button("Annuler", "/cancel_visit"),)


def _due(settings) -> list[outbox.Pending]:
    with transaction(settings.database_url) as session:
        return outbox.due(session, channel=CHANNEL)
