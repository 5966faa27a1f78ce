"""Sending through Telegram's errors, with the real PTB client on the fake Bot API (no stack needed)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot

from bot.channels.telegram.app import builder
from bot.channels.telegram.delivery import ChatUnreachable, NotDelivered, send_replies
from bot.services.conversations import Button, Reply
from bot.settings import Settings
from tests.telegram import updates
from tests.telegram.bot_api import FakeBotApi


@pytest.fixture(scope="module")
def api():
    fake = FakeBotApi()
    yield fake
    fake.close()


@asynccontextmanager
async def telegram_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """The gateway's bot (rate limiter included), on the fake Bot API through TELEGRAM_API_BASE_URL."""
    settings = Settings(telegram_bot_token=api.token, telegram_api_base_url=api.base_url + "/")
    async with builder(settings).updater(None).build() as application:
        yield application.bot


async def test_a_429_is_waited_out_and_the_message_delivered_once(api):
    chat_id = updates.new_chat_id()
    api.fail_next("sendMessage", chat_id, status=429, retry_after=1)

    async with telegram_bot(api) as bot:
        await send_replies(bot, chat_id, [Reply(text="Bonjour")])

    assert [c.status for c in api.calls_of("sendMessage", chat_id)] == [429, 200]
    assert [m.text for m in api.messages_to(chat_id)] == ["Bonjour"]


async def test_a_network_failure_is_retried(api):
    chat_id = updates.new_chat_id()
    api.fail_next("sendMessage", chat_id, status=502, times=2)

    async with telegram_bot(api) as bot:
        await send_replies(bot, chat_id, [Reply(text="Bonjour")])

    assert [c.status for c in api.calls_of("sendMessage", chat_id)] == [502, 502, 200]


async def test_network_retries_are_bounded_and_what_is_left_is_handed_back(api):
    chat_id = updates.new_chat_id()
    api.fail_next("sendMessage", chat_id, status=502, times=100)
    replies = [Reply(text="un"), Reply(text="deux")]

    async with telegram_bot(api) as bot:
        with pytest.raises(NotDelivered) as failure:
            await send_replies(bot, chat_id, replies)

    assert failure.value.remaining == replies
    assert len(api.calls_of("sendMessage", chat_id)) == 5


async def test_a_blocked_bot_is_reported_after_one_attempt(api):
    chat_id = updates.new_chat_id()
    api.block(chat_id)

    async with telegram_bot(api) as bot:
        with pytest.raises(ChatUnreachable):
            await send_replies(bot, chat_id, [Reply(text="un"), Reply(text="deux")])

    assert len(api.calls_of("sendMessage", chat_id)) == 1


async def test_a_bad_request_is_not_retried(api):
    chat_id = updates.new_chat_id()
    api.fail_next("sendMessage", chat_id, status=400)

    async with telegram_bot(api) as bot:
        with pytest.raises(NotDelivered):
            await send_replies(bot, chat_id, [Reply(text="un")])

    assert len(api.calls_of("sendMessage", chat_id)) == 1


async def test_many_messages_to_one_chat_wait_their_turn_and_none_is_lost(api):
    chat_id = updates.new_chat_id()
    texts = [f"message {i}" for i in range(8)]

    async with telegram_bot(api) as bot:
        await asyncio.gather(*(send_replies(bot, chat_id, [Reply(text=t)]) for t in texts))

    assert sorted(m.text for m in api.messages_to(chat_id)) == sorted(texts)


async def test_characters_telegram_would_parse_arrive_as_written(api):
    chat_id = updates.new_chat_id()
    text = "*gras* _x_ <b>y</b> & 5 < 6 > 2 &amp; [lien](http://x.fr)"

    async with telegram_bot(api) as bot:
        await send_replies(bot, chat_id, [Reply(text=text, buttons=(Button("OK", "/affirm"),))])

    (sent,) = api.messages_to(chat_id)
    assert sent.text == text and sent.buttons == [("OK", "/affirm")]


async def test_files_download_from_the_configured_bot_api_root(api):
    async with telegram_bot(api) as bot:
        file = await bot.get_file("photo-1")
        content = await file.download_as_bytearray()

    assert file.file_path == f"{api.base_url}/file/bot{api.token}/photos/file_1.jpg"
    assert bytes(content) == b"\xff\xd8\xff\xe0 fake jpeg"
