"""Corrections typed in the booking form, at the recap or in the middle of it.

At the recap: "non, c'est pas le bon numéro : 07 11 22 33 44", "je veux
changer l'heure", "plutôt jeudi 17 à 14h". Mid-form, a correction of an
earlier answer is marked as one ("ah pardon, au nom de mon mari Karim
Benali" at the phone question): the new value replaces the old, and the form
asks its question again. The recap is shown again before anything is booked.
"""

import re
from datetime import datetime
from typing import Any

from actions import booking_text
from actions.booking_data import slot_typed
from actions.context import settings
from bot.services.contact import find_phone, name_in
from bot.services.slot_choice import speaks_of_a_time
from bot.services.when import plain

# Words that mark a message as a correction of an earlier answer.
CORRECTION_MARKER = re.compile(
    r"\b(pardon|en fait|finalement|plutot|trompe|erreur|changer|modifier|corriger|c'?est pas|ce n'?est pas|"
    r"non)\b"
)
# The answer a correction names without giving its new value: the form asks for it again.
FIELD_WORDS = (
    ("booking_slot", r"\b(heure|horaire|creneau|date|jour|moment)"),
    ("booking_phone", r"\b(numero|telephone|tel|portable)\b"),
    ("booking_name", r"\b(nom|prenom)\b"),
    ("booking_address", r"\b(adresse|batiment|bat|etage|porte|escalier)\b"),
    ("booking_topic", r"\b(sujet|motif)\b"),
)


def field_named(text: str) -> dict[str, Any] | None:
    """The answer a correction names without its new value ("le numéro est faux"), emptied to be asked again."""
    words = plain(text)
    return next(({field: None} for field, pattern in FIELD_WORDS if re.search(pattern, words)), None)


def changed(values: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    """The values that change something: "oui, c'est bien pour l'humidité" corrects nothing."""
    return {name: value for name, value in values.items() if value is None or value != slots.get(name)}


def mid_form(text: str, conversation_id: str, asked: str) -> dict[str, Any] | None:
    """A marked correction of another answer than the one asked: its new value."""
    if not CORRECTION_MARKER.search(plain(text)):
        return None
    values = new_values(text, conversation_id) or field_named(text) or {}
    # An address may hold a date's words ("12 rue du 8 mai"): there only a phone or a name is a correction.
    if asked == "booking_address" and "booking_slot" in values:
        return None
    return values if values and asked not in values else None


def new_values(text: str, conversation_id: str) -> dict[str, Any]:
    """What the text gives anew: a phone number, a name introduced as one, a slot (or a wish for one)."""
    if phone := find_phone(text):
        return {"booking_phone": phone}
    if name := name_in(text):
        return {"booking_name": name}
    if topic := booking_text.topic_in(text):
        return {"booking_topic": topic}
    zone = settings().zone
    if not speaks_of_a_time(text, datetime.now(zone).date()):
        return {}
    choice = slot_typed(conversation_id, text)
    if choice.slot is not None:
        return {"booking_slot": str(choice.slot.id), "booking_when": None}
    if choice.wish.understood and not choice.wish.in_the_past:
        return {"booking_slot": None, "booking_when": text}
    return {}
