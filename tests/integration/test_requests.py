"""Reporting a problem and following it up, end to end through POST /api/chat on the real stack."""

import re

import httpx
from sqlalchemy import select

from bot.db import transaction
from bot.models import Mode, OutgoingMessage, Photo, RequestFollower, RequestStatus, ResidentRequest, Tenant
from bot.services import requests
from tests.integration.booking_chat import Resident, new_tenant
from tests.integration.stack import Stack
from tests.transcript import conversation_of

REFERENCE = re.compile(r"DEM-[A-HJ-NP-Z2-9]{6}")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 2000
PLACE = "Résidence Les Tilleuls, bât. B, escalier 2"


def requests_of(stack: Stack, slug: str) -> list[ResidentRequest]:
    with transaction(stack.settings.database_url) as session:
        return list(
            session.scalars(
                select(ResidentRequest).join(Tenant).where(Tenant.slug == slug).order_by(ResidentRequest.id)
            )
        )


def followers_of(stack: Stack, request_id: int) -> list[tuple[str, bool]]:
    with transaction(stack.settings.database_url) as session:
        rows = session.scalars(select(RequestFollower).where(RequestFollower.request_id == request_id))
        return sorted((f.conversation_id, f.notify) for f in rows)


def report_bulky_items(resident: Resident, *, notify: str = "Oui") -> str:
    """The one-message report: category and spot from the first message, then where, photo, phone, news."""
    asked = resident.say("il y a des encombrants dans le local poubelle")
    assert "local poubelle" in asked, asked
    resident.say(PLACE)
    resident.tap("Pas de photo")
    resident.say("06 12 34 56 78")
    return resident.tap(notify)


