"""The Requests page on the real web app and database: list, filters, one request, status changes, photos, landlords."""

import itertools
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from bot.db import transaction
from bot.models import (
    AuditEntry,
    Conversation,
    OutgoingMessage,
    RequestEvent,
    RequestStatus,
    ResidentRequest,
    Role,
    Tenant,
    utcnow,
)
from bot.services import audit, photos, request_admin, requests
from bot.settings import Settings
from tests.console_client import PASSWORD, csrf_of, login, new_staff, post_form
from tests.factories import new_conversation, new_tenant
from tests.unit.test_console_routes import app_routes

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PLACE = "Les Tilleuls bât. B"
# Each report at its own place, so that none joins another as the same problem.
_entrances = itertools.count(1)


def report(settings: Settings, conversation_id: str, *, photo: bytes | None = None, **changes: object) -> str:
    """A request reported in the conversation (with a photo sent during the form); its reference."""
    with transaction(settings.database_url) as session:
        photo_id = None
        if photo is not None:
            conversation = session.get_one(Conversation, conversation_id)
            photo_id = photos.save(session, conversation=conversation, data=photo, photo_dir=settings.photo_dir).id
        values = {
            "conversation_id": conversation_id,
            "category": "bulky",
            "place": f"{PLACE} escalier {next(_entrances)}",
            "description": "un matelas devant la porte",
            "phone": "+33612345678",
            "notify": True,
            "photo_id": photo_id,
        } | changes
        request, _ = requests.report(session, requests.NewRequest(**values))  # type: ignore[arg-type]
        return request.reference


def urgent(settings: Settings, conversation_id: str, text: str = "odeur de gaz dans le hall") -> str:
    with transaction(settings.database_url) as session:
        conversation = session.get_one(Conversation, conversation_id)
        return requests.record_urgent(session, conversation=conversation, text=text).reference


def aged(settings: Settings, reference: str, hours: int) -> None:
    """Move the request's report ``hours`` into the past (the list orders by it)."""
    with transaction(settings.database_url) as session:
        found = session.scalars(select(ResidentRequest).where(ResidentRequest.reference == reference)).one()
        found.created_at = utcnow() - timedelta(hours=hours)


def slug_of(settings: Settings, tenant_id: int) -> str:
    with transaction(settings.database_url) as session:
        return session.get_one(Tenant, tenant_id).slug


def stored(settings: Settings, reference: str) -> ResidentRequest:
    with transaction(settings.database_url) as session:
        found = requests.by_reference(session, reference=reference)
        assert found is not None
        return found


def photo_of(settings: Settings, reference: str) -> str:
    with transaction(settings.database_url) as session:
        found = requests.by_reference(session, reference=reference)
        assert found is not None
        return found.photos[0].id


def outbox_of(settings: Settings, conversation_id: str) -> list[str]:
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(select(OutgoingMessage.text).where(OutgoingMessage.conversation_id == conversation_id))
        )


def audited(settings: Settings, action: str) -> list[str | None]:
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(select(AuditEntry.target).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )


def listed(page_text: str) -> list[str]:
    return re.findall(r'data-reference="(DEM-[A-Z0-9]{6})"', page_text)


@pytest.fixture
def tenant(settings):
    return new_tenant(settings)


@pytest.fixture
async def mediator(web, settings):
    email = new_staff(settings, Role.MEDIATOR)
    assert (await login(web, email, PASSWORD)).status_code == 303
    return email


def test_the_requests_routes_are_in_the_route_table():
    assert {
        ("GET", "/console/requests"),
        ("GET", "/console/requests/{reference}"),
        ("POST", "/console/requests/{reference}/status"),
        ("GET", "/console/requests/{reference}/photos/{photo_id}"),
    } <= set(app_routes())


async def test_the_list_shows_open_urgent_requests_first_then_the_latest(web, mediator, settings, tenant):
    old, new = (
        report(settings, new_conversation(settings, tenant)),
        report(settings, new_conversation(settings, tenant)),
    )
    danger, closed_danger = (
        urgent(settings, new_conversation(settings, tenant)),
        urgent(settings, new_conversation(settings, tenant)),
    )
    for reference, hours in ((old, 5), (new, 1), (danger, 10), (closed_danger, 0)):
        aged(settings, reference, hours)
    with transaction(settings.database_url) as session:
        found = requests.by_reference(session, reference=closed_danger)
        requests.change_status(session, request=found, status=RequestStatus.DONE, note=None, staff_id=None)

    page = await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}")

    assert page.status_code == 200
    assert listed(page.text) == [danger, closed_danger, new, old]
    assert page.text.count('class="urgent"') == 2


