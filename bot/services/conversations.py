"""Conversations and their transcript: open one, store messages, greet."""

from dataclasses import dataclass, field

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from bot.errors import PayloadNotOffered, UnknownTenant
from bot.models import Author, Conversation, Message, Mode, Resident, Tenant, utcnow

# A bot turn is a few messages (an answer, a notice, a question): its buttons are among the last ones stored.
LAST_TURN_MESSAGES = 6


@dataclass(frozen=True)
class Button:
    """A button the bot offers: what it shows and what it sends back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message of the bot, as every channel renders it."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    # The bot asks for a photo: the widget shows its upload control, channels accept one.
    expects_photo: bool = False


def find_tenant(session: Session, *, slug: str) -> Tenant:
    """The tenant with this slug, or ``UnknownTenant``."""
    tenant = _tenant_by_slug(session, slug)
    if tenant is None:
        raise UnknownTenant(slug)
    return tenant


def open_conversation(session: Session, *, tenant: Tenant, channel: str, external_id: str) -> Conversation:
    """The open conversation of this channel's sender at this tenant; a new one if none is open.

    A resident whose last conversation was closed starts a new one (a new id,
    so a fresh Rasa tracker). A race between two messages that both create
    the resident or the conversation ends in an IntegrityError at commit; the
    caller retries the unit of work once.
    """
    resident = session.scalar(
        select(Resident).where(
            Resident.tenant_id == tenant.id, Resident.channel == channel, Resident.external_id == external_id
        )
    )
    if resident is None:
        resident = Resident(tenant=tenant, channel=channel, external_id=external_id)
    else:
        conversation = session.scalar(
            select(Conversation).where(Conversation.resident_id == resident.id, Conversation.closed_at.is_(None))
        )
        if conversation is not None:
            return conversation
    conversation = Conversation(resident=resident, tenant=tenant, offered_payloads=[])
    session.add(conversation)
    session.flush()
    return conversation


def record_resident_message(
    session: Session, *, conversation: Conversation, text: str | None, payload: str | None
) -> Message:
    """Store what the resident sent; a payload must be one the bot just offered."""
    if payload is not None and payload not in conversation.offered_payloads:
        raise PayloadNotOffered(payload)
    message = Message(conversation_id=conversation.id, author=Author.RESIDENT, text=text, payload=payload)
    session.add(message)
    conversation.last_message_at = utcnow()
    return message


def record_command(session: Session, *, conversation: Conversation, command: str) -> None:
    """Store a channel command the resident sent (``/aide``), as its text."""
    session.add(Message(conversation_id=conversation.id, author=Author.RESIDENT, text=f"/{command}"))
    conversation.last_message_at = utcnow()


def last_tenant_of(session: Session, *, channel: str, external_id: str, default: str) -> str:
    """The slug of the tenant this sender last wrote to, or ``default`` for a newcomer."""
    slug = session.scalar(
        select(Tenant.slug)
        .join(Conversation, Conversation.tenant_id == Tenant.id)
        .join(Resident, Conversation.resident_id == Resident.id)
        .where(Resident.channel == channel, Resident.external_id == external_id)
        .order_by(Conversation.last_message_at.desc())
        .limit(1)
    )
    return slug or default


def record_bot_replies(session: Session, *, conversation_id: str, replies: list[Reply]) -> Mode:
    """Store the bot's replies, remember the buttons offered; return the mode now."""
    conversation = session.get_one(Conversation, conversation_id)
    for reply in replies:
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] or None
        session.add(Message(conversation_id=conversation_id, author=Author.BOT, text=reply.text, buttons=buttons))
    conversation.offered_payloads = [b.payload for reply in replies for b in reply.buttons]
    conversation.photo_requested_at = utcnow() if any(reply.expects_photo for reply in replies) else None
    conversation.last_message_at = utcnow()
    return conversation.mode


def offered_buttons(session: Session, *, conversation: Conversation) -> list[Button]:
    """The buttons still offered (the bot's last turn), with their titles: a typed answer may mean one."""
    if not conversation.offered_payloads:
        return []
    latest = session.scalars(
        select(Message.buttons)
        .where(Message.conversation_id == conversation.id, Message.author == Author.BOT)
        .order_by(Message.id.desc())
        .limit(LAST_TURN_MESSAGES)
    )
    offered = {
        button["payload"]: Button(button["title"], button["payload"])
        for buttons in reversed(list(latest))
        for button in buttons or []
    }
    return [offered[payload] for payload in conversation.offered_payloads if payload in offered]


def greet(session: Session, *, conversation_id: str) -> str:
    """Note that the conversation was greeted and return its tenant's welcome."""
    conversation = session.get_one(Conversation, conversation_id)
    if conversation.greeted_at is None:
        conversation.greeted_at = utcnow()
    return conversation.tenant.welcome_message


def ensure_tenant(session: Session, *, slug: str, name: str, welcome_message: str) -> Tenant:
    """The tenant with this slug, created with these values if missing."""
    tenant = _tenant_by_slug(session, slug)
    if tenant is None:
        tenant = Tenant(slug=slug, name=name, welcome_message=welcome_message)
        session.add(tenant)
        session.flush()
    return tenant


def _tenant_by_slug(session: Session, slug: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def same_resident(conversation_id: str) -> ScalarSelect[str]:
    """The ids of every conversation of this conversation's resident (closed ones too), as a subquery."""
    resident = select(Conversation.resident_id).where(Conversation.id == conversation_id).scalar_subquery()
    return select(Conversation.id).where(Conversation.resident_id == resident).scalar_subquery()