def test_one_message_gives_category_and_spot_and_the_report_ends_with_a_reference(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    done = report_bulky_items(resident)

    reference = REFERENCE.search(done)
    assert reference is not None, done
    assert "Régie de Quartier" in done and f"où en est ma demande {reference.group()}" in done
    (stored,) = requests_of(stack, tenant)
    assert (stored.reference, stored.category, stored.status) == (reference.group(), "bulky", RequestStatus.NEW)
    assert stored.place == f"local poubelle, {PLACE}" and stored.phone == "+33612345678"
    assert stored.description == "il y a des encombrants dans le local poubelle"
    conversation = conversation_of(stack.settings, resident.sender)
    assert conversation is not None and followers_of(stack, stored.id) == [(conversation.id, True)]


def test_buttons_and_a_photo_from_the_widget(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    resident.say("je veux signaler un probleme")
    assert "Ascenseur" in resident.button_titles()
    resident.tap("Ascenseur")
    resident.say(PLACE)
    resident.say("bloqué au 2e étage depuis ce matin")
    assert resident.replies[0].get("accepts_photo") is True
    uploaded = resident.send_photo(JPEG)
    assert uploaded.status_code == 200, uploaded.text
    assert "téléphone" in resident.replies[0]["text"]
    resident.tap("Passer")
    done = resident.tap("Non")

    assert REFERENCE.search(done) and "préviendrai" not in done
    (stored,) = requests_of(stack, tenant)
    assert (stored.category, stored.description, stored.phone) == ("lift", "bloqué au 2e étage depuis ce matin", None)
    with transaction(stack.settings.database_url) as session:
        (photo,) = session.scalars(select(Photo).where(Photo.request_id == stored.id))
        assert photo.content_type == "image/jpeg" and photo.size == len(JPEG)


def test_a_neighbour_reporting_the_same_problem_joins_the_first_request(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    first = REFERENCE.search(report_bulky_items(Resident(api, tenant)))
    assert first is not None
    neighbour = Resident(api, tenant)

    neighbour.say("des encombrants dans le local poubelle")
    told = neighbour.say("bat B escalier 2, residence les tilleuls")
    assert "déjà été signalé" in told and first.group() in told, told
    done = neighbour.tap("Oui")

    assert first.group() in done and "vous suivez le signalement" in done
    (stored,) = requests_of(stack, tenant)
    assert len(followers_of(stack, stored.id)) == 2


def test_a_danger_gets_the_emergency_numbers_first_then_an_urgent_request(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    resident.say("ça sent le gaz dans le hall de l'immeuble")

    texts = [reply["text"] for reply in resident.replies]
    assert texts[0].startswith("⚠️") and "112" in texts[0] and "0 800 47 33 33" in texts[0]
    assert "signalement urgent" in texts[1]
    (stored,) = requests_of(stack, tenant)
    assert stored.urgent and stored.reference in texts[1]
    conversation = conversation_of(stack.settings, resident.sender)
    assert conversation is not None and conversation.mode is Mode.HUMAN


def test_a_resident_follows_their_request_and_hears_of_its_progress(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    reference = REFERENCE.search(report_bulky_items(resident))
    assert reference is not None
    with transaction(stack.settings.database_url) as session:
        found = requests.by_reference(session, reference=reference.group())
        assert found is not None
        requests.change_status(
            session, request=found, status=RequestStatus.IN_PROGRESS, note="Enlèvement jeudi matin", staff_id=None
        )

    status = resident.say(f"ou en est ma demande {reference.group().lower()}")

    assert "en cours de traitement" in status and "Enlèvement jeudi matin" in status
    conversation = conversation_of(stack.settings, resident.sender)
    assert conversation is not None
    with transaction(stack.settings.database_url) as session:
        notices = session.scalars(
            select(OutgoingMessage.text).where(OutgoingMessage.conversation_id == conversation.id)
        )
        assert [n for n in notices if reference.group() in n] == [
            f"Votre demande {reference.group()} (Encombrants) est en cours de traitement. Note : Enlèvement jeudi matin"
        ]
    assert reference.group() in resident.say("mes demandes")


def test_someone_else_s_reference_is_not_shown_without_its_phone(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    reference = REFERENCE.search(report_bulky_items(Resident(api, tenant)))
    assert reference is not None
    stranger = Resident(api, tenant)

    refused = stranger.say(f"ou en est ma demande {reference.group()}")
    unknown = stranger.say("ou en est ma demande DEM-ZZZZZZ")
    with_phone = stranger.say(f"ou en est ma demande {reference.group()}, mon numero est 06 12 34 56 78")

    assert "Je ne trouve pas la demande" in refused and "Encombrants" not in refused
    assert "Je ne trouve pas la demande DEM-ZZZZZZ" in unknown
    assert "Encombrants" in with_phone and "reçue" in with_phone


def test_bad_photos_are_refused_clearly_and_nothing_is_stored_half(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    unasked = resident.send_photo(JPEG)
    resident.say("je veux signaler un probleme")
    resident.tap("Ascenseur")
    resident.say(PLACE)
    resident.say("il est en panne")
    wrong = resident.send_photo(b"<svg onload=alert(1)></svg>", "image/jpeg")
    oversize = resident.send_photo(JPEG + b"\x00" * (5 * 1024 * 1024), "image/jpeg")

    assert (unasked.status_code, unasked.json()["error"]["code"]) == (409, "photo_not_expected")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (415, "photo_wrong_type")
    assert oversize.status_code == 413
    conversation = conversation_of(stack.settings, resident.sender)
    assert conversation is not None
    with transaction(stack.settings.database_url) as session:
        assert session.scalars(select(Photo).where(Photo.conversation_id == conversation.id)).all() == []
    # The form still waits for its photo: one can go on without.
    assert "téléphone" in resident.tap("Pas de photo")


def test_giving_up_the_report_records_nothing(api: httpx.Client, stack: Stack):
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    resident.say("il y a des encombrants dans le local poubelle")
    stopped = resident.say("stop")

    assert "je n'enregistre rien" in stopped
    assert requests_of(stack, tenant) == []
