"""Errors our code raises on purpose, caught at the channel boundaries.

RegieError
├── RejectedMessage           the message cannot be accepted as it is (a 4xx)
│   ├── UnknownTenant         no tenant has that slug
│   ├── PayloadNotOffered     a button payload the bot did not offer just now
│   └── CommandLikeText       typed text that Rasa would read as an intent
├── EngineUnavailable         Rasa or the action server did not answer usably
└── SlotUnavailable           a visit slot cannot be booked (taken, gone or past)
"""


class RegieError(Exception):
    """Base of the errors below."""


class RejectedMessage(RegieError):
    """A resident's message that is refused before anything is stored."""

    code = "rejected"
    status_code = 422
    message = "Ce message ne peut pas être accepté."


class UnknownTenant(RejectedMessage):
    """The tenant named by the client does not exist."""

    code = "unknown_tenant"
    status_code = 404
    message = "Ce site partenaire (tenant) est inconnu."


class PayloadNotOffered(RejectedMessage):
    """A button payload that the bot did not offer in its last turn."""

    code = "payload_not_offered"
    status_code = 409
    message = "Ce bouton n'est pas (ou plus) proposé dans cette conversation."


class CommandLikeText(RejectedMessage):
    """Typed text starting with '/', which Rasa would take as an intent."""

    code = "text_starts_with_slash"
    status_code = 422
    message = "Le message ne peut pas commencer par « / »."


class UnknownCommand(RejectedMessage):
    """A channel command (Telegram's ``/xyz``) that is not in the router's list."""

    code = "unknown_command"
    status_code = 422
    message = "Cette commande n'existe pas."


class EngineUnavailable(RegieError):
    """Rasa (or an action behind it) failed, timed out or answered nothing."""


class SlotUnavailable(RegieError):
    """A visit slot that cannot be booked any more; ``reason`` is "taken", "gone", "past" or "cancelled"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    """The JSON shape of every error answer of the web app."""
    return {"error": {"code": code, "message": message, **extra}}
