"""The router on a real database, with Rasa stubbed at the HTTP seam."""

import uuid

import pytest

from bot.db import transaction
from bot.errors import CommandLikeText, PayloadNotOffered, UnknownCommand, UnknownTenant
from bot.models import Mode
from bot.router import ENGINE_DOWN_REPLY, Incoming
from bot.services.conversations import ensure_tenant
from bot.services.handoff import escalate
from tests.transcript import conversation_of, messages_of
from tests.unit.stub_rasa import router_answering

MENU = [{"text": "Menu", "buttons": [{"title": "Énergie", "payload": "/topic_energy"}]}]


def incoming(sender: str, **fields) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, **fields)


async def test_replies_are_stored_and_their_buttons_become_the_only_accepted_payloads(settings):
    sender = uuid.uuid4().hex
    router = router_answering(settings, MENU)

    outcome = await router.handle(incoming(sender, text="bonjour"))
    await router.handle(incoming(sender, payload="/topic_energy"))

    assert outcome.replies[0].buttons[0].payload == "/topic_energy"
    assert messages_of(settings, sender)[1] == ("bot", "Menu", None)
    with pytest.raises(PayloadNotOffered):
        await router.handle(incoming(sender, payload="/greet"))


async def test_engine_failure_answers_the_fixed_apology_and_keeps_the_message(settings):
    sender = uuid.uuid4().hex

    outcome = await router_answering(settings, None).handle(incoming(sender, text="allo ?"))

    assert outcome.engine_available is False
    assert outcome.replies == [ENGINE_DOWN_REPLY]
    assert messages_of(settings, sender) == [("resident", "allo ?", None)]


async def test_human_mode_never_calls_rasa_and_says_a_mediator_has_the_conversation(settings):
    sender = uuid.uuid4().hex
    calls: list = []
    router = router_answering(settings, MENU, calls)
    await router.handle(incoming(sender, text="bonjour"))
    with transaction(settings.database_url) as session:
        escalate(session, conversation_id=conversation_of(settings, sender).id, reason="asked")

    outcome = await router.handle(incoming(sender, text="vous etes la ?"))

    assert outcome.mode is Mode.HUMAN and "médiateur" in outcome.replies[0].text
    assert len(calls) == 1


@pytest.mark.parametrize("text", ["/greet", "  /restart", '/book{"slot": "1"}'])
async def test_typed_text_that_looks_like_an_intent_never_reaches_rasa(settings, text):
    with pytest.raises(CommandLikeText):
        await router_answering(settings, MENU).handle(incoming(uuid.uuid4().hex, text=text))


async def test_an_unknown_tenant_stores_nothing(settings):
    sender = uuid.uuid4().hex
    message = Incoming(channel="web", tenant="nobody", sender_id=sender, text="bonjour")

    with pytest.raises(UnknownTenant):
        await router_answering(settings, MENU).handle(message)
    assert conversation_of(settings, sender) is None


async def test_a_channel_command_triggers_its_intent_without_an_offered_button(settings):
    calls: list = []
    sender = uuid.uuid4().hex

    await router_answering(settings, MENU, calls).handle(incoming(sender, command="aide"))

    assert calls[0]["message"] == "/help"
    assert messages_of(settings, sender)[0] == ("resident", "/aide", None)


async def test_an_unknown_command_is_refused_and_nothing_is_stored(settings):
    sender = uuid.uuid4().hex

    with pytest.raises(UnknownCommand):
        await router_answering(settings, MENU).handle(incoming(sender, command="restart"))
    assert conversation_of(settings, sender) is None


async def test_without_a_tenant_a_sender_stays_with_the_tenant_it_last_used(settings):
    with transaction(settings.database_url) as session:
        ensure_tenant(session, slug="habitat-nord", name="Habitat Nord", welcome_message="Bienvenue !")
    sender = uuid.uuid4().hex
    calls: list = []
    router = router_answering(settings, MENU, calls)
    await router.handle(Incoming(channel="telegram", tenant="habitat-nord", sender_id=sender, command="start"))

    await router.handle(Incoming(channel="telegram", tenant=None, sender_id=sender, text="merci"))

    assert calls[1]["metadata"]["tenant"] == "habitat-nord"


async def test_without_a_tenant_a_newcomer_gets_the_default_one(settings):
    calls: list = []

    await router_answering(settings, MENU, calls).handle(
        Incoming(channel="telegram", tenant=None, sender_id=uuid.uuid4().hex, text="bonjour")
    )

    assert calls[0]["metadata"]["tenant"] == "demo"
