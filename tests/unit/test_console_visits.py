"""The Visits page on the real web app and database: listing, series, removal, marks, landlords' isolation, audit."""

import re
from datetime import datetime, timedelta

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import func, select

from bot.db import transaction
from bot.models import AuditEntry, BookingStatus, Role, Tenant, VisitSlot
from tests.console_client import PASSWORD, csrf_of, login, new_staff, post_form
from tests.visits_data import new_booking, new_slot, new_tenant, stored_booking, stored_slot

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
PAGE = "/console/visits"


@pytest.fixture
async def mediator(web, settings):
    email = new_staff(settings, Role.MEDIATOR)
    assert (await login(web, email, PASSWORD)).status_code == 303
    return email


def audited(settings, action: str) -> list[str | None]:
    with transaction(settings.database_url) as session:
        return list(session.scalars(select(AuditEntry.target).where(AuditEntry.action == action)))


def slot_ids_shown(page: httpx.Response) -> set[int]:
    return {int(i) for i in re.findall(r'id="slot-(\d+)"', page.text)}


def tenant_id(settings, slug: str) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def series_fields(settings, slug: str, **changes: str) -> dict[str, object]:
    first = datetime.now(settings.zone).date() + timedelta(days=1)
    fields: dict[str, object] = {
        "tenant": slug, "kind": "home_visit", "first_day": first.isoformat(), "weekdays": ["0", "2", "4"],
        "start": "09:00", "end": "11:00", "minutes": "60", "weeks": "1", "mediator": "Karim", "place": "",
        "capacity": "1",
    }  # fmt: skip
    return fields | changes


async def test_a_mediator_sees_the_coming_slots_with_their_bookings(web, mediator, settings):
    slug = new_tenant(settings, name="Habitat Sud")
    slot_id = new_slot(settings, slug, days=2, hour=10, mediator="Samia, médiatrice énergie")
    _, reference = new_booking(settings, slot_id, name="Awa Diallo")
    far = new_slot(settings, slug, days=35)

    page = await web.get(PAGE)

    assert page.status_code == 200
    assert slot_id in slot_ids_shown(page) and far not in slot_ids_shown(page)
    row = page.text[page.text.index(f'id="slot-{slot_id}"') :]
    for shown in (reference, "réservé", "Humidité, chauffage", "Awa Diallo", "06 12 34 56 78", "Les Tilleuls"):
        assert shown in row[:3000]
    assert "10:00–11:00" in row and "visite à domicile" in row and "Habitat Sud" in row and "1 / 1" in row
    assert "visits:*" in audited(settings, "view_visits")
    assert 'href="/console/visits"' in page.text  # the navigation


async def test_the_period_and_tenant_filters_choose_the_slots(web, mediator, settings):
    slug, other = new_tenant(settings), new_tenant(settings)
    later = new_slot(settings, slug, days=35)
    elsewhere = new_slot(settings, other, days=35)
    day = (datetime.now(settings.zone).date() + timedelta(days=35)).isoformat()

    page = await web.get(PAGE, params={"tenant": slug, "du": day, "au": day})
    wrong = await web.get(PAGE, params={"du": "demain"})

    assert later in slot_ids_shown(page) and elsewhere not in slot_ids_shown(page)
    assert wrong.status_code == 200 and "Dates attendues" in wrong.text


async def test_a_mediator_creates_a_series_from_the_form(web, mediator, settings):
    slug = new_tenant(settings)

    response = await post_form(web, PAGE, f"{PAGE}/series", **series_fields(settings, slug))

    assert response.status_code == 303 and response.headers["location"].startswith(f"{PAGE}?tenant={slug}")
    with transaction(settings.database_url) as session:
        slots = list(session.scalars(select(VisitSlot).where(VisitSlot.tenant_id == tenant_id(settings, slug))))
    assert len(slots) == 6 and {s.mediator for s in slots} == {"Karim"}  # 3 days of one week, 2 slots a day
    assert any(t and t.startswith(f"{slug}: 6 créneaux") for t in audited(settings, "create_slots"))
    shown = await web.get(response.headers["location"])
    assert {s.id for s in slots} <= slot_ids_shown(shown)


