"""Visits outside the form: start a booking or a move, confirm it, list, cancel."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import booking_text
from actions.booking_data import (
    MEDIATOR_BUTTON,
    booking_by_reference,
    entity,
    find_resident_booking,
    has_bookable_slot,
    intent_of,
    no_slot_text_for,
    upcoming,
    when_wished,
)
from actions.booking_form import FORM_SLOTS
from actions.context import settings
from actions.report_start import report_first
from actions.second_need import (
    BOOKING,
    OFFER,
    QUESTION,
    REPORT,
    first_need,
    first_question_answered,
    keep_for_later,
    offer_kept,
)
from bot.db import transaction
from bot.models import Booking
from bot.services import booking
from bot.services.contact import find_phone
from bot.services.references import find_reference

BOOK_BUTTON = {"title": "Prendre rendez-vous", "payload": "/book_visit"}
# Everything the form remembers, emptied before a new booking and after one.
RESET = [SlotSet(name, None) for name in (*FORM_SLOTS, "booking_when", "booking_moving", "booking_reference")]


class ActionStartBooking(Action):
    """Opens the booking form when a slot is free (with the topic, when the message named one)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_start_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """booking_form_ready tells the rules whether the form starts."""
        return await start_booking(dispatcher, tracker)


async def start_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The form's first answers read from the message and booking_form_ready; or why no slot can be booked.

    "déplacer mon rendez-vous" or "annuler mon rdv" may be read as a wish for
    one: the words say which, so the form moves a booking or nothing starts.
    """
    text = tracker.latest_message.get("text") or ""
    if booking_text.asks_to_move(text):
        return await start_move(dispatcher, tracker)
    if booking_text.asks_to_cancel_a_visit(text):
        return [*await offer_to_cancel(dispatcher, tracker), SlotSet("booking_form_ready", False)]
    # "l'ascenseur est en panne, et je voudrais un rdv": the first need first, the visit offered after.
    first = await asyncio.to_thread(first_need, text)
    if first == REPORT:
        return [*await report_first(dispatcher, tracker, text), SlotSet("booking_form_ready", False)]
    if first == QUESTION:
        await first_question_answered(dispatcher, tracker)
        dispatcher.utter_message(text=OFFER, buttons=[BOOK_BUTTON])
        return [SlotSet("booking_form_ready", False)]
    if not await asyncio.to_thread(has_bookable_slot, tracker.sender_id):
        text = await asyncio.to_thread(no_slot_text_for, tracker.sender_id)
        dispatcher.utter_message(text=text, buttons=[MEDIATOR_BUTTON])
        return [*RESET, SlotSet("booking_form_ready", False)]
    # "un rdv pour ma facture mardi prochain": the topic and the wish are already said.
    wish = text if when_wished(text, settings().zone).understood else None
    # A button of an earlier answer may carry the topic ("Prendre rendez-vous" kept for after a report).
    topic = entity(tracker, "booking_topic") or booking_text.topic_in(text)
    return [
        *RESET,
        *await keep_for_later(tracker, BOOKING, dispatcher),
        SlotSet("booking_topic", topic),
        SlotSet("booking_when", wish),
        SlotSet("booking_form_ready", True),
    ]


async def resident_booking(dispatcher: CollectingDispatcher, tracker: Tracker, verb: str) -> tuple[Any, bool]:
    """The booking the message is about (by reference, or the only one), and whether it was proved by phone.

    Says why when there is none, or lists the bookings when the resident has several.
    """
    text = tracker.latest_message.get("text") or ""
    reference = entity(tracker, "booking_reference") or find_reference("RDV", text)
    if reference is None:
        bookings = await asyncio.to_thread(upcoming, tracker.sender_id)
        if len(bookings) == 1:
            return bookings[0], False
        _say_which(dispatcher, bookings, verb)
        return None, False
    phone = find_phone(text)
    found = await asyncio.to_thread(
        find_resident_booking, tracker.sender_id, reference, phone, tracker.get_slot("booking_verified")
    )
    if found is None:
        dispatcher.utter_message(
            text=f"Je ne trouve pas de rendez-vous à venir {reference} parmi les vôtres. S'il a été pris ailleurs "
            "(Telegram, un autre site), écrivez la référence et le numéro de téléphone donné, par exemple : "
            f"« {verb} {reference} 06 12 34 56 78 »."
        )
    return found, found is not None and phone is not None


def _say_which(dispatcher: CollectingDispatcher, bookings: list, verb: str) -> None:
    """No booking to act on, or several: say so, with one button per booking for ``verb``."""
    zone = settings().zone
    if not bookings:
        dispatcher.utter_message(text="Vous n'avez aucun rendez-vous à venir.", buttons=[BOOK_BUTTON])
        return
    lines = "\n".join(booking_text.booking_line(b, zone) for b in bookings)
    # manage_buttons gives [move, cancel]: keep the one this verb asked for.
    which = 0 if verb == "déplacer" else 1
    buttons = [booking_text.manage_buttons(b.reference)[which] for b in bookings]
    dispatcher.utter_message(text=f"Vous avez plusieurs rendez-vous :\n{lines}\nLequel ?", buttons=buttons)


def then_the_booking_form(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The booking form runs next when the start said it is ready (an action other than the rules' start)."""
    ready = SlotSet("booking_form_ready", True) in events
    return [*events, FollowupAction("booking_form")] if ready else events


