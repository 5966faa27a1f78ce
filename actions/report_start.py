"""Starting a report: the form's first answers, read from the message that asked for it.

Its own module because both the report and the booking actions start reports
(a message may state a problem before asking for a visit).
"""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.report_form import FORM_SLOTS, MAX_DESCRIPTION_LENGTH
from actions.second_need import keep_for_later, report_of
from bot.services.request_categories import category_in, spot_in

# Everything the form remembers, emptied before a new report and after one.
RESET = [SlotSet(name, None) for name in (*FORM_SLOTS, "report_spot", "report_duplicate", "report_reference")]
# "l'ascenseur est en panne" describes the problem; "signaler un problème" does not.
MIN_DESCRIPTION_WORDS = 3


def category_named(text: str) -> str | None:
    """The key of the category the message's words name (a button's payload names none)."""
    category = category_in(text) if not text.startswith("/") else None
    return category.key if category else None


async def report_first(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, Any]]:
    """Start the report ``text`` describes, from an action other than the rules' start: the form runs next.

    The message's other need, if any, is said to be kept for after the report.
    """
    kept = await keep_for_later(tracker, report_of(category_named(text)), dispatcher)
    return [*start_report(dispatcher, text), *kept, SlotSet("report_form_ready", True), FollowupAction("report_form")]


def start_report(dispatcher: CollectingDispatcher, text: str) -> list[dict[str, Any]]:
    """The report form's first slots, from what the first message said; the form is to run next."""
    category = category_in(text) if not text.startswith("/") else None
    events = [*RESET]
    if category is not None:
        events.append(SlotSet("report_category", category.key))
        if len(text.split()) >= MIN_DESCRIPTION_WORDS:
            events.append(SlotSet("report_description", " ".join(text.split())[:MAX_DESCRIPTION_LENGTH]))
    if category is not None and (spot := spot_in(text)):
        events.append(SlotSet("report_spot", spot))
    dispatcher.utter_message(text="Je note votre signalement. Vous pouvez écrire « stop » pour arrêter.")
    return events
