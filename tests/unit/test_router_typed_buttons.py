"""The router sends Rasa the payload of the button a typed answer means; the transcript keeps what was typed."""

import uuid

from bot.db import transaction
from bot.router import Incoming
from bot.services.handoff import escalate
from tests.transcript import conversation_of, messages_of
from tests.unit.stub_rasa import router_answering

CANCEL_QUESTION = [
    {
        "text": "Voulez-vous vraiment annuler ce rendez-vous ?",
        "buttons": [
            {"title": "Oui, annuler", "payload": '/confirm_cancel{"booking_reference": "RDV-AB2C3D"}'},
            {"title": "Non, le garder", "payload": "/deny"},
        ],
    }
]


def incoming(sender: str, text: str) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, text=text)


async def test_a_typed_yes_reaches_rasa_as_the_offered_buttons_payload(settings):
    sender, calls = uuid.uuid4().hex, []
    router = router_answering(settings, CANCEL_QUESTION, calls)
    await router.handle(incoming(sender, "annuler mon rdv"))

    await router.handle(incoming(sender, "oui je confirme"))

    assert calls[-1]["message"] == '/confirm_cancel{"booking_reference": "RDV-AB2C3D"}'
    assert messages_of(settings, sender)[2] == ("resident", "oui je confirme", None)


async def test_text_that_means_no_button_reaches_rasa_as_typed(settings):
    sender, calls = uuid.uuid4().hex, []
    router = router_answering(settings, CANCEL_QUESTION, calls)
    await router.handle(incoming(sender, "annuler mon rdv"))

    await router.handle(incoming(sender, "oui mais je voudrais un autre jour"))
    await router.handle(incoming(sender, "oui"))

    assert [call["message"] for call in calls[1:]] == [
        "oui mais je voudrais un autre jour",
        '/confirm_cancel{"booking_reference": "RDV-AB2C3D"}',
    ]


async def test_a_yes_with_nothing_offered_is_text(settings):
    sender, calls = uuid.uuid4().hex, []
    router = router_answering(settings, [{"text": "Bonjour !"}], calls)
    await router.handle(incoming(sender, "bonjour"))

    await router.handle(incoming(sender, "oui"))

    assert calls[-1]["message"] == "oui"


ERASE_QUESTION = [
    {
        "text": "Voulez-vous vraiment effacer vos données ?",
        "buttons": [
            {"title": "Oui, tout effacer", "payload": "/confirm_erase"},
            {"title": "Non, garder", "payload": "/deny"},
        ],
    }
]


async def test_in_human_mode_a_typed_yes_to_the_erasure_question_reaches_rasa_as_its_button(settings):
    sender, calls = uuid.uuid4().hex, []
    router = router_answering(settings, ERASE_QUESTION, calls)
    await router.handle(incoming(sender, "bonjour"))
    with transaction(settings.database_url) as session:
        escalate(session, conversation_id=conversation_of(settings, sender).id, reason="asked")
    await router.handle(Incoming(channel="web", tenant="demo", sender_id=sender, command="oubli"))

    await router.handle(incoming(sender, "oui"))

    assert calls[-1]["message"] == "/confirm_erase"
