"""Answering a question from the knowledge base: the FAQ action, and the forms when asked one mid-way."""

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.faq import answer_reply
from bot.services.faq_answer import choose_answer, selector_ranking
from bot.services.knowledge_search import default_index


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
