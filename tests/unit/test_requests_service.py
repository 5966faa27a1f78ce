"""Requests on the real database: references, duplicates merged, who may see one, status changes told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.errors import NotActionable
from bot.models import (
    Conversation,
    OutgoingMessage,
    RequestEvent,
    RequestFollower,
    RequestStatus,
    ResidentRequest,
    utcnow,
)
from bot.services import requests
from bot.services.request_categories import category_in, problem_described, spot_in
from bot.settings import Settings
from tests.factories import new_conversation, new_tenant

PLACE = "Résidence Les Tilleuls, bât. B, escalier 2"


def _report(settings: Settings, conversation_id: str, **changes: object) -> tuple[str, bool]:
    values = {
        "conversation_id": conversation_id,
        "category": "bulky",
        "place": PLACE,
        "description": "un matelas devant la porte",
        "phone": "+33612345678",
        "notify": True,
    } | changes
    with transaction(settings.database_url) as session:
        request, joined = requests.report(session, requests.NewRequest(**values))  # type: ignore[arg-type]
        return request.reference, joined


def _request(settings: Settings, reference: str) -> ResidentRequest:
    with transaction(settings.database_url) as session:
        found = requests.by_reference(session, reference=reference)
        assert found is not None
        return found


@pytest.mark.parametrize(
    ("text", "category", "spot"),
    [
        ("il y a des encombrants dans le local poubelle", "bulky", "local poubelle"),
        ("des rats dans le local poubelle", "pests", "local poubelle"),
        ("l'ascenseur est en panne depuis 3 jours", "lift", "ascenseur"),
        ("la lumiere de la cage d'escalier marche plus", "lighting", "cage d'escalier"),
        ("tag sur la porte du hall", "graffiti", "hall"),
        ("la porte d'entrée ne ferme plus", "doors", "entree"),
        ("fuite d'eau dans le parking", "leak", "parking"),
        ("pas d'eau chaude", "heating", None),
        ("le hall est dégueulasse", "cleanliness", "hall"),
        ("les pelouses ne sont pas tondues", "green_spaces", None),
    ],
)
def test_the_category_and_the_spot_are_read_from_the_words(text: str, category: str, spot: str | None) -> None:
    found = category_in(text)
    assert found is not None and found.key == category
    assert spot_in(text) == spot


def test_a_message_naming_no_problem_has_no_category() -> None:
    assert category_in("je veux signaler un problème") is None


def test_places_written_differently_have_the_same_key() -> None:
    assert requests.place_key("Bât. B, résidence Les Tilleuls") == requests.place_key("les tilleuls batiment b")
    assert requests.place_key("Les Tilleuls bât B 3e étage") == requests.place_key("tilleuls, bat b, 3eme etage")
    assert requests.place_key("Les Tilleuls bât B") != requests.place_key("Les Tilleuls bât C")


def test_a_report_gets_a_reference_a_first_step_and_its_reporter_as_follower(settings: Settings) -> None:
    conversation = new_conversation(settings, new_tenant(settings))

    reference, joined = _report(settings, conversation)

    assert reference.startswith("DEM-") and not joined
    with transaction(settings.database_url) as session:
        request = session.scalars(select(ResidentRequest).where(ResidentRequest.reference == reference)).one()
        assert request.status is RequestStatus.NEW and request.place_key == requests.place_key(PLACE)
        assert [
            e.status for e in session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))
        ] == [RequestStatus.NEW]
        follower = session.scalars(select(RequestFollower).where(RequestFollower.request_id == request.id)).one()
        assert follower.conversation_id == conversation and follower.notify


def test_the_same_problem_at_the_same_place_joins_the_first_report(settings: Settings) -> None:
    tenant = new_tenant(settings)
    reporter, neighbour = new_conversation(settings, tenant), new_conversation(settings, tenant)
    first, _ = _report(settings, reporter)

    second, joined = _report(settings, neighbour, place="les tilleuls batiment B esc 2", notify=False)

    assert joined and second == first
    with transaction(settings.database_url) as session:
        assert len(session.scalars(select(ResidentRequest).where(ResidentRequest.tenant_id == tenant)).all()) == 1
        followers = session.scalars(
            select(RequestFollower).join(ResidentRequest).where(ResidentRequest.reference == first)
        ).all()
        assert {(f.conversation_id, f.notify) for f in followers} == {(reporter, True), (neighbour, False)}


@pytest.mark.parametrize(
    "difference",
    [{"category": "lift"}, {"place": "Résidence Les Tilleuls, bât. C"}, "older than 48 hours", "already done", "other"],
)
def test_a_different_or_old_or_closed_problem_is_a_new_request(settings: Settings, difference: object) -> None:
    tenant = new_tenant(settings)
    category = "other" if difference == "other" else "bulky"
    first, _ = _report(settings, new_conversation(settings, tenant), category=category)
    with transaction(settings.database_url) as session:
        request = requests.by_reference(session, reference=first)
        assert request is not None
        if difference == "older than 48 hours":
            request.created_at = utcnow() - timedelta(hours=49)
        if difference == "already done":
            requests.change_status(session, request=request, status=RequestStatus.DONE, note=None, staff_id=None)

    changes = difference if isinstance(difference, dict) else {"category": category}
    second, joined = _report(settings, new_conversation(settings, tenant), **changes)

    assert not joined and second != first


def test_another_tenant_s_report_is_never_joined(settings: Settings) -> None:
    first, _ = _report(settings, new_conversation(settings, new_tenant(settings)))
    second, joined = _report(settings, new_conversation(settings, new_tenant(settings)))
    assert not joined and second != first


def test_a_request_is_shown_to_its_resident_or_with_its_phone_never_to_a_stranger(settings: Settings) -> None:
    tenant = new_tenant(settings)
    mine = new_conversation(settings, tenant)
    reference, _ = _report(settings, mine)
    stranger = new_conversation(settings, tenant)
    with transaction(settings.database_url) as session:
        resident_id = session.get_one(Conversation, mine).resident_id
        session.get_one(Conversation, mine).closed_at = utcnow()
    later = new_conversation(settings, tenant, resident_id=resident_id)

    with transaction(settings.database_url) as session:
        assert requests.find_request(session, reference=reference, conversation_id=later, phone=None) is not None
        assert requests.find_request(session, reference=reference, conversation_id=stranger, phone=None) is None
        assert (
            requests.find_request(session, reference=reference, conversation_id=stranger, phone="+33700000000") is None
        )
        assert requests.find_request(session, reference=reference, conversation_id=stranger, phone="+33612345678")
        assert [r.reference for r in requests.own_requests(session, conversation_id=later)] == [reference]
        assert requests.own_requests(session, conversation_id=stranger) == []


def test_a_status_change_is_told_to_the_followers_who_asked_only(settings: Settings) -> None:
    tenant = new_tenant(settings)
    told, silent = new_conversation(settings, tenant), new_conversation(settings, tenant)
    reference, _ = _report(settings, told, notify=True)
    _report(settings, silent, notify=False)

    with transaction(settings.database_url) as session:
        request = requests.by_reference(session, reference=reference)
        assert request is not None
        requests.change_status(
            session, request=request, status=RequestStatus.IN_PROGRESS, note="Enlèvement prévu jeudi", staff_id=None
        )

    with transaction(settings.database_url) as session:
        sent = session.scalars(select(OutgoingMessage).where(OutgoingMessage.conversation_id.in_([told, silent]))).all()
        assert [(m.conversation_id, m.text) for m in sent] == [
            (told, f"Votre demande {reference} (Encombrants) est en cours de traitement. Note : Enlèvement prévu jeudi")
        ]
        assert [e.note for e in _request(settings, reference).events] == [None, "Enlèvement prévu jeudi"]


def test_a_refusal_needs_its_reason_and_an_unchanged_status_needs_a_note(settings: Settings) -> None:
    reference, _ = _report(settings, new_conversation(settings, new_tenant(settings)))
    with transaction(settings.database_url) as session:
        request = requests.by_reference(session, reference=reference)
        assert request is not None
        with pytest.raises(NotActionable, match="raison"):
            requests.change_status(session, request=request, status=RequestStatus.REJECTED, note=" ", staff_id=None)
        with pytest.raises(NotActionable, match="déjà ce statut"):
            requests.change_status(session, request=request, status=RequestStatus.NEW, note=None, staff_id=None)
    assert _request(settings, reference).status is RequestStatus.NEW


def test_a_status_change_sees_the_one_another_mediator_just_made(settings: Settings) -> None:
    reference, _ = _report(settings, new_conversation(settings, new_tenant(settings)))
    with transaction(settings.database_url) as first:
        seen_by_first = requests.by_reference(first, reference=reference)
        assert seen_by_first is not None and seen_by_first.status is RequestStatus.NEW
        with transaction(settings.database_url) as second:
            other = requests.by_reference(second, reference=reference)
            assert other is not None
            requests.change_status(second, request=other, status=RequestStatus.IN_PROGRESS, note=None, staff_id=None)

        with pytest.raises(NotActionable, match="déjà ce statut"):
            requests.change_status(
                first, request=seen_by_first, status=RequestStatus.IN_PROGRESS, note=None, staff_id=None
            )

    assert [e.status for e in _request(settings, reference).events] == [RequestStatus.NEW, RequestStatus.IN_PROGRESS]


def test_a_danger_is_recorded_as_an_urgent_request_followed_with_notices(settings: Settings) -> None:
    conversation_id = new_conversation(settings, new_tenant(settings))
    with transaction(settings.database_url) as session:
        conversation = session.get_one(Conversation, conversation_id)
        request = requests.record_urgent(session, conversation=conversation, text="ça sent le gaz dans le hall")
        reference = request.reference
        flooded = requests.record_urgent(session, conversation=conversation, text="inondation au sous-sol, l'eau monte")
        flooded_key = (flooded.category, flooded.place)

    found = _request(settings, reference)
    assert found.urgent and found.description == "ça sent le gaz dans le hall"
    assert (found.category, found.place) == ("other", "hall")
    assert flooded_key == ("leak", "sous sol")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("y a des cafards partout dans la cuisine", "pests"),
        ("j'ai des punaises de lit", "pests"),
        ("la porte du hall est cassée", "doors"),
        ("ascenseur HS depuis lundi", "lift"),
        ("les poubelles debordent", "bins"),
        ("un matelas traine devant le bat C", "bulky"),
    ],
)
def test_a_problem_described_in_words_is_a_report(text: str, category: str) -> None:
    found = problem_described(text)
    assert found is not None and found.key == category


@pytest.mark.parametrize(
    "text",
    [
        "les pots de yaourt vont dans le bac marron ?",
        "on met quoi dans le bac a biodechets",
        "plein de petites mouches au dessus de ma poubelle comment je m'en debarrasse",
        # A heating breakdown has its own knowledge entry: who to call, what to do meanwhile.
        "plus de chauffage dans tout le batiment",
        "led ou ampoule classique",
    ],
)
def test_a_question_or_a_mention_is_no_report(text: str) -> None:
    assert problem_described(text) is None
