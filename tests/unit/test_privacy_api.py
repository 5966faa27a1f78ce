"""The privacy page and the widget's "Mes données" / erase calls, on the web app in-process."""

import uuid

import pytest

from bot.db import transaction
from bot.services import widget
from bot.services.conversations import ensure_tenant
from tests.privacy_data import make_someone, traces_left

LANDLORD = "https://www.habitat-prive.fr"


@pytest.fixture(scope="module")
def landlord(settings) -> str:
    with transaction(settings.database_url) as session:
        tenant = ensure_tenant(session, slug="habitat-prive", name="Habitat <Privé> & Cie", welcome_message="Bonjour")
        widget.set_look(session, tenant=tenant, primary_color="#123456", logo_url=None, allowed_origins=[LANDLORD])
    return "habitat-prive"


async def test_the_privacy_page_states_the_controller_the_retention_periods_and_the_rights(web, landlord):
    response = await web.get(f"/confidentialite?tenant={landlord}")

    page = response.text
    assert response.status_code == 200 and "default-src 'none'" in response.headers["content-security-policy"]
    assert "Régie de Quartier (démo)" in page and "Habitat &lt;Privé&gt; &amp; Cie" in page  # autoescaped
    assert "12 mois après le dernier message" in page and "3 mois après la date du rendez-vous" in page
    assert "/mesdonnees" in page and "/oubli" in page and "CNIL" in page and "assistant automatique" in page


async def test_the_widget_gets_the_same_notice_as_the_first_answer(web, settings):
    body = (await web.get("/api/widget/demo/privacy")).json()

    assert body["page_url"] == f"{settings.public_url}/confidentialite?tenant=demo"
    assert "assistant automatique" in body["notice"] and body["page_url"] in body["notice"]


async def test_a_widget_sender_downloads_its_own_data_as_a_json_file(web, settings):
    someone = make_someone(settings.database_url, settings.var_dir)

    response = await web.post("/api/chat/my-data", json={"sender_id": someone.sender_id, "tenant": "demo"})

    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["coordonnees"]["telephones"] == [someone.phone]


@pytest.mark.parametrize("channel", ["telegram", "web"])
async def test_another_sender_a_telegram_chat_or_another_tenant_gets_nothing(web, settings, landlord, channel):
    someone = make_someone(settings.database_url, settings.var_dir, channel=channel)
    other_sender = {"sender_id": uuid.uuid4().hex, "tenant": "demo"}
    same_id_elsewhere = {"sender_id": someone.sender_id, "tenant": landlord}

    assert (await web.post("/api/chat/my-data", json=other_sender)).status_code == 404
    assert (await web.post("/api/chat/my-data", json=same_id_elsewhere)).status_code == 404
    if channel == "telegram":
        # A Telegram chat is never reachable through the public API, even with its chat id.
        assert (await web.post("/api/chat/my-data", json={"sender_id": someone.sender_id})).status_code == 404


async def test_a_page_the_tenant_does_not_allow_is_refused(web, landlord):
    body = {"sender_id": uuid.uuid4().hex, "tenant": landlord}

    refused = await web.post("/api/chat/my-data", json=body, headers={"Origin": "https://evil.example"})
    allowed = await web.post("/api/chat/my-data", json=body, headers={"Origin": LANDLORD})

    assert refused.status_code == 403 and allowed.status_code == 404


async def test_erasing_needs_the_confirmation_then_leaves_nothing(web, settings, tmp_path):
    someone = make_someone(settings.database_url, settings.var_dir)
    body = {"sender_id": someone.sender_id, "tenant": "demo"}

    unconfirmed = await web.post("/api/chat/erase", json=body)
    erased = await web.post("/api/chat/erase", json=body | {"confirm": True})
    again = await web.post("/api/chat/erase", json=body | {"confirm": True})

    assert unconfirmed.status_code == 422
    assert erased.status_code == 200 and erased.json()["cancelled"] == [someone.booking_references[0]]
    assert again.status_code == 404
    assert traces_left(settings.database_url, f"sqlite:///{tmp_path / 'none.db'}", someone.needles) == []