async def test_a_series_overlapping_the_mediator_s_own_slot_is_refused(web, mediator, settings):
    slug = new_tenant(settings)
    fields = series_fields(settings, slug, weekdays=["0", "1", "2", "3", "4", "5", "6"], mediator=XSS)
    busy = new_slot(settings, slug, days=2, hour=10, mediator=XSS)

    response = await post_form(web, PAGE, f"{PAGE}/series", **fields)

    assert response.status_code == 422
    assert "a déjà un créneau" in response.text and f"(n° {busy})" in response.text
    assert XSS not in response.text and str(escape(XSS)) in response.text
    with transaction(settings.database_url) as session:
        count = session.scalar(select(func.count(VisitSlot.id)).where(VisitSlot.tenant_id == tenant_id(settings, slug)))
    assert count == 1


async def test_a_wrong_series_shows_the_form_again_with_french_errors_and_creates_nothing(web, mediator, settings):
    slug = new_tenant(settings)
    fields = series_fields(settings, slug, first_day="2020-01-01", end="08:00", capacity="0", mediator="x" * 150)

    response = await post_form(web, PAGE, f"{PAGE}/series", **fields)

    assert response.status_code == 422
    for message in ("déjà passé", "L'heure de fin doit venir après", "La capacité va de 1 à 200", "100 caractères"):
        assert escape(message) in response.text
    assert 'value="2020-01-01"' in response.text  # what was typed is kept
    with transaction(settings.database_url) as session:
        count = session.scalar(select(func.count(VisitSlot.id)).where(VisitSlot.tenant_id == tenant_id(settings, slug)))
    assert count == 0


async def test_a_free_slot_is_removed_and_a_booked_one_refused(web, mediator, settings):
    slug = new_tenant(settings)
    free, booked = new_slot(settings, slug, days=2), new_slot(settings, slug, days=3)
    new_booking(settings, booked)

    removed = await post_form(web, PAGE, f"{PAGE}/slots/{free}/remove")
    refused = await post_form(web, PAGE, f"{PAGE}/slots/{booked}/remove")

    assert removed.status_code == 303 and stored_slot(settings, free) is None
    assert refused.status_code == 409 and "rendez-vous en cours" in refused.text
    assert stored_slot(settings, booked) is not None
    assert f"slot:{free} supprimé" in audited(settings, "remove_slot")


async def test_a_booking_is_marked_done_then_no_show_but_not_before_its_day(web, mediator, settings):
    slug = new_tenant(settings)
    past_id, reference = new_booking(settings, new_slot(settings, slug, days=-1))
    coming_id, _ = new_booking(settings, new_slot(settings, slug, days=2))

    done = await post_form(web, PAGE, f"{PAGE}/bookings/{past_id}/mark", status="done")
    missed = await post_form(web, PAGE, f"{PAGE}/bookings/{past_id}/mark", status="no_show")
    early = await post_form(web, PAGE, f"{PAGE}/bookings/{coming_id}/mark", status="done")
    nonsense = await post_form(web, PAGE, f"{PAGE}/bookings/{past_id}/mark", status="booked")

    assert done.status_code == missed.status_code == 303
    assert stored_booking(settings, past_id).status is BookingStatus.NO_SHOW
    assert early.status_code == 409 and "pas encore eu lieu" in early.text
    assert nonsense.status_code == 409
    assert stored_booking(settings, coming_id).status is BookingStatus.BOOKED
    assert f"{reference}: done" in audited(settings, "mark_booking")


async def test_marks_show_only_from_the_slot_s_day_and_not_for_cancelled_bookings(web, mediator, settings):
    slug = new_tenant(settings)
    today, _ = new_booking(settings, new_slot(settings, slug, days=0, hour=0))
    cancelled, _ = new_booking(settings, new_slot(settings, slug, days=0, hour=1), status=BookingStatus.CANCELLED)
    coming, _ = new_booking(settings, new_slot(settings, slug, days=1))

    page = (await web.get(PAGE, params={"tenant": slug})).text

    assert f"/bookings/{today}/mark" in page
    assert f"/bookings/{cancelled}/mark" not in page and f"/bookings/{coming}/mark" not in page


