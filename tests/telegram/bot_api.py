"""A fake Telegram Bot API server on loopback: real HTTP, the Bot API's JSON, scripted failures.

It serves ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` like
api.telegram.org, so the real python-telegram-bot client talks to it through
``TELEGRAM_API_BASE_URL``. It parses HTML messages as strictly as Telegram
(a stray ``<`` or ``&`` is a 400) and records what a resident would see.
"""

import html
import itertools
import json
import random
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote

T = TypeVar("T")

TOKEN = "123456:TEST-fake-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Régie", "username": "regie_test_bot"}
JSON_PARAMETERS = {"reply_markup", "allowed_updates", "commands"}
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre"}
TAG = re.compile(r"<[^>]*>?")
STRAY_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
LONG_POLL_CAP_SECONDS = 1.0
FILES = {"photo-1": ("photos/file_1.jpg", b"\xff\xd8\xff\xe0 fake jpeg")}


class BadHtml(ValueError):
    """Telegram's "can't parse entities"."""


def visible_text(text: str) -> str:
    """What a resident sees of an HTML message, or ``BadHtml`` where Telegram would refuse it."""
    for tag in TAG.findall(text):
        match = re.fullmatch(r"</?([a-z-]+)(?:\s[^<>]*)?>", tag)
        if match is None or match.group(1) not in HTML_TAGS:
            raise BadHtml(f"can't parse entities: unsupported start tag {tag[:20]!r}")
    if STRAY_AMPERSAND.search(text):
        raise BadHtml("can't parse entities: stray '&'")
    stripped = TAG.sub("", text)
    if ">" in stripped:
        raise BadHtml("can't parse entities: stray '>'")
    return html.unescape(stripped)


