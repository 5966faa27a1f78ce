"""FAQ: answer from the knowledge base, or say what the bot can do instead.

What the words ask for comes first, whatever the NLU made of them
(actions/routing.py: a reference, a visit, a move, a report, not our field);
a button may name an entry; a follow-up leans on the last answer; an unsure
call for help gets the menu. The FAQ engine (bot/faq/) answers the
rest, whatever the NLU read (faq, out_of_scope or unsure). A second message
in a row that the bot does not understand goes to a mediator.
"""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_data import entity
from actions.context import settings
from actions.faq_reply import entry_by_id, utter_entry
from actions.follow_up import LAST_ENTRY, answer_follow_up, is_follow_up
from actions.routing import route_by_words
from actions.second_need import first_question_answered, offer_now
from bot.db import transaction
from bot.services.handoff import NOT_UNDERSTOOD_TWICE, availability, record_miss


def _missed(conversation_id: str) -> bool:
    """Count the miss; True when it was the second in a row and the conversation went to a mediator."""
    with transaction(settings().database_url) as session:
        return record_miss(session, conversation_id=conversation_id)


def _best_guess_is_help(message: dict[str, Any]) -> bool:
    """NLU unsure, with ``help`` as its best guess ("aidez moi svp" at 0.51).

    The menu answers both a call for help and a message not understood, so it
    is the reply; a knowledge search on "aider" would pick the volunteers' entry.
    """
    if (message.get("intent") or {}).get("name") != "nlu_fallback":
        return False
    guesses = [item.get("name") for item in message.get("intent_ranking") or [] if item.get("name") != "nlu_fallback"]
    return guesses[:1] == ["help"]


class ActionAnswerFaq(Action):
    """Answers with the clearly relevant entry (saying what it understood when NLU was unsure); else the menu."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The referenced booking or request; the menu for an unsure call for help; the relevant entry; or the menu."""
        text = tracker.latest_message.get("text") or ""
        # A button offered this entry (the second need of an earlier message).
        if (chosen := entity(tracker, "faq_entry")) and (entry := entry_by_id(chosen)):
            utter_entry(dispatcher, entry)
            return [SlotSet(LAST_ENTRY, entry.id)]
        if (routed := await route_by_words(dispatcher, tracker)) is not None:
            return routed
        if (last := tracker.get_slot(LAST_ENTRY)) and is_follow_up(text):
            return await answer_follow_up(dispatcher, tracker, last)
        if _best_guess_is_help(tracker.latest_message):
            dispatcher.utter_message(response="utter_menu")
            return []
        if entry := await first_question_answered(dispatcher, tracker):
            await offer_now(dispatcher, tracker, entry.id)
            return [SlotSet(LAST_ENTRY, entry.id)]
        # A question the NLU and the FAQ engine both read as out of scope: not a misunderstanding.
        if (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if await asyncio.to_thread(_missed, tracker.sender_id):
            dispatcher.utter_message(text=f"{NOT_UNDERSTOOD_TWICE} {availability(settings().opening_schedule)}")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
