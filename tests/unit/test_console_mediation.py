"""The mediators' pages on the real web app and database: queue, transcript, claim, reply, hand back, close."""

import re
import uuid

import pytest
from markupsafe import escape
from sqlalchemy import select

from bot.db import transaction
from bot.models import AuditEntry, Author, Conversation, Message, Mode, OutgoingMessage, Role
from bot.services import handoff
from bot.services.conversations import ensure_tenant
from tests.console_client import PASSWORD, login, new_staff, post_form, waiting_conversation

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
async def mediator(web, settings):
    email = new_staff(settings, Role.MEDIATOR)
    assert (await login(web, email, PASSWORD)).status_code == 303
    return email


def stored(settings, conversation_id: str) -> Conversation:
    with transaction(settings.database_url) as session:
        return session.get_one(Conversation, conversation_id)


def outbox_texts(settings, conversation_id: str) -> list[str]:
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(
                select(OutgoingMessage.text)
                .where(OutgoingMessage.conversation_id == conversation_id)
                .order_by(OutgoingMessage.id)
            )
        )


def transcript(settings, conversation_id: str) -> list[tuple[str, str | None]]:
    with transaction(settings.database_url) as session:
        rows = session.execute(
            select(Message.author, Message.text).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return [(author.value, text) for author, text in rows]


def queue_ids(page_text: str) -> list[str]:
    return re.findall(r'href="/console/conversations/([0-9a-f-]{36})"', page_text)


async def test_the_queue_lists_urgent_first_then_the_longest_waiting(web, mediator, settings):
    older = waiting_conversation(settings, "je veux parler a quelqu'un")
    newer = waiting_conversation(settings, "un humain svp")
    urgent = waiting_conversation(settings, "plus de chauffage", reason=handoff.URGENT)

    ids = [i for i in queue_ids((await web.get("/console/queue")).text) if i in {older, newer, urgent}]

    assert ids == [urgent, older, newer]
    live = (await web.get("/console/api/queue")).json()["items"]
    assert [i["id"] for i in live if i["id"] in {older, newer, urgent}] == [urgent, older, newer]
    assert next(i for i in live if i["id"] == urgent)["urgent"] is True


async def test_a_resident_script_is_shown_as_text_in_the_queue_and_the_transcript(web, mediator, settings):
    conversation_id = waiting_conversation(settings, XSS)

    queue = (await web.get("/console/queue")).text
    page = (await web.get(f"/console/conversations/{conversation_id}")).text

    for text in (queue, page):
        assert "<script>alert" not in text and "<img src=x" not in text
        assert str(escape(XSS)) in text
    assert "script-src 'self'" in (await web.get("/console/queue")).headers["content-security-policy"]
    live = (await web.get(f"/console/api/conversations/{conversation_id}/messages")).json()
    assert live["messages"][0]["text"] == XSS  # JSON; the page's script sets it with textContent


async def test_a_mediator_claims_replies_and_the_reply_is_stored_and_queued(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "ma facture est de 300 euros")
    page = f"/console/conversations/{conversation_id}"

    claimed = await post_form(web, page, f"{page}/claim")
    replied = await post_form(web, page, f"{page}/reply", text="Bonjour, je regarde votre facture avec vous.")

    assert claimed.status_code == replied.status_code == 303
    assert stored(settings, conversation_id).assigned_staff_id is not None
    assert transcript(settings, conversation_id)[-1] == ("mediator", "Bonjour, je regarde votre facture avec vous.")
    assert outbox_texts(settings, conversation_id) == ["Bonjour, je regarde votre facture avec vous."]
    shown = (await web.get(page)).text
    assert mediator in shown  # the author's name in the transcript


async def test_the_live_api_returns_only_the_messages_after_the_last_one_seen(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "premier message")
    first = (await web.get(f"/console/api/conversations/{conversation_id}/messages")).json()["messages"]
    with transaction(settings.database_url) as session:
        session.add(Message(conversation_id=conversation_id, author=Author.RESIDENT, text="vous êtes là ?"))

    later = (await web.get(f"/console/api/conversations/{conversation_id}/messages?after={first[-1]['id']}")).json()

    assert [m["text"] for m in later["messages"]] == ["vous êtes là ?"]
    assert later["mode"] == "human" and later["closed"] is False


async def test_hand_back_tells_the_resident_and_switches_to_bot_mode(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "merci pour votre aide")
    page = f"/console/conversations/{conversation_id}"

    await post_form(web, page, f"{page}/hand-back")

    conversation = stored(settings, conversation_id)
    assert conversation.mode is Mode.BOT and conversation.assigned_staff_id is None
    assert "assistant automatique" in outbox_texts(settings, conversation_id)[-1]
    assert conversation_id not in queue_ids((await web.get("/console/queue")).text)


async def test_close_keeps_the_outcome_tells_the_resident_and_leaves_the_queue(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "j'ai un souci de voisinage")
    page = f"/console/conversations/{conversation_id}"

    await post_form(web, page, f"{page}/close", outcome="Orienté vers le bailleur.")

    conversation = stored(settings, conversation_id)
    assert conversation.closed_at is not None and conversation.outcome == "Orienté vers le bailleur."
    assert "clos cette conversation" in outbox_texts(settings, conversation_id)[-1]
    assert conversation_id not in queue_ids((await web.get("/console/queue")).text)
    again = await post_form(web, page, f"{page}/close", outcome="encore")
    assert again.status_code == 409


async def test_an_empty_reply_is_refused_and_nothing_is_sent(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "allo")
    page = f"/console/conversations/{conversation_id}"

    response = await post_form(web, page, f"{page}/reply", text="   ")

    assert response.status_code == 409
    assert outbox_texts(settings, conversation_id) == []


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "allo")

    response = await web.post(f"/console/conversations/{conversation_id}/reply", data={"text": "Bonjour"})
    forged = await web.post(
        f"/console/conversations/{conversation_id}/reply", data={"text": "Bonjour", "csrf_token": "forged"}
    )

    assert response.status_code == forged.status_code == 403
    assert "formulaire a expiré" in response.text
    assert outbox_texts(settings, conversation_id) == []


