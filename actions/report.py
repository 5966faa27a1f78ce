"""Reports outside the form: start one (reading what the first message already says), confirm, give up, follow up."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import report_text
from actions.booking import start_booking, then_the_booking_form
from actions.booking_data import entity
from actions.context import settings
from actions.report_data import own_requests, request_for
from actions.report_start import RESET, category_named, start_report
from actions.second_need import BOOKING, first_need, keep_for_later, offer_kept, report_of
from bot.services.contact import find_phone
from bot.services.references import find_reference


class ActionStartReport(Action):
    """Opens the report form with what the first message said: category, spot and description."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_start_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """« Il y a des encombrants dans le local poubelle » gives a category, a spot and a description.

        "du nouveau pour la lumière que j'ai signalée ?" asks about a report already made: no form then.
        """
        text = tracker.latest_message.get("text") or ""
        if report_text.asks_about_requests(text):
            await utter_own_requests(dispatcher, tracker.sender_id, text)
            return [SlotSet("report_form_ready", False)]
        # "je veux un rdv, et aussi signaler des tags": the visit first, the report offered after.
        if await asyncio.to_thread(first_need, text) == BOOKING:
            events = then_the_booking_form(await start_booking(dispatcher, tracker))
            return [*events, SlotSet("report_form_ready", False)]
        events = [*start_report(dispatcher, text), SlotSet("report_form_ready", True)]
        # A button of an earlier answer names the category ("Signaler : Ascenseur").
        if category := entity(tracker, "report_category"):
            events.append(SlotSet("report_category", category))
        chosen = category or category_named(text)
        return [*events, *await keep_for_later(tracker, report_of(chosen), dispatcher)]


class ActionReportDone(Action):
    """Confirms the recorded request: reference, who handles it, how to follow it."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_report_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The confirmation, then the form's slots emptied for the next report."""
        reference = tracker.get_slot("report_reference")
        found = await asyncio.to_thread(request_for, tracker.sender_id, reference, None) if reference else None
        if found is None:
            dispatcher.utter_message(text="Le signalement n'a pas pu être enregistré. Réessayez plus tard.")
            return RESET
        joined = tracker.get_slot("report_duplicate") == reference
        notify = tracker.get_slot("report_notify") == "yes"
        dispatcher.utter_message(text=report_text.recorded(found, joined, notify, settings().zone))
        return [*RESET, *offer_kept(dispatcher, tracker)]


class ActionStopReport(Action):
    """The resident gave up the report: nothing is recorded."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_stop_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Says nothing was recorded."""
        dispatcher.utter_message(
            text="D'accord, je n'enregistre rien. Vous pourrez signaler le problème quand vous voudrez.",
            buttons=[report_text.REPORT_BUTTON],
        )
        return [*RESET, *offer_kept(dispatcher, tracker)]


async def utter_request(dispatcher: CollectingDispatcher, sender_id: str, reference: str, text: str) -> None:
    """The history of request ``reference`` if it is the sender's or ``text`` gives its phone; else why not."""
    found = await asyncio.to_thread(request_for, sender_id, reference, find_phone(text))
    if found is None:
        dispatcher.utter_message(
            text=f"Je ne trouve pas la demande {reference} parmi les vôtres. Si vous l'avez faite ailleurs "
            "(Telegram, un autre site), écrivez la référence et le numéro de téléphone donné, par exemple : "
            f"« {reference} 06 12 34 56 78 »."
        )
        return
    dispatcher.utter_message(text=report_text.history(found, settings().zone))


class ActionMyRequests(Action):
    """The resident's requests, or one of them by its reference (theirs, or with the phone it was given with)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_my_requests"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A request's history, or the list, or how to report one."""
        await utter_own_requests(dispatcher, tracker.sender_id, tracker.latest_message.get("text") or "")
        return []


async def utter_own_requests(dispatcher: CollectingDispatcher, sender_id: str, text: str) -> None:
    """The request ``text`` names, else the resident's only request's history, else their list."""
    if reference := find_reference("DEM", text):
        await utter_request(dispatcher, sender_id, reference, text)
        return
    views = await asyncio.to_thread(own_requests, sender_id)
    zone = settings().zone
    if not views:
        dispatcher.utter_message(
            text="Je ne trouve aucune demande de votre part. Pour une demande faite ailleurs, écrivez sa "
            "référence et le numéro de téléphone donné.",
            buttons=[report_text.REPORT_BUTTON],
        )
    elif len(views) == 1:
        dispatcher.utter_message(text=report_text.history(views[0], zone))
    else:
        dispatcher.utter_message(text=report_text.listing(views))
