"""A resident talking through POST /api/chat (and its photo upload), and a tenant with known slots to book."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from bot.db import transaction
from bot.models import Booking, BookingNotice, SlotKind, Tenant, VisitSlot
from bot.services.booking import create_series
from bot.settings import Settings

ZONE = ZoneInfo("Europe/Paris")


@dataclass
class Resident:
    """One resident's side of a conversation: what they send, what they were last shown."""

    api: httpx.Client
    tenant: str
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)
    replies: list[dict] = field(default_factory=list)

    def say(self, text: str) -> str:
        """Type ``text``; the bot's replies joined."""
        return self._post({"text": text})

    def tap(self, title_start: str) -> str:
        """Tap the offered button whose title starts with ``title_start``."""
        buttons = [b for reply in self.replies for b in reply.get("buttons", [])]
        chosen = next((b for b in buttons if b["title"].startswith(title_start)), None)
        assert chosen is not None, f"no button {title_start!r} among {[b['title'] for b in buttons]}"
        return self._post({"payload": chosen["payload"]})

    def send_photo(self, data: bytes, content_type: str = "image/jpeg") -> httpx.Response:
        """Upload a photo as the widget does; the raw answer (errors included)."""
        response = self.api.post(
            f"/api/chat/{self.sender}/photo",
            params={"tenant": self.tenant},
            content=data,
            headers={"Content-Type": content_type},
        )
        if response.status_code == 200:
            self.replies = response.json()["replies"]
        return response

    def button_titles(self) -> list[str]:
        """The titles of the buttons of the bot's last turn."""
        return [b["title"] for reply in self.replies for b in reply.get("buttons", [])]

    def _post(self, fields: dict[str, str]) -> str:
        response = self.api.post("/api/chat", json={"sender_id": self.sender, "tenant": self.tenant, **fields})
        assert response.status_code == 200, response.text
        self.replies = response.json()["replies"]
        return "\n".join(reply["text"] for reply in self.replies)


def new_tenant(settings: Settings, *, days_ahead: tuple[int, ...] = (3, 4), hours: str = "14:00-16:00") -> str:
    """A tenant whose home visits are one hour each, on the days ``days_ahead`` from today."""
    slug = f"bailleur-{uuid.uuid4().hex[:8]}"
    today = datetime.now(ZONE).date()
    with transaction(settings.database_url) as session:
        tenant = Tenant(slug=slug, name="Bailleur test", welcome_message="Bonjour !")
        session.add(tenant)
        session.flush()
        days = [today + timedelta(days=n) for n in days_ahead]
        first, last = hours.split("-")
        create_series(
            session, tenant_id=tenant.id, kind=SlotKind.HOME_VISIT, days=days, hours=(first, last),
            minutes_each=60, mediator="Samia", zone=ZONE,
        )  # fmt: skip
    return slug


def slots_of(settings: Settings, slug: str) -> list[VisitSlot]:
    """The tenant's slots, soonest first."""
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(select(VisitSlot).join(Tenant).where(Tenant.slug == slug).order_by(VisitSlot.starts_at))
        )


def bookings_of(settings: Settings, slug: str) -> list[Booking]:
    """The tenant's bookings (every status), oldest first."""
    with transaction(settings.database_url) as session:
        return list(session.scalars(select(Booking).join(Tenant).where(Tenant.slug == slug).order_by(Booking.id)))


def notices_of(settings: Settings, booking_id: int) -> list[str]:
    """The kinds of notice the mediators got for a booking, in order."""
    with transaction(settings.database_url) as session:
        return list(
            session.scalars(
                select(BookingNotice.kind).where(BookingNotice.booking_id == booking_id).order_by(BookingNotice.id)
            )
        )


def start_booking(resident: Resident, topic_button: str) -> None:
    """Ask for a visit, pick a topic and the first slot proposed: the form asks for the name next."""
    resident.say("je voudrais prendre un rendez-vous")
    resident.tap(topic_button)
    resident.tap(resident.button_titles()[0])


def fill_the_form_up_to_the_summary(resident: Resident, slot_button: str | None = None) -> str:
    """Topic, first (or given) slot, name, phone and address; returns the summary."""
    resident.say("je voudrais prendre rendez-vous pour mes factures d'electricite")
    resident.tap(slot_button or resident.button_titles()[0])
    resident.say("Awa Diallo")
    resident.say("06.12.34.56.78")
    return resident.say("Résidence Les Tilleuls, 4 rue Pasteur, bât. B, esc. 2, 3e étage, porte 12")
