"""Our tables (SQLAlchemy 2 typed ORM). Rasa's tracker tables are Rasa's own."""

import enum
import uuid
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Now, in UTC, as stored in every timestamp column."""
    return datetime.now(UTC)


def _enum_column(enum_class: type[enum.Enum], length: int) -> Enum:
    """A portable enum column that stores the members' values, not their names."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware.

    PostgreSQL keeps the zone; SQLite stores text without it and would hand
    back naive datetimes, which cannot be compared with aware ones.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Any aware time, stored as UTC."""
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC, aware."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of our ORM classes."""

    type_annotation_map: ClassVar = {datetime: UtcDateTime()}


class Mode(enum.StrEnum):
    """Who answers a conversation: the bot (through Rasa) or a person."""

    BOT = "bot"
    HUMAN = "human"


class Author(enum.StrEnum):
    """Who wrote a message of the transcript."""

    RESIDENT = "resident"
    BOT = "bot"
    MEDIATOR = "mediator"


DEFAULT_PRIMARY_COLOR = "#1f5f8b"


class Role(enum.StrEnum):
    """What a staff account may do in the console."""

    MEDIATOR = "mediator"
    # Read-only, and only the statistics of the tenants linked to the account.
    LANDLORD = "landlord"
    ADMIN = "admin"


class Tenant(Base):
    """A Régie's partner site (a landlord, a town): its own name, welcome and widget look.

    The slug is the widget's public key (``data-tenant``). Colours, logo and
    origins are checked by ``bot.services.widget`` before they are stored.
    """

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    welcome_message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    primary_color: Mapped[str] = mapped_column(String(7), default=DEFAULT_PRIMARY_COLOR)
    logo_url: Mapped[str | None] = mapped_column(String(500))
    # Exact origins ("https://www.bailleur.fr") whose pages may embed the widget.
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)


class Resident(Base):
    """Someone who writes to the bot, known only by a channel's identifier."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("tenant_id", "channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the channel refuses our messages (a Telegram user blocked the bot).
    unreachable_at: Mapped[datetime | None]
    # Set when the resident's data was erased (their wish, or retention): external_id is then a random token.
    erased_at: Mapped[datetime | None]

    tenant: Mapped[Tenant] = relationship()


class Conversation(Base):
    """A resident's conversation; its id is the sender id Rasa sees.

    A resident has at most one open conversation (``closed_at`` NULL): the
    partial unique index enforces it, and a message after a close opens a new
    one (a fresh Rasa tracker, since the id is new).
    """

    __tablename__ = "conversations"
    __table_args__ = (
        Index(
            "uq_conversations_open_per_resident",
            "resident_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    mode: Mapped[Mode] = mapped_column(_enum_column(Mode, 8), default=Mode.BOT)
    # The button payloads of the bot's last turn: the only ones a resident may send.
    offered_payloads: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    greeted_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    escalation_reason: Mapped[str | None] = mapped_column(String(32))
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The resident message the bot last failed to understand: a second miss in a row escalates.
    missed_message_id: Mapped[int | None]
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    # The bot's last message asked for a photo: only then may the resident send one.
    photo_requested_at: Mapped[datetime | None]

    resident: Mapped[Resident] = relationship()
    tenant: Mapped[Tenant] = relationship()
    assigned_staff: Mapped["StaffUser | None"] = relationship()


class Message(Base):
    """One message of a transcript, in either direction."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    author: Mapped[Author] = mapped_column(_enum_column(Author, 16))
    text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(String(200))
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The mediator who wrote it (author "mediator" only).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Health, debts…: flagged for the mediator, purged early, never used for training (bot/services/sensitive.py).
    sensitive: Mapped[bool] = mapped_column(default=False, server_default=false())

    staff: Mapped["StaffUser | None"] = relationship()


class TelegramUpdate(Base):
    """A Telegram update already taken in: Telegram may deliver one twice, we handle it once."""

    __tablename__ = "telegram_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutgoingMessage(Base):
    """The outbox: a message to a resident that answers none of theirs (a mediator's reply, a notice)."""

    __tablename__ = "outgoing_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When to try next; None once delivered or given up, so "due" is one indexed comparison.
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow, index=True)
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))


class SlotKind(enum.StrEnum):
    """Where a mediation visit happens."""

    HOME_VISIT = "home_visit"
    DROP_IN = "drop_in"


