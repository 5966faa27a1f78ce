"""How the bot words visits in French: topics, slots, summaries, confirmations and their buttons."""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import Booking, SlotKind, VisitSlot
from bot.services.contact import display_phone
from bot.services.when import plain


@dataclass(frozen=True)
class Topic:
    """A reason for a visit: its label, the words that name it, and what to prepare."""

    label: str
    keywords: tuple[str, ...]
    prepare: str


# The keys are the payloads of utter_ask_booking_topic's buttons (domain/booking.yml).
TOPICS = {
    "energy": Topic(
        "Factures et économies d'énergie",
        ("factur", "energ", "electri", "gaz", "consomm", "compteur", "cheque", "edf", "engie", "economi"),
        "vos dernières factures d'électricité et de gaz, et votre chèque énergie si vous en avez un",
    ),
    "damp_heating": Topic(
        "Humidité, chauffage",
        ("humid", "moisi", "chauff", "radiateur", "froid", "condensation", "aerat", "ventil"),
        "vos dernières factures d'énergie et, si possible, des photos des endroits humides",
    ),
    "biowaste": Topic(
        "Biodéchets et tri",
        ("biodechet", "compost", "tri", "bioseau", "dechet", "poubelle", "epluchure"),
        "rien de particulier : le médiateur apporte la documentation",
    ),
    "neighbours": Topic(
        "Conflit de voisinage",
        ("voisin", "bruit", "conflit", "dispute", "tapage"),
        "les dates et les faits que vous souhaitez évoquer",
    ),
    "paperwork": Topic(
        "Démarches administratives ou numériques",
        ("papier", "demarche", "dossier", "administrat", "internet", "numerique", "ordinateur", "caf", "formulaire"),
        "les courriers concernés, une pièce d'identité et vos identifiants (CAF, impôts…) si vous les avez",
    ),
    "other": Topic("Autre sujet", (), "les documents utiles à votre question"),
}

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


# A wish for an appointment, not a question about one ("le rendez-vous est payant ?").
VISIT_WISH = (
    r"\b(prendre|avoir|fixer|reserver|demander|veux|voudrais|voudrait|souhaite|souhaiterais|faut|besoin d|"
    r"jveux|jveu|veu|vx|jvoudrais|jvoudrai|voudrai)"
    r" (un |une |1 |d |de )?(rendez vous|rendez-vous|rdv|visite)\b"
    # "rdv pour mes factures", "un rendez-vous svp", "visite a domicile stp": the wish without its verb.
    r"|^(un |une )?(rendez vous|rendez-vous|rdv|visite)( a domicile| d un mediateur)?"
    r"( pour| avec| svp| stp| s il vous plait| merci|$)"
)


def topic_in(text: str) -> str | None:
    """The topic named first in ``text`` (not one it rules out: "pas pour les factures"), if any."""
    words = re.sub(r"\bpas (pour|de|d'|du|des) (les |la |le |l'|mes |ma |mon |un |une )?\w+", " ", plain(text))
    found = []
    for key, topic in TOPICS.items():
        # At the start of a word: "tri" names sorting, not "électricité".
        for keyword in topic.keywords:
            if match := re.search(rf"\b{keyword}", words):
                found.append((match.start(), key))
    return min(found)[1] if found else None


def asks_for_a_visit(text: str) -> bool:
    """Whether ``text`` asks for an appointment ("je voudrais prendre rendez-vous", "il me faut un rdv")."""
    words = plain(text).replace("'", " ")
    return "?" not in words and re.search(VISIT_WISH, words) is not None


# "déplacer mon rendez-vous", "changer la date de mon rdv", "je peux décaler la visite ?".
MOVE_WISH = (
    r"\b(deplac|decal|report|changer|modifier|avancer|repousser)\w*\b.*"
    r"\b(rendez vous|rendez-vous|rdv|visite|rv|creneau)\b"
)
CANCEL_WISH = r"\b(annul|supprim)\w*\b.*\b(rendez vous|rendez-vous|rdv|visite|rv)\b"


def asks_to_move(text: str) -> bool:
    """Whether ``text`` asks to move a booking ("je voudrais déplacer mon rendez-vous")."""
    return re.search(MOVE_WISH, plain(text).replace("'", " ")) is not None


def asks_to_cancel_a_visit(text: str) -> bool:
    """Whether ``text`` asks to cancel a booking in words ("annuler mon rdv de jeudi")."""
    return re.search(CANCEL_WISH, plain(text).replace("'", " ")) is not None


def names_own_bookings(text: str) -> bool:
    """Whether ``text`` is about the resident's bookings ("mes rdv", "mon rendez-vous")."""
    return re.search(r"\b(mes|mon|ma) (rendez vous|rendez-vous|rdv|visites?)\b", plain(text)) is not None


def asks_to_cancel(text: str) -> bool:
    """Whether ``text`` asks to cancel ("annuler", "annulation", "supprimer le rdv")."""
    return re.search(r"\b(annul|supprim)", plain(text)) is not None


def day_and_time(moment: datetime, zone: ZoneInfo) -> str:
    """« mardi 1er décembre à 14 h 30 »."""
    local = moment.astimezone(zone)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{WEEKDAYS[local.weekday()]} {day} {MONTHS[local.month - 1]} à {local.hour} h {local.minute:02d}"


