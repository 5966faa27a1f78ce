"""The report form: category, place, description, photo, phone, whether to be told; then record.

Every slot is filled from the resident's text or a button's entity
(domain/requests.yml). A photo arrives as the router's own payload with the
id of the photo it stored; the form checks the photo is this conversation's.
Once the category and place match a problem reported lately, the form only
asks whether the resident wants news, and adds them to that request.
"""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action

from actions import report_text
from actions.booking_data import entity, intent_of
from actions.context import settings
from actions.form_answers import accept_or_ask_again, answer_then_resume, is_question
from actions.report_data import photo_is_theirs, record, same_problem
from bot.services.contact import normalise_phone
from bot.services.request_categories import BY_KEY, category_in
from bot.services.when import plain

MAX_PLACE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 1000
NONE = "none"
# What residents type to skip an optional question.
SKIP_WORDS = (
    "non", "nan", "pas de", "sans", "passer", "passe", "aucun", "aucune", "rien", "pas besoin", "je n'ai pas",
    "j'ai pas", "j'en ai pas", "jen ai pas", "je n'en ai pas", "j'en ai aucune", "pas la", "pas maintenant",
)  # fmt: skip
FORM_SLOTS = ("report_category", "report_place", "report_description", "report_photo", "report_phone", "report_notify")


def _skips(text: str) -> bool:
    return plain(text).startswith(SKIP_WORDS)


def _plausible(text: str, limit: int) -> str | None:
    """Some letters, at most ``limit`` characters, spaces tidied."""
    tidy = " ".join(text.split())
    return tidy if sum(c.isalpha() for c in tidy) >= 3 and len(tidy) <= limit else None


class ValidateReportForm(FormValidationAction):
    """Checks the report form's answers and records the request with the last one.

    Rasa also asks to validate slots that an action emptied: each check lets
    an empty value through as it is.
    """

    def name(self) -> str:
        """The action's name in the domain."""
        return "validate_report_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[str]:
        """A problem already reported needs only the resident's wish to be told."""
        if tracker.get_slot("report_duplicate"):
            return ["report_category", "report_place", "report_notify"]
        return domain_slots

    async def validate_report_category(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A category button, or words that name one; anything else that is no question is "other"."""
        if value is None:
            return {"report_category": None}
        chosen = entity(tracker, "report_category") or str(value)
        if chosen in BY_KEY:
            return {"report_category": chosen}
        named = category_in(str(value))
        if named is None and is_question(tracker):
            return await answer_then_resume(dispatcher, tracker, report_text.RESUME, "report_category")
        return {"report_category": named.key if named else "other"}

    async def validate_report_place(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Where: some words; with the spot the first message named. Looks for the same problem there."""
        if value is None:
            return {"report_place": None}
        retry = "Je n'ai pas compris où. Indiquez la résidence ou l'adresse, le bâtiment et l'escalier."
        place = _plausible(str(value), MAX_PLACE_LENGTH)
        checked = await accept_or_ask_again(dispatcher, tracker, report_text.RESUME, "report_place", place, retry)
        if not checked.get("report_place"):
            return checked
        spot = tracker.get_slot("report_spot")
        full = f"{spot}, {place}" if spot and spot not in plain(str(place)) else str(place)
        category = tracker.get_slot("report_category") or "other"
        existing = await asyncio.to_thread(same_problem, tracker.sender_id, category, full)
        if existing is None:
            return {"report_place": full, "report_duplicate": None}
        dispatcher.utter_message(text=report_text.already_reported(existing, settings().zone))
        return {"report_place": full, "report_duplicate": existing.reference}

    async def validate_report_description(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A sentence or two, at most 1,000 characters."""
        if value is None:
            return {"report_description": None}
        if len(str(value)) > MAX_DESCRIPTION_LENGTH:
            dispatcher.utter_message(text=f"C'est un peu long : {MAX_DESCRIPTION_LENGTH} caractères au plus.")
            return {"report_description": None}
        retry = "Décrivez le problème en quelques mots, par exemple « la lumière du hall ne s'allume plus »."
        description = _plausible(str(value), MAX_DESCRIPTION_LENGTH)
        return await accept_or_ask_again(
            dispatcher, tracker, report_text.RESUME, "report_description", description, retry
        )

    async def validate_report_photo(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A photo this conversation sent (the router's payload), or "no photo"."""
        if value is None:
            return {"report_photo": None}
        chosen = entity(tracker, "report_photo")
        if chosen == NONE or (chosen is None and _skips(str(value))):
            return {"report_photo": NONE}
        if chosen is not None and await asyncio.to_thread(photo_is_theirs, tracker.sender_id, chosen):
            return {"report_photo": chosen}
        if chosen is None and is_question(tracker):
            return await answer_then_resume(dispatcher, tracker, report_text.RESUME, "report_photo")
        dispatcher.utter_message(text="Envoyez une photo, ou touchez « Pas de photo » pour continuer sans.")
        return {"report_photo": None}

    async def validate_report_phone(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A French phone number, or none."""
        if value is None:
            return {"report_phone": None}
        if entity(tracker, "report_phone") == NONE or _skips(str(value)):
            return {"report_phone": NONE}
        retry = "Ce numéro ne semble pas valide : écrivez 10 chiffres (06 12 34 56 78), ou touchez « Passer »."
        phone = normalise_phone(str(value))
        return await accept_or_ask_again(dispatcher, tracker, report_text.RESUME, "report_phone", phone, retry)

    async def validate_report_notify(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Yes or no; then the request is recorded (or joined)."""
        if value is None:
            return {"report_notify": None}
        intent = intent_of(tracker)
        if intent not in ("affirm", "deny"):
            if is_question(tracker):
                return await answer_then_resume(dispatcher, tracker, report_text.RESUME, "report_notify")
            dispatcher.utter_message(text="Répondez « oui » ou « non ».")
            return {"report_notify": None}
        notify = "yes" if intent == "affirm" else "no"
        result = await asyncio.to_thread(record, tracker.sender_id, {**tracker.slots, "report_notify": notify})
        # report_duplicate now says whether the report joined a request rather than created one.
        joined = result.view.reference if result.joined else None
        return {"report_notify": notify, "report_reference": result.view.reference, "report_duplicate": joined}


class ActionAskReportCategory(Action):
    """What kind of problem: one button per category."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_report_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The categories as buttons."""
        dispatcher.utter_message(text="De quel problème s'agit-il ?", buttons=report_text.category_buttons())
        return []


class ActionAskReportPlace(Action):
    """Where exactly (naming the spot the first message gave)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_report_place"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """One question."""
        dispatcher.utter_message(text=report_text.place_question(tracker.get_slot("report_spot")))
        return []


class ActionAskReportPhoto(Action):
    """An optional photo: the channels accept one only after this question."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_report_photo"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The question, its skip button, and the mark the router reads (see bot/rasa_client.py)."""
        dispatcher.utter_message(
            text="Avez-vous une photo du problème ? Envoyez-la maintenant (JPEG, PNG ou WebP, 5 Mo au plus). "
            "C'est facultatif.",
            buttons=[report_text.NO_PHOTO_BUTTON],
        )
        dispatcher.utter_message(json_message={"expects": "photo"})
        return []
