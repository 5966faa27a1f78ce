"""What the gateway answers for each router outcome, with Rasa stubbed at the HTTP seam."""

import uuid

from bot.channels.telegram import texts
from bot.channels.telegram.handlers import Gateway, answer
from bot.router import ENGINE_DOWN_REPLY, Incoming
from bot.services.conversations import Reply
from tests.unit.stub_rasa import router_answering

MENU = [{"text": "Menu", "buttons": [{"title": "Énergie", "payload": "/topic_energy"}]}]


def gateway(settings, rasa_answer: list | None, calls: list | None = None) -> Gateway:
    return Gateway(router_answering(settings, rasa_answer, calls), settings.database_url, settings.default_tenant)


def incoming(tenant: str | None = None, **fields) -> Incoming:
    return Incoming(channel="telegram", tenant=tenant, sender_id=str(uuid.uuid4().int % 10**10), **fields)


async def test_an_unknown_tenant_link_is_explained_then_the_default_tenant_welcomes(settings):
    calls: list = []

    replies = await answer(gateway(settings, MENU, calls), incoming(command="start", tenant="nobody"))

    assert replies[0] == Reply(text=texts.UNKNOWN_TENANT)
    assert replies[1].text == "Menu"
    assert calls[0]["metadata"]["tenant"] == settings.default_tenant


async def test_a_payload_not_offered_is_an_expired_button(settings):
    replies = await answer(gateway(settings, MENU), incoming(payload="/topic_energy"))

    assert replies == [Reply(text=texts.EXPIRED_BUTTON)]


async def test_text_that_looks_like_a_command_gets_the_help_and_rasa_is_not_called(settings):
    calls: list = []

    replies = await answer(gateway(settings, MENU, calls), incoming(text=" /restart"))

    assert replies == [Reply(text=texts.HELP)] and calls == []


async def test_when_the_engine_is_down_the_resident_gets_the_apology(settings):
    replies = await answer(gateway(settings, None), incoming(text="bonjour"))

    assert replies == [ENGINE_DOWN_REPLY]


def test_the_help_lists_every_command_the_bot_has():
    for command in ("/start", "/aide", "/mediateur", "/rdv", "/signaler", "/mesdonnees", "/oubli"):
        assert command in texts.HELP
