"""/mesdonnees and /oubli on the polling worker, with the real stack: the file, the confirmation, the erasure."""

import json
import uuid

from bot.channels.telegram import texts
from bot.models import Conversation, Mode
from tests.privacy_data import traces_left, tracker_rows
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi
from tests.transcript import conversation_of


def facture() -> str:
    """A first message no other test sends: its traces are this chat's only."""
    return f"ma facture d'électricité est trop haute, je m'appelle Odile {uuid.uuid4().hex[:8]}"


def last_text(api: FakeBotApi, chat_id: int, check) -> list:
    return api.wait_for(
        "the expected last message", lambda: (sent := api.messages_to(chat_id)) and check(sent[-1]) and sent
    )


def test_a_newcomer_asking_for_their_data_is_told_there_is_none_and_nothing_is_stored(worker, polling_api, stack):
    chat_id = updates.new_chat_id()

    polling_api.push(updates.message(chat_id, "/mesdonnees"))

    assert polling_api.wait_for_messages(chat_id, 1)[0].text == texts.MY_DATA_NONE
    assert conversation_of(stack.settings, str(chat_id), channel="telegram") is None


def test_mesdonnees_sends_a_summary_then_the_whole_transcript_as_a_json_file(worker, polling_api):
    chat_id, said = updates.new_chat_id(), facture()
    polling_api.push(updates.message(chat_id, said))
    polling_api.wait_for_messages(chat_id, 1)

    polling_api.push(updates.message(chat_id, "/mesdonnees"))

    summary = last_text(polling_api, chat_id, lambda m: m.text.startswith("Voici ce que nous gardons"))[-1]
    assert "dans 1 conversation avec" in summary.text
    document = polling_api.wait_for("the file", lambda: [d for d in polling_api.documents if d.chat_id == chat_id])[0]
    data = json.loads(document.content)
    assert document.filename == "mes-donnees.json" and data["identifiant"] == str(chat_id)
    assert said in [m["texte"] for c in data["conversations"] for m in c["messages"]]


def erase_with_oubli(api: FakeBotApi, chat_id: int) -> None:
    """/oubli, then its confirmation button, until the bot says the data is erased."""
    api.push(updates.message(chat_id, "/oubli"))
    question = last_text(api, chat_id, lambda m: "/confirm_erase" in [p for _, p in m.buttons])[-1]
    api.push(updates.tap(question, "/confirm_erase")[0])
    last_text(api, chat_id, lambda m: "vos données sont effacées" in m.text)


def test_oubli_asks_first_and_the_confirmation_erases_everything_of_the_chat(worker, polling_api, stack):
    chat_id, said = updates.new_chat_id(), facture()
    polling_api.push(updates.message(chat_id, said))
    polling_api.wait_for_messages(chat_id, 1)
    conversation_id = conversation_of(stack.settings, str(chat_id), channel="telegram").id

    erase_with_oubli(polling_api, chat_id)

    needles = (str(chat_id), said)
    settings = stack.settings
    assert traces_left(settings.database_url, settings.tracker_store_url, needles) == []
    assert tracker_rows(settings.tracker_store_url, (conversation_id,)) == 0


def test_oubli_erases_even_while_a_mediator_has_the_chat(worker, polling_api, stack):
    chat_id, said = updates.new_chat_id(), facture()
    polling_api.push(updates.message(chat_id, said))
    polling_api.wait_for_messages(chat_id, 1)
    polling_api.push(updates.message(chat_id, "je veux parler a un mediateur"))

    def handed_over() -> Conversation | None:
        found = conversation_of(stack.settings, str(chat_id), channel="telegram")
        return found if found is not None and found.mode is Mode.HUMAN else None

    conversation_id = polling_api.wait_for("the handoff", handed_over).id

    erase_with_oubli(polling_api, chat_id)

    settings = stack.settings
    assert traces_left(settings.database_url, settings.tracker_store_url, (str(chat_id), said)) == []
    assert tracker_rows(settings.tracker_store_url, (conversation_id,)) == 0
