"""The router's privacy steps, with Rasa stubbed at the HTTP seam: notice, sensitive flag and reminder, erasure."""

import uuid
from dataclasses import replace

from sqlalchemy import select

from bot.db import transaction
from bot.models import Message, utcnow
from bot.router import Incoming, Router
from bot.services import handoff, mediation, personal_data
from bot.services.privacy import SENSITIVE_REMINDER, Privacy, duration, without_notes
from tests.privacy_data import tracker_rows, write_tracker_events
from tests.transcript import conversation_of
from tests.unit.stub_rasa import router_answering

ANSWER = [{"text": "Voici la réponse."}]


def privacy_for(settings, tmp_path) -> Privacy:
    # A tracker store of the test's own: the stack's Rasa creates the real one.
    return replace(Privacy.from_settings(settings), tracker_store_url=f"sqlite:///{tmp_path / 'tracker.db'}")


def router(settings, privacy: Privacy, on_message=None) -> Router:
    def answer(body: dict) -> list:
        if on_message is not None:
            on_message(body)
        return ANSWER

    return router_answering(settings, answer, privacy=privacy)


def says(sender: str, text: str) -> Incoming:
    return Incoming(channel="web", tenant="demo", sender_id=sender, text=text)


async def test_the_first_answer_of_a_conversation_says_it_is_automatic_what_is_kept_and_where_the_page_is(
    settings, tmp_path
):
    sender, chat = uuid.uuid4().hex, router(settings, privacy_for(settings, tmp_path))

    first = await chat.handle(says(sender, "bonjour"))
    second = await chat.handle(says(sender, "et le compost ?"))

    assert "assistant automatique" in first.replies[-1].text and "12 mois" in first.replies[-1].text
    assert f"{settings.public_url}/confidentialite?tenant=demo" in first.replies[-1].text
    assert second.replies[-1].text == "Voici la réponse."


async def test_a_conversation_that_starts_with_a_danger_gets_the_numbers_first_then_the_notice(settings, tmp_path):
    sender, chat = uuid.uuid4().hex, router(settings, privacy_for(settings, tmp_path))

    first = await chat.handle(says(sender, "ça sent le gaz dans le hall"))

    assert "112" in first.replies[0].text and "assistant automatique" not in first.replies[0].text
    assert "assistant automatique" in first.replies[-1].text
    assert sum("assistant automatique" in reply.text for reply in first.replies) == 1


async def test_a_sensitive_message_is_flagged_and_reminded_once(settings, tmp_path):
    sender, chat = uuid.uuid4().hex, router(settings, privacy_for(settings, tmp_path))
    await chat.handle(says(sender, "bonjour"))

    first = await chat.handle(says(sender, "j'ai des dettes de loyer, je suis malade"))
    second = await chat.handle(says(sender, "et des impayés d'électricité"))
    plain = await chat.handle(says(sender, "merci"))

    assert SENSITIVE_REMINDER in first.replies[-1].text
    assert SENSITIVE_REMINDER not in second.replies[-1].text and SENSITIVE_REMINDER not in plain.replies[-1].text
    with transaction(settings.database_url) as session:
        flags = session.execute(
            select(Message.text, Message.sensitive)
            .where(Message.conversation_id == conversation_of(settings, sender).id, Message.author == "resident")
            .order_by(Message.id)
        ).all()
    assert [flag for _, flag in flags] == [False, True, True, False]


async def test_an_erasure_by_this_turns_action_deletes_the_tracker_events_and_stores_nothing_more(settings, tmp_path):
    sender, privacy = uuid.uuid4().hex, privacy_for(settings, tmp_path)

    def action_erases(body: dict) -> None:
        # What action_confirm_erase does inside Rasa's turn; Rasa then saves its tracker again.
        write_tracker_events(privacy.tracker_store_url, body["sender"], body["message"])
        if body["message"] == "efface":
            with transaction(settings.database_url) as session:
                resident = personal_data.resident_of(session, conversation_id=body["sender"])
                personal_data.erase(session, resident=resident, now=utcnow())

    chat = router(settings, privacy, on_message=action_erases)
    await chat.handle(says(sender, "bonjour"))
    conversation_id = conversation_of(settings, sender).id

    outcome = await chat.handle(says(sender, "efface"))

    assert [reply.text for reply in outcome.replies] == ["Voici la réponse."]
    assert tracker_rows(privacy.tracker_store_url, (conversation_id,)) == 0
    with transaction(settings.database_url) as session:
        assert session.scalars(select(Message.id).where(Message.conversation_id == conversation_id)).all() == []


async def test_erasing_reaches_the_bot_while_a_mediator_has_the_conversation(settings, tmp_path):
    sender, sent = uuid.uuid4().hex, []
    chat = router(settings, privacy_for(settings, tmp_path), on_message=lambda body: sent.append(body["message"]))
    await chat.handle(says(sender, "bonjour"))
    with transaction(settings.database_url) as session:
        handoff.escalate(session, conversation_id=conversation_of(settings, sender).id, reason=handoff.ASKED)

    typed = await chat.handle(says(sender, "vous etes la ?"))
    erase = await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, command="oubli"))

    assert "médiateur" in typed.replies[0].text and sent == ["bonjour", "/erase_my_data"]
    assert [reply.text for reply in erase.replies] == ["Voici la réponse."]


def test_durations_read_as_people_say_them():
    assert [duration(d) for d in (365, 90, 180, 30, 45)] == ["12 mois", "3 mois", "6 mois", "30 jours", "45 jours"]


async def test_the_mediator_s_transcript_shows_the_flag(settings, tmp_path):
    sender, chat = uuid.uuid4().hex, router(settings, privacy_for(settings, tmp_path))
    await chat.handle(says(sender, "je suis malade"))

    with transaction(settings.database_url) as session:
        lines = mediation.transcript(session, conversation_id=conversation_of(settings, sender).id)

    assert [(line.author.value, line.sensitive) for line in lines] == [("resident", True), ("bot", False)]


def test_an_answer_is_found_again_without_the_notes(settings, tmp_path):
    notice = privacy_for(settings, tmp_path).notice("demo")

    assert (
        without_notes(f"La réponse.\n\nSource : x\n\n{notice}\n\n{SENSITIVE_REMINDER}") == "La réponse.\n\nSource : x"
    )
