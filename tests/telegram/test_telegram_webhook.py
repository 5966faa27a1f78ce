"""Webhook mode: the web app takes Telegram's updates on /telegram/webhook (real stack, fake Bot API)."""

import httpx

from bot.channels.telegram import texts
from tests.telegram import updates
from tests.telegram.conftest import WEBHOOK_SECRET, WebhookApp
from tests.transcript import conversation_of, messages_of


def update(app: WebhookApp, body: dict) -> dict:
    return {"update_id": app.api.next_update_id(), **body}


def test_the_web_app_registers_its_webhook_with_the_secret(webhook_app: WebhookApp):
    registered = webhook_app.api.webhook

    assert registered["url"] == "https://regie.example/telegram/webhook"
    assert registered["secret_token"] == WEBHOOK_SECRET
    assert set(registered["allowed_updates"]) == {"message", "callback_query"}


def test_an_update_with_the_secret_is_answered_before_the_200(webhook_app: WebhookApp, stack):
    chat_id = updates.new_chat_id()

    response = webhook_app.post(update(webhook_app, updates.message(chat_id, "merci beaucoup")))

    assert response.status_code == 200
    # Handled before answering: the reply is already sent and the message stored.
    assert "Avec plaisir" in webhook_app.api.messages_to(chat_id)[0].text
    assert ("resident", "merci beaucoup", None) in messages_of(stack.settings, str(chat_id))


def test_requests_without_the_right_secret_are_refused_and_nothing_happens(webhook_app: WebhookApp, stack):
    chat_id = updates.new_chat_id()
    body = update(webhook_app, updates.message(chat_id, "bonjour"))

    without = webhook_app.post(body, secret=None)
    wrong = webhook_app.post(body, secret=WEBHOOK_SECRET[:-1] + "x")

    assert (without.status_code, wrong.status_code) == (403, 403)
    assert webhook_app.api.messages_to(chat_id) == []
    assert conversation_of(stack.settings, str(chat_id), channel="telegram") is None


def test_the_same_update_posted_twice_is_handled_once(webhook_app: WebhookApp, stack):
    chat_id = updates.new_chat_id()
    body = update(webhook_app, updates.message(chat_id, "merci"))

    first, again = webhook_app.post(body), webhook_app.post(body)

    assert (first.status_code, again.status_code) == (200, 200)
    assert len(webhook_app.api.messages_to(chat_id)) == 1
    assert [t for author, t, _ in messages_of(stack.settings, str(chat_id)) if author == "resident"] == ["merci"]


def test_what_we_cannot_handle_still_gets_200_so_telegram_stops_resending(webhook_app: WebhookApp):
    chat_id = updates.new_chat_id()
    edited = update(webhook_app, {"edited_message": updates.message(chat_id, "bonjour")["message"]})
    group = updates.message(chat_id, "bonjour")
    group["message"]["chat"] = {"id": -chat_id, "type": "group", "title": "Hall B"}

    answers = [
        webhook_app.post(None, raw=b"{not json"),
        webhook_app.post(None, raw=b"[1, 2]"),
        webhook_app.post({"update_id": "x", "message": 3}),
        webhook_app.post(edited),
        webhook_app.post(update(webhook_app, group)),
    ]

    assert [a.status_code for a in answers] == [200] * 5
    assert webhook_app.api.messages_to(chat_id) == [] and webhook_app.api.messages_to(-chat_id) == []


def test_a_voice_note_by_webhook_gets_the_kind_answer(webhook_app: WebhookApp):
    chat_id = updates.new_chat_id()

    assert webhook_app.post(update(webhook_app, updates.voice(chat_id))).status_code == 200

    assert [m.text for m in webhook_app.api.messages_to(chat_id)] == [texts.VOICE]


def test_the_web_app_without_webhook_mode_has_no_telegram_route(stack):
    response = httpx.post(f"{stack.web_url}/telegram/webhook", json={}, timeout=10)

    assert response.status_code == 404


def test_the_web_app_logs_neither_the_token_nor_the_secret(webhook_app: WebhookApp):
    webhook_app.post(update(webhook_app, updates.message(updates.new_chat_id(), "merci")))

    log = webhook_app.process.log.read_text()

    assert webhook_app.api.token.split(":")[1] not in log
    assert WEBHOOK_SECRET not in log
