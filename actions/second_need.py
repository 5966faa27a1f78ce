"""Two needs in one message: the first is handled, the second is offered as a button, never dropped.

"j'ai de l'humidité dans la chambre et je voudrais savoir pour le chèque
énergie", "l'ascenseur est en panne, et je voudrais un rdv": the message is
cut into clauses; a clause that asks for another thing than the one handled
(a visit, a report, another knowledge entry) becomes a button. When the first
need starts a form, the button waits in the ``second_need`` slot and is
offered once the form ends.
"""

import asyncio
import json
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_text import asks_for_a_visit
from actions.context import settings
from bot.faq.live import live_faq
from bot.services.request_categories import problem_described
from bot.services.when import plain

BOOKING, REPORT = "booking", "report"
# Where one need ends and another starts: "et", "aussi", "sinon", "autre chose", sentence ends.
CLAUSE_BREAK = re.compile(
    r"[.!?;\n]+|,|\b(?:et aussi|et puis|et sinon|sinon|autre chose|egalement|par ailleurs|d'autre part|aussi|et)\b"
)
MIN_CLAUSE_WORDS = 3
OFFER = "Vous parliez aussi de ceci :"


def clauses(text: str) -> list[str]:
    """The message's parts that may each carry a need (three words at least)."""
    parts = (part.strip() for part in CLAUSE_BREAK.split(plain(text)))
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def need_button(clause: str, handled: str) -> dict[str, str] | None:
    """A button for the need ``clause`` states, unless it is the one ``handled`` (booking, report or entry id)."""
    if asks_for_a_visit(clause):
        return None if handled == BOOKING else {"title": "Prendre rendez-vous", "payload": "/book_visit"}
    if category := problem_described(clause):
        if handled == REPORT:
            return None
        payload = "/report_problem" + json.dumps({"report_category": category.key})
        return {"title": f"Signaler : {category.label}", "payload": payload}
    choice = live_faq(settings().knowledge_dir).engine.choose(clause)
    if choice is None or choice.entry.id == handled:
        return None
    return {"title": choice.entry.title, "payload": "/faq" + json.dumps({"faq_entry": choice.entry.id})}


async def second_need(text: str, handled: str) -> dict[str, str] | None:
    """The button for another need stated in ``text`` than the one ``handled``, if there is one."""
    parts = clauses(text)
    if len(parts) < 2:
        return None
    for part in parts:
        if button := await asyncio.to_thread(need_button, part, handled):
            return button
    return None


async def offer_now(dispatcher: CollectingDispatcher, tracker: Tracker, handled: str) -> None:
    """Offer the message's other need right away (after an answer)."""
    if button := await second_need(tracker.latest_message.get("text") or "", handled):
        dispatcher.utter_message(text=OFFER, buttons=[button])


async def keep_for_later(tracker: Tracker, handled: str) -> list[dict[str, Any]]:
    """Remember the message's other need until the form it started ends."""
    button = await second_need(tracker.latest_message.get("text") or "", handled)
    return [SlotSet("second_need", json.dumps(button))] if button else []


def offer_kept(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Offer the need kept for after the form, and forget it."""
    kept = tracker.get_slot("second_need")
    if not kept:
        return []
    dispatcher.utter_message(text=OFFER, buttons=[json.loads(kept)])
    return [SlotSet("second_need", None)]
