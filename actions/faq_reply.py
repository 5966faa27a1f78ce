"""Answering a question from the knowledge base: the FAQ action, and the forms when asked one mid-way."""

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.context import settings
from bot.faq.entries import answer_reply
from bot.faq.live import live_faq


async def utter_answer(dispatcher: CollectingDispatcher, message: dict[str, Any], *, follow_ups: bool = True) -> bool:
    """Answer the message's question from the knowledge base; False when the FAQ engine reads it as out of scope.

    Inside a form the entry's follow-up buttons are left out: they would lead away from it.
    """
    engine = live_faq(settings().knowledge_dir).engine
    choice = await asyncio.to_thread(engine.choose, message.get("text") or "")
    if choice is None:
        return False
    if (message.get("intent") or {}).get("name") != "faq":
        dispatcher.utter_message(text=f"Si je comprends bien, votre question est : « {choice.entry.title} »")
    reply = answer_reply(choice.entry)
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] if follow_ups else []
    dispatcher.utter_message(text=reply.text, buttons=buttons)
    return True
