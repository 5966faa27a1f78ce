"""The public chat API on the real stack: POST /api/chat only."""

import uuid

import httpx
import pytest

from bot.services.handoff import WAITING
from tests.integration.stack import Stack
from tests.transcript import conversation_of, count_rows, messages_of, tracker_user_texts


def new_sender() -> str:
    return uuid.uuid4().hex


def chat(api: httpx.Client, sender: str, **fields: str) -> httpx.Response:
    return api.post("/api/chat", json={"sender_id": sender, **fields})


def test_bonjour_gets_the_tenant_welcome_and_the_menu(api, stack: Stack):
    sender = new_sender()

    response = chat(api, sender, text="bonjour")

    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "bot"
    assert "assistant automatique de la Régie de Quartier" in body["replies"][0]["text"]
    payloads = [b["payload"] for r in body["replies"] for b in r.get("buttons", [])]
    assert "/request_human" in payloads and "/topic_energy" in payloads
    # The welcome came from our database through the action server.
    assert conversation_of(stack.settings, sender).greeted_at is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bjr", "assistant automatique"),
        ("merci bcp", "Avec plaisir"),
        ("t un robot ?", "assistant automatique"),
        ("aidez moi svp", "Voici ce que je peux faire"),
        ("aurevoir", "Au revoir"),
        ("quel temps fait il a marseille demain", "je ne peux pas vous aider sur ce sujet"),
    ],
)
def test_everyday_french_with_typos_is_understood(api, text, expected):
    response = chat(api, new_sender(), text=text)

    assert response.status_code == 200
    assert expected in " ".join(r["text"] for r in response.json()["replies"])


def test_every_message_is_in_the_transcript(api, stack: Stack):
    sender = new_sender()

    chat(api, sender, text="bonjour")
    chat(api, sender, text="merci")

    authors = [author for author, _, _ in messages_of(stack.settings, sender)]
    assert authors[0] == "resident" and authors.count("resident") == 2
    assert authors.count("bot") >= 3


def test_a_button_the_bot_offered_is_accepted(api):
    sender = new_sender()
    chat(api, sender, text="bonjour")

    response = chat(api, sender, payload="/topic_energy")

    assert response.status_code == 200
    assert "énergie" in response.json()["replies"][0]["text"]


def test_a_payload_the_bot_did_not_offer_is_refused_and_not_stored(api, stack: Stack):
    sender = new_sender()
    chat(api, sender, text="bonjour")
    before = count_rows(stack.settings)

    response = chat(api, sender, payload='/book_visit{"slot": "x"}')

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payload_not_offered"
    assert count_rows(stack.settings) == before


def test_an_old_button_cannot_be_replayed(api):
    sender = new_sender()
    chat(api, sender, text="bonjour")
    chat(api, sender, payload="/topic_energy")

    assert chat(api, sender, payload="/topic_biowaste").status_code == 409


def test_the_same_sender_at_another_tenant_is_another_conversation(api, stack: Stack):
    from bot.db import transaction
    from bot.services.conversations import ensure_tenant

    with transaction(stack.settings.database_url) as session:
        ensure_tenant(session, slug="habitat-sud", name="Habitat Sud", welcome_message="Bienvenue chez Habitat Sud !")
    sender = new_sender()

    demo = chat(api, sender, text="bonjour").json()
    other = chat(api, sender, text="bonjour", tenant="habitat-sud").json()

    assert "Régie de Quartier" in demo["replies"][0]["text"]
    assert other["replies"][0]["text"] == "Bienvenue chez Habitat Sud !"


def test_asking_for_a_person_switches_to_human_mode_and_bypasses_rasa(api, stack: Stack):
    sender = new_sender()

    handoff = chat(api, sender, text="je veux parler a quelqu'un")
    later = chat(api, sender, text="ma facture est de 300 euros")

    assert handoff.json()["mode"] == "human"
    assert "médiateur" in handoff.json()["replies"][0]["text"]
    assert later.status_code == 200
    assert later.json()["mode"] == "human" and later.json()["replies"][0]["text"].startswith(WAITING)
    assert ("resident", "ma facture est de 300 euros", None) in messages_of(stack.settings, sender)
    conversation = conversation_of(stack.settings, sender)
    assert "ma facture est de 300 euros" not in tracker_user_texts(stack.settings, conversation.id)


def test_a_text_of_2000_characters_is_accepted(api):
    assert chat(api, new_sender(), text="é" * 2000).status_code == 200
