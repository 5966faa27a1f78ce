"""Handoff triggers (two misses in a row, urgent situations) and a new conversation after a close."""

import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import faq as faq_action
from actions.faq import ActionAnswerFaq
from bot.db import transaction
from bot.models import Author, Conversation, Message, Mode, Resident, StaffUser
from bot.router import Incoming, Router
from bot.services import handoff, mediation
from bot.services.opening_hours import parse
from tests.transcript import conversation_of, messages_of
from tests.unit.stub_rasa import router_answering

FAQ_ANSWER = [{"text": "Le chèque énergie est une aide…"}]
ALWAYS_OPEN = parse("mon-sun 00:00-24:00")


def router(settings, answer, calls: list | None = None) -> Router:
    return router_answering(settings, answer, calls, opening_hours=ALWAYS_OPEN)


def says(sender: str, text: str) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, text=text)


def stored(settings, sender: str) -> Conversation:
    return conversation_of(settings, sender)


async def test_a_danger_gets_the_emergency_numbers_first_without_asking_rasa(settings):
    calls: list = []
    sender = uuid.uuid4().hex

    outcome = await router(settings, FAQ_ANSWER, calls).handle(says(sender, "ça sent le gaz dans ma cuisine"))

    assert calls == []
    assert outcome.mode is Mode.HUMAN
    assert outcome.replies[0].text.startswith("⚠️") and "0 800 47 33 33" in outcome.replies[0].text
    assert "signalement urgent (DEM-" in outcome.replies[1].text
    assert "médiateur" in outcome.replies[2].text and "dès que possible" in outcome.replies[2].text
    assert stored(settings, sender).escalation_reason == handoff.URGENT
    assert [a for a, _, _ in messages_of(settings, sender)] == ["resident", "bot", "bot", "bot"]


async def test_a_cut_still_gets_the_bot_s_answer_then_goes_to_a_mediator(settings):
    calls: list = []
    sender = uuid.uuid4().hex

    outcome = await router(settings, FAQ_ANSWER, calls).handle(says(sender, "on a plus de chauffage depuis hier"))

    assert len(calls) == 1
    assert outcome.mode is Mode.HUMAN
    assert outcome.replies[0].text == FAQ_ANSWER[0]["text"]
    assert "urgente" in outcome.replies[1].text
    assert "112" not in outcome.replies[0].text


async def test_an_urgent_message_still_reaches_a_mediator_when_rasa_is_down(settings):
    sender = uuid.uuid4().hex

    outcome = await router(settings, None).handle(says(sender, "j'ai reçu un avis d'expulsion"))

    assert outcome.engine_available is True and outcome.mode is Mode.HUMAN
    assert "médiateur" in outcome.replies[0].text
    assert stored(settings, sender).escalation_reason == handoff.URGENT


async def test_an_urgent_message_in_human_mode_moves_the_conversation_up_the_queue(settings):
    sender = uuid.uuid4().hex
    chat = router(settings, FAQ_ANSWER)
    await chat.handle(says(sender, "bonjour"))
    with transaction(settings.database_url) as session:
        handoff.escalate(session, conversation_id=stored(settings, sender).id, reason=handoff.ASKED)

    quiet = await chat.handle(says(sender, "l'huissier passe demain"))
    danger = await chat.handle(says(sender, "il me frappe"))

    assert [b.payload for b in quiet.replies[0].buttons] == [handoff.BACK_TO_ASSISTANT]  # the notice of human mode
    assert stored(settings, sender).escalation_reason == handoff.URGENT
    assert "17" in danger.replies[0].text and len(danger.replies) == 1


async def test_an_ordinary_message_is_not_escalated(settings):
    sender = uuid.uuid4().hex

    outcome = await router(settings, FAQ_ANSWER).handle(says(sender, "à combien régler le chauffage ?"))

    assert outcome.mode is Mode.BOT and stored(settings, sender).escalated_at is None


