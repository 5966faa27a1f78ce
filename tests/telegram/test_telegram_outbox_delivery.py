"""The worker delivers the outbox and copes with Telegram's errors (real stack, fake Bot API)."""

from sqlalchemy import select

from bot.db import transaction
from bot.models import OutgoingMessage, Resident
from bot.services import outbox
from bot.services.conversations import Button
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi
from tests.transcript import conversation_of


def new_resident(api: FakeBotApi, stack) -> tuple[int, str]:
    """A resident who said hello on Telegram, and their conversation's id."""
    chat_id = updates.new_chat_id()
    api.push(updates.message(chat_id, "merci"))
    api.wait_for_messages(chat_id, 1)
    return chat_id, conversation_of(stack.settings, str(chat_id), channel="telegram").id


def enqueue(stack, conversation_id: str, text: str, buttons=None) -> int:
    with transaction(stack.settings.database_url) as session:
        return outbox.enqueue(session, conversation_id=conversation_id, text=text, buttons=buttons).id


def stored(stack, message_id: int) -> OutgoingMessage:
    with transaction(stack.settings.database_url) as session:
        return session.get_one(OutgoingMessage, message_id)


def unreachable_at(stack, chat_id: int):
    with transaction(stack.settings.database_url) as session:
        return session.scalar(
            select(Resident.unreachable_at).where(Resident.channel == "telegram", Resident.external_id == str(chat_id))
        )


def test_an_outbox_message_reaches_the_chat_and_is_marked_delivered(worker, polling_api, stack):
    chat_id, conversation_id = new_resident(polling_api, stack)

    message_id = enqueue(stack, conversation_id, "Bonjour, ici Samia, médiatrice. Je passe jeudi à 10 h.")

    sent = polling_api.wait_for_messages(chat_id, 2)[1]
    assert sent.text == "Bonjour, ici Samia, médiatrice. Je passe jeudi à 10 h."
    polling_api.wait_for("delivered_at to be set", lambda: stored(stack, message_id).delivered_at, timeout=10)


def test_a_long_message_is_split_with_its_buttons_on_the_last_part(worker, polling_api, stack):
    chat_id, conversation_id = new_resident(polling_api, stack)
    text = " ".join(f"Étape {i} : relevez le compteur & notez-le <ici>." for i in range(150))

    enqueue(stack, conversation_id, text, buttons=[Button("C'est fait", "/affirm")])

    parts = polling_api.wait_for_messages(chat_id, 3)[1:]
    assert " ".join(p.text for p in parts) == text
    assert [p.buttons for p in parts] == [[], [("C'est fait", "/affirm")]]


def test_messages_full_of_markdown_and_html_characters_arrive_intact(worker, polling_api, stack):
    chat_id, conversation_id = new_resident(polling_api, stack)
    text = "**Attention** : _tri_ <b>bioseau</b> & compost < 3 kg > rien `code` [lien](https://x.fr/a_b?c=1&d=2)"

    enqueue(stack, conversation_id, text)

    assert polling_api.wait_for_messages(chat_id, 2)[1].text == text


def test_a_429_is_waited_out_and_the_message_still_delivered_once(worker, polling_api, stack):
    chat_id, conversation_id = new_resident(polling_api, stack)
    polling_api.fail_next("sendMessage", chat_id, status=429, retry_after=1)

    enqueue(stack, conversation_id, "Votre demande est enregistrée.")

    polling_api.wait_for_messages(chat_id, 2)
    statuses = [c.status for c in polling_api.calls_of("sendMessage", chat_id)]
    assert statuses[-2:] == [429, 200]
    assert [m.text for m in polling_api.messages_to(chat_id)].count("Votre demande est enregistrée.") == 1


def test_a_blocked_bot_marks_the_resident_unreachable_and_stops_trying(worker, polling_api, stack):
    chat_id, conversation_id = new_resident(polling_api, stack)
    polling_api.block(chat_id)
    first = enqueue(stack, conversation_id, "Un médiateur vous répond.")
    polling_api.wait_for("the resident to be unreachable", lambda: unreachable_at(stack, chat_id), timeout=30)

    later = enqueue(stack, conversation_id, "Vous êtes toujours là ?")
    polling_api.wait_for("the later message to be given up", lambda: stored(stack, later).failed_at, timeout=30)

    assert stored(stack, first).last_error == outbox.UNREACHABLE
    assert stored(stack, later).last_error == outbox.UNREACHABLE
    assert [c.status for c in polling_api.calls_of("sendMessage", chat_id)] == [200, 403]


def test_a_resident_who_unblocks_and_writes_is_reachable_again(worker, polling_api, stack):
    chat_id, _ = new_resident(polling_api, stack)
    polling_api.block(chat_id)
    polling_api.push(updates.message(chat_id, "merci"))
    polling_api.wait_for("the resident to be unreachable", lambda: unreachable_at(stack, chat_id), timeout=30)
    polling_api.unblock(chat_id)

    polling_api.push(updates.message(chat_id, "merci encore"))

    polling_api.wait_for_messages(chat_id, 2)
    assert unreachable_at(stack, chat_id) is None
