"""A Telegram resident gets a mediator's reply from the console, through the worker and the fake Bot API."""

from tests.console_client import signed_in_client, submit
from tests.telegram import updates
from tests.transcript import conversation_of


def test_a_mediator_s_reply_reaches_the_telegram_resident(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/mediateur"))
    handoff = polling_api.wait_for_messages(chat_id, 1)
    conversation_id = conversation_of(stack.settings, str(chat_id), channel="telegram").id
    reply = "Bonjour, ici Samia, médiatrice. <Je> vous rappelle & on voit ça ensemble."

    with signed_in_client(stack.web_url, "mediateur@demo.local", "demo-mediateur") as mediator:
        page = f"/console/conversations/{conversation_id}"
        assert "Telegram" in mediator.get(page).text
        assert submit(mediator, page, f"{page}/reply", text=reply).status_code == 303

    sent = polling_api.wait_for(
        "the mediator's reply", lambda: [m for m in polling_api.messages_to(chat_id) if m.text == reply], timeout=20
    )
    assert len(sent) == 1
    assert "médiateur" in " ".join(m.text for m in handoff)


def test_after_a_hand_back_the_telegram_resident_is_told_and_the_bot_answers(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/mediateur"))
    polling_api.wait_for_messages(chat_id, 1)
    conversation_id = conversation_of(stack.settings, str(chat_id), channel="telegram").id

    with signed_in_client(stack.web_url, "mediateur@demo.local", "demo-mediateur") as mediator:
        page = f"/console/conversations/{conversation_id}"
        submit(mediator, page, f"{page}/hand-back")
    polling_api.wait_for(
        "the hand-back notice",
        lambda: any("assistant automatique" in m.text for m in polling_api.messages_to(chat_id)),
        timeout=20,
    )
    before = len(polling_api.messages_to(chat_id))
    polling_api.push(updates.message(chat_id, "merci"))

    assert "Avec plaisir" in polling_api.wait_for_messages(chat_id, before + 1)[-1].text