def where(slot: VisitSlot) -> str:
    """Where the visit happens, as the resident reads it."""
    if slot.kind is SlotKind.HOME_VISIT:
        return "chez vous"
    return f"à la permanence : {slot.place or 'au local de la Régie'}"


def slot_button(slot: VisitSlot, zone: ZoneInfo) -> dict[str, str]:
    """A button that picks this slot in the booking form."""
    kind = "à domicile" if slot.kind is SlotKind.HOME_VISIT else "permanence"
    payload = "/choose" + json.dumps({"booking_slot": str(slot.id)})
    return {"title": f"{day_and_time(slot.starts_at, zone).capitalize()} ({kind})", "payload": payload}


def summary(slots: dict[str, str | None], slot: VisitSlot, zone: ZoneInfo) -> str:
    """The recap shown before booking, from the form's slots."""
    lines = [
        "Je récapitule :",
        f"• Sujet : {TOPICS[slots['booking_topic'] or 'other'].label}",
        f"• Quand : {day_and_time(slot.starts_at, zone)}, {where(slot)}",
        f"• Nom : {slots['booking_name']}",
        f"• Téléphone : {display_phone(phone_of(slots['booking_phone']))}",
    ]
    if slot.kind is SlotKind.HOME_VISIT:
        lines.append(f"• Adresse : {slots['booking_address']}")
    return "\n".join([*lines, "Tout est juste ? Répondez « oui » pour confirmer, ou dites ce qu'il faut corriger."])


def confirmation(booking: Booking, zone: ZoneInfo, *, moved: bool) -> str:
    """What the resident reads once the visit is booked (or moved)."""
    done = "est déplacé" if moved else "est confirmé"
    topic = TOPICS.get(booking.topic, TOPICS["other"])
    return (
        f"C'est noté ! Votre rendez-vous {booking.reference} {done} : "
        f"{day_and_time(booking.slot.starts_at, zone)}, {where(booking.slot)}.\n"
        f"{reach(booking.phone)}\n"
        f"À préparer : {topic.prepare}.\n"
        "Pour le voir, le déplacer ou l'annuler, écrivez « mes rendez-vous »."
    )


def reach(phone: str) -> str:
    """How the mediator will reach the resident: by phone, or here when they gave none."""
    if not phone:
        return "Le médiateur vous écrira ici, dans cette conversation, s'il doit vous joindre."
    return f"Le médiateur pourra vous appeler au {display_phone(phone)}."


def phone_of(value: str | None) -> str:
    """The phone to store from the form's value: empty when the resident has none."""
    return "" if value in (None, NO_PHONE_VALUE) else value


def booking_line(booking: Booking, zone: ZoneInfo) -> str:
    """One booking in a list: reference, date and place."""
    return f"• {booking.reference} : {day_and_time(booking.slot.starts_at, zone)}, {where(booking.slot)}"


def manage_buttons(reference: str) -> list[dict[str, str]]:
    """Move and cancel buttons for the booking with this reference."""
    entity = json.dumps({"booking_reference": reference})
    return [
        {"title": f"Déplacer {reference}", "payload": f"/move_booking{entity}"},
        {"title": f"Annuler {reference}", "payload": f"/cancel_booking{entity}"},
    ]


# The form's value for "no phone": the mediator writes in the conversation instead.
NO_PHONE_VALUE = "none"
NO_PHONE = (
    "Pas de souci : sans téléphone, le médiateur vous écrira ici, dans cette conversation. "
    "Vous pouvez aussi donner le numéro d'un proche."
)
RECAP_HINT = (
    "Répondez « oui » pour confirmer, ou dites ce qu'il faut corriger (le créneau, le nom, le numéro, l'adresse)."
)
# A typed answer to the slot question that names no day, time or slot: how to answer instead of a loop.
SLOT_HINT = (
    "Je n'ai pas trouvé de date dans votre message. Touchez un créneau, ou écrivez par exemple "
    "« le premier », « jeudi après-midi », « le 15 à 10 h » ou « le plus tôt possible ». "
    "Si aucun ne vous convient, écrivez « médiateur »."
)
YES_NO = [{"title": "Oui, je confirme", "payload": "/affirm"}, {"title": "Non, corriger", "payload": "/deny"}]


def correction_buttons(slot: VisitSlot) -> list[dict[str, str]]:
    """One button per answer that can be corrected, and one to give up."""
    fields = [("booking_slot", "Le créneau"), ("booking_name", "Le nom"), ("booking_phone", "Le téléphone")]
    if slot.kind is SlotKind.HOME_VISIT:
        fields.append(("booking_address", "L'adresse"))
    buttons = [{"title": title, "payload": "/choose" + json.dumps({"booking_field": field})} for field, title in fields]
    return [*buttons, {"title": "Tout annuler", "payload": "/stop"}]


def cancel_buttons(reference: str) -> list[dict[str, str]]:
    """Yes (carrying the reference) and No, to confirm a cancellation."""
    entity = json.dumps({"booking_reference": reference})
    return [
        {"title": "Oui, annuler", "payload": f"/confirm_cancel{entity}"},
        {"title": "Non, le garder", "payload": "/deny"},
    ]
