"""The widget as a resident uses it: embedded on the demo landlord site (another origin), on the real stack."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.db import transaction
from bot.models import OutgoingMessage, Photo
from bot.services import outbox
from bot.services.conversations import Button
from bot.services.handoff import escalate
from bot.services.widget import contrast_ratio
from tests.browser.conftest import Watched, screenshot
from tests.integration.stack import Stack
from tests.transcript import conversation_of, messages_of

STORE = "regie-assistant:demo"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 500


class Widget:
    """The widget on a page, found through its open shadow root."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator("#regie-assistant .launcher")
        self.panel = page.get_by_role("dialog", name="Régie de Quartier (démo)")
        self.input = page.get_by_label("Votre message")
        self.log = page.locator("#regie-assistant [role=log]")

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()

    def say(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def bot_messages(self):
        return self.log.locator(".msg.bot")

    def sender_id(self) -> str:
        return self.page.evaluate(f"JSON.parse(localStorage.getItem('{STORE}')).senderId")


def embedded(watched: Watched, demo_site: str, path: str = "/") -> Widget:
    watched.page.goto(demo_site + path)
    widget = Widget(watched.page)
    expect(widget.launcher).to_be_visible()
    return widget


def test_a_question_on_the_landlords_page_gets_the_answer_with_safe_source_links(watched, demo_site, stack: Stack):
    widget = embedded(watched, demo_site)
    widget.open()

    widget.say("c quoi le cheque energie")

    answer = widget.bot_messages().nth(1)
    expect(answer).to_contain_text("chèque énergie")
    source = answer.get_by_role("link").first
    expect(source).to_have_attribute("href", re.compile(r"^https://"))
    expect(source).to_have_attribute("target", "_blank")
    expect(source).to_have_attribute("rel", "noopener noreferrer")
    assert messages_of(stack.settings, widget.sender_id())[0] == ("resident", "c quoi le cheque energie", None)
    assert watched.csp_violations() == []
    screenshot(watched.page, "widget-answer")


def test_the_tenant_colour_is_used_with_readable_text(watched, demo_site):
    widget = embedded(watched, demo_site)

    colours = widget.launcher.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")

    assert colours == ["rgb(11, 110, 79)", "rgb(255, 255, 255)"]
    assert contrast_ratio("#0b6e4f", "#ffffff") >= 4.5
    assert watched.csp_violations() == []


def test_tapping_a_button_sends_its_payload_and_removes_the_old_buttons(watched, demo_site, stack: Stack):
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("bonjour")

    widget.page.get_by_role("button", name="Économies d'énergie").click()

    expect(widget.bot_messages().last).to_contain_text("énergie")
    payloads = [payload for _, _, payload in messages_of(stack.settings, widget.sender_id())]
    assert "/topic_energy" in payloads
    expect(widget.log.locator(".msg.me").last).to_have_text("Vous : Économies d'énergie")


def test_the_conversation_survives_a_reload_and_navigation_and_can_start_over(watched, demo_site):
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("merci beaucoup")
    expect(widget.bot_messages().nth(1)).to_be_visible()
    sender = widget.sender_id()

    watched.page.reload()
    expect(widget.panel).to_be_visible()  # it stays open too
    expect(widget.log).to_contain_text("merci beaucoup")
    watched.page.get_by_role("link", name="Vie de quartier").click()
    expect(widget.log).to_contain_text("merci beaucoup")
    assert widget.sender_id() == sender

    watched.page.get_by_role("button", name="Nouvelle conversation").click()

    expect(widget.log).not_to_contain_text("merci beaucoup")
    expect(widget.bot_messages()).to_have_count(1)  # the welcome
    expect(widget.input).to_be_focused()
    assert widget.sender_id() != sender


def test_an_xss_payload_is_shown_as_text_and_runs_nothing(watched, demo_site, stack: Stack):
    widget = embedded(watched, demo_site)
    widget.open()
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"

    widget.say(payload)

    expect(widget.log.locator(".msg.me")).to_have_text("Vous : " + payload)
    expect(widget.bot_messages().nth(1)).to_be_visible()  # the bot answered
    assert widget.log.locator("img, script").count() == 0
    assert watched.dialogs == []
    assert messages_of(stack.settings, widget.sender_id())[0][1] == payload


def test_a_page_whose_origin_is_not_allowed_gets_no_widget_and_no_answer(watched, stranger_page, stack: Stack):
    page = watched.page

    with page.expect_console_message(lambda message: "widget indisponible" in message.text):
        page.goto(stranger_page + "/")
    refused = page.evaluate(
        """url => fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
                         body: JSON.stringify({sender_id: 'abcdefgh-1234', text: 'bonjour'})})
                 .then(() => 'answered', () => 'refused')""",
        f"{stack.web_url}/api/chat",
    )

    assert refused == "refused"
    expect(page.locator("#regie-assistant")).to_have_count(0)
    assert conversation_of(stack.settings, "abcdefgh-1234") is None


def test_a_keyboard_alone_opens_talks_picks_a_button_and_closes(watched, demo_site):
    widget = embedded(watched, demo_site)
    page = watched.page
    for _ in range(10):  # the site's own links come first
        page.keyboard.press("Tab")
        if widget.launcher.evaluate("e => e.getRootNode().activeElement === e"):
            break
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()

    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name="Réponses proposées")).to_be_visible()
    page.keyboard.press("Shift+Tab")  # the buttons come just before the message field
    expect(page.get_by_role("button", name="Parler à un médiateur")).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.bot_messages().last).to_contain_text("médiateur")
    expect(widget.input).to_be_focused()

    page.keyboard.press("Escape")

    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")