async def test_every_action_and_every_opening_of_a_conversation_is_audited(web, mediator, settings):
    conversation_id = waiting_conversation(settings, "bonjour")
    page = f"/console/conversations/{conversation_id}"
    await post_form(web, page, f"{page}/claim")
    await post_form(web, page, f"{page}/reply", text="Bonjour !")
    await post_form(web, page, f"{page}/close", outcome="Réglé.")

    with transaction(settings.database_url) as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.target == conversation_id).order_by(AuditEntry.id)
            )
        )
    assert actions == ["view_conversation", "claim", "view_conversation", "reply", "view_conversation", "close"]


async def test_an_unknown_conversation_is_a_404_page(web, mediator):
    response = await web.get(f"/console/conversations/{uuid.uuid4()}")

    assert response.status_code == 404 and "existe pas" in response.text


MEDIATOR_ONLY = [
    ("GET", "/console/queue"),
    ("GET", "/console/api/queue"),
    ("GET", "/console/conversations/{id}"),
    ("GET", "/console/api/conversations/{id}/messages"),
    ("POST", "/console/conversations/{id}/claim"),
    ("POST", "/console/conversations/{id}/reply"),
    ("POST", "/console/conversations/{id}/hand-back"),
    ("POST", "/console/conversations/{id}/close"),
    ("GET", "/console/audit"),
]


@pytest.mark.parametrize(("method", "path"), MEDIATOR_ONLY)
async def test_a_landlord_can_neither_read_transcripts_nor_act(web, settings, method, path):
    conversation_id = waiting_conversation(settings, "bonjour")
    await login(web, "bailleur@demo.local", "demo-bailleur")
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await web.get("/console/stats")).text).group(1)

    url = path.format(id=conversation_id)
    response = await web.request(
        method, url, data={"csrf_token": token, "text": "x", "outcome": "x"} if method == "POST" else None
    )

    assert response.status_code == 403
    assert outbox_texts(settings, conversation_id) == []
    assert stored(settings, conversation_id).mode is Mode.HUMAN


async def test_a_landlord_sees_the_statistics_of_its_own_tenant_only(web, settings):
    with transaction(settings.database_url) as session:
        ensure_tenant(session, slug="habitat-est", name="Habitat Est", welcome_message="Bienvenue !")
    waiting_conversation(settings, "bonjour", tenant="habitat-est")
    email = new_staff(settings, Role.LANDLORD, tenants=("habitat-est",))
    await login(web, email, PASSWORD)

    own = await web.get("/console/stats")
    chosen = await web.get("/console/stats?tenant=habitat-est")
    other = await web.get("/console/stats?tenant=demo")

    assert own.status_code == chosen.status_code == 200
    assert 'data-tenant="habitat-est"' in own.text and 'data-tenant="demo"' not in own.text
    assert "Régie de Quartier (démo)" not in own.text
    assert other.status_code == 403 and "Régie de Quartier (démo)" not in other.text
    assert (await web.get("/console")).headers["location"] == "/console/stats"


async def test_the_demo_landlord_sees_the_demo_tenant(web):
    await login(web, "bailleur@demo.local", "demo-bailleur")

    page = await web.get("/console/stats")

    assert 'data-tenant="demo"' in page.text and 'data-tenant="habitat-est"' not in page.text


async def test_the_stats_count_conversations_escalations_and_faq_topics(web, mediator, settings):
    from bot.faq.entries import answer_reply, load_entries

    entry = next(e for e in load_entries() if e.id == "energy_cheque_energie_what")
    conversation_id = waiting_conversation(settings, "c quoi le cheque energie", reason=handoff.URGENT)
    with transaction(settings.database_url) as session:
        session.add(Message(conversation_id=conversation_id, author=Author.BOT, text=answer_reply(entry).text))

    page = (await web.get("/console/stats?tenant=demo")).text

    assert str(escape(entry.title)) in page
    assert "URGENT" in page


async def test_only_an_admin_reads_the_audit_log(web, settings):
    await login(web, "admin@demo.local", "demo-admin")

    page = await web.get("/console/audit")

    assert page.status_code == 200 and "login" in page.text
    assert (await web.get("/console/queue")).status_code == 200