async def test_each_row_says_who_handles_it_how_many_follow_and_whether_there_is_a_photo(
    web, mediator, settings, tenant
):
    reference = report(settings, new_conversation(settings, tenant), photo=JPEG, category="lift", place=PLACE)
    report(settings, new_conversation(settings, tenant), category="lift", place="les tilleuls bat B", notify=False)

    page = (await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}")).text

    row = page[page.index(f'data-reference="{reference}"') :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[2:] == ["Bailleur test", "Ascenseur", "le bailleur", PLACE, "reçue", "", "2", "oui"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", cells[1])


@pytest.mark.parametrize(
    ("query", "expected"),
    [("status=in_progress", {"lift"}), ("category=bins", {"bins"}), ("status=new&category=bulky", {"bulky"})],
)
async def test_the_filters_keep_the_requests_of_that_status_and_category(
    web, mediator, settings, tenant, query, expected
):
    by_category = {
        category: report(settings, new_conversation(settings, tenant), category=category)
        for category in ("bulky", "bins", "lift")
    }
    with transaction(settings.database_url) as session:
        found = requests.by_reference(session, reference=by_category["lift"])
        requests.change_status(session, request=found, status=RequestStatus.IN_PROGRESS, note=None, staff_id=None)

    page = await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}&{query}")

    assert set(listed(page.text)) == {by_category[c] for c in expected}


async def test_the_tenant_filter_shows_that_tenant_only(web, mediator, settings, tenant):
    mine, other = (
        report(settings, new_conversation(settings, tenant)),
        report(settings, new_conversation(settings, new_tenant(settings))),
    )

    shown = listed((await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}")).text)
    everything = listed((await web.get("/console/requests")).text)

    assert shown == [mine]
    assert {mine, other} <= set(everything)


@pytest.mark.parametrize("query", ["status=lost", "category=<b>x</b>", "tenant=nowhere", "page=0", "page=abc"])
async def test_an_unknown_filter_value_is_a_400_page_that_says_so_and_lists_nothing(web, mediator, settings, query):
    report(settings, new_conversation(settings, new_tenant(settings)))

    page = await web.get(f"/console/requests?{query}")

    assert page.status_code == 400
    assert "Filtre inconnu" in page.text and listed(page.text) == []
    assert 'id="request-filters"' in page.text  # the form stays, to choose again
    assert "<b>x</b>" not in page.text


async def test_an_empty_filter_means_all(web, mediator, settings, tenant):
    reference = report(settings, new_conversation(settings, tenant))

    page = await web.get(f"/console/requests?status=&category=&tenant={slug_of(settings, tenant)}")

    assert page.status_code == 200 and listed(page.text) == [reference]


async def test_the_list_goes_by_pages_with_a_link_to_the_next(web, mediator, settings, tenant, monkeypatch):
    monkeypatch.setattr(request_admin, "PAGE_SIZE", 2)
    references = [report(settings, new_conversation(settings, tenant)) for _ in range(3)]
    for hours, reference in enumerate(references):
        aged(settings, reference, hours)
    slug = slug_of(settings, tenant)

    first = await web.get(f"/console/requests?tenant={slug}")
    second = await web.get(f"/console/requests?tenant={slug}&page=2")

    assert listed(first.text) == references[:2] and listed(second.text) == references[2:]
    assert f'href="/console/requests?tenant={slug}&amp;page=2" rel="next"' in first.text
    assert 'rel="next"' not in second.text and 'rel="prev"' in second.text


async def test_a_request_s_page_shows_what_where_who_and_its_history(web, mediator, settings, tenant):
    conversation_id = new_conversation(settings, tenant)
    reference = report(settings, conversation_id, description="le matelas bloque la sortie", place=PLACE)
    await post_form(
        web, f"/console/requests/{reference}", f"/console/requests/{reference}/status", status="in_progress", note="Vu."
    )

    page = (await web.get(f"/console/requests/{reference}")).text

    assert "le matelas bloque la sortie" in page and PLACE in page
    assert "+33612345678" in page and f'href="/console/conversations/{conversation_id}"' in page
    assert "Encombrants" in page and "la Régie de Quartier" in page
    history = page[page.index('id="request-history"') :]
    assert history.index("reçue") < history.index("en cours de traitement") < history.index("Vu.")
    assert mediator in history  # the staff member who made the step
    assert 'id="status-form"' in page


async def test_a_status_change_with_a_note_tells_only_the_residents_who_asked(web, mediator, settings, tenant):
    reporter, neighbour = new_conversation(settings, tenant), new_conversation(settings, tenant)
    reference = report(settings, reporter, notify=True, place=PLACE)
    report(settings, neighbour, notify=False, place="les tilleuls, batiment B")
    page = f"/console/requests/{reference}"

    response = await post_form(web, page, f"{page}/status", status="done", note="Enlevé ce matin.")

    assert response.status_code == 303 and response.headers["location"] == page
    assert stored(settings, reference).status is RequestStatus.DONE
    assert outbox_of(settings, reporter) == [
        f"Votre demande {reference} (Encombrants) est traitée. Note : Enlevé ce matin."
    ]
    assert outbox_of(settings, neighbour) == []
    with transaction(settings.database_url) as session:
        last = session.scalars(select(RequestEvent).order_by(RequestEvent.id.desc()).limit(1)).one()
        assert (last.status, last.note, last.staff_id is not None) == (RequestStatus.DONE, "Enlevé ce matin.", True)
    assert f"{reference} done" in audited(settings, audit.CHANGE_REQUEST_STATUS)


@pytest.mark.parametrize(
    ("status", "note", "says"),
    [("rejected", "  ", "raison du refus"), ("new", "", "déjà ce statut"), ("lost", "x", "statut de la liste")],
)
async def test_a_refused_change_is_said_on_the_page_and_changes_nothing(
    web, mediator, settings, tenant, status, note, says
):
    conversation_id = new_conversation(settings, tenant)
    reference = report(settings, conversation_id)
    page = f"/console/requests/{reference}"

    response = await post_form(web, page, f"{page}/status", status=status, note=note)

    assert response.status_code == 409 and says in response.text
    assert stored(settings, reference).status is RequestStatus.NEW
    with transaction(settings.database_url) as session:
        assert (
            len(
                session.scalars(
                    select(RequestEvent).join(ResidentRequest).where(ResidentRequest.reference == reference)
                ).all()
            )
            == 1
        )
    assert outbox_of(settings, conversation_id) == []


async def test_a_status_form_without_its_csrf_token_is_refused_and_changes_nothing(web, mediator, settings, tenant):
    conversation_id = new_conversation(settings, tenant)
    reference = report(settings, conversation_id)
    action = f"/console/requests/{reference}/status"

    missing = await web.post(action, data={"status": "done", "note": "x"})
    forged = await web.post(action, data={"status": "done", "note": "x", "csrf_token": "forged"})

    assert missing.status_code == forged.status_code == 403
    assert stored(settings, reference).status is RequestStatus.NEW
    assert outbox_of(settings, conversation_id) == []


async def test_a_photo_is_streamed_as_an_image_that_cannot_run_anything(web, mediator, settings, tenant):
    reference = report(settings, new_conversation(settings, tenant), photo=PNG)
    photo_id = photo_of(settings, reference)
    page = (await web.get(f"/console/requests/{reference}")).text

    response = await web.get(f"/console/requests/{reference}/photos/{photo_id}")

    assert f'src="/console/requests/{reference}/photos/{photo_id}"' in page
    assert response.status_code == 200 and response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"] == "inline"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert f"{reference} photo {photo_id}" in audited(settings, audit.VIEW_REQUEST_PHOTO)


async def test_another_request_s_photo_or_an_unknown_one_is_not_found(web, mediator, settings, tenant):
    reference = report(settings, new_conversation(settings, tenant), photo=JPEG)
    other = report(settings, new_conversation(settings, tenant), photo=JPEG, category="bins")
    others_photo = photo_of(settings, other)

    through_the_wrong_request = await web.get(f"/console/requests/{reference}/photos/{others_photo}")
    unknown = await web.get(f"/console/requests/{reference}/photos/{'0' * 32}")
    traversal = await web.get(f"/console/requests/{reference}/photos/..%2F..%2Fregie.db")

    assert through_the_wrong_request.status_code == unknown.status_code == traversal.status_code == 404
    assert JPEG not in through_the_wrong_request.content


async def test_residents_text_is_escaped_on_the_list_the_request_and_the_conversation(web, mediator, settings, tenant):
    conversation_id = new_conversation(settings, tenant)
    reference = report(settings, conversation_id, description=XSS, place=XSS)
    await post_form(
        web, f"/console/requests/{reference}", f"/console/requests/{reference}/status", status="rejected", note=XSS
    )

    pages = [
        (await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}")).text,
        (await web.get(f"/console/requests/{reference}")).text,
        (await web.get(f"/console/conversations/{conversation_id}")).text,
    ]

    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
        assert str(escape(XSS)) in text


async def test_the_conversation_page_lists_the_resident_s_requests_from_all_their_conversations(
    web, mediator, settings, tenant
):
    first = new_conversation(settings, tenant)
    earlier = report(settings, first, category="lift")
    with transaction(settings.database_url) as session:
        conversation = session.get_one(Conversation, first)
        conversation.closed_at = utcnow()
        resident_id = conversation.resident_id
    later_conversation = new_conversation(settings, tenant, resident_id=resident_id)
    later = report(settings, later_conversation, category="bins")
    someone_else = report(settings, new_conversation(settings, tenant), category="doors")

    page = (await web.get(f"/console/conversations/{later_conversation}")).text

    section = page[page.index('id="resident-requests"') :]
    assert set(listed(section)) == {earlier, later} and someone_else not in section
    assert f'href="/console/requests/{earlier}"' in section


async def test_viewing_the_list_and_a_request_is_audited(web, mediator, settings, tenant):
    reference = report(settings, new_conversation(settings, tenant))

    await web.get(f"/console/requests?tenant={slug_of(settings, tenant)}")
    await web.get(f"/console/requests/{reference}")
    await web.get("/console/requests/DEM-ZZZZZZ")

    assert f"tenant={slug_of(settings, tenant)}" in audited(settings, audit.VIEW_REQUESTS)
    assert reference in audited(settings, audit.VIEW_REQUEST)
    assert "DEM-ZZZZZZ" in audited(settings, audit.REQUEST_NOT_FOUND)


async def test_an_unknown_reference_is_a_404_page(web, mediator):
    response = await web.get("/console/requests/DEM-ZZZZZZ")

    assert response.status_code == 404 and "existe pas" in response.text


class TestALandlord:
    """A landlord of tenant A: A's requests, read-only; nothing of tenant B, not even whether it exists."""

    @pytest.fixture
    def tenants(self, settings):
        own, other = new_tenant(settings), new_tenant(settings)
        with transaction(settings.database_url) as session:
            session.get_one(Tenant, other).name = "Autre bailleur"
        return own, other

    @pytest.fixture
    async def landlord(self, web, settings, tenants):
        email = new_staff(settings, Role.LANDLORD, (slug_of(settings, tenants[0]),))
        assert (await login(web, email, PASSWORD)).status_code == 303
        return email

    async def test_the_list_shows_its_own_tenant_s_requests_only(self, web, landlord, settings, tenants):
        own = report(settings, new_conversation(settings, tenants[0]))
        other = report(settings, new_conversation(settings, tenants[1]))

        page = await web.get("/console/requests")
        asking_for_the_other = await web.get(f"/console/requests?tenant={slug_of(settings, tenants[1])}")
        asking_for_nothing = await web.get("/console/requests?tenant=nowhere")

        assert page.status_code == 200 and listed(page.text) == [own]
        assert "Autre bailleur" not in page.text and other not in page.text
        assert asking_for_the_other.status_code == asking_for_nothing.status_code == 400
        assert asking_for_the_other.text.replace(slug_of(settings, tenants[1]), "nowhere") == asking_for_nothing.text
        assert 'href="/console/requests"' in page.text  # the navigation link

    async def test_its_own_request_reads_without_phone_conversation_or_status_form(
        self, web, landlord, settings, tenants
    ):
        reference = report(settings, new_conversation(settings, tenants[0]), photo=JPEG)
        photo_id = photo_of(settings, reference)

        page = await web.get(f"/console/requests/{reference}")
        picture = await web.get(f"/console/requests/{reference}/photos/{photo_id}")

        assert page.status_code == 200 and "un matelas devant la porte" in page.text
        assert "+33612345678" not in page.text and "/console/conversations/" not in page.text
        assert 'id="status-form"' not in page.text
        assert picture.status_code == 200 and picture.content == JPEG

    async def test_another_tenant_s_request_and_photo_read_like_nothing(self, web, landlord, settings, tenants):
        other = report(settings, new_conversation(settings, tenants[1]), photo=JPEG)
        photo_id = photo_of(settings, other)

        detail = await web.get(f"/console/requests/{other}")
        nothing = await web.get("/console/requests/DEM-ZZZZZZ")
        picture = await web.get(f"/console/requests/{other}/photos/{photo_id}")

        assert detail.status_code == nothing.status_code == picture.status_code == 404
        assert detail.text.replace(other, "DEM-ZZZZZZ") == nothing.text
        assert "matelas" not in detail.text and JPEG not in picture.content
        assert other in audited(settings, audit.REQUEST_NOT_FOUND)

    @pytest.mark.parametrize("whose", [0, 1])
    async def test_a_status_change_is_refused_whatever_the_tenant(self, web, landlord, settings, tenants, whose):
        conversation_id = new_conversation(settings, tenants[whose])
        reference = report(settings, conversation_id)
        token = csrf_of(await web.get("/console/requests"))

        response = await web.post(
            f"/console/requests/{reference}/status", data={"csrf_token": token, "status": "done", "note": "x"}
        )

        assert response.status_code == 403
        assert stored(settings, reference).status is RequestStatus.NEW
        assert outbox_of(settings, conversation_id) == []
