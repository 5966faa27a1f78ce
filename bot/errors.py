"""Errors our code raises on purpose, caught at the channel boundaries.

RegieError
├── RejectedMessage           the message cannot be accepted as it is (a 4xx)
│   ├── UnknownTenant         no tenant has that slug
│   ├── PayloadNotOffered     a button payload the bot did not offer just now
│   ├── CommandLikeText       typed text that Rasa would read as an intent
│   ├── UnknownCommand        a channel command that is not in the router's list
│   └── OriginNotAllowed      a page whose origin the tenant does not allow (the widget's API)
├── RateLimited               too many messages a minute from one sender or address (a 429)
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


class OriginNotAllowed(RejectedMessage):
    """A browser call from a page the tenant did not list among its allowed origins."""

    code = "origin_not_allowed"
    status_code = 403
    message = "Ce site n'est pas autorisé à utiliser l'assistant de ce partenaire."


class RateLimited(RegieError):
    """Too many messages in a minute; the client may send again after ``retry_after`` seconds."""

    code = "rate_limited"
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        """A sentence the widget can show as it is."""
        return (
            "Vous avez envoyé beaucoup de messages en peu de temps. "
            f"Vous pourrez écrire à nouveau dans {self.retry_after} secondes."
        )


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
