"""Answering a question from the knowledge base: the FAQ action, and the forms when asked one mid-way."""

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.context import settings
from bot.faq.entries import Entry, answer_reply
from bot.faq.live import live_faq


async def utter_answer(
    dispatcher: CollectingDispatcher, message: dict[str, Any], *, follow_ups: bool = True
) -> Entry | None:
    """Answer the message's question from the knowledge base: the entry, or None when the engine reads none.

    Inside a form the entry's follow-up buttons are left out: they would lead away from it.
    """
    engine = live_faq(settings().knowledge_dir).engine
    choice = await asyncio.to_thread(engine.choose, message.get("text") or "")
    if choice is None:
        return None
    if (message.get("intent") or {}).get("name") != "faq":
        dispatcher.utter_message(text=f"Si je comprends bien, votre question est : « {choice.entry.title} »")
    utter_entry(dispatcher, choice.entry, follow_ups=follow_ups)
    return choice.entry


def utter_entry(dispatcher: CollectingDispatcher, entry: Entry, *, follow_ups: bool = True) -> None:
    """The entry's answer, with its follow-up buttons unless inside a form."""
    reply = answer_reply(entry)
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] if follow_ups else []
    dispatcher.utter_message(text=reply.text, buttons=buttons)


def entry_by_id(entry_id: str) -> Entry | None:
    """The knowledge entry with this id (a button offered it), if it still exists."""
    return live_faq(settings().knowledge_dir).engine.entries.get(entry_id)
