"""Booking a mediation visit in the conversation, end to end through POST /api/chat."""

import re

import httpx
from sqlalchemy import delete

from bot.db import transaction
from bot.models import BookingStatus, VisitSlot
from tests.integration.booking_chat import (
    ZONE,
    Resident,
    bookings_of,
    fill_the_form_up_to_the_summary,
    new_tenant,
    notices_of,
    slots_of,
    start_booking,
)
from tests.integration.stack import Stack

REFERENCE = re.compile(r"RDV-[A-HJ-NP-Z2-9]{6}")


def test_a_resident_books_a_home_visit_and_gets_a_reference(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)

    summary = fill_the_form_up_to_the_summary(resident)
    assert "Factures et économies d'énergie" in summary and "06 12 34 56 78" in summary
    done = resident.tap("Oui")

    reference = REFERENCE.search(done)
    assert reference is not None, done
    assert "chez vous" in done and "factures" in done
    (booked,) = bookings_of(stack.settings, tenant)
    assert (booked.reference, booked.phone, booked.topic) == (reference.group(), "+33612345678", "energy")
    assert booked.name == "Awa Diallo" and "Tilleuls" in (booked.address or "")
    assert notices_of(stack.settings, booked.id) == ["booked"]


def test_the_resident_corrects_the_phone_number_before_confirming(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    fill_the_form_up_to_the_summary(resident)

    assert "corriger" in resident.tap("Non")
    assert "téléphone" in resident.tap("Le téléphone")
    summary = resident.say("07 11 22 33 44")
    assert "07 11 22 33 44" in summary
    resident.tap("Oui")

    assert [b.phone for b in bookings_of(stack.settings, tenant)] == ["+33711223344"]


def test_a_wrong_phone_number_is_asked_again_with_an_example(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings))
    start_booking(resident, "Humidité")
    resident.say("Awa Diallo")

    answer = resident.say("06 12 34")

    assert "06 12 34 56 78" in answer and "pas valide" in answer


def test_a_question_in_the_middle_is_answered_and_the_form_goes_on(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    start_booking(resident, "Factures")

    answer = resident.say("c'est quoi un bioseau ?")

    assert "Reprenons" in answer and "nom" in answer
    resident.say("Awa Diallo")
    resident.say("0612345678")
    resident.say("4 rue Pasteur, bât. B, 3e étage")
    assert REFERENCE.search(resident.tap("Oui"))


def test_laisse_tomber_gives_up_and_nothing_is_stored(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    start_booking(resident, "Humidité")

    answer = resident.say("laisse tomber")

    assert "rien n'a été enregistré" in answer
    assert bookings_of(stack.settings, tenant) == []
    assert "Au revoir" in resident.say("au revoir"), "the bot is out of the form"


def test_a_day_written_in_words_narrows_the_slots(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings, days_ahead=(3, 4), hours="09:00-11:00")
    resident = Resident(api, tenant)
    resident.say("je voudrais un rendez-vous")
    resident.tap("Biodéchets")
    later_day = slots_of(stack.settings, tenant)[-1].starts_at.astimezone(ZONE)

    answer = resident.say(f"le {later_day.day}/{later_day.month}")

    assert "correspondent" in answer
    titles = resident.button_titles()
    assert len(titles) == 2 and all(f" {later_day.day} " in title for title in titles)


def test_a_day_and_time_that_one_slot_has_chooses_it(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings, days_ahead=(3, 4), hours="09:00-11:00")
    resident = Resident(api, tenant)
    resident.say("je voudrais un rendez-vous")
    resident.tap("Biodéchets")
    later_day = slots_of(stack.settings, tenant)[-1].starts_at.astimezone(ZONE)

    answer = resident.say(f"le {later_day.day}/{later_day.month} vers 10h")

    assert answer.startswith("C'est noté") and f" {later_day.day} " in answer and "10 h 00" in answer
    assert "À quel nom" in answer


def test_a_past_date_is_refused_clearly(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings))
    resident.say("je voudrais un rendez-vous")
    resident.tap("Autre")

    assert "déjà passée" in resident.say("hier")


def test_a_slot_that_vanished_before_confirmation_is_replaced(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    fill_the_form_up_to_the_summary(resident)
    first_slot = slots_of(stack.settings, tenant)[0]
    with transaction(stack.settings.database_url) as session:
        session.execute(delete(VisitSlot).where(VisitSlot.id == first_slot.id))

    answer = resident.tap("Oui")

    assert "plus disponible" in answer and resident.button_titles()
    assert bookings_of(stack.settings, tenant) == []


def test_an_address_too_long_gets_a_clear_answer(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    start_booking(resident, "Factures")
    resident.say("Awa Diallo")
    resident.say("0612345678")

    refused = api.post("/api/chat", json={"sender_id": resident.sender, "tenant": tenant, "text": "rue " * 750})
    answer = resident.say("appartement " * 40)

    assert refused.status_code == 422
    assert "trop longue" in answer
    assert bookings_of(stack.settings, tenant) == []


def test_my_bookings_then_move_then_cancel(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    resident = Resident(api, tenant)
    fill_the_form_up_to_the_summary(resident)
    reference = REFERENCE.search(resident.tap("Oui")).group()

    assert reference in resident.say("mes rendez-vous")
    resident.tap(f"Déplacer {reference}")
    resident.tap(resident.button_titles()[-1])
    moved = resident.tap("Oui")
    assert "déplacé" in moved and reference in moved
    (booked,) = bookings_of(stack.settings, tenant)
    assert booked.slot_id != slots_of(stack.settings, tenant)[0].id

    assert reference in resident.say("je veux annuler mon rendez-vous")
    assert "annulé" in resident.tap("Oui, annuler")
    (cancelled,) = bookings_of(stack.settings, tenant)
    assert cancelled.status is BookingStatus.CANCELLED and cancelled.seat is None
    assert notices_of(stack.settings, cancelled.id) == ["booked", "moved", "cancelled"]


def test_another_residents_booking_needs_its_phone_number(api: httpx.Client, stack: Stack) -> None:
    tenant = new_tenant(stack.settings)
    owner = Resident(api, tenant)
    fill_the_form_up_to_the_summary(owner)
    reference = REFERENCE.search(owner.tap("Oui")).group()
    stranger = Resident(api, tenant)

    assert "Je ne trouve pas" in stranger.say(f"je veux annuler le rendez-vous {reference}")
    assert "Je ne trouve pas" in stranger.say(f"je veux annuler le rendez-vous {reference} 07 00 00 00 00")
    assert reference in stranger.say(f"je veux annuler le rendez-vous {reference} 06 12 34 56 78")
    assert "annulé" in stranger.tap("Oui, annuler")


def test_no_free_slot_offers_the_drop_in_sessions_and_a_mediator(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings, days_ahead=()))

    answer = resident.say("je voudrais prendre rendez-vous")

    assert "Aucun créneau" in answer
    assert resident.button_titles() == ["Parler à un médiateur"]
