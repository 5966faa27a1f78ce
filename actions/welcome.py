"""Greeting: record that the conversation started and say the tenant's welcome."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import settings
from bot.db import transaction
from bot.services.conversations import greet


def _welcome(conversation_id: str) -> str:
    with transaction(settings().database_url) as session:
        return greet(session, conversation_id=conversation_id)


class ActionWelcome(Action):
    """Says the welcome of the conversation's tenant, then the menu."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_welcome"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Greets with the welcome stored for the tenant."""
        welcome = await asyncio.to_thread(_welcome, tracker.sender_id)
        dispatcher.utter_message(text=welcome)
        dispatcher.utter_message(response="utter_menu")
        return []
