"""FAQ: answer from the knowledge base, or say what the bot can do instead.

A second message in a row that the bot does not understand goes to a mediator.
"""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_text import manage_buttons
from actions.context import settings
from bot.db import transaction
from bot.faq import answer_reply
from bot.services.faq_answer import choose_answer, selector_ranking
from bot.services.handoff import NOT_UNDERSTOOD_TWICE, availability, record_miss
from bot.services.knowledge_search import default_index
from bot.services.references import find_reference


async def utter_answer(dispatcher: CollectingDispatcher, message: dict[str, Any], *, follow_ups: bool = True) -> bool:
    """Answer the message's question from the knowledge base; False when no entry clearly fits.

    Inside a form the entry's follow-up buttons are left out: they would lead away from it.
    """
    question = message.get("text") or ""
    choice = await asyncio.to_thread(choose_answer, default_index(), question, selector_ranking(message))
    if choice is None:
        return False
    if (message.get("intent") or {}).get("name") != "faq":
        dispatcher.utter_message(text=f"Si je comprends bien, votre question est : « {choice.entry.title} »")
    reply = answer_reply(choice.entry)
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] if follow_ups else []
    dispatcher.utter_message(text=reply.text, buttons=buttons)
    return True


def _missed(conversation_id: str) -> bool:
    """Count the miss; True when it was the second in a row and the conversation went to a mediator."""
    with transaction(settings().database_url) as session:
        return record_miss(session, conversation_id=conversation_id)


class ActionAnswerFaq(Action):
    """Answers with the clearly relevant entry (saying what it understood when NLU was unsure); else the menu."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Blends the ResponseSelector's ranking with the knowledge search."""
        # "annuler RDV-5SU82K": the NLU may miss the intent, the reference says it all.
        if reference := find_reference("RDV", tracker.latest_message.get("text") or ""):
            text = f"Que voulez-vous faire du rendez-vous {reference} ?"
            dispatcher.utter_message(text=text, buttons=manage_buttons(reference))
            return []
        if await utter_answer(dispatcher, tracker.latest_message):
            return []
        if await asyncio.to_thread(_missed, tracker.sender_id):
            dispatcher.utter_message(text=f"{NOT_UNDERSTOOD_TWICE} {availability(settings().opening_schedule)}")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