async def test_unknown_ids_are_not_found(web, mediator, settings):
    assert (await post_form(web, PAGE, f"{PAGE}/slots/987654321/remove")).status_code == 404
    assert (await post_form(web, PAGE, f"{PAGE}/bookings/987654321/mark", status="done")).status_code == 404


@pytest.mark.parametrize("action", ["series", "slots/{slot}/remove", "bookings/{booking}/mark"])
async def test_a_visits_form_without_its_csrf_token_is_refused(web, mediator, settings, action):
    slug = new_tenant(settings)
    slot_id = new_slot(settings, slug, days=-1)
    booking_id, _ = new_booking(settings, slot_id)
    url = f"{PAGE}/" + action.format(slot=slot_id, booking=booking_id)

    response = await web.post(url, data={**series_fields(settings, slug), "status": "done"})

    assert response.status_code == 403
    assert stored_booking(settings, booking_id).status is BookingStatus.BOOKED
    assert stored_slot(settings, slot_id) is not None


async def test_a_booking_name_with_a_script_is_shown_as_text(web, mediator, settings):
    slug = new_tenant(settings)
    new_booking(settings, new_slot(settings, slug), name=XSS)

    page = (await web.get(PAGE, params={"tenant": slug})).text

    assert "<script>alert" not in page and "<img src=x" not in page
    assert str(escape(XSS)) in page


async def test_a_landlord_reads_only_its_own_tenant_and_changes_nothing(web, settings):
    own, other = new_tenant(settings, name="Habitat Est"), new_tenant(settings, name="Habitat Ouest")
    own_slot, other_slot = new_slot(settings, own, days=-1), new_slot(settings, other, days=-1)
    own_booking, own_reference = new_booking(settings, own_slot, name="Résidente d'Est")
    _, other_reference = new_booking(settings, other_slot, name="Résident d'Ouest")
    free_slot = new_slot(settings, own, days=5)
    assert (await login(web, new_staff(settings, Role.LANDLORD, (own,)), PASSWORD)).status_code == 303
    yesterday = (datetime.now(settings.zone).date() - timedelta(days=1)).isoformat()

    page = await web.get(PAGE, params={"du": yesterday})
    forbidden = await web.get(PAGE, params={"tenant": other})

    assert page.status_code == 200 and own_reference in page.text
    # The residents' contact details stay with the Régie.
    assert escape("Résidente d'Est") not in page.text and "06 12 34 56 78" not in page.text
    assert other_reference not in page.text and "Habitat Ouest" not in page.text and "Ouest" not in page.text
    assert other_slot not in slot_ids_shown(page)
    assert 'method="post" action="/console/visits' not in page.text and "Créer une série" not in page.text
    assert forbidden.status_code == 403 and "Habitat Ouest" not in forbidden.text
    token = csrf_of(page)
    posts = {
        f"{PAGE}/series": series_fields(settings, own),
        f"{PAGE}/slots/{free_slot}/remove": {},
        f"{PAGE}/bookings/{own_booking}/mark": {"status": "done"},
    }
    for url, fields in posts.items():
        assert (await web.post(url, data={"csrf_token": token, **fields})).status_code == 403, url
    assert stored_booking(settings, own_booking).status is BookingStatus.BOOKED
    assert stored_slot(settings, free_slot) is not None
    assert f"visits:{other}" in audited(settings, "forbidden")


async def test_the_conversation_page_shows_the_resident_s_bookings(web, mediator, settings):
    from bot.services.conversations import open_conversation

    slug = new_tenant(settings)
    with transaction(settings.database_url) as session:
        tenant = session.get_one(Tenant, tenant_id(settings, slug))
        conversation_id = open_conversation(session, tenant=tenant, channel="web", external_id="resident-42").id
    _, reference = new_booking(settings, new_slot(settings, slug, days=-4), conversation_id=conversation_id)
    _, someone_else = new_booking(settings, new_slot(settings, slug, days=4))

    page = (await web.get(f"/console/conversations/{conversation_id}")).text

    section = page[page.index('id="resident-bookings"') : page.index('id="transcript"')]
    assert reference in section and "réservé" in section and "Humidité, chauffage" in section
    assert someone_else not in page
