"""The Requests page in a real browser (Playwright, the system Chromium): a mediator filters, opens, changes a status.

The console never calls Rasa, so the web app runs alone (``console_url``):
no trained model needed. A resident's script in the description must stay text.
"""

import base64

from playwright.sync_api import Page
from sqlalchemy import select

from bot.db import transaction
from bot.models import Conversation, OutgoingMessage, Tenant
from bot.services import photos, requests
from bot.settings import Settings
from tests.factories import new_conversation, new_tenant

XSS = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
# A real 1×1 PNG, so that the browser draws it (naturalWidth 1).
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def reported(settings: Settings, tenant_id: int, category: str, description: str) -> tuple[str, str]:
    """A request with a photo, whose resident asked to be told; its reference and conversation."""
    conversation_id = new_conversation(settings, tenant_id)
    with transaction(settings.database_url) as session:
        conversation = session.get_one(Conversation, conversation_id)
        photo = photos.save(session, conversation=conversation, data=PIXEL, photo_dir=settings.photo_dir)
        new = requests.NewRequest(
            conversation_id, category, f"Résidence {category}", description, notify=True, photo_id=photo.id
        )
        return requests.report(session, new)[0].reference, conversation_id


def told(settings: Settings, conversation_id: str) -> list[str]:
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(select(OutgoingMessage.text).where(OutgoingMessage.conversation_id == conversation_id))
        )


def test_a_mediator_filters_opens_a_request_and_rejects_it_with_a_reason(
    console_mediator: Page, settings: Settings
) -> None:
    tenant_id = new_tenant(settings)
    with transaction(settings.database_url) as session:
        slug = session.get_one(Tenant, tenant_id).slug
    reference, conversation_id = reported(settings, tenant_id, "bins", XSS)
    other, _ = reported(settings, tenant_id, "lift", "ascenseur en panne")
    page = console_mediator

    page.click("nav >> text=Demandes")
    page.select_option("#request-filters select[name=tenant]", slug)
    page.select_option("#request-filters select[name=category]", "bins")
    page.click("#request-filters button[type=submit]")
    page.wait_for_url("**/console/requests?*category=bins*")

    assert page.locator(f"[data-reference='{reference}']").count() == 1
    assert page.locator(f"[data-reference='{other}']").count() == 0
    page.click(f"text={reference}")
    page.wait_for_url(f"**/console/requests/{reference}")
    assert page.locator("#request-description").inner_text() == XSS
    assert page.title() != "pwned"
    assert page.locator("img[alt^='Photo']").evaluate("img => img.complete && img.naturalWidth") == 1

    page.select_option("#status-form select[name=status]", "rejected")
    page.click("#status-form button[type=submit]")
    assert "raison du refus" in page.locator("#status-form .error").inner_text()
    assert told(settings, conversation_id) == []

    page.select_option("#status-form select[name=status]", "rejected")
    page.fill("#status-form textarea[name=note]", "Le local relève de la mairie.")
    page.click("#status-form button[type=submit]")
    page.wait_for_url(f"**/console/requests/{reference}")
    assert page.locator("#request-status").inner_text() == "refusée"
    assert "Le local relève de la mairie." in page.locator("#request-history").inner_text()
    assert told(settings, conversation_id) == [
        f"Votre demande {reference} (Local poubelles et déchets) est refusée. Raison : Le local relève de la mairie."
    ]