class ActionStartMove(Action):
    """Opens the booking form for a new slot of one of the resident's bookings."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_start_move"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """booking_form_ready tells the rules whether the form starts."""
        return await start_move(dispatcher, tracker)


async def start_move(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The booking to move and booking_form_ready; or why there is none to move."""
    found, by_phone = await resident_booking(dispatcher, tracker, "déplacer")
    if found is None:
        return [SlotSet("booking_form_ready", False)]
    zone = settings().zone
    dispatcher.utter_message(text=f"Votre rendez-vous actuel : {booking_text.booking_line(found, zone)[2:]}.")
    proved = [SlotSet("booking_verified", found.reference)] if by_phone else []
    return [*RESET, *proved, SlotSet("booking_moving", found.reference), SlotSet("booking_form_ready", True)]


class ActionBookingDone(Action):
    """After the form: the reference, the date, the place and what to prepare."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_booking_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Confirms the booking that the form's last answer made."""
        reference = tracker.get_slot("booking_reference")
        booked = await asyncio.to_thread(booking_by_reference, reference) if reference else None
        if booked is None:
            dispatcher.utter_message(text="Le rendez-vous n'a pas pu être enregistré.", buttons=[MEDIATOR_BUTTON])
        else:
            moved = bool(tracker.get_slot("booking_moving"))
            dispatcher.utter_message(text=booking_text.confirmation(booked, settings().zone, moved=moved))
        return [*RESET, *offer_kept(dispatcher, tracker)]


class ActionStopBooking(Action):
    """The resident gave up the form: nothing was booked or changed."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_stop_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Says so and forgets the answers; "annuler mon rendez-vous" during a move asks to cancel that booking."""
        moving = tracker.get_slot("booking_moving")
        if moving and intent_of(tracker) == "cancel_booking":
            found = await asyncio.to_thread(booking_by_reference, moving)
            if found is not None:
                ask_to_cancel(dispatcher, found)
                return RESET
        if moving:
            dispatcher.utter_message(text="D'accord, votre rendez-vous reste comme il était.")
        else:
            dispatcher.utter_message(text="D'accord, j'arrête la prise de rendez-vous : rien n'a été enregistré.")
        return [*RESET, *offer_kept(dispatcher, tracker)]


class ActionListBookings(Action):
    """The resident's coming visits, with buttons to move or cancel each."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_list_bookings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Lists, or says there is none; "rdv pour mes factures" read as this asks for a new one."""
        text = tracker.latest_message.get("text") or ""
        if booking_text.asks_for_a_visit(text) and not booking_text.names_own_bookings(text):
            return then_the_booking_form(await start_booking(dispatcher, tracker))
        bookings = await asyncio.to_thread(upcoming, tracker.sender_id)
        if not bookings:
            dispatcher.utter_message(text="Vous n'avez aucun rendez-vous à venir.", buttons=[BOOK_BUTTON])
            return []
        zone = settings().zone
        lines = "\n".join(booking_text.booking_line(b, zone) for b in bookings)
        buttons = [button for b in bookings for button in booking_text.manage_buttons(b.reference)]
        dispatcher.utter_message(text=f"Vos rendez-vous à venir :\n{lines}", buttons=buttons)
        return []


class ActionCancelBooking(Action):
    """Asks to confirm the cancellation of one of the resident's bookings."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_cancel_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A Yes button carrying the reference, and a No."""
        return await offer_to_cancel(dispatcher, tracker)


async def offer_to_cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Ask to confirm the cancellation of the booking the message is about (by reference, or the only one)."""
    found, by_phone = await resident_booking(dispatcher, tracker, "annuler")
    if found is None:
        return []
    ask_to_cancel(dispatcher, found)
    return [SlotSet("booking_verified", found.reference)] if by_phone else []


def ask_to_cancel(dispatcher: CollectingDispatcher, found: Booking) -> None:
    """The booking's line with Yes and No buttons: nothing is cancelled before Yes."""
    line = booking_text.booking_line(found, settings().zone)[2:]
    dispatcher.utter_message(
        text=f"Voulez-vous vraiment annuler ce rendez-vous ?\n{line}",
        buttons=booking_text.cancel_buttons(found.reference),
    )


class ActionConfirmCancel(Action):
    """Cancels the booking whose Yes button was tapped; the mediators are told."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_confirm_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Cancels, or says it could not."""
        reference = entity(tracker, "booking_reference") or ""
        cancelled = await asyncio.to_thread(_cancel, tracker.sender_id, reference, tracker.get_slot("booking_verified"))
        if cancelled:
            dispatcher.utter_message(
                text=f"Le rendez-vous {reference} est annulé. Le médiateur est prévenu.", buttons=[BOOK_BUTTON]
            )
        else:
            dispatcher.utter_message(text=f"Le rendez-vous {reference} n'est plus à venir : rien à annuler.")
        return [SlotSet("booking_verified", None)]


def _cancel(conversation_id: str, reference: str, verified: str | None) -> bool:
    with transaction(settings().database_url) as session:
        found = booking.find_booking(
            session, reference=reference, conversation_id=conversation_id, phone=None, verified=verified
        )
        if found is None:
            return False
        booking.cancel(session, booking=found)
        return True
