"""The booking form: check each answer, propose slots, recap, book.

Every slot is filled from the resident's text (domain/booking.yml), so this is
where a question asked in the middle of the form is told apart from an
answer: it is answered from the knowledge base, and the form asks again.
"""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action

from actions import booking_corrections, booking_text
from actions.booking_data import (
    book_or_move,
    entity,
    intent_of,
    load_slot,
    proposals,
    slot_if_bookable,
    slot_typed,
)
from actions.context import settings
from actions.form_answers import accept_or_ask_again, answer_then_resume, is_question
from bot.errors import SlotUnavailable
from bot.models import SlotKind
from bot.services.contact import find_phone, name_given, says_no_phone

MAX_ADDRESS_LENGTH = 300
FORM_SLOTS = ("booking_topic", "booking_slot", "booking_name", "booking_phone", "booking_address", "booking_confirmed")
RESUME = "Reprenons votre rendez-vous."
# "non", "non merci", "/deny": no more words than this, or the message said what to correct.
BARE_NO_WORDS = 3


class ValidateBookingForm(FormValidationAction):
    """Checks the booking form's answers and books at the confirmation.

    Rasa also asks to validate slots that an action emptied (a reset, a
    correction): each check lets an empty value through as it is.
    """

    def name(self) -> str:
        """The action's name in the domain."""
        return "validate_booking_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[str]:
        """Moving a booking asks only for the new slot; a drop-in session needs no address."""
        if tracker.get_slot("booking_moving"):
            return ["booking_slot", "booking_confirmed"]
        slot_id = tracker.get_slot("booking_slot")
        if slot_id:
            slot = await asyncio.to_thread(load_slot, slot_id)
            if slot is not None and slot.kind is SlotKind.DROP_IN:
                return [name for name in domain_slots if name != "booking_address"]
        return domain_slots

    async def validate_booking_topic(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A topic button, or words that name a topic; anything else that is no question is "other"."""
        if value is None:
            return {"booking_topic": None}
        # A button's entity, or the topic action_start_booking read in the first message.
        chosen = entity(tracker, "booking_topic") or value
        if chosen in booking_text.TOPICS:
            return {"booking_topic": chosen}
        named = booking_text.topic_in(str(value))
        if named is None and is_question(tracker):
            return await answer_then_resume(dispatcher, tracker, RESUME, "booking_topic")
        return {"booking_topic": named or "other"}

    async def validate_booking_slot(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A slot button, or a wish in words ("mardi après-midi") that narrows the slots proposed."""
        if value is None:
            return {"booking_slot": None}
        zone = settings().zone
        if chosen := entity(tracker, "booking_slot"):
            slot = await asyncio.to_thread(slot_if_bookable, tracker.sender_id, chosen)
            if slot is None:
                dispatcher.utter_message(text="Ce créneau n'est plus disponible. Voici ceux qui restent :")
                return {"booking_slot": None, "booking_when": None}
            return {"booking_slot": str(slot.id), "booking_when": None}
        choice = await asyncio.to_thread(slot_typed, tracker.sender_id, str(value))
        if choice.slot is not None:
            when = f"{booking_text.day_and_time(choice.slot.starts_at, zone)}, {booking_text.where(choice.slot)}"
            dispatcher.utter_message(text=f"C'est noté : {when}.")
            return {"booking_slot": str(choice.slot.id), "booking_when": None}
        if choice.wish.in_the_past:
            dispatcher.utter_message(text="Cette date est déjà passée. Choisissez un jour à venir :")
            return {"booking_slot": None, "booking_when": None}
        if choice.wish.understood:
            return {"booking_slot": None, "booking_when": str(value)}
        if is_question(tracker):
            return await answer_then_resume(dispatcher, tracker, RESUME, "booking_slot", booking_text.SLOT_HINT)
        dispatcher.utter_message(text=booking_text.SLOT_HINT)
        return {"booking_slot": None, "booking_when": None}

    async def validate_booking_name(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A person's name: letters, spaces, hyphens and apostrophes."""
        if value is None:
            return {"booking_name": None}
        if corrected := await _corrected_meanwhile(dispatcher, tracker, "booking_name"):
            return corrected
        retry = "Je n'ai pas compris votre nom. Écrivez votre prénom et votre nom, par exemple « Awa Diallo »."
        return await accept_or_ask_again(dispatcher, tracker, RESUME, "booking_name", name_given(str(value)), retry)

    async def validate_booking_phone(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A French phone number, written any usual way; stored as +33…."""
        if value is None:
            return {"booking_phone": None}
        if corrected := await _corrected_meanwhile(dispatcher, tracker, "booking_phone"):
            return corrected
        if says_no_phone(str(value)):
            dispatcher.utter_message(text=booking_text.NO_PHONE)
            return {"booking_phone": booking_text.NO_PHONE_VALUE}
        retry = (
            "Ce numéro ne semble pas valide. Écrivez un numéro français à 10 chiffres, par exemple 06 12 34 56 78 "
            "(ou « pas de téléphone »)."
        )
        return await accept_or_ask_again(dispatcher, tracker, RESUME, "booking_phone", find_phone(str(value)), retry)

    async def validate_booking_address(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """An address the mediator can find: some letters, at most 300 characters."""
        if value is None:
            return {"booking_address": None}
        if corrected := await _corrected_meanwhile(dispatcher, tracker, "booking_address"):
            return corrected
        address = " ".join(str(value).split())
        if len(address) > MAX_ADDRESS_LENGTH:
            dispatcher.utter_message(
                text=f"Cette adresse est trop longue ({len(address)} caractères, {MAX_ADDRESS_LENGTH} au plus). "
                "Indiquez seulement la résidence ou la rue, le bâtiment, l'escalier, l'étage et la porte."
            )
            return {"booking_address": None}
        plausible = address if sum(c.isalpha() for c in address) >= 3 else None
        return await accept_or_ask_again(
            dispatcher, tracker, RESUME, "booking_address", plausible, "Je n'ai pas compris l'adresse."
        )

    async def validate_booking_confirmed(
        self, value: str | None, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Yes books (or moves); a correction button empties that answer; no offers corrections."""
        if value is None:
            return {"booking_confirmed": None}
        intent = intent_of(tracker)
        if intent == "choose" and (field := entity(tracker, "booking_field")) in FORM_SLOTS:
            return {field: None, "booking_confirmed": None}
        values = await asyncio.to_thread(booking_corrections.new_values, str(value), tracker.sender_id)
        correction = booking_corrections.changed(values, tracker.slots)
        if not correction and not values and not is_question(tracker):
            correction = booking_corrections.field_named(str(value)) or {}
        if correction:
            return {**correction, "booking_confirmed": None}
        if intent == "affirm":
            return await self._book(dispatcher, tracker)
        if intent != "deny" and is_question(tracker):
            return await answer_then_resume(dispatcher, tracker, RESUME, "booking_confirmed")
        if intent != "deny":
            dispatcher.utter_message(text=booking_text.RECAP_HINT)
        return {"booking_confirmed": None}

    async def _book(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        try:
            reference = await asyncio.to_thread(book_or_move, tracker.sender_id, tracker.slots)
        except SlotUnavailable as unavailable:
            reason = "vient d'être pris" if unavailable.reason == "taken" else "n'est plus disponible"
            dispatcher.utter_message(text=f"Désolé, ce créneau {reason}. Choisissez-en un autre :")
            return {"booking_slot": None, "booking_confirmed": None, "booking_when": None}
        return {"booking_confirmed": "yes", "booking_reference": reference}


async def _corrected_meanwhile(dispatcher: CollectingDispatcher, tracker: Tracker, asked: str) -> dict[str, Any] | None:
    """An earlier answer corrected instead of answering ``asked``: the new value, and ``asked`` asked again."""
    text = tracker.latest_message.get("text") or ""
    correction = await asyncio.to_thread(booking_corrections.mid_form, text, tracker.sender_id, asked)
    correction = booking_corrections.changed(correction or {}, tracker.slots)
    if not correction:
        return None
    dispatcher.utter_message(text="C'est corrigé.")
    return {**correction, asked: None}


class ActionAskBookingSlot(Action):
    """Proposes the next free slots (those that fit the resident's wish, when there is one)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_booking_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Buttons for up to five slots, or the way out when none is left."""
        offer = await asyncio.to_thread(proposals, tracker.sender_id, tracker.get_slot("booking_when"))
        if not offer.slots:
            dispatcher.utter_message(text=offer.none_left, buttons=offer.fallback_buttons)
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        dispatcher.utter_message(text=offer.heading, buttons=offer.buttons)
        return []


def _bare_no(tracker: Tracker) -> bool:
    """A "non" with nothing to correct in it: the correction menu, rather than the recap again."""
    words = (tracker.latest_message.get("text") or "").split()
    return intent_of(tracker) == "deny" and len(words) <= BARE_NO_WORDS


class ActionAskBookingConfirmed(Action):
    """The recap with Yes/No; after a "no", what can be corrected."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_ask_booking_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Recap, or correction buttons."""
        slot = await asyncio.to_thread(load_slot, tracker.get_slot("booking_slot"))
        if slot is None:
            return [SlotSet("booking_slot", None)]
        zone = settings().zone
        if tracker.get_slot("booking_moving"):
            moving = tracker.get_slot("booking_moving")
            when = f"{booking_text.day_and_time(slot.starts_at, zone)}, {booking_text.where(slot)}"
            text = f"Je déplace le rendez-vous {moving} au {when}. D'accord ?"
        elif _bare_no(tracker):
            dispatcher.utter_message(text="Que voulez-vous corriger ?", buttons=booking_text.correction_buttons(slot))
            return []
        else:
            text = booking_text.summary(tracker.slots, slot, zone)
        dispatcher.utter_message(text=text, buttons=booking_text.YES_NO)
        return []
