"""Through POST /api/chat on the real stack: human mode always answers, and another language gets its own reply."""

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

from bot.services import handoff, languages
from tests.console_client import signed_in_client, submit
from tests.integration.stack import Stack
from tests.transcript import conversation_of, messages_of, tracker_user_texts

# "jusqu'à 17 h" while the Régie is open, "de 9 h à 17 h" and the reopening while it is closed.
HOURS = re.compile(r"\d h")


@pytest.fixture
def mediator(stack: Stack) -> Iterator[httpx.Client]:
    with signed_in_client(stack.web_url, "mediateur@demo.local", "demo-mediateur") as client:
        yield client


def chat(api: httpx.Client, sender: str, **fields: str) -> dict:
    response = api.post("/api/chat", json={"sender_id": sender, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def payloads(answer: dict) -> list[str]:
    return [b["payload"] for r in answer["replies"] for b in r.get("buttons", [])]


def queue_ids(mediator: httpx.Client) -> list[str]:
    return [item["id"] for item in mediator.get("/console/api/queue").json()["items"]]


def test_in_human_mode_each_message_is_answered_and_the_button_brings_the_assistant_back(api, stack, mediator):
    sender = uuid.uuid4().hex
    assert chat(api, sender, text="je veux parler a quelqu'un")["mode"] == "human"
    conversation_id = conversation_of(stack.settings, sender).id

    first = chat(api, sender, text="allo il y a quelqu'un ?")
    second = chat(api, sender, text="vous etes la ?")

    assert first["mode"] == "human" and first["replies"][0]["text"].startswith(handoff.WAITING)
    assert HOURS.search(first["replies"][0]["text"]) and "revenir à l'assistant" in first["replies"][0]["text"]
    # Then the short notice (and, while the Régie is closed, when it reopens), the button still there.
    assert second["replies"][0]["text"].startswith(handoff.WAITING_AGAIN)
    assert payloads(first) == payloads(second) == [handoff.BACK_TO_ASSISTANT]
    live = mediator.get(f"/console/api/conversations/{conversation_id}/messages").json()["messages"]
    assert [m["text"] for m in live][-4:] == [
        "allo il y a quelqu'un ?",
        first["replies"][0]["text"],
        "vous etes la ?",
        second["replies"][0]["text"],
    ]
    assert conversation_id in queue_ids(mediator)

    back = chat(api, sender, payload=handoff.BACK_TO_ASSISTANT)

    assert back["mode"] == "bot" and back["replies"][0]["text"] == handoff.BACK_WITH_THE_ASSISTANT
    assert any("Voici ce que je peux faire" in r["text"] for r in back["replies"][1:])  # Rasa's menu
    assert conversation_id not in queue_ids(mediator)
    assert ("bot", handoff.BACK_WITH_THE_ASSISTANT, None) in messages_of(stack.settings, sender)
    answer = chat(api, sender, text="on peut mettre les coquilles d'oeufs dans le bioseau ?")
    assert answer["mode"] == "bot" and answer["replies"]
    assert "vous etes la ?" not in tracker_user_texts(stack.settings, conversation_id)


def test_a_mediator_writing_is_not_interrupted_and_typed_words_bring_the_assistant_back(api, stack, mediator):
    sender = uuid.uuid4().hex
    chat(api, sender, text="je veux parler a quelqu'un")
    page = f"/console/conversations/{conversation_of(stack.settings, sender).id}"
    assert submit(mediator, page, f"{page}/reply", text="Bonjour, ici la Régie. Je vous écoute.").status_code == 303

    during = chat(api, sender, text="c'est pour ma facture d'électricité")
    back = chat(api, sender, text="finalement je prefere revenir a l'assistant")

    assert during == {"replies": [], "mode": "human"}
    assert ("resident", "c'est pour ma facture d'électricité", None) in messages_of(stack.settings, sender)
    assert back["mode"] == "bot" and back["replies"][0]["text"] == handoff.BACK_WITH_THE_ASSISTANT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hello I need help with my electricity bill", languages.ENGLISH),
        ("مرحبا، أحتاج مساعدة في فاتورة الكهرباء من فضلك", languages.ARABIC),
    ],
)
def test_another_language_gets_a_reply_in_it_without_rasa_and_a_way_to_a_mediator(api, stack, text, language):
    sender = uuid.uuid4().hex

    answer = chat(api, sender, text=text)
    handed = chat(api, sender, payload="/request_human")

    assert answer["mode"] == "bot" and answer["replies"][0]["text"].startswith(language.reply)
    assert languages.IN_FRENCH in answer["replies"][0]["text"]
    assert payloads(answer) == ["/request_human"]
    assert ("bot", answer["replies"][0]["text"], None) in messages_of(stack.settings, sender)
    assert text not in tracker_user_texts(stack.settings, conversation_of(stack.settings, sender).id)
    assert handed["mode"] == "human"


@pytest.mark.parametrize("text", ["jveu 1 rdv stp", "mon wifi bug, c'est ok ?"])
def test_french_in_sms_style_or_with_english_words_goes_to_the_assistant(api, text):
    answer = chat(api, uuid.uuid4().hex, text=text)

    assert all(languages.IN_FRENCH not in r["text"] for r in answer["replies"])
