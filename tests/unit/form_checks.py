"""A form's slot check run on a tracker made for it: what it sets and what it says."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction


def tracker_for(
    text: str, intent: str = "nlu_fallback", entities: list[dict] | None = None, loop: str = "", **slots: Any
) -> Tracker:
    """A tracker whose last message is ``text`` (with its intent and entities), inside the form ``loop``."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker("c1", slots, latest, [], False, None, {"name": loop}, "action_listen")


async def run_check(form: FormValidationAction, slot: str, text: str, **kwargs: Any) -> tuple[dict, list[dict]]:
    """``form``'s check of ``slot`` for the answer ``text``: the slots it sets, and the messages it sends."""
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = await method(text, dispatcher, tracker_for(text, loop=form.form_name(), **kwargs), {})
    return result, dispatcher.messages