class BookingStatus(enum.StrEnum):
    """A booking's life: booked, then cancelled, done or missed."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class VisitSlot(Base):
    """A mediator's available time: a home visit, or a drop-in session with several seats."""

    __tablename__ = "visit_slots"
    __table_args__ = (
        Index("ix_visit_slots_tenant_starts", "tenant_id", "starts_at"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    kind: Mapped[SlotKind] = mapped_column(_enum_column(SlotKind, 16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    mediator: Mapped[str] = mapped_column(String(100))
    # Where a drop-in session takes place; a home visit happens at the resident's.
    place: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Withdrawn by staff while bookings (cancelled ones) still point at it: kept for their history, never offered.
    removed_at: Mapped[datetime | None]


class Booking(Base):
    """A resident's seat in a slot, with what the mediator needs to come or call."""

    __tablename__ = "bookings"
    # One seat of a slot holds one booking: this constraint is what prevents
    # double booking under concurrency. A cancelled booking gives its seat back (NULL).
    __table_args__ = (
        UniqueConstraint("slot_id", "seat", name="uq_bookings_slot_seat"),
        CheckConstraint("seat >= 1", name="seat_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("visit_slots.id"), index=True)
    seat: Mapped[int | None]
    status: Mapped[BookingStatus] = mapped_column(_enum_column(BookingStatus, 16), default=BookingStatus.BOOKED)
    topic: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    slot: Mapped[VisitSlot] = relationship()


class BookingNotice(Base):
    """What mediators are told: a booking was made, moved or cancelled."""

    __tablename__ = "booking_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a mediator has seen it in the console.
    seen_at: Mapped[datetime | None]


class RequestStatus(enum.StrEnum):
    """A reported problem's life: new, in progress, then done or rejected (with a reason)."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"


class ResidentRequest(Base):
    """A problem a resident reported in the common areas (a "demande", DEM-XXXXXX).

    ``place_key`` is the place reduced to its words in a fixed order, so that
    the same problem at the same place is found again (bot/services/requests.py).
    """

    __tablename__ = "requests"
    __table_args__ = (Index("ix_requests_same_place", "tenant_id", "category", "place_key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    # The conversation it was reported in; the people who follow it are in request_followers.
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(300))
    place_key: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(_enum_column(RequestStatus, 16), default=RequestStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    tenant: Mapped[Tenant] = relationship()
    events: Mapped[list["RequestEvent"]] = relationship(order_by="RequestEvent.id")
    photos: Mapped[list["Photo"]] = relationship(order_by="Photo.created_at")


class RequestFollower(Base):
    """A conversation that reported or joined a request, and whether it wants to hear of progress."""

    __tablename__ = "request_followers"
    __table_args__ = (UniqueConstraint("request_id", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    notify: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestEvent(Base):
    """One step of a request's history: its status then, and the note that explains it."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(_enum_column(RequestStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)
    # None when the resident's report or the bot made the step.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Photo(Base):
    """A photo a resident sent during a report, stored under var/ by its random id (bot/services/photos.py).

    It belongs to the conversation first, and to the request once the report is recorded.
    """

    __tablename__ = "photos"

    # 128 random bits as hex: the file's name too, so no name a resident chose reaches the disk.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(16))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffUser(Base):
    """A person of the Régie or of a landlord who signs in to the console."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: the login compares it exactly.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # argon2id, with its parameters and salt (PHC string).
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum_column(Role, 16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]

    tenants: Mapped[list[Tenant]] = relationship(secondary="staff_tenants")


class StaffTenant(Base):
    """A landlord account's tenant: the only one whose figures it may read."""

    __tablename__ = "staff_tenants"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), primary_key=True)


class StaffSession(Base):
    """A signed-in browser. Only the token's hash is stored: logout deletes the row, which ends it."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # Every form of the session carries it; a POST without it is refused.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    staff: Mapped[StaffUser] = relationship()


class LoginThrottle(Base):
    """Failed logins per e-mail address, known account or not, so a lock-out reveals nothing."""

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class AuditEntry(Base):
    """One action of staff in the console: who, what, on what, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a failed login, whose target is the address typed.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    staff: Mapped[StaffUser | None] = relationship()


class KnowledgeReload(Base):
    """A reload of the FAQ engine from knowledge/: asked by staff or the CLI, or seen as a file change.

    The action servers poll this table: a row without outcome is a request
    they carry out; the outcome says how many entries are live, or which file
    was refused and why (the previous engine then keeps answering).
    """

    __tablename__ = "knowledge_reloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    succeeded: Mapped[bool | None]
    outcome: Mapped[str | None] = mapped_column(Text)
