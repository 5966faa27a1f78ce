"""Photos for a report: checked by their content, taken only when asked for, stored whole or not at all."""

import uuid

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.errors import PhotoNotExpected, PhotoTooLarge, PhotoWrongType
from bot.models import Photo
from bot.rasa_client import parse_replies
from bot.router import PHOTO_TEXT, Incoming, IncomingPhoto, Router
from bot.services import photos
from bot.settings import Settings
from tests.transcript import conversation_of, messages_of
from tests.unit.stub_rasa import router_answering

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 100
ASKS_FOR_A_PHOTO = [
    {
        "text": "Avez-vous une photo ?",
        "buttons": [{"title": "Pas de photo", "payload": '/choose{"report_photo": "none"}'}],
    },
    {"custom": {"expects": "photo"}},
]
NEXT_QUESTION = [{"text": "Un numéro de téléphone ?"}]


def router(settings: Settings, answers: list[list], sent: list[str]) -> Router:
    """Rasa gives ``answers`` in turn (the last one again and again); ``sent`` gets each message."""

    def answer(body: dict) -> list:
        sent.append(body["message"])
        return answers[min(len(sent), len(answers)) - 1]

    return router_answering(settings, answer)


def photo_from(sender: str, data: bytes) -> IncomingPhoto:
    return IncomingPhoto(channel="web", tenant="demo", sender_id=sender, data=data)


def stored_photos(settings: Settings, sender: str) -> list[Photo]:
    conversation = conversation_of(settings, sender)
    if conversation is None:
        return []
    with transaction(settings.database_url) as session:
        return list(session.scalars(select(Photo).where(Photo.conversation_id == conversation.id)))


@pytest.mark.parametrize(("data", "kind"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")])
def test_the_content_decides_the_type(data: bytes, kind: str) -> None:
    assert photos.content_type_of(data) == kind


@pytest.mark.parametrize("data", [b"GIF89a" + b"\x00" * 10, b"<svg onload=alert(1)>", b"%PDF-1.7", b""])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoWrongType):
        photos.content_type_of(data)


def test_over_5_mb_is_refused() -> None:
    with pytest.raises(PhotoTooLarge):
        photos.content_type_of(JPEG + b"\x00" * photos.MAX_PHOTO_BYTES)


def test_the_mark_after_a_question_makes_that_reply_accept_a_photo() -> None:
    replies = parse_replies(ASKS_FOR_A_PHOTO)
    assert len(replies) == 1 and replies[0].expects_photo


async def test_a_photo_nobody_asked_for_is_refused_and_nothing_is_stored(settings: Settings) -> None:
    sender, sent = uuid.uuid4().hex, []
    chat = router(settings, [NEXT_QUESTION], sent)
    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, text="bonjour"))

    with pytest.raises(PhotoNotExpected):
        await chat.handle_photo(photo_from(sender, JPEG))

    assert sent == ["bonjour"] and stored_photos(settings, sender) == []


async def test_a_photo_asked_for_is_stored_under_a_random_name_and_passed_on_by_its_id(settings: Settings) -> None:
    sender, sent = uuid.uuid4().hex, []
    chat = router(settings, [ASKS_FOR_A_PHOTO, NEXT_QUESTION], sent)
    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, text="la porte du hall"))

    outcome = await chat.handle_photo(photo_from(sender, PNG))

    (photo,) = stored_photos(settings, sender)
    assert sent[-1] == '/choose{"report_photo": "' + photo.id + '"}'
    assert photos.path_of(photo, settings.photo_dir).read_bytes() == PNG
    assert photo.content_type == "image/png" and len(photo.id) == 32
    assert messages_of(settings, sender)[-2] == ("resident", PHOTO_TEXT, None)
    assert outcome.replies[0].text == "Un numéro de téléphone ?"
    # The next question asks for no photo: a second one is refused.
    with pytest.raises(PhotoNotExpected):
        await chat.handle_photo(photo_from(sender, PNG))


async def test_a_file_that_is_no_photo_is_refused_even_when_one_is_asked_for(settings: Settings) -> None:
    sender, sent = uuid.uuid4().hex, []
    chat = router(settings, [ASKS_FOR_A_PHOTO], sent)
    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, text="la porte du hall"))

    with pytest.raises(PhotoWrongType):
        await chat.handle_photo(photo_from(sender, b"<html><script>alert(1)</script>"))

    assert len(sent) == 1 and stored_photos(settings, sender) == []
