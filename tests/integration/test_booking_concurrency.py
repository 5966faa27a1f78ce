"""Fifty residents confirm at the same moment for five slots: five bookings, never more."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.integration.booking_chat import Resident, bookings_of, new_tenant, slots_of
from tests.integration.stack import Stack

RESIDENTS = 50
# Five slots on the first day, then a later day the losers are offered instead.
FIRST_DAY_SLOTS = 5


def test_fifty_concurrent_confirmations_for_five_slots_make_five_bookings(stack: Stack) -> None:
    tenant = new_tenant(stack.settings, days_ahead=(3, 10), hours="09:00-14:00")
    wanted = slots_of(stack.settings, tenant)[:FIRST_DAY_SLOTS]
    limits = httpx.Limits(max_connections=RESIDENTS)
    with httpx.Client(base_url=stack.web_url, timeout=60, limits=limits) as api:
        residents = [Resident(api, tenant) for _ in range(RESIDENTS)]

        def up_to_the_summary(index: int) -> None:
            resident = residents[index]
            resident.say("je voudrais un rendez-vous pour mes factures")
            resident.tap(resident.button_titles()[index % FIRST_DAY_SLOTS])
            resident.say("Awa Diallo")
            resident.say("06 12 34 56 78")
            assert "Je récapitule" in resident.say("4 rue Pasteur, bât. B")

        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(up_to_the_summary, range(RESIDENTS)))
        with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
            answers = list(pool.map(lambda resident: resident.tap("Oui"), residents))

    booked = bookings_of(stack.settings, tenant)
    assert len(booked) == FIRST_DAY_SLOTS
    assert sorted(b.slot_id for b in booked) == sorted(slot.id for slot in wanted)
    confirmed = [answer for answer in answers if "C'est noté" in answer]
    offered_another = [r for r, answer in zip(residents, answers, strict=True) if "vient d'être pris" in answer]
    assert len(confirmed) == FIRST_DAY_SLOTS
    assert len(offered_another) == RESIDENTS - FIRST_DAY_SLOTS
    assert all(r.button_titles() for r in offered_another), "each of the others is offered free slots"
