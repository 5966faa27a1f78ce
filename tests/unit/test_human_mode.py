"""Human mode always answers: who has the conversation, when a person answers, and the way back to the assistant."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.errors import PayloadNotOffered
from bot.models import Mode, StaffUser, utcnow
from bot.router import HELP, Incoming, Router
from bot.services import handoff, mediation
from bot.services.opening_hours import parse
from tests.transcript import conversation_of, messages_of
from tests.unit.stub_rasa import router_answering

MENU = [{"text": "Voici ce que je peux faire pour vous :", "buttons": [{"title": "Énergie", "payload": "/e"}]}]
ALWAYS_OPEN = parse("mon-sun 00:00-24:00")
WEEKDAYS_9_TO_17 = parse("mon-fri 09:00-17:00")
SATURDAY_NOON = datetime(2025, 3, 15, 11, 0, tzinfo=UTC)  # 12:00 in Paris, the Régie closed


def router(settings, calls: list | None = None) -> Router:
    return router_answering(settings, MENU, calls, opening_hours=ALWAYS_OPEN)


def says(sender: str, text: str) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, text=text)


def taps(sender: str, payload: str) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, payload=payload)


async def handed_over(settings, chat: Router) -> str:
    """A new resident whose conversation a mediator has; returns the sender id."""
    sender = uuid.uuid4().hex
    await chat.handle(says(sender, "bonjour"))
    with transaction(settings.database_url) as session:
        handoff.escalate(session, conversation_id=conversation_of(settings, sender).id, reason=handoff.ASKED)
    return sender


def mediator_writes(settings, sender: str, minutes_ago: float) -> None:
    """A mediator's reply ``minutes_ago`` (the handover made a minute before it)."""
    with transaction(settings.database_url) as session:
        staff = session.scalar(select(StaffUser).where(StaffUser.email == "mediateur@demo.local"))
        conversation = mediation.conversation(session, conversation_id=conversation_of(settings, sender).id)
        written = mediation.reply(session, conversation_id=conversation.id, staff=staff, text="Oui ?")
        written.created_at = utcnow() - timedelta(minutes=minutes_ago)
        conversation.escalated_at = written.created_at - timedelta(minutes=1)


async def test_the_first_message_after_the_handover_gets_the_whole_notice_without_rasa(settings):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)

    outcome = await chat.handle(says(sender, "stop"))

    assert len(calls) == 1 and outcome.mode is Mode.HUMAN
    [notice] = outcome.replies
    assert notice.text.startswith(handoff.WAITING)
    assert "dès que possible" in notice.text and "jusqu'à" in notice.text  # when a person answers
    assert "revenir à l'assistant" in notice.text
    assert notice.buttons == (handoff.BACK_BUTTON,)
    assert messages_of(settings, sender)[-2:] == [("resident", "stop", None), ("bot", notice.text, None)]


async def test_later_messages_get_the_short_notice_and_the_button(settings):
    chat = router(settings)
    sender = await handed_over(settings, chat)
    await chat.handle(says(sender, "vous etes la ?"))

    second = await chat.handle(says(sender, "??"))
    third = await chat.handle(says(sender, "allo il y a quelqu'un ?"))

    assert second.replies[0].text == third.replies[0].text == handoff.WAITING_AGAIN
    assert second.replies[0].buttons == (handoff.BACK_BUTTON,)
    assert [author for author, _, _ in messages_of(settings, sender)[-4:]] == ["resident", "bot"] * 2


async def test_nothing_interrupts_a_mediator_who_wrote_in_the_last_minutes(settings):
    chat = router(settings)
    sender = await handed_over(settings, chat)
    mediator_writes(settings, sender, minutes_ago=2)

    outcome = await chat.handle(says(sender, "d'accord, c'est au 3e étage"))

    assert outcome.replies == [] and outcome.mode is Mode.HUMAN
    assert messages_of(settings, sender)[-1] == ("resident", "d'accord, c'est au 3e étage", None)


async def test_after_a_mediator_s_silence_the_resident_gets_the_short_notice(settings):
    chat = router(settings)
    sender = await handed_over(settings, chat)
    mediator_writes(settings, sender, minutes_ago=handoff.MEDIATOR_LIVE.total_seconds() / 60 + 1)

    outcome = await chat.handle(says(sender, "vous etes toujours la ?"))

    assert outcome.replies[0].text == handoff.WAITING_AGAIN  # a person spoke: no need of the whole notice


async def test_outside_opening_hours_the_notice_says_when_the_regie_reopens_and_the_emergency_numbers(settings):
    sender = await handed_over(settings, router(settings))

    with transaction(settings.database_url) as session:
        found = mediation.conversation(session, conversation_id=conversation_of(settings, sender).id)
        notice = handoff.waiting_notice(session, conversation=found, hours=WEEKDAYS_9_TO_17, now=SATURDAY_NOON)

    assert notice is not None and notice.text.startswith(handoff.WAITING)
    assert "fermée" in notice.text and "lundi à 9 h" in notice.text and "112" in notice.text


