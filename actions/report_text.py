"""The report actions' wording: questions' buttons, the confirmation, a request's status and history."""

import re
from zoneinfo import ZoneInfo

from actions.booking_text import day_and_time
from actions.report_data import RequestView
from bot.models import RequestStatus
from bot.services.request_categories import CATEGORIES
from bot.services.requests import STATUS_LABELS
from bot.services.when import plain

REPORT_BUTTON = {"title": "Signaler un problème", "payload": "/report_problem"}
NO_PHOTO_BUTTON = {"title": "Pas de photo", "payload": '/choose{"report_photo": "none"}'}
RESUME = "Reprenons votre signalement."
MAX_LISTED = 5


def category_buttons() -> list[dict[str, str]]:
    """One button per category, "Autre problème" last."""
    return [
        {"title": category.label, "payload": f'/choose{{"report_category": "{category.key}"}}'}
        for category in CATEGORIES
    ]


def place_question(spot: str | None) -> str:
    """Where exactly: the building, staircase and floor (of the spot the first message named)."""
    example = "(par exemple : « Résidence Les Tilleuls, bât. B, escalier 2, 3e étage »)"
    if spot:
        # The spot is shown as written, which spares "ce/cet/ces" before it.
        return (
            f"Où se trouve le problème ({spot}) ? Indiquez la résidence ou l'adresse, le bâtiment et l'escalier "
            f"{example}."
        )
    return f"Où exactement ? Indiquez la résidence ou l'adresse, le bâtiment, l'escalier et l'étage {example}."


def already_reported(view: RequestView, zone: ZoneInfo) -> str:
    """Said as soon as the same problem at the same place is found."""
    since = day_and_time(view.created_at, zone)
    return (
        f"Ce problème a déjà été signalé à cet endroit ({view.reference}, {since}) et il est suivi. "
        "Je vous ajoute à ce signalement plutôt que d'en créer un autre."
    )


def recorded(view: RequestView, joined: bool, notify: bool, zone: ZoneInfo) -> str:
    """The confirmation: the reference, who handles it, how to follow it up."""
    if joined:
        text = f"C'est noté : vous suivez le signalement {view.reference}, inutile d'en faire un autre."
    else:
        text = (
            f"C'est enregistré : votre signalement porte la référence {view.reference}. "
            f"« {view.category.label} » est en général traité par {view.category.handled_by} "
            f"(priorité {view.category.urgency})."
        )
    if view.category.urgency == "urgente":
        text += " S'il y a un risque (eau près de l'électricité, personne en danger), appelez le 112."
    follow_up = f"Pour le suivre, écrivez « où en est ma demande {view.reference} »."
    told = " Je vous préviendrai ici quand il avancera." if notify else ""
    return f"{text}\n{follow_up}{told}"


def status_line(view: RequestView) -> str:
    """« DEM-K7P3QX, Ascenseur (bât. B) : en cours de traitement »."""
    place = f" ({view.place})" if view.place else ""
    return f"• {view.reference}, {view.category.label}{place} : {STATUS_LABELS[view.status]}"


def history(view: RequestView, zone: ZoneInfo) -> str:
    """The request's status, then each step with its note."""
    lines = [f"Demande {view.reference} ({view.category.label}) : {STATUS_LABELS[view.status]}."]
    for step in view.history:
        note = f" : {step.note}" if step.note else ""
        lines.append(f"• {day_and_time(step.at, zone)}, {STATUS_LABELS[step.status]}{note}")
    if view.status is RequestStatus.NEW:
        lines.append("Elle a été transmise ; vous serez prévenu(e) ici si vous l'avez demandé.")
    return "\n".join(lines)


def listing(views: list[RequestView]) -> str:
    """The resident's latest requests, one line each."""
    lines = [status_line(view) for view in views[:MAX_LISTED]]
    more = f"\n(et {len(views) - MAX_LISTED} plus anciennes)" if len(views) > MAX_LISTED else ""
    ask = "\nPour le détail d'une demande, écrivez sa référence (par exemple « où en est ma demande DEM-… »)."
    return "Vos demandes :\n" + "\n".join(lines) + more + ask


# "ou en est mon signalement", "et ma demande pour les encombrants ça avance ?".
REPORTED = re.compile(
    r"\b(signalements?|demandes?|reclamations?|dem|signale|signalee|signales|signalees|declare|declaree)\b"
)
NEWS = re.compile(
    r"\b(avance|avancer|en est|ou en|suivi|suivre|nouvelles|du nouveau|traite|traitee|statut|etat|bouge|"
    r"fait quelque chose|quelqu un est passe|toujours rien)\b"
)


def asks_about_requests(text: str) -> bool:
    """Whether ``text`` asks how the resident's reports are going (a report and news of it, in any order)."""
    words = plain(text).replace("'", " ")
    return REPORTED.search(words) is not None and NEWS.search(words) is not None
