"""A resident with data in every table that can hold theirs, and a search for their traces anywhere.

``traces_left`` walks every table of ``Base.metadata`` (so a table added later is
searched too) and Rasa's ``events`` table, looking for any of the given strings.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from bot.db import transaction
from bot.models import (
    Base,
    Booking,
    OutgoingMessage,
    Photo,
    RequestEvent,
    RequestFollower,
    RequestStatus,
    ResidentRequest,
    SlotKind,
    VisitSlot,
    utcnow,
)
from bot.services import conversations
from bot.services.conversations import Reply


@dataclass(frozen=True)
class Someone:
    """What identifies the test resident: every one of these must be gone after an erasure."""

    sender_id: str
    name: str
    phone: str
    address: str
    texts: tuple[str, ...]
    conversation_ids: tuple[str, ...]
    photo_path: Path
    booking_references: tuple[str, ...]
    request_reference: str

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.sender_id, self.name, self.phone, self.address, *self.texts)


def make_someone(database_url: str, var_dir: Path, *, channel: str = "web", now: datetime | None = None) -> Someone:
    """A resident with two conversations, messages, an outbox message, a coming and a past visit, a request."""
    now = now or utcnow()
    tag = secrets.token_hex(4)
    sender = f"privacy-{tag}"
    name, phone, address = f"Zoé Testeuse{tag}", f"+3361{secrets.randbelow(10**7):07d}", f"{tag} rue des Lilas"
    texts = (f"ma facture {tag} est trop haute", f"j'ai une dette {tag}")
    with transaction(database_url) as session:
        tenant = conversations.find_tenant(session, slug="demo")
        first = conversations.open_conversation(session, tenant=tenant, channel=channel, external_id=sender)
        conversations.record_resident_message(session, conversation=first, text=texts[0], payload=None)
        conversations.record_bot_replies(session, conversation_id=first.id, replies=[Reply(text="Voici…")])
        first.closed_at, first.outcome = now, f"rappeler {name}"
        session.flush()
        second = conversations.open_conversation(session, tenant=tenant, channel=channel, external_id=sender)
        conversations.record_resident_message(session, conversation=second, text=texts[1], payload=None)
        session.add(OutgoingMessage(conversation_id=second.id, text=f"Bonjour {name}"))
        coming, past = _slot(tenant.id, now + timedelta(days=3)), _slot(tenant.id, now - timedelta(days=30))
        session.add_all([coming, past])
        session.flush()
        bookings = [_booking(tenant.id, first.id, slot, name, phone, address) for slot in (coming, past)]
        request = ResidentRequest(
            reference=f"DEM-{tag[:6].upper()}", tenant_id=tenant.id, conversation_id=second.id, category="lighting",
            place="hall B", place_key="b hall", description=f"ampoule cassée, appelez {name}", phone=phone,
        )  # fmt: skip
        session.add_all([*bookings, request])
        session.flush()
        photo_id = secrets.token_hex(16)
        session.add(
            Photo(id=photo_id, conversation_id=second.id, request_id=request.id, content_type="image/jpeg", size=3)
        )
        session.add(RequestFollower(request_id=request.id, conversation_id=second.id, notify=True))
        session.add(RequestEvent(request_id=request.id, status=RequestStatus.NEW, note=f"signalé par {name}"))
        ids = (first.id, second.id)
    photo_path = var_dir / "photos" / f"{photo_id}.jpg"
    photo_path.parent.mkdir(parents=True, exist_ok=True)
    photo_path.write_bytes(b"jpg")
    return Someone(
        sender, name, phone, address, texts, ids, photo_path, tuple(b.reference for b in bookings), request.reference
    )


def _slot(tenant_id: int, starts_at: datetime) -> VisitSlot:
    return VisitSlot(
        tenant_id=tenant_id, kind=SlotKind.HOME_VISIT, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
        mediator="Samia",
    )  # fmt: skip


def _booking(tenant_id: int, conversation_id: str, slot: VisitSlot, name: str, phone: str, address: str) -> Booking:
    return Booking(
        reference=f"RDV-{secrets.token_hex(3).upper()}", tenant_id=tenant_id, conversation_id=conversation_id,
        slot_id=slot.id, seat=1, topic="energy_bill", name=name, phone=phone, address=address,
    )  # fmt: skip


def write_tracker_events(tracker_store_url: str, conversation_id: str, user_text: str) -> None:
    """Rasa-like rows in a tracker store of the test's own (the table as Rasa 3.6 creates it)."""
    engine = create_engine(tracker_store_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', :d)"),
            {"s": conversation_id, "d": f'{{"text": "{user_text}"}}'},
        )
    engine.dispose()


def traces_left(database_url: str, tracker_store_url: str, needles: tuple[str, ...]) -> list[str]:
    """Where any needle still appears: "table.column" of our tables, or "events" of the tracker store."""
    found = []
    with transaction(database_url) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for column, value in row._mapping.items():
                    if value is not None and any(n in str(value) for n in needles):
                        found.append(f"{table.name}.{column}")
    found += _tracker_traces(tracker_store_url, needles)
    return sorted(set(found))


def tracker_rows(tracker_store_url: str, conversation_ids: tuple[str, ...]) -> int:
    """How many tracker events these conversations still have."""
    engine = create_engine(tracker_store_url)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT sender_id FROM events"))
            return sum(1 for (sender,) in rows if sender in conversation_ids)
    finally:
        engine.dispose()


def _tracker_traces(tracker_store_url: str, needles: tuple[str, ...]) -> list[str]:
    engine = create_engine(tracker_store_url)
    try:
        if not inspect(engine).has_table("events"):
            return []
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT sender_id, data FROM events"))
            return ["events" for sender, data in rows if any(n in f"{sender} {data}" for n in needles)]
    finally:
        engine.dispose()