def resident_writes(settings, conversation_id: str, text: str) -> None:
    with transaction(settings.database_url) as session:
        session.add(Message(conversation_id=conversation_id, author=Author.RESIDENT, text=text))


def miss(settings, conversation_id: str) -> bool:
    with transaction(settings.database_url) as session:
        return handoff.record_miss(session, conversation_id=conversation_id)


async def test_two_misses_in_a_row_escalate_but_not_two_apart(settings):
    sender = uuid.uuid4().hex
    await router(settings, FAQ_ANSWER).handle(says(sender, "zorglub"))
    conversation_id = stored(settings, sender).id

    first = miss(settings, conversation_id)
    resident_writes(settings, conversation_id, "merci")  # understood: no miss recorded
    resident_writes(settings, conversation_id, "blorp")
    apart = miss(settings, conversation_id)
    resident_writes(settings, conversation_id, "grmbl")
    in_a_row = miss(settings, conversation_id)

    assert (first, apart, in_a_row) == (False, False, True)
    assert stored(settings, sender).mode is Mode.HUMAN
    assert stored(settings, sender).escalation_reason == handoff.NOT_UNDERSTOOD


def tracker_for(conversation_id: str, text: str) -> Tracker:
    latest = {"text": text, "intent": {"name": "nlu_fallback"}}
    return Tracker(conversation_id, {}, latest, [], False, None, {}, "action_listen")


async def test_the_faq_action_hands_over_on_the_second_message_it_does_not_understand(settings, monkeypatch):
    monkeypatch.setattr(faq_action, "settings", lambda: settings)
    sender = uuid.uuid4().hex
    await router(settings, FAQ_ANSWER).handle(says(sender, "zorglub blorp"))
    conversation_id = stored(settings, sender).id
    first, second = CollectingDispatcher(), CollectingDispatcher()

    await ActionAnswerFaq().run(first, tracker_for(conversation_id, "zorglub blorp"), {})
    resident_writes(settings, conversation_id, "grmbl prout")
    await ActionAnswerFaq().run(second, tracker_for(conversation_id, "grmbl prout"), {})

    assert [m["response"] for m in first.messages] == ["utter_default"]
    assert "médiateur" in second.messages[0]["text"]
    assert stored(settings, sender).mode is Mode.HUMAN


async def test_after_a_close_the_resident_s_next_message_opens_a_new_conversation(settings):
    calls: list = []
    sender = uuid.uuid4().hex
    chat = router(settings, FAQ_ANSWER, calls)
    await chat.handle(says(sender, "je veux parler a quelqu'un"))
    first = stored(settings, sender).id
    with transaction(settings.database_url) as session:
        handoff.escalate(session, conversation_id=first, reason=handoff.ASKED)
        mediator = session.scalar(select(StaffUser).where(StaffUser.email == "mediateur@demo.local"))
        mediation.close(session, conversation_id=first, staff=mediator, outcome="Réglé au téléphone.")

    outcome = await chat.handle(says(sender, "bonjour"))

    second = stored(settings, sender).id
    assert second != first and outcome.mode is Mode.BOT
    assert calls[-1]["sender"] == second  # a fresh Rasa tracker
    with transaction(settings.database_url) as session:
        residents = session.scalars(select(Resident.id).where(Resident.external_id == sender)).all()
        assert len(residents) == 1
        opened = session.scalars(select(Conversation.closed_at).where(Conversation.resident_id == residents[0])).all()
        assert sorted(c is None for c in opened) == [False, True]


async def test_a_second_open_conversation_for_one_resident_is_impossible(settings):
    from sqlalchemy.exc import IntegrityError

    sender = uuid.uuid4().hex
    await router(settings, FAQ_ANSWER).handle(says(sender, "bonjour"))
    existing = stored(settings, sender)

    with pytest.raises(IntegrityError), transaction(settings.database_url) as session:
        session.add(Conversation(resident_id=existing.resident_id, tenant_id=existing.tenant_id, offered_payloads=[]))
