"""One chat's updates in order, different chats in parallel (PTB's update processor, polling)."""

import asyncio

from telegram import Update

from bot.channels.telegram.ordering import PerChatUpdateProcessor
from tests.telegram import updates


def update_of(chat_id: int, update_id: int) -> Update:
    return Update.de_json({"update_id": update_id, **updates.message(chat_id, "bonjour")}, None)


async def test_a_chat_s_next_update_waits_for_the_previous_one_while_other_chats_go_on():
    processor = PerChatUpdateProcessor(8)
    done: list[str] = []
    other_chat_went_on = asyncio.Event()

    async def slow_first() -> None:
        await other_chat_went_on.wait()
        done.append("chat 1, first")

    async def second() -> None:
        done.append("chat 1, second")

    async def other_chat() -> None:
        done.append("chat 2")
        other_chat_went_on.set()

    await asyncio.gather(
        processor.process_update(update_of(1, 1), slow_first()),
        processor.process_update(update_of(1, 2), second()),
        processor.process_update(update_of(2, 3), other_chat()),
    )

    assert done == ["chat 2", "chat 1, first", "chat 1, second"]
