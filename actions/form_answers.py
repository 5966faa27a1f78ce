"""What every form does with an answer: tell a question from an answer, answer it, then ask again.

Form slots are filled from the resident's text, so a question asked in the
middle of a form ("c'est quoi le bioseau ?") arrives as an answer: it is
answered from the knowledge base, and the form asks its question again.
"""

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq_reply import utter_answer
from bot.services.when import plain

# A message the NLU reads as a knowledge question this surely is one, even without "?".
QUESTION_CONFIDENCE = 0.8
# How French questions start, even typed without "?": "comment on trie", "c'est quoi le bioseau".
QUESTION_START = r"(comment|pourquoi|combien|quel|quelle|quels|quelles|quoi|ou|est[ -]ce|c'?est quoi|qu'est|qui) "


def written_as_question(tracker: Tracker) -> bool:
    """A "?" or a question's first word: the resident is surely asking, not answering."""
    text = plain(tracker.latest_message.get("text") or "")
    return "?" in text or re.match(QUESTION_START, text) is not None


def is_question(tracker: Tracker) -> bool:
    """Written as a question, or an answer that fits nothing and that the NLU reads as a knowledge question.

    The NLU alone never turns a valid answer into a question: an address such as
    "Résidence Les Tilleuls, bât. B" reads like a question about residences.
    """
    intent = tracker.latest_message.get("intent") or {}
    confident_faq = intent.get("name") == "faq" and float(intent.get("confidence") or 0) >= QUESTION_CONFIDENCE
    return confident_faq or written_as_question(tracker)


async def answer_then_resume(
    dispatcher: CollectingDispatcher, tracker: Tracker, resume: str, slot: str, hint: str | None = None
) -> dict[str, Any]:
    """Answer the question asked in the middle of the form; the form then asks its question again.

    An answer the form cannot use that the NLU took for a question ("06 12 34 56 78" at the slot
    question) and the knowledge base cannot answer gets ``hint``, how to answer, rather than
    "no sure answer to this question".
    """
    if not await utter_answer(dispatcher, tracker.latest_message, follow_ups=False):
        if hint is not None and not written_as_question(tracker):
            dispatcher.utter_message(text=hint)
            return {slot: None}
        dispatcher.utter_message(text="Je n'ai pas de réponse sûre à cette question ; un médiateur pourra vous aider.")
    dispatcher.utter_message(text=resume)
    return {slot: None}


async def accept_or_ask_again(
    dispatcher: CollectingDispatcher, tracker: Tracker, resume: str, slot: str, value: str | None, retry: str
) -> dict[str, Any]:
    """The checked value; else the answer to a question asked meanwhile; else ``retry`` and the question again."""
    if value is not None and not written_as_question(tracker):
        return {slot: value}
    if is_question(tracker):
        return await answer_then_resume(dispatcher, tracker, resume, slot, hint=retry)
    # "bonjour" is no wrong answer: greet back, and the form asks its question again.
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    dispatcher.utter_message(text="Bonjour !" if intent == "greet" else retry)
    return {slot: None}