def test_the_short_notice_says_when_the_regie_reopens_when_it_is_closed():
    assert handoff.reopening(WEEKDAYS_9_TO_17, SATURDAY_NOON) == "La Régie rouvre lundi à 9 h."
    assert handoff.reopening(ALWAYS_OPEN, SATURDAY_NOON) == ""


async def test_the_button_gives_the_conversation_back_to_the_assistant_which_shows_what_it_can_do(settings):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)
    await chat.handle(says(sender, "vous etes la ?"))

    outcome = await chat.handle(taps(sender, handoff.BACK_TO_ASSISTANT))

    assert outcome.mode is Mode.BOT
    assert [r.text for r in outcome.replies] == [handoff.BACK_WITH_THE_ASSISTANT, MENU[0]["text"]]
    assert calls[-1]["message"] == HELP
    assert ("bot", handoff.BACK_WITH_THE_ASSISTANT, None) in messages_of(settings, sender)
    conversation = conversation_of(settings, sender)
    assert conversation.mode is Mode.BOT and conversation.assigned_staff_id is None
    with transaction(settings.database_url) as session:
        assert conversation.id not in [item.id for item in mediation.queue(session)]


@pytest.mark.parametrize(
    "text",
    [
        "revenir a l'assistant",
        "Revenir à l'assistant",
        "retour au robot",
        "je veux parler au bot",
        "assistant",
        "L'assistant ?",
        "c'est long, laissez tomber je prefere parler au robot",
        "je voudrais reparler avec l'assistant automatique",
        "retour au menu",
    ],
)
async def test_typed_words_for_the_way_back_give_the_conversation_back(settings, text):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)

    outcome = await chat.handle(says(sender, text))

    assert outcome.mode is Mode.BOT and calls[-1]["message"] == HELP


@pytest.mark.parametrize(
    "text",
    [
        "menu",
        "stop",
        "je ne veux pas parler au robot",
        "je veux plus revenir au robot, il comprend rien",
        "je dois parler a l'assistant social demain",
        "mon assistante sociale m'a dit de vous ecrire",
        "le robot m'a dit de parler a un mediateur",
        "je voudrais parler au mediateur, pas au robot",
        "vous etes un robot ?",
        "Bonjour, je vous explique : l'assistant m'a donné une réponse mais elle ne correspond pas, "
        "et j'ai voulu revenir au robot hier mais ça n'a rien donné, alors je vous écris",
    ],
)
async def test_words_that_do_not_ask_for_the_assistant_leave_the_resident_with_the_mediator(settings, text):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)

    outcome = await chat.handle(says(sender, text))

    assert outcome.mode is Mode.HUMAN and len(calls) == 1
    assert outcome.replies[0].buttons == (handoff.BACK_BUTTON,)


async def test_an_urgent_message_never_takes_the_resident_back_to_the_bot(settings):
    chat = router(settings)
    sender = await handed_over(settings, chat)

    outcome = await chat.handle(says(sender, "retour au robot, ça sent le gaz dans l'escalier"))

    assert outcome.mode is Mode.HUMAN and "0 800 47 33 33" in outcome.replies[0].text
    assert conversation_of(settings, sender).escalation_reason == handoff.URGENT


async def test_a_way_back_left_from_an_earlier_notice_shows_the_menu_once_the_bot_has_it(settings):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)
    await chat.handle(says(sender, "vous etes la ?"))
    with transaction(settings.database_url) as session:
        staff = session.scalar(select(StaffUser).where(StaffUser.email == "mediateur@demo.local"))
        mediation.hand_back(session, conversation_id=conversation_of(settings, sender).id, staff=staff)

    outcome = await chat.handle(taps(sender, handoff.BACK_TO_ASSISTANT))

    assert outcome.mode is Mode.BOT and calls[-1]["message"] == HELP
    assert [r.text for r in outcome.replies] == [MENU[0]["text"]]


async def test_the_way_back_is_refused_when_it_was_never_offered(settings):
    sender = uuid.uuid4().hex
    await router(settings).handle(says(sender, "bonjour"))

    with pytest.raises(PayloadNotOffered):
        await router(settings).handle(taps(sender, handoff.BACK_TO_ASSISTANT))


async def test_the_erasure_command_still_reaches_the_bot_in_human_mode(settings):
    calls: list = []
    chat = router(settings, calls)
    sender = await handed_over(settings, chat)

    outcome = await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, command="oubli"))

    assert calls[-1]["message"] == "/erase_my_data" and outcome.replies[0].text == MENU[0]["text"]


async def test_the_mediator_s_messages_of_an_earlier_handover_do_not_silence_a_new_one(settings):
    chat = router(settings)
    sender = await handed_over(settings, chat)
    mediator_writes(settings, sender, minutes_ago=1)
    with transaction(settings.database_url) as session:
        staff = session.scalar(select(StaffUser).where(StaffUser.email == "mediateur@demo.local"))
        mediation.hand_back(session, conversation_id=conversation_of(settings, sender).id, staff=staff)
        handoff.escalate(session, conversation_id=conversation_of(settings, sender).id, reason=handoff.ASKED)

    outcome = await chat.handle(says(sender, "c'est encore moi"))

    assert outcome.replies[0].text.startswith(handoff.WAITING)
