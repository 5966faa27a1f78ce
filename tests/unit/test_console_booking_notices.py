"""The Visits page's "Changements à voir" on the real web app: listing, marking seen, landlords, escaping, audit."""

import re

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import select

from bot.db import transaction
from bot.models import AuditEntry, Booking, Role
from bot.services import booking
from tests.console_client import PASSWORD, csrf_of, login, new_staff, post_form
from tests.visits_data import new_booking, new_notice, new_slot, new_tenant, stored_notice

PAGE = "/console/visits"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
async def mediator(web, settings):
    assert (await login(web, new_staff(settings, Role.MEDIATOR), PASSWORD)).status_code == 303


def notices_shown(page: httpx.Response) -> list[int]:
    return [int(i) for i in re.findall(r'id="notice-(\d+)"', page.text)]


def section(page: httpx.Response) -> str:
    return page.text[page.text.index('id="notices"') : page.text.index('class="slots"')]


def audited(settings, action: str) -> list[str | None]:
    with transaction(settings.database_url) as session:
        return list(session.scalars(select(AuditEntry.target).where(AuditEntry.action == action)))


async def test_a_mediator_sees_the_unseen_changes_above_the_slots_newest_first(web, mediator, settings):
    slug = new_tenant(settings, name="Habitat Sud")
    booking_id, reference = new_booking(settings, new_slot(settings, slug, days=2, hour=10, capacity=8))
    made = new_notice(settings, booking_id, kind="booked", detail="Nouveau rendez-vous", minutes_ago=20)
    moved = new_notice(settings, booking_id, kind="moved", detail="déplacé sur un autre créneau", minutes_ago=10)
    seen = new_notice(settings, booking_id, kind="cancelled", seen=True)

    page = await web.get(PAGE, params={"tenant": slug})

    assert page.status_code == 200 and page.text.index('id="notices"') < page.text.index('class="slots"')
    assert notices_shown(page) == [moved, made] and seen not in notices_shown(page)
    shown = section(page)
    for text in ("Changements à voir", "nouveau", escape("déplacé"), reference, "Habitat Sud", "10:00–11:00", "Local"):
        assert str(text) in shown
    assert "Nouveau rendez-vous" in shown and f"/notices/{moved}/seen" in shown and "Tout marquer comme vu" in shown


async def test_a_cancellation_by_the_resident_shows_as_annule(web, mediator, settings):
    slug = new_tenant(settings)
    booking_id, reference = new_booking(settings, new_slot(settings, slug))
    with transaction(settings.database_url) as session:
        booking.cancel(session, booking=session.get_one(Booking, booking_id))

    shown = section(await web.get(PAGE, params={"tenant": slug}))

    assert escape("annulé") in shown and f"{reference} annul" in shown and "chez l'habitant" in shown


async def test_a_notice_marked_seen_leaves_the_page_and_the_mark_is_audited(web, mediator, settings):
    slug = new_tenant(settings)
    booking_id, reference = new_booking(settings, new_slot(settings, slug))
    notice_id, other = new_notice(settings, booking_id), new_notice(settings, booking_id)
    page = f"{PAGE}?tenant={slug}"

    marked = await post_form(web, page, f"{PAGE}/notices/{notice_id}/seen", tenant=slug)
    again = await post_form(web, page, f"{PAGE}/notices/{notice_id}/seen", tenant=slug)

    assert marked.status_code == again.status_code == 303
    assert marked.headers["location"].startswith(f"{PAGE}?tenant={slug}&du=")
    assert notices_shown(await web.get(marked.headers["location"])) == [other]
    assert stored_notice(settings, notice_id).seen_at is not None
    assert f"notice:{notice_id} {reference}" in audited(settings, "notice_seen")


async def test_marking_all_marks_the_notices_shown_only(web, mediator, settings):
    slug = new_tenant(settings)
    booking_id, _ = new_booking(settings, new_slot(settings, slug))
    shown = [new_notice(settings, booking_id, minutes_ago=m) for m in (2, 1)]
    page = await web.get(PAGE, params={"tenant": slug})
    later = new_notice(settings, booking_id)  # after the page was drawn: nobody saw it
    fields = {"csrf_token": csrf_of(page), "tenant": slug, "notice": [str(n) for n in notices_shown(page)]}

    response = await web.post(f"{PAGE}/notices/seen", data=fields)

    assert response.status_code == 303 and f"tenant={slug}" in response.headers["location"]
    assert all(stored_notice(settings, n).seen_at is not None for n in shown)
    assert notices_shown(await web.get(response.headers["location"])) == [later]
    assert any(t and t.startswith("2 vus sur 2") for t in audited(settings, "notice_seen"))


async def test_a_long_list_is_capped_and_says_how_many_more(web, mediator, settings):
    slug = new_tenant(settings)
    booking_id, _ = new_booking(settings, new_slot(settings, slug))
    for minutes in range(53):
        new_notice(settings, booking_id, minutes_ago=minutes)

    page = await web.get(PAGE, params={"tenant": slug})

    assert len(notices_shown(page)) == 50 and "et 3 plus anciens" in section(page)


async def test_a_detail_with_a_script_is_shown_as_text(web, mediator, settings):
    slug = new_tenant(settings)
    new_notice(settings, new_booking(settings, new_slot(settings, slug))[0], detail=XSS)

    page = (await web.get(PAGE, params={"tenant": slug})).text

    assert "<script>alert" not in page and "<img src=x" not in page
    assert str(escape(XSS)) in page


async def test_an_unknown_notice_is_not_found(web, mediator, settings):
    response = await post_form(web, PAGE, f"{PAGE}/notices/987654321/seen")

    assert response.status_code == 404 and "Ce changement n&#39;existe pas" in response.text


async def test_a_mark_without_its_csrf_token_is_refused(web, mediator, settings):
    notice_id = new_notice(settings, new_booking(settings, new_slot(settings, new_tenant(settings)))[0])

    single = await web.post(f"{PAGE}/notices/{notice_id}/seen", data={})
    every = await web.post(f"{PAGE}/notices/seen", data={"notice": str(notice_id)})

    assert single.status_code == every.status_code == 403
    assert stored_notice(settings, notice_id).seen_at is None


async def test_a_landlord_sees_its_own_changes_without_detail_nor_buttons_and_cannot_mark(web, settings):
    own, other = new_tenant(settings, name="Habitat Est"), new_tenant(settings, name="Habitat Ouest")
    own_booking, own_reference = new_booking(settings, new_slot(settings, own), name="Résidente d'Est")
    own_notice = new_notice(settings, own_booking, detail="Détail pour la Régie")
    other_booking, other_reference = new_booking(settings, new_slot(settings, other))
    other_notice = new_notice(settings, other_booking)
    assert (await login(web, new_staff(settings, Role.LANDLORD, (own,)), PASSWORD)).status_code == 303

    page = await web.get(PAGE)

    assert notices_shown(page) == [own_notice] and own_reference in section(page)
    assert other_reference not in page.text and "Ouest" not in page.text
    assert escape("Détail pour la Régie") not in page.text and escape("Résidente d'Est") not in page.text
    assert "/notices/" not in page.text and "Tout marquer" not in page.text
    token = csrf_of(page)
    for url, fields in ((f"{PAGE}/notices/{own_notice}/seen", {}), (f"{PAGE}/notices/seen", {"notice": own_notice})):
        assert (await web.post(url, data={"csrf_token": token, **fields})).status_code == 403, url
    assert stored_notice(settings, own_notice).seen_at is None
    assert stored_notice(settings, other_notice).seen_at is None
