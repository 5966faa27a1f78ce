"""The privacy actions on the test database: the summary, the confirmation's button, the erasure."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import privacy as privacy_actions
from bot.db import transaction
from bot.models import Resident
from bot.services.contact import display_phone
from tests.privacy_data import make_someone


@pytest.fixture(autouse=True)
def test_settings(settings, monkeypatch):
    monkeypatch.setattr(privacy_actions, "settings", lambda: settings)


def tracker(conversation_id: str) -> Tracker:
    return Tracker(
        conversation_id, {}, {"text": "", "intent": {"name": "my_data"}}, [], False, None, None, "action_listen"
    )


async def run(action, conversation_id: str) -> list[dict]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker(conversation_id), {})
    return dispatcher.messages


async def test_my_data_summarises_what_is_stored_and_says_where_the_file_is(settings):
    someone = make_someone(settings.database_url, settings.var_dir)

    [message] = await run(privacy_actions.ActionMyData(), someone.conversation_ids[1])

    assert display_phone(someone.phone) in message["text"] and someone.request_reference in message["text"]
    assert "« Mes données »" in message["text"] and "supprimez mes données" in message["text"]


async def test_erasing_asks_first_with_the_only_button_that_erases():
    [message] = await run(privacy_actions.ActionEraseData(), "any-conversation")

    assert [b["payload"] for b in message["buttons"]] == ["/confirm_erase", "/deny"]
    assert "définitif" in message["text"]


async def test_the_confirmation_erases_and_names_the_cancelled_visit(settings):
    someone = make_someone(settings.database_url, settings.var_dir)

    [message] = await run(privacy_actions.ActionConfirmErase(), someone.conversation_ids[1])

    assert "effacées" in message["text"] and someone.booking_references[0] in message["text"]
    assert not someone.photo_path.exists()
    with transaction(settings.database_url) as session:
        assert session.query(Resident).filter_by(external_id=someone.sender_id).count() == 0