@dataclass
class Call:
    """One request the bot made, and the status it got."""

    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class Sent:
    """A message the resident received."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[tuple[str, str]]
    reply_markup: dict[str, Any] | None
    date: int = field(default_factory=lambda: int(time.time()))

    def as_message(self) -> dict[str, Any]:
        """The message as the Bot API describes it inside an update."""
        message = {"message_id": self.message_id, "date": self.date, "text": self.text, "from": BOT_USER}
        message["chat"] = {"id": self.chat_id, "type": "private", "first_name": "Test"}
        if self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


@dataclass
class SentDocument:
    """A file the resident received (sendDocument, sent as multipart/form-data)."""

    chat_id: int
    filename: str
    content: bytes
    caption: str | None


@dataclass
class Failure:
    """A scripted error answer for the next calls of ``method`` to ``chat_id``."""

    method: str
    chat_id: int
    status: int
    times: int
    retry_after: int | None = None


class FakeBotApi:
    """The fake server; tests push updates and script failures, then read what was sent."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.documents: list[SentDocument] = []
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        # Each bot has its own sequence; the fakes share one database, so theirs must not meet.
        self._update_ids = itertools.count(random.randrange(10**6, 10**9, 10**5))
        self._message_ids = itertools.count(1)
        self._failures: list[Failure] = []
        self._blocked: set[int] = set()
        self._changed = threading.Condition()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what tests do -------------------------------------------------------------------

    def push(self, body: dict[str, Any], update_id: int | None = None, copies: int = 1) -> int:
        """Queue an update (``copies`` > 1: Telegram delivering the same one again)."""
        with self._changed:
            update_id = next(self._update_ids) if update_id is None else update_id
            self._updates.extend({"update_id": update_id, **body} for _ in range(copies))
            self._changed.notify_all()
        return update_id

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def fail_next(self, method: str, chat_id: int, status: int, times: int = 1, retry_after: int | None = None) -> None:
        with self._changed:
            self._failures.append(Failure(method, chat_id, status, times, retry_after))

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: every message to them is a 403."""
        with self._changed:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._changed:
            self._blocked.discard(chat_id)

    def messages_to(self, chat_id: int) -> list[Sent]:
        with self._changed:
            return [m for m in self.sent if m.chat_id == chat_id]

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._changed:
            return [
                c for c in self.calls if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def wait_for(self, what: str, check: Callable[[], T], timeout: float = 60) -> T:
        """Wait until ``check()`` is truthy and return it; fail saying ``what`` never happened."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = check()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for: {what}")
                self._changed.wait(min(remaining, 0.5))

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 60) -> list[Sent]:
        return self.wait_for(
            f"{count} message(s) to chat {chat_id}",
            lambda: (m := self.messages_to(chat_id)) and len(m) >= count and m,
            timeout,
        )

    # --- the Bot API ---------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The status and JSON body of one Bot API call."""
        with self._changed:
            call = Call(method, params)
            self.calls.append(call)
            status, body = self._scripted(method, params) or self._dispatch(method, params)
            call.status = status
            self._changed.notify_all()
        return status, body

    def _scripted(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        chat_id = params.get("chat_id")
        if chat_id in self._blocked and method.startswith("send"):
            return _error(403, "Forbidden: bot was blocked by the user")
        for failure in self._failures:
            if failure.method == method and failure.chat_id == chat_id and failure.times > 0:
                failure.times -= 1
                if failure.status == 429:
                    after = failure.retry_after or 1
                    return _error(429, f"Too Many Requests: retry after {after}", {"retry_after": after})
                return _error(failure.status, "Bad Gateway" if failure.status == 502 else "Error")
        return None

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        simple = {"getMe": BOT_USER, "deleteWebhook": True, "setMyCommands": True, "answerCallbackQuery": True}
        if method in simple:
            return _ok(simple[method])
        handlers = {
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "setWebhook": self._set_webhook,
            "getFile": self._get_file,
            "sendDocument": self._send_document,
        }
        if method not in handlers:
            return _error(404, "Not Found")
        return handlers[method](params)

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        # Updates before the offset are confirmed: Telegram forgets them.
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            # Long polling, capped so that a stopping bot is not kept waiting.
            self._changed.wait(min(float(params.get("timeout") or 0), LONG_POLL_CAP_SECONDS))
        limit = int(params.get("limit") or 100)
        return _ok(self._updates[:limit])

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raw = str(params.get("text", ""))
        try:
            text = visible_text(raw) if params.get("parse_mode") == "HTML" else raw
        except BadHtml as error:
            return _error(400, f"Bad Request: {error}")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        buttons = [(b["text"], b["callback_data"]) for row in (markup or {}).get("inline_keyboard", []) for b in row]
        if any(len(data.encode()) > 64 for _, data in buttons):
            return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        sent = Sent(int(params["chat_id"]), next(self._message_ids), text, buttons, markup)
        self.sent.append(sent)
        return _ok(sent.as_message())

    def _send_document(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        document = params.get("document")
        if not isinstance(document, tuple) or not document[1]:
            return _error(400, "Bad Request: there is no document in the request")
        chat_id, (filename, content) = int(params["chat_id"]), document
        self.documents.append(SentDocument(chat_id, filename, content, params.get("caption")))
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER}
        message["chat"] = {"id": chat_id, "type": "private", "first_name": "Test"}
        message["document"] = {"file_id": f"doc-{len(self.documents)}", "file_unique_id": "u", "file_name": filename}
        return _ok(message)

    def _edit_reply_markup(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = next((m for m in self.sent if (m.chat_id, m.message_id) == (chat_id, message_id)), None)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup") or None
        if markup == message.reply_markup or (not message.reply_markup and not markup):
            return _error(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        return _ok(message.as_message())

    def _set_webhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = params
        return _ok(True)

    def _get_file(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file_id = params.get("file_id", "")
        if file_id not in FILES:
            return _error(400, "Bad Request: invalid file_id")
        path, content = FILES[file_id]
        return _ok({"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(content), "file_path": path})

    def file(self, path: str) -> bytes | None:
        return next((content for p, content in FILES.values() if p == path), None)


def _ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart body's fields: text as str, a file as (filename, bytes)."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        params[name] = (filename, content) if filename else content.decode()
    return params


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A bot stopped in the middle of a long poll: nobody is left to answer.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            prefix, path = f"/bot{api.token}/", unquote(self.path)
            if not path.startswith(prefix):
                self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            self._reply(*api.answer(path[len(prefix) :].split("?")[0], self._params()))

        def do_GET(self) -> None:
            # Clients percent-encode the path (the token's ":" among others).
            prefix, path = f"/file/bot{api.token}/", unquote(self.path)
            content = api.file(path[len(prefix) :]) if path.startswith(prefix) else None
            if content is None:
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def _params(self) -> dict[str, Any]:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            if content_type.startswith("application/json"):
                return json.loads(body or b"{}")
            if content_type.startswith("multipart/form-data"):
                params = _multipart(content_type, body)
            else:
                params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            for name in JSON_PARAMETERS & params.keys():
                params[name] = json.loads(params[name])
            if "chat_id" in params:
                params["chat_id"] = int(params["chat_id"])
            return params

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: pytest shows what matters."""

    return Handler
