"""ASGI middleware refusing request bodies over a size, before they are read whole."""

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import error_body

# How much of an oversized body is read (and dropped) before answering: a photo of
# 6 MB gets its 413, a client that never stops sending is cut off.
DRAIN_FACTOR = 4


class BodySizeLimit:
    """Answer 413 to any request whose body exceeds ``max_bytes`` (or its path's own limit in ``larger``)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in (larger or {}).items()]

    def limit_for(self, path: str) -> int:
        """The largest body accepted on ``path``."""
        return next((limit for pattern, limit in self.larger if pattern.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the body as it arrives: the Content-Length header may be absent or false."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        refused = False
        max_bytes = self.limit_for(scope["path"])

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes and not refused:
                refused = True
                await _drain(receive, message, limit=DRAIN_FACTOR * max_bytes - received)
                body = error_body("body_too_large", f"Le corps de la requête dépasse {max_bytes} octets.")
                # The app stops on a "disconnect": the connection cannot serve another request.
                await JSONResponse(body, status_code=413, headers={"Connection": "close"})(scope, receive, send)
                # The app sees the client gone, so it stops reading and answering.
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)


async def _drain(receive: Receive, last: Message, limit: int) -> None:
    """Read the rest of the body and drop it, so the client, still sending, can read our 413.

    A client that keeps sending past ``limit`` more bytes is cut off instead.
    """
    while last.get("more_body", False) and limit > 0:
        last = await receive()
        limit -= len(last.get("body", b""))
