"""One chat's updates are handled one at a time, in the order they came; different chats in parallel.

A resident who sends two messages quickly must get the answers in that order,
while one slow conversation must not hold up the others.
"""

import asyncio
import contextlib
from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from typing import Any
from weakref import WeakValueDictionary

from telegram import Update
from telegram.ext import SimpleUpdateProcessor


class ChatLocks:
    """A lock per chat, kept only while an update of that chat holds or awaits it."""

    def __init__(self) -> None:
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def hold(self, update: object) -> AbstractAsyncContextManager[Any]:
        """What to hold while handling ``update``: its chat's lock (nothing for an update without chat)."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            return contextlib.nullcontext()
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = self._locks[chat.id] = asyncio.Lock()
        return lock


class PerChatUpdateProcessor(SimpleUpdateProcessor):
    """PTB's concurrent update processing (polling), serialized within each chat.

    PTB starts the updates' tasks in the order they came, and each takes its
    chat's lock before anything else, so the lock's queue keeps that order.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chats = ChatLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers of ``update`` once the previous updates of its chat are done."""
        async with self._chats.hold(update):
            await coroutine
