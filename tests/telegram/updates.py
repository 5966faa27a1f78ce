"""Telegram updates as the Bot API sends them, for a resident's private chat."""

import itertools
import random
import re
import time
from typing import Any

from tests.telegram.bot_api import Sent

_message_ids = itertools.count(1)
_query_ids = itertools.count(1)


def new_chat_id() -> int:
    """A private chat no other test uses."""
    return random.randrange(10**9, 2 * 10**9)


def _person(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "fr"}


def message(chat_id: int, text: str | None = None, **content: Any) -> dict[str, Any]:
    """A ``message`` update: text (a leading command gets its bot_command entity) or other content."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
        "from": _person(chat_id),
        **content,
    }
    if text is not None:
        body["text"] = text
        command = re.match(r"/[A-Za-z0-9_]+(@\w+)?", text)
        if command:
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
    return {"message": body}


def voice(chat_id: int) -> dict[str, Any]:
    return message(chat_id, voice={"file_id": "voice-1", "file_unique_id": "uv1", "duration": 4})


def photo(chat_id: int) -> dict[str, Any]:
    sizes = [{"file_id": "photo-1", "file_unique_id": "up1", "width": 90, "height": 90, "file_size": 20}]
    return message(chat_id, photo=sizes)


def tap(sent: Sent, payload: str) -> tuple[dict[str, Any], str]:
    """A ``callback_query`` update: the resident taps the button ``payload`` of ``sent``; and its id."""
    query_id = f"query-{next(_query_ids)}"
    body = {
        "id": query_id,
        "from": _person(sent.chat_id),
        "chat_instance": f"instance-{sent.chat_id}",
        "message": sent.as_message(),
        "data": payload,
    }
    return {"callback_query": body}, query_id
