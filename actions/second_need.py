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

from actions.booking_text import asks_for_a_visit, topic_in
from actions.context import settings
from actions.faq_reply import utter_answer
from bot.faq.entries import Entry
from bot.faq.live import live_faq
from bot.services.request_categories import problem_described
from bot.services.when import plain

BOOKING, REPORT, QUESTION = "booking", "report", "question"
# Where one need may end and another start. A visit or a problem is told by its own words, so
# any "et" or comma may part it from the rest; two questions for the knowledge base must be
# parted more clearly ("?", "et aussi"), or one long question would read as two.
ANY_BREAK = re.compile(
    r"[.!?;\n]+|,|\b(?:et aussi|et puis|et sinon|sinon|autre chose|egalement|par ailleurs|d'autre part|aussi|"
    r"en plus|et)\b"
)
CLEAR_BREAK = re.compile(
    r"[.!?;\n]+|\b(?:et aussi|et puis|et sinon|sinon|autre chose|egalement|par ailleurs|d'autre part|aussi|en plus)\b"
)
MIN_CLAUSE_WORDS = 3
# A second question must score this much to be offered: on tests/nlu_dev/ (484 single questions),
# 0 gets none offered by mistake, -0.3 gets 2.
MIN_SECOND_QUESTION_SCORE = 0.0
OFFER = "Vous parliez aussi de ceci :"


def clauses(text: str, breaks: re.Pattern[str] = ANY_BREAK) -> list[str]:
    """The message's parts that may each carry a need (three words at least)."""
    parts = (part.strip() for part in breaks.split(plain(text)) if part)
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def report_of(category: str | None) -> str:
    """What a report handles, for ``second_need``: two problems of one message are two reports."""
    return f"report {category or 'other'}"


def action_button(clause: str, handled: str) -> dict[str, str] | None:
    """A button for the visit or the problem ``clause`` states, unless it is what was ``handled``."""
    if asks_for_a_visit(clause):
        topic = topic_in(clause)
        payload = "/book_visit" + (json.dumps({"booking_topic": topic}) if topic else "")
        return None if handled == BOOKING else {"title": "Prendre rendez-vous", "payload": payload}
    if (category := problem_described(clause)) and handled != report_of(category.key):
        payload = "/report_problem" + json.dumps({"report_category": category.key})
        return {"title": f"Signaler : {category.label}", "payload": payload}
    return None


def question_button(clause: str, handled: str) -> dict[str, str] | None:
    """A button for the knowledge entry that surely answers ``clause``, unless it is the one ``handled``."""
    if asks_for_a_visit(clause) or problem_described(clause):
        return None
    choice = live_faq(settings().knowledge_dir).engine.choose(clause)
    if choice is None or choice.entry.id == handled or choice.score < MIN_SECOND_QUESTION_SCORE:
        return None
    return {"title": choice.entry.title, "payload": "/faq" + json.dumps({"faq_entry": choice.entry.id})}


def second_need_button(text: str, handled: str) -> dict[str, str] | None:
    """The button for another need stated in ``text`` than the one ``handled``, if there is one."""
    for breaks, button_for in ((ANY_BREAK, action_button), (CLEAR_BREAK, question_button)):
        parts = clauses(text, breaks)
        if len(parts) < 2:
            continue
        for part in parts:
            if button := button_for(part, handled):
                return button
    return None


async def second_need(text: str, handled: str) -> dict[str, str] | None:
    """``second_need_button`` off the event loop (the FAQ engine takes a few milliseconds)."""
    return await asyncio.to_thread(second_need_button, text, handled)


async def offer_now(dispatcher: CollectingDispatcher, tracker: Tracker, handled: str) -> None:
    """Offer the message's other need right away (after an answer)."""
    if button := await second_need(tracker.latest_message.get("text") or "", handled):
        dispatcher.utter_message(text=OFFER, buttons=[button])


async def keep_for_later(
    tracker: Tracker, handled: str, dispatcher: CollectingDispatcher | None = None
) -> list[dict[str, Any]]:
    """Remember the message's other need until the form it started ends (and say so, given a dispatcher)."""
    button = await second_need(tracker.latest_message.get("text") or "", handled)
    if button is None:
        return []
    if dispatcher is not None:
        dispatcher.utter_message(text=f"Je note aussi « {button['title']} » : je vous le proposerai juste après.")
    return [SlotSet("second_need", json.dumps(button))]


def first_need(text: str) -> str | None:
    """What the message asks first when it asks two things: BOOKING, REPORT, QUESTION, or None."""
    two_questions_possible = len(clauses(text, CLEAR_BREAK)) >= 2
    for clause in clauses(text):
        if asks_for_a_visit(clause):
            return BOOKING
        if problem_described(clause):
            return REPORT
        if two_questions_possible and question_button(clause, "") is not None:
            return QUESTION
    return None


async def first_question_answered(dispatcher: CollectingDispatcher, tracker: Tracker) -> Entry | None:
    """Answer the message's question; of two clearly parted questions, the first (the second is offered next)."""
    message = tracker.latest_message
    parts = clauses(message.get("text") or "", CLEAR_BREAK)
    # "c'est quoi le chèque énergie ? et sinon les poubelles débordent": the question without the problem.
    questions = [part for part in parts if not asks_for_a_visit(part) and not problem_described(part)]
    if questions and len(questions) < len(parts):
        message = {**message, "text": " ".join(questions)}
    buttons = [await asyncio.to_thread(question_button, part, "") for part in questions]
    sure = [(part, button) for part, button in zip(questions, buttons, strict=True) if button]
    if len({button["payload"] for _, button in sure}) >= 2:
        message = {**message, "text": sure[0][0]}
    return await utter_answer(dispatcher, message)


def offer_kept(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Offer the need kept for after the form, and forget it."""
    kept = tracker.get_slot("second_need")
    if not kept:
        return []
    dispatcher.utter_message(text=OFFER, buttons=[json.loads(kept)])
    return [SlotSet("second_need", None)]
