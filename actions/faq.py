"""FAQ fallback: when NLU is unsure, search the knowledge base before giving up."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.faq import answer_reply
from bot.services.knowledge_search import default_index


class ActionSearchKnowledge(Action):
    """Answers with the clearly relevant entry, saying what it understood; else the menu."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_search_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Searches knowledge/ for the resident's last message."""
        question = tracker.latest_message.get("text") or ""
        match = await asyncio.to_thread(default_index().search, question)
        if match is None:
            dispatcher.utter_message(response="utter_default")
            return []
        reply = answer_reply(match.entry)
        dispatcher.utter_message(text=f"Si je comprends bien, votre question est : « {match.entry.title} »")
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        dispatcher.utter_message(text=reply.text, buttons=buttons)
        return []