def test_a_mediator_message_and_a_change_of_mode_arrive_live(watched, demo_site, stack: Stack):
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("bonjour")
    expect(widget.bot_messages().nth(1)).to_be_visible()
    conversation_id = conversation_of(stack.settings, widget.sender_id()).id

    with transaction(stack.settings.database_url) as session:
        escalate(session, conversation_id=conversation_id, reason="asked")
        text = "Bonjour, ici Samia, médiatrice de la Régie. Je regarde votre demande."
        queued = outbox.enqueue(
            session, conversation_id=conversation_id, text=text, buttons=[Button("Merci", "/thank")]
        )

    live = widget.log.locator(".msg.staff")
    expect(live).to_have_text("Message de la Régie : " + text)
    expect(widget.log).to_contain_text("Un médiateur a rejoint la conversation.")
    expect(widget.page.get_by_role("button", name="Merci")).to_be_visible()
    with transaction(stack.settings.database_url) as session:
        assert session.get_one(OutgoingMessage, queued.id).delivered_at is not None
    screenshot(watched.page, "widget-mediator")

    watched.page.reload()
    expect(live).to_have_count(1)  # kept, and not delivered twice


def test_at_320_pixels_the_panel_fills_the_screen_without_sideways_scrolling(watched, demo_site):
    watched.page.set_viewport_size({"width": 320, "height": 640})
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("bonjour")
    expect(widget.bot_messages().nth(1)).to_be_visible()

    box = widget.panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert watched.page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(widget.input).to_be_in_viewport()
    expect(watched.page.get_by_role("button", name="Envoyer")).to_be_in_viewport()
    screenshot(watched.page, "widget-320px")


def test_at_200_percent_zoom_everything_stays_reachable(watched, demo_site):
    # A 1280×800 screen at 200 % zoom lays pages out in 640×400 CSS pixels.
    watched.page.set_viewport_size({"width": 640, "height": 400})
    widget = embedded(watched, demo_site)
    widget.open()

    for name in ("Nouvelle conversation", "Fermer la discussion", "Envoyer"):
        expect(watched.page.get_by_role("button", name=name)).to_be_in_viewport()
    expect(widget.input).to_be_in_viewport()
    screenshot(watched.page, "widget-zoom-200")


def test_too_many_messages_and_an_unreachable_assistant_are_said_plainly_with_a_retry(watched, demo_site, stack: Stack):
    widget = embedded(watched, demo_site)
    widget.open()
    api = f"{stack.web_url}/api/chat"
    cors = {"Access-Control-Allow-Origin": demo_site, "Access-Control-Expose-Headers": "Retry-After"}
    limited = {"error": {"code": "rate_limited", "message": "…", "retry_after": 42}}
    watched.page.route(api, lambda route: route.fulfill(status=429, headers=cors | {"Retry-After": "42"}, json=limited))

    widget.say("bonjour")
    expect(widget.log).to_contain_text("Vous pourrez réessayer dans 42 secondes.")

    watched.page.unroute(api)
    watched.page.route(api, lambda route: route.abort("connectionrefused"))
    widget.say("bonjour ?")
    expect(widget.log).to_contain_text("L'assistant ne peut pas être joint pour le moment.")

    watched.page.unroute(api)
    watched.page.get_by_role("button", name="Réessayer").last.click()
    expect(widget.bot_messages().nth(1)).to_be_visible()
    expect(widget.log.locator(".msg.me")).to_have_count(2)  # a retry does not repeat the message


def test_a_photo_is_attached_during_a_report_and_a_wrong_file_is_refused_plainly(
    watched, demo_site, stack: Stack, tmp_path
):
    widget = embedded(watched, demo_site)
    widget.open()
    widget.say("il y a des encombrants dans le local poubelle")
    expect(widget.bot_messages().last).to_contain_text("local poubelle")
    widget.say("Résidence Les Tilleuls, bât. B")
    attach = widget.page.get_by_role("button", name="📷 Joindre une photo")
    expect(attach).to_be_visible()
    screenshot(watched.page, "widget-photo-question")
    file_input = widget.page.locator("#regie-assistant input[type=file]")

    file_input.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"})
    expect(widget.log.locator(".note")).to_contain_text("JPEG, PNG ou WebP")
    file_input.set_input_files({"name": "poubelle.jpg", "mimeType": "image/jpeg", "buffer": JPEG})

    expect(widget.log.locator(".msg.me").last).to_have_text("Vous : 📷 Photo envoyée")
    expect(widget.bot_messages().last).to_contain_text("téléphone")
    conversation = conversation_of(stack.settings, widget.sender_id())
    with transaction(stack.settings.database_url) as session:
        (photo,) = session.scalars(select(Photo).where(Photo.conversation_id == conversation.id))
        assert photo.size == len(JPEG)
    assert watched.csp_violations() == []
