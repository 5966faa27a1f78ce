"""Rasa's tracker store (bot/rasa_tracker_store.py) on the real stack: what it remembers is never stale.

Rasa keeps each conversation's tracker in memory between turns; these tests
change the events table behind its back, as a resident's erasure or the
retention purge does, and check that the next turn reads the table again.
"""

import httpx
from sqlalchemy import create_engine, text

from bot.services.tracker_store import delete_events
from tests.integration.booking_chat import Resident, new_tenant
from tests.integration.stack import Stack
from tests.transcript import conversation_of

NAME_QUESTION = "À quel nom"
PHONE_QUESTION = "téléphone"


def user_turns(tracker_store_url: str, conversation_id: str) -> int:
    """How many messages of the resident Rasa has stored for this conversation."""
    engine = create_engine(tracker_store_url)
    try:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'")
            return connection.execute(query, {"sender": conversation_id}).scalar_one()
    finally:
        engine.dispose()


def test_rasa_stores_every_turn_in_the_table(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, "demo")
    for question in ("bonjour", "comment trier mes epluchures", "merci"):
        resident.say(question)

    conversation = conversation_of(stack.settings, resident.sender)
    assert user_turns(stack.settings.tracker_store_url, conversation.id) == 3


def test_a_form_whose_events_were_deleted_meanwhile_is_not_resumed_from_memory(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings))
    resident.say("je voudrais prendre rendez-vous pour mes factures d'electricite")
    assert NAME_QUESTION in resident.tap(resident.button_titles()[0])
    conversation = conversation_of(stack.settings, resident.sender)

    assert delete_events(stack.settings.tracker_store_url, [conversation.id]) > 0
    answer = resident.say("Awa Diallo")

    # With the old tracker, the form would take the name and ask for the phone number.
    assert PHONE_QUESTION not in answer
    # Only this turn is stored: the deleted events did not come back with it.
    assert user_turns(stack.settings.tracker_store_url, conversation.id) == 1


def test_a_conversation_goes_on_after_its_events_were_read_again(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings))
    resident.say("bonjour")
    conversation = conversation_of(stack.settings, resident.sender)
    delete_events(stack.settings.tracker_store_url, [conversation.id])

    resident.say("je voudrais prendre rendez-vous pour mes factures d'electricite")
    assert NAME_QUESTION in resident.tap(resident.button_titles()[0])
    assert PHONE_QUESTION in resident.say("Awa Diallo")
