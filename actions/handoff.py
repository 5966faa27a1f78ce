"""Handoff: switch the conversation to a mediator (human mode) and say when one will answer."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import settings
from bot.db import transaction
from bot.services.handoff import ASKED, availability, escalate


def _escalate(conversation_id: str, reason: str) -> None:
    with transaction(settings().database_url) as session:
        escalate(session, conversation_id=conversation_id, reason=reason)


class ActionHandoff(Action):
    """The resident asked for a person: the router stops calling the bot."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Escalates, then tells the resident a mediator will answer, and when."""
        await asyncio.to_thread(_escalate, tracker.sender_id, ASKED)
        dispatcher.utter_message(response="utter_handoff")
        dispatcher.utter_message(text=availability(settings().opening_schedule))
        return []
