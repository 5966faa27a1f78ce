"""What a message's words ask for, whatever the NLU read: residents type needs the classifier may miss.

"rdv pour mon chauffage", "je voudrais déplacer mon rendez-vous", "et mon
signalement ça avance ?", "y a des cafards partout", "j'arrive plus à payer
mon loyer": each has words that say what to do. The FAQ action, the greeting
and the topic menu run these checks first; a message none of them fits is a
question for the knowledge base.
"""

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import (
    ask_to_cancel,
    offer_to_cancel,
    resident_booking,
    start_booking,
    start_move,
    then_the_booking_form,
)
from actions.booking_text import asks_for_a_visit, asks_to_cancel, asks_to_cancel_a_visit, asks_to_move, manage_buttons
from actions.report import utter_own_requests
from actions.report_start import report_first
from actions.report_text import asks_about_requests
from bot.faq.referrals import referral_for
from bot.services.references import find_reference
from bot.services.request_categories import problem_described
from bot.services.when import plain

GREETING = re.compile(
    r"^((bonjour|bonsoir|salut|slt|bjr|cc|coucou|hello|allo|hey|madame|monsieur|a vous|a tous|tout le monde)"
    r"[\s,!.]*)+"
)


def after_greeting(text: str) -> str:
    """What the message says after its greeting words, in plain words ("bonjour, un rdv svp" → "un rdv svp")."""
    return GREETING.sub("", plain(text)).strip()


async def route_by_words(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]] | None:
    """Handle what the words ask for (a visit, a move, a report, a follow-up, a referral); None if nothing."""
    typed = tracker.latest_message.get("text") or ""
    text = after_greeting(typed)
    if asks_to_move(text):
        return then_the_booking_form(await start_move(dispatcher, tracker))
    # "annuler RDV-5SU82K 06…": the NLU may miss the intent (phone digits read like a question).
    if find_reference("RDV", text):
        return await _about_booking(dispatcher, tracker)
    if asks_to_cancel_a_visit(text):
        return await offer_to_cancel(dispatcher, tracker)
    if asks_for_a_visit(text):
        return then_the_booking_form(await start_booking(dispatcher, tracker))
    if find_reference("DEM", text) or asks_about_requests(text):
        await utter_own_requests(dispatcher, tracker.sender_id, typed)
        return []
    if problem_described(text):
        return await report_first(dispatcher, tracker, typed)
    # Not our field: who can help, never the nearest entry.
    if referral := referral_for(text):
        buttons = [{"title": button.title, "payload": button.payload} for button in referral.buttons]
        dispatcher.utter_message(text=referral.answer, buttons=buttons)
        return []
    return None


async def _about_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """What to do with the resident's booking named in the message (checked like a cancellation)."""
    found, by_phone = await resident_booking(dispatcher, tracker, "annuler")
    if found is None:
        return []
    if asks_to_cancel(tracker.latest_message.get("text") or ""):
        ask_to_cancel(dispatcher, found)
    else:
        text = f"Que voulez-vous faire du rendez-vous {found.reference} ?"
        dispatcher.utter_message(text=text, buttons=manage_buttons(found.reference))
    return [SlotSet("booking_verified", found.reference)] if by_phone else []
