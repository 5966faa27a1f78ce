"""Residents' rights in the dialogue: see what is stored ("quelles données avez-vous sur moi"), erase it.

Erasing asks first; only the button's payload (``/confirm_erase``, accepted by
the router only when the bot offered it) erases. The action erases our tables
in one transaction; the router deletes Rasa's tracker events once Rasa has
answered (see ``bot/services/privacy.py``).
"""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import settings
from bot.db import transaction
from bot.models import utcnow
from bot.services import personal_data

CONFIRM_BUTTON = {"title": "Oui, tout effacer", "payload": "/confirm_erase"}
KEEP_BUTTON = {"title": "Non, garder", "payload": "/deny"}
ASK_CONFIRMATION = (
    "Voulez-vous vraiment effacer vos données ? Vos coordonnées et nos conversations seront supprimées "
    "et vos rendez-vous à venir annulés (le médiateur est prévenu). Vos signalements restent, sans rien "
    "qui vous identifie, pour que le problème soit réglé. C'est définitif."
)
# How each channel gets the complete file.
FULL_COPY = {
    "telegram": "Pour recevoir le fichier complet (avec nos conversations), tapez /mesdonnees.",
    "web": "Pour télécharger le fichier complet (avec nos conversations) : le lien « Mes données » de cette fenêtre.",
}
TO_ERASE = "Pour tout effacer, écrivez « supprimez mes données »."


def _summary(conversation_id: str) -> tuple[str, str]:
    """The readable summary of the resident's data, and their channel."""
    with transaction(settings().database_url) as session:
        resident = personal_data.resident_of(session, conversation_id=conversation_id)
        data = personal_data.export(session, resident=resident, now=utcnow())
        return personal_data.summary(data, settings().zone), resident.channel


def _erase(conversation_id: str) -> personal_data.Erasure:
    with transaction(settings().database_url) as session:
        resident = personal_data.resident_of(session, conversation_id=conversation_id)
        erasure = personal_data.erase(session, resident=resident, now=utcnow())
    # Rasa still holds this conversation: the router deletes its tracker events after this turn.
    personal_data.forget_outside(erasure, tracker_store_url=None, photo_dir=settings().photo_dir)
    return erasure


class ActionMyData(Action):
    """What the Régie stores about the resident, in a few lines, and how to get all of it."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Says the summary, then where the full file is and how to erase."""
        text, channel = await asyncio.to_thread(_summary, tracker.sender_id)
        dispatcher.utter_message(text=f"{text}\n\n{FULL_COPY.get(channel, FULL_COPY['web'])} {TO_ERASE}")
        return []


class ActionEraseData(Action):
    """Asks for a confirmation before erasing, with the one button that erases."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_erase_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Says what erasing does and offers to confirm or keep."""
        dispatcher.utter_message(text=ASK_CONFIRMATION, buttons=[CONFIRM_BUTTON, KEEP_BUTTON])
        return []


class ActionConfirmErase(Action):
    """The resident confirmed: their data is erased (see bot/services/personal_data.py)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_confirm_erase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Erases, then says so (and which visits were cancelled)."""
        erasure = await asyncio.to_thread(_erase, tracker.sender_id)
        cancelled = f" Rendez-vous annulé(s) : {', '.join(erasure.cancelled)}." if erasure.cancelled else ""
        dispatcher.utter_message(
            text=f"C'est fait : vos données sont effacées.{cancelled} "
            "Si vous m'écrivez à nouveau, ce sera une nouvelle conversation."
        )
        return []
