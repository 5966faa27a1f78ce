"""Errors our code raises on purpose, caught at the channel boundaries.

RegieError
├── RejectedMessage           the message cannot be accepted as it is (a 4xx)
│   ├── UnknownTenant         no tenant has that slug
│   ├── PayloadNotOffered     a button payload the bot did not offer just now
│   ├── CommandLikeText       typed text that Rasa would read as an intent
│   ├── UnknownCommand        a channel command that is not in the router's list
│   ├── OriginNotAllowed      a page whose origin the tenant does not allow (the widget's API)
│   ├── PhotoNotExpected      a photo sent when the bot asked for none
│   ├── PhotoTooLarge         a photo over 5 MB
│   └── PhotoWrongType        a file that is not a JPEG, PNG or WebP image
├── RateLimited               too many messages a minute from one sender or address (a 429)
├── EngineUnavailable         Rasa or the action server did not answer usably
├── SlotUnavailable           a visit slot cannot be booked (taken, gone or past)
└── ConsoleError              a console request that cannot be served (an HTML page says why)
    ├── NotSignedIn           no valid staff session: back to the login page (401 for the live API)
    ├── Forbidden             signed in, but the role or the tenant does not allow it (403)
    ├── CsrfRejected          a form without its session's CSRF token (403)
    ├── ConversationNotFound  no conversation has that id (404)
    ├── NotFound              no slot, booking or booking notice with that id the account may see (404)
    ├── RequestNotFound       no request with that reference the account may see (404)
    ├── PhotoNotFound         no photo with that id among the request's (404)
    ├── BadFilter             a list filter with a value the console does not know (400)
    ├── NotActionable         the state of the conversation, slot or booking does not allow that action now (409)
    └── InvalidSeries         a series of slots asked with wrong fields (422; ``errors`` says which)
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


class PhotoNotExpected(RejectedMessage):
    """A photo sent outside a problem report's photo question."""

    code = "photo_not_expected"
    status_code = 409
    message = "Aucune photo n'est attendue pour le moment : une photo se joint pendant un signalement."


class PhotoTooLarge(RejectedMessage):
    """A photo over the size limit."""

    code = "photo_too_large"
    status_code = 413
    message = "Cette photo est trop lourde : 5 Mo au plus."


class PhotoWrongType(RejectedMessage):
    """A file whose content is not a JPEG, PNG or WebP image, whatever its name or declared type."""

    code = "photo_wrong_type"
    status_code = 415
    message = "Ce fichier n'est pas une photo acceptée : envoyez une image JPEG, PNG ou WebP."


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


class ConsoleError(RegieError):
    """A console request refused; ``message`` is shown to the staff member, in French."""

    status_code = 400
    message = "Cette action n'est pas possible."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotSignedIn(ConsoleError):
    """No valid console session came with the request."""

    status_code = 401
    message = "Connectez-vous pour accéder à la console."


class Forbidden(ConsoleError):
    """The staff member's role or tenants do not allow this page or action."""

    status_code = 403
    message = "Votre compte ne permet pas d'accéder à cette page ou de faire cette action."


class CsrfRejected(ConsoleError):
    """A POST without the CSRF token of the session (or of the login form)."""

    status_code = 403
    message = "Le formulaire a expiré ou ne vient pas de la console : rechargez la page et recommencez."


class ConversationNotFound(ConsoleError):
    """No conversation has this id."""

    status_code = 404
    message = "Cette conversation n'existe pas."


class RequestNotFound(ConsoleError):
    """No request with this reference that the account may see (another tenant's reads the same)."""

    status_code = 404
    message = "Cette demande n'existe pas, ou votre compte ne permet pas de la voir."


class PhotoNotFound(ConsoleError):
    """No photo with this id among the request's photos."""

    status_code = 404
    message = "Cette photo n'existe pas pour cette demande."


class BadFilter(ConsoleError):
    """A filter of a list with a value the console does not know; the message names it."""

    status_code = 400


class NotFound(ConsoleError):
    """No visit slot, booking or booking notice has this id (or it was removed, or is another tenant's)."""

    status_code = 404
    message = "Ce créneau ou ce rendez-vous n'existe pas (ou plus)."


class NotActionable(ConsoleError):
    """The conversation, slot or booking is in a state where this action does not apply."""

    status_code = 409


class InvalidSeries(ConsoleError):
    """A series of slots that cannot be created as asked; ``errors`` maps each wrong field to what is wrong."""

    status_code = 422
    message = "La série n'a pas été créée : corrigez les champs signalés."

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    """The JSON shape of every error answer of the web app."""
    return {"error": {"code": code, "message": message, **extra}}
