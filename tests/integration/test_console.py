"""The console on the real stack: a resident asks for a person, a mediator answers, the bot takes over again."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import select

from bot.db import transaction
from bot.models import OutgoingMessage
from tests.console_client import csrf_of, signed_in_client, submit
from tests.integration.stack import Stack
from tests.transcript import conversation_of, messages_of

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def mediator(stack: Stack) -> Iterator[httpx.Client]:
    with signed_in_client(stack.web_url, "mediateur@demo.local", "demo-mediateur") as client:
        yield client


def chat(api: httpx.Client, sender: str, text: str) -> dict:
    response = api.post("/api/chat", json={"sender_id": sender, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def queued(stack: Stack, conversation_id: str) -> list[str]:
    with transaction(stack.settings.database_url) as session:
        return list(
            session.scalars(
                select(OutgoingMessage.text)
                .where(OutgoingMessage.conversation_id == conversation_id)
                .order_by(OutgoingMessage.id)
            )
        )


def test_a_mediator_answers_a_resident_then_hands_back_to_the_bot(api, stack, mediator):
    sender = uuid.uuid4().hex

    asked = chat(api, sender, "je veux parler a quelqu'un")
    assert asked["mode"] == "human"
    assert any("médiateur" in r["text"] for r in asked["replies"])
    conversation_id = conversation_of(stack.settings, sender).id
    assert conversation_id in [i["id"] for i in mediator.get("/console/api/queue").json()["items"]]
    assert conversation_id in mediator.get("/console/queue").text

    page = f"/console/conversations/{conversation_id}"
    assert submit(mediator, page, f"{page}/claim").status_code == 303
    assert submit(mediator, page, f"{page}/reply", text="Bonjour, ici la Régie. Que se passe-t-il ?").status_code == 303
    assert ("mediator", "Bonjour, ici la Régie. Que se passe-t-il ?", None) in messages_of(stack.settings, sender)
    assert queued(stack, conversation_id) == ["Bonjour, ici la Régie. Que se passe-t-il ?"]

    waiting = chat(api, sender, "ma facture est trop haute")
    assert waiting == {"replies": [], "mode": "human"}
    live = mediator.get(f"{page.replace('/console/', '/console/api/')}/messages").json()
    assert live["messages"][-1]["text"] == "ma facture est trop haute"

    assert submit(mediator, page, f"{page}/hand-back").status_code == 303
    assert "assistant automatique" in queued(stack, conversation_id)[-1]
    again = chat(api, sender, "merci")
    assert again["mode"] == "bot" and again["replies"]


def test_a_resident_s_script_is_escaped_in_the_console(api, stack, mediator):
    sender = uuid.uuid4().hex
    chat(api, sender, "je veux parler a quelqu'un")
    chat(api, sender, XSS)
    conversation_id = conversation_of(stack.settings, sender).id

    page = mediator.get(f"/console/conversations/{conversation_id}").text

    assert "<script>alert" not in page and "<img src=x" not in page
    assert str(escape(XSS)) in page


def test_a_danger_gets_the_numbers_and_tops_the_queue(api, stack, mediator):
    chat(api, uuid.uuid4().hex, "je veux parler a quelqu'un")
    sender = uuid.uuid4().hex

    answer = chat(api, sender, "ça sent le gaz dans l'escalier")

    assert answer["mode"] == "human"
    assert "112" in answer["replies"][0]["text"] and "0 800 47 33 33" in answer["replies"][0]["text"]
    items = mediator.get("/console/api/queue").json()["items"]
    ours = next(i for i, item in enumerate(items) if item["id"] == conversation_of(stack.settings, sender).id)
    assert items[ours]["urgent"] is True
    assert all(item["urgent"] for item in items[:ours])  # only older urgent ones before it


def test_a_heating_cut_gets_the_faq_answer_and_a_mediator(api, stack):
    sender = uuid.uuid4().hex

    answer = chat(api, sender, "on a plus de chauffage dans tout l'immeuble depuis hier")

    assert answer["mode"] == "human"
    assert any("gardien" in r["text"] for r in answer["replies"])  # the FAQ entry on collective heating
    assert "urgente" in answer["replies"][-1]["text"]


def test_closing_lets_the_resident_start_a_new_conversation(api, stack, mediator):
    sender = uuid.uuid4().hex
    chat(api, sender, "je veux parler a quelqu'un")
    first = conversation_of(stack.settings, sender).id
    page = f"/console/conversations/{first}"

    assert submit(mediator, page, f"{page}/close", outcome="Rappel fait par téléphone.").status_code == 303
    answer = chat(api, sender, "bonjour")

    assert answer["mode"] == "bot"
    assert "assistant automatique de la Régie de Quartier" in answer["replies"][0]["text"]
    assert conversation_of(stack.settings, sender).id != first


def test_a_console_form_without_its_csrf_token_is_refused(api, stack, mediator):
    sender = uuid.uuid4().hex
    chat(api, sender, "je veux parler a quelqu'un")
    conversation_id = conversation_of(stack.settings, sender).id

    response = mediator.post(f"/console/conversations/{conversation_id}/reply", data={"text": "Bonjour"})

    assert response.status_code == 403
    assert queued(stack, conversation_id) == []


def test_five_failed_logins_lock_the_address_out(stack):
    with httpx.Client(base_url=stack.web_url, timeout=30) as browser:
        statuses = []
        for attempt in range(6):
            form = browser.get("/console/login")
            data = {"csrf_token": csrf_of(form), "email": "mediateur-x@demo.local", "password": f"essai-{attempt}"}
            statuses.append(browser.post("/console/login", data=data).status_code)

    assert statuses == [401, 401, 401, 401, 429, 429]


def test_the_landlord_reads_only_its_tenant_s_statistics(stack):
    from bot.services.conversations import ensure_tenant

    with transaction(stack.settings.database_url) as session:
        ensure_tenant(session, slug="habitat-ouest", name="Habitat Ouest", welcome_message="Bienvenue !")
    with signed_in_client(stack.web_url, "bailleur@demo.local", "demo-bailleur") as landlord:
        own = landlord.get("/console/stats")
        other = landlord.get("/console/stats?tenant=habitat-ouest")
        queue = landlord.get("/console/queue")

    assert own.status_code == 200 and 'data-tenant="demo"' in own.text and "Habitat Ouest" not in own.text
    assert other.status_code == 403 and "Habitat Ouest" not in other.text
    assert queue.status_code == 403


def test_two_messages_in_a_row_the_bot_does_not_understand_go_to_a_mediator(api, stack):
    sender = uuid.uuid4().hex

    first = chat(api, sender, "et pour le reste alors")
    second = chat(api, sender, "et le bidule ?")

    assert first["mode"] == "bot" and "pas bien compris" in first["replies"][0]["text"]
    assert second["mode"] == "human" and "médiateur" in second["replies"][0]["text"]
    assert conversation_of(stack.settings, sender).escalation_reason == "not_understood"
