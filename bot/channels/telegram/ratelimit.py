"""Telegram's flood limits, kept before Telegram has to enforce them with a 429.

About 30 messages a second overall and about one a second in one chat (short
bursts are tolerated, so a chat may get three at once: a reply is often a text
and a menu). Group chats allow 20 a minute. Requests wait their turn; none is
dropped. PTB's ``AIORateLimiter`` limits groups only, not private chats, hence
this one; 429s that still happen are retried by ``delivery``.
"""

import contextlib
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import BaseRateLimiter

OVERALL_PER_SECOND = 30
CHAT_BURST, CHAT_PERIOD_SECONDS = 3, 3
GROUP_PER_MINUTE = 20
# Idle limiters are forgotten past this many chats, so memory stays bounded.
MAX_IDLE_LIMITERS = 1024


class TelegramRateLimiter(BaseRateLimiter[None]):
    """Throttles every request that names a chat: overall, then per chat."""

    def __init__(self) -> None:
        self._overall = AsyncLimiter(OVERALL_PER_SECOND, 1)
        self._chats: dict[int | str, AsyncLimiter] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Any,  # noqa: ANN401 - PTB's own signature
        args: Any,  # noqa: ANN401
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Any:  # noqa: ANN401
        """Run the request once the overall and the chat's limits allow it."""
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        async with self._chat_limiter(chat_id), self._overall:
            return await callback(*args, **kwargs)

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter:
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        if chat_id not in self._chats:
            if len(self._chats) > MAX_IDLE_LIMITERS:
                self._forget_idle()
            group = isinstance(chat_id, str) or chat_id < 0
            limiter = AsyncLimiter(GROUP_PER_MINUTE, 60) if group else AsyncLimiter(CHAT_BURST, CHAT_PERIOD_SECONDS)
            self._chats[chat_id] = limiter
        return self._chats[chat_id]

    def _forget_idle(self) -> None:
        """Drop the limiters whose bucket is full again: a new one would behave the same."""
        for chat_id, limiter in list(self._chats.items()):
            if limiter.has_capacity(limiter.max_rate):
                del self._chats[chat_id]
