"""The console in a real browser (Playwright, the system Chromium) on the real stack.

A resident's script must stay text, and the page must show new messages
without a reload. Skipped where Playwright or Chromium is missing.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.stack import Stack
from tests.transcript import conversation_of

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium at /usr/bin/chromium"),
]
XSS = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def mediator_page(browser, stack: Stack) -> Iterator:
    context = browser.new_context(base_url=stack.web_url)
    page = context.new_page()
    page.goto("/console/login")
    page.fill("input[name=email]", "mediateur@demo.local")
    page.fill("input[name=password]", "demo-mediateur")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/queue")
    yield page
    context.close()


def chat(stack: Stack, sender: str, text: str) -> None:
    response = httpx.post(f"{stack.web_url}/api/chat", json={"sender_id": sender, "text": text}, timeout=30)
    assert response.status_code == 200


def test_a_resident_s_script_stays_text_in_the_mediator_s_browser(mediator_page, stack):
    dialogs: list[str] = []
    mediator_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sender = uuid.uuid4().hex
    chat(stack, sender, "je veux parler a quelqu'un")
    chat(stack, sender, XSS)
    conversation_id = conversation_of(stack.settings, sender).id

    mediator_page.goto(f"/console/conversations/{conversation_id}")
    mediator_page.goto("/console/queue")
    mediator_page.wait_for_timeout(4000)  # one polling round of the queue too

    assert dialogs == [] and mediator_page.title() != "pwned"
    assert mediator_page.locator("#queue-body .preview", has_text="<script>").count() >= 1
    mediator_page.goto(f"/console/conversations/{conversation_id}")
    assert mediator_page.locator("#transcript .text", has_text=XSS).count() == 1


def test_a_new_message_and_a_new_escalation_appear_without_a_reload(mediator_page, stack):
    sender = uuid.uuid4().hex
    chat(stack, sender, "je veux parler a quelqu'un")
    conversation_id = conversation_of(stack.settings, sender).id
    mediator_page.goto(f"/console/conversations/{conversation_id}")

    chat(stack, sender, "vous êtes là ? mon compteur clignote")

    mediator_page.locator("#transcript .text", has_text="mon compteur clignote").wait_for(timeout=10_000)
    mediator_page.goto("/console/queue")
    newcomer = uuid.uuid4().hex
    chat(stack, newcomer, "je veux parler a un mediateur")
    newcomer_id = conversation_of(stack.settings, newcomer).id
    mediator_page.locator(f'#queue-body a[href="/console/conversations/{newcomer_id}"]').wait_for(timeout=10_000)


def test_the_mediator_replies_from_the_page(mediator_page, stack):
    sender = uuid.uuid4().hex
    chat(stack, sender, "je veux parler a quelqu'un")
    conversation_id = conversation_of(stack.settings, sender).id
    mediator_page.goto(f"/console/conversations/{conversation_id}")

    mediator_page.fill("textarea[name=text]", "Bonjour, je m'occupe de votre demande.")
    mediator_page.click("text=Envoyer")

    mediator_page.locator(".from-mediator .text", has_text="je m'occupe de votre demande").wait_for(timeout=10_000)
