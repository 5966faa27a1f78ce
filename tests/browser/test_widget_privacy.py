"""The widget's privacy controls in a real browser: nothing stored before opening, the notice, "Mes données", erase."""

import json
import re

from playwright.sync_api import expect

from tests.browser.test_widget import STORE, embedded
from tests.transcript import conversation_of


def test_nothing_is_written_in_the_browser_before_the_resident_opens_the_assistant(watched, demo_site):
    widget = embedded(watched, demo_site)

    before = watched.page.evaluate(f"localStorage.getItem('{STORE}')")
    widget.open()

    assert before is None
    expect(watched.page.locator("#regie-assistant .privacy")).to_contain_text("assistant automatique")
    expect(watched.page.locator("#regie-assistant .privacy a")).to_have_attribute(
        "href", re.compile(r"/confidentialite\?tenant=demo$")
    )
    assert watched.csp_violations() == []


def test_mes_donnees_downloads_the_file_and_erasing_leaves_a_fresh_conversation(watched, demo_site, stack):
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("ma facture d'électricité est trop haute")
    expect(widget.bot_messages()).to_have_count(2)
    sender = widget.sender_id()

    with watched.page.expect_download() as download:
        watched.page.get_by_role("button", name="Mes données", exact=True).click()
    data = json.loads(download.value.path().read_text())
    watched.page.get_by_role("button", name="Effacer mes données").click()
    watched.page.get_by_role("button", name="Oui, tout effacer").click()

    assert data["identifiant"] == sender
    assert "ma facture d'électricité est trop haute" in [m["texte"] for m in data["conversations"][0]["messages"]]
    expect(widget.log).to_contain_text("Vos données sont effacées.")
    assert widget.sender_id() != sender and conversation_of(stack.settings, sender) is None
    assert watched.csp_violations() == []
