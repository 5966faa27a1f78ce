"""Application logs carry no personal data: phone numbers, e-mail addresses and message texts are masked.

Our code never logs what a resident wrote (ids and counts only); this filter is
the safety net for what slips through: a library that logs a request body, an
exception whose message quotes a value, an access log with a widget's secret
sender id in its URL. It is added to every handler where logging is set up
(``bot.cli``, uvicorn's config, the action server after Sanic configured its
own), so no record reaches a console or a file unmasked.
"""

import logging
import re
from copy import deepcopy
from typing import Any

from uvicorn.config import LOGGING_CONFIG

MASK = "***"
_PHONE = re.compile(r"(?<![\w+])(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A widget's sender id is its conversation's only secret: it appears in the event stream's URL.
_CHAT_PATH = re.compile(r"(/api/chat/)[^/\s?\"]+(/events)")
# Values of keys that hold what a person wrote, in JSON or a Python repr ("text": "…", 'name': '…').
_FIELDS = "text|message|name|phone|address|description|outcome|note|booking_name|booking_phone|booking_address"
_FIELD = re.compile(rf"""(["']({_FIELDS})["']\s*:\s*)(["'])(?:\\.|(?!\3).)*\3""", re.DOTALL)


def mask(text: str) -> str:
    """``text`` with phone numbers, e-mail addresses, chat secrets and written texts replaced by ***."""
    text = _FIELD.sub(lambda m: f"{m.group(1)}{m.group(3)}{MASK}{m.group(3)}", text)
    text = _CHAT_PATH.sub(rf"\1{MASK}\2", text)
    text = _EMAIL.sub(MASK, text)
    return _PHONE.sub(MASK, text)


class PersonalDataFilter(logging.Filter):
    """Masks a record's message and traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record masked (its arguments merged into the message)."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call: logging reports it itself
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: the traceback is masked once, here.
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


def install() -> None:
    """Add the filter to every handler configured now (root's and every logger's); harmless when repeated."""
    loggers: list[Any] = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())


def uvicorn_log_config() -> dict[str, Any]:
    """Uvicorn's default logging configuration, with the filter on each of its handlers."""
    config = deepcopy(LOGGING_CONFIG)
    config["filters"] = {"personal_data": {"()": PersonalDataFilter}}
    for handler in config["handlers"].values():
        handler["filters"] = ["personal_data"]
    return config
