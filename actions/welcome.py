"""Greeting and the menu's topics: the tenant's welcome, then what the rest of the message asks.

"Bonjour, un rendez-vous pour mes factures svp" reads as a greeting, and
"rdv pour le tri des biodéchets" as the biowaste topic: the words after the
greeting, or beside the topic, still get what they ask (actions/routing.py),
or the knowledge base's answer, instead of the menu alone.
"""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_data import intent_of
from actions.context import settings
from actions.faq_reply import utter_answer
from actions.follow_up import LAST_ENTRY
from actions.routing import after_greeting, route_by_words
from bot.db import transaction
from bot.services.conversations import greet

# Fewer words after the greeting than this ask nothing ("bonjour, ça va ?").
MIN_QUESTION_WORDS = 3


def _welcome(conversation_id: str) -> str:
    with transaction(settings().database_url) as session:
        return greet(session, conversation_id=conversation_id)


class ActionWelcome(Action):
    """Says the welcome of the conversation's tenant, then what the rest of the message asks, or the menu."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_welcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Greets with the welcome stored for the tenant."""
        welcome = await asyncio.to_thread(_welcome, tracker.sender_id)
        dispatcher.utter_message(text=welcome)
        rest = after_greeting(tracker.latest_message.get("text") or "")
        if len(rest.split()) >= MIN_QUESTION_WORDS:
            if (routed := await route_by_words(dispatcher, tracker)) is not None:
                return routed
            if entry := await utter_answer(dispatcher, {**tracker.latest_message, "text": rest}):
                return [SlotSet(LAST_ENTRY, entry.id)]
        dispatcher.utter_message(response="utter_menu")
        return []


class ActionTopic(Action):
    """A topic of the menu: what to ask about it; or what the words beside it ask ("rdv pour le compost")."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The topic's invitation (utter_topic_biowaste…), unless the words ask for something."""
        if (routed := await route_by_words(dispatcher, tracker)) is not None:
            return routed
        dispatcher.utter_message(response=f"utter_{intent_of(tracker)}")
        return []
