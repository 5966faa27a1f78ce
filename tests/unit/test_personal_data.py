"""The resident's data: the export shows all of it, the erasure leaves nothing of the person anywhere."""

import json

from sqlalchemy import select

from bot.db import transaction
from bot.models import Booking, BookingNotice, BookingStatus, ResidentRequest, Role, utcnow
from bot.services import audit, personal_data
from bot.services.contact import display_phone
from bot.services.staff import create_staff
from tests.privacy_data import make_someone, traces_left, tracker_rows, write_tracker_events


def tracker_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def test_the_export_holds_contact_details_bookings_requests_and_the_transcript(settings):
    someone = make_someone(settings.database_url, settings.var_dir)

    data = personal_data.export_resident(
        settings.database_url, tenant_slug="demo", channel="web", external_id=someone.sender_id, now=utcnow()
    )

    assert data["coordonnees"] == {"noms": [someone.name], "telephones": [someone.phone], "adresses": [someone.address]}
    assert sorted(b["reference"] for b in data["rendez_vous"]) == sorted(someone.booking_references)
    assert data["demandes"][0]["reference"] == someone.request_reference and data["demandes"][0]["photos"] == 1
    written = [m["texte"] for c in data["conversations"] for m in c["messages"] if m["auteur"] == "resident"]
    assert written == list(someone.texts)
    json.dumps(data)  # the file a resident downloads
    text = personal_data.summary(data, settings.zone)
    assert (
        display_phone(someone.phone) in text
        and "3 messages, dans 2 conversations" in text
        and someone.request_reference in text
    )


def test_an_unknown_sender_has_no_export(settings):
    assert (
        personal_data.export_resident(
            settings.database_url, tenant_slug="demo", channel="web", external_id="nobody-x1", now=utcnow()
        )
        is None
    )


def test_erasing_leaves_nothing_of_the_resident_in_any_table_nor_in_the_tracker_store(settings, tmp_path):
    someone = make_someone(settings.database_url, settings.var_dir)
    for conversation_id, said in zip(someone.conversation_ids, someone.texts, strict=True):
        write_tracker_events(tracker_url(tmp_path), conversation_id, said)
    assert traces_left(settings.database_url, tracker_url(tmp_path), someone.needles)

    erasure = personal_data.erase_resident(
        settings.database_url, tenant_slug="demo", channel="web", external_id=someone.sender_id, now=utcnow(),
        tracker_store_url=tracker_url(tmp_path), photo_dir=settings.photo_dir,
    )  # fmt: skip

    assert erasure is not None and len(erasure.cancelled) == 1
    assert traces_left(settings.database_url, tracker_url(tmp_path), someone.needles) == []
    assert tracker_rows(tracker_url(tmp_path), someone.conversation_ids) == 0
    assert not someone.photo_path.exists()


def test_erasing_cancels_coming_visits_for_the_mediators_and_keeps_requests_as_anonymous_facts(settings, tmp_path):
    someone = make_someone(settings.database_url, settings.var_dir)

    personal_data.erase_resident(
        settings.database_url, tenant_slug="demo", channel="web", external_id=someone.sender_id, now=utcnow(),
        tracker_store_url=tracker_url(tmp_path), photo_dir=settings.photo_dir,
    )  # fmt: skip

    with transaction(settings.database_url) as session:
        coming, past = (
            session.scalar(select(Booking).where(Booking.reference == ref)) for ref in someone.booking_references
        )
        notices = list(session.scalars(select(BookingNotice.kind).where(BookingNotice.booking_id == coming.id)))
        request = session.scalar(select(ResidentRequest).where(ResidentRequest.reference == someone.request_reference))
        assert coming.status is BookingStatus.CANCELLED and coming.seat is None and notices == ["cancelled"]
        assert past.status is BookingStatus.BOOKED and past.topic == "energy_bill"
        assert (request.category, request.place, request.status.value) == ("lighting", "hall B", "new")
        assert request.description == personal_data.ERASED and request.phone is None


def test_erasing_twice_is_harmless_and_the_next_message_starts_afresh(settings, tmp_path):
    someone = make_someone(settings.database_url, settings.var_dir)
    erase = dict(
        tenant_slug="demo", channel="web", external_id=someone.sender_id, now=utcnow(),
        tracker_store_url=tracker_url(tmp_path), photo_dir=settings.photo_dir,
    )  # fmt: skip

    assert personal_data.erase_resident(settings.database_url, **erase) is not None
    assert personal_data.erase_resident(settings.database_url, **erase) is None

    with transaction(settings.database_url) as session:
        assert (
            personal_data.find_resident(session, tenant_slug="demo", channel="web", external_id=someone.sender_id)
            is None
        )


def test_the_export_lists_when_staff_opened_the_resident_s_conversations(settings):
    someone = make_someone(settings.database_url, settings.var_dir)
    with transaction(settings.database_url) as session:
        staff = create_staff(
            session, email=f"m-{someone.sender_id}@regie.test", password="a-long-enough-password",
            role=Role.MEDIATOR, display_name="Samia", tenant_slugs=(),
        )  # fmt: skip
        audit.record(session, staff_id=staff.id, action=audit.VIEW_CONVERSATION, target=someone.conversation_ids[0])

    data = personal_data.export_resident(
        settings.database_url, tenant_slug="demo", channel="web", external_id=someone.sender_id, now=utcnow()
    )

    assert [(c["action"], c["role"]) for c in data["consultations"]] == [("view_conversation", "mediator")]
