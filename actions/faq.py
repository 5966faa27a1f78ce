"""FAQ: answer from the knowledge base, or say what the bot can do instead.

A message naming a booking or request reference is about that item, a wish
for a visit starts the booking form, and a problem described as a statement
starts a report, whatever the NLU made of them; an
unsure call for help gets the menu. The FAQ engine (bot/faq/) answers the
rest, whatever the NLU read (faq, out_of_scope or unsure). A second message
in a row that the bot does not understand goes to a mediator.
"""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ask_to_cancel, offer_to_cancel, resident_booking, start_booking, start_move
from actions.booking_data import MEDIATOR_BUTTON, entity
from actions.booking_text import (
    asks_for_a_visit,
    asks_to_cancel,
    asks_to_cancel_a_visit,
    asks_to_move,
    manage_buttons,
)
from actions.context import settings
from actions.faq_reply import entry_by_id, utter_answer, utter_entry
from actions.follow_up import LAST_ENTRY, answer_follow_up, is_follow_up
from actions.report import start_report, utter_own_requests
from actions.report_text import asks_about_requests
from actions.second_need import REPORT, keep_for_later, offer_now
from bot.db import transaction
from bot.faq.referrals import referral_for
from bot.services.handoff import NOT_UNDERSTOOD_TWICE, availability, record_miss
from bot.services.references import find_reference
from bot.services.request_categories import problem_described


def _missed(conversation_id: str) -> bool:
    """Count the miss; True when it was the second in a row and the conversation went to a mediator."""
    with transaction(settings().database_url) as session:
        return record_miss(session, conversation_id=conversation_id)


async def _about_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """What to do with the resident's booking named in the message (checked like a cancellation)."""
    found, by_phone = await resident_booking(dispatcher, tracker, "annuler")
    if found is None:
        return []
    # Some trainings read "annuler RDV-… 06…" as a FAQ question: the words still say what to do.
    if asks_to_cancel(tracker.latest_message.get("text") or ""):
        ask_to_cancel(dispatcher, found)
    else:
        text = f"Que voulez-vous faire du rendez-vous {found.reference} ?"
        dispatcher.utter_message(text=text, buttons=manage_buttons(found.reference))
    return [SlotSet("booking_verified", found.reference)] if by_phone else []


def _then_the_form(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The booking form runs next when the start said it is ready."""
    ready = SlotSet("booking_form_ready", True) in events
    return [*events, FollowupAction("booking_form")] if ready else events


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
        # "annuler RDV-5SU82K 06…", "ou en est DEM-…": the NLU may miss the intent
        # (phone digits read like a FAQ question), the reference says it all.
        if asks_to_move(text):
            return _then_the_form(await start_move(dispatcher, tracker))
        if find_reference("RDV", text):
            return await _about_booking(dispatcher, tracker)
        if asks_to_cancel_a_visit(text):
            return await offer_to_cancel(dispatcher, tracker)
        # "je voudrais prendre rendez-vous pour mes factures": a wish, not a question, whatever the NLU read.
        if asks_for_a_visit(text):
            return _then_the_form(await start_booking(dispatcher, tracker))
        if find_reference("DEM", text) or asks_about_requests(text):
            await utter_own_requests(dispatcher, tracker.sender_id, text)
            return []
        # "y a des cafards partout dans la cuisine": a problem to report, not a question.
        if problem_described(text):
            events = [*start_report(dispatcher, text), *await keep_for_later(tracker, REPORT)]
            return [*events, FollowupAction("report_form")]
        # "j'arrive plus à payer mon loyer": not our field; who can help, never the nearest entry.
        if referral := referral_for(text):
            dispatcher.utter_message(text=referral.answer, buttons=[MEDIATOR_BUTTON])
            return []
        if _best_guess_is_help(tracker.latest_message):
            dispatcher.utter_message(response="utter_menu")
            return []
        if (last := tracker.get_slot(LAST_ENTRY)) and is_follow_up(text):
            return await answer_follow_up(dispatcher, tracker, last)
        if entry := await utter_answer(dispatcher, tracker.latest_message):
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
