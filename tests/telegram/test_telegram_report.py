"""A problem report on Telegram, photo included, through the polling worker and the fake Bot API."""

from sqlalchemy import select

from bot.channels.telegram import texts
from bot.db import transaction
from bot.models import Photo, ResidentRequest
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi, Sent
from tests.transcript import conversation_of


def last_containing(api: FakeBotApi, chat_id: int, fragment: str) -> Sent:
    """The chat's last message once it contains ``fragment``."""
    return api.wait_for(
        f"{fragment!r} to chat {chat_id}",
        lambda: (sent := api.messages_to(chat_id)) and fragment in sent[-1].text and sent[-1],
    )


def test_a_resident_reports_with_a_photo_and_gets_a_reference(worker, polling_api, stack):
    chat_id = updates.new_chat_id()
    polling_api.push(updates.message(chat_id, "/signaler"))
    categories = last_containing(polling_api, chat_id, "De quel problème")
    polling_api.push(updates.tap(categories, '/choose{"report_category": "lift"}')[0])
    last_containing(polling_api, chat_id, "Où exactement")
    polling_api.push(updates.message(chat_id, "Résidence Les Tilleuls, bât. B"))
    last_containing(polling_api, chat_id, "Décrivez le problème")
    polling_api.push(updates.message(chat_id, "bloqué entre deux étages"))
    last_containing(polling_api, chat_id, "photo")

    polling_api.push(updates.photo(chat_id))
    last_containing(polling_api, chat_id, "téléphone")
    polling_api.push(updates.message(chat_id, "passer"))
    asked = last_containing(polling_api, chat_id, "prévenu")
    polling_api.push(updates.tap(asked, "/affirm")[0])
    done = last_containing(polling_api, chat_id, "DEM-")

    conversation = conversation_of(stack.settings, str(chat_id), channel="telegram")
    with transaction(stack.settings.database_url) as session:
        request = session.scalars(
            select(ResidentRequest).where(ResidentRequest.conversation_id == conversation.id)
        ).one()
        assert request.reference in done.text and request.category == "lift"
        (photo,) = session.scalars(select(Photo).where(Photo.request_id == request.id))
        assert photo.content_type == "image/jpeg"


def test_a_photo_outside_a_report_is_refused_kindly_and_nothing_is_stored(worker, polling_api, stack):
    chat_id = updates.new_chat_id()

    polling_api.push(updates.photo(chat_id))

    assert polling_api.wait_for_messages(chat_id, 1)[0].text == texts.PHOTO
    assert conversation_of(stack.settings, str(chat_id), channel="telegram") is None
