"""Residents' data through POST /api/chat on the real stack: told first, see it, erase it, nothing left, logs clean."""

import random
import string
from dataclasses import dataclass

import httpx
from sqlalchemy import select

from bot.db import transaction
from bot.models import Message
from bot.services.contact import display_phone
from bot.services.privacy import SENSITIVE_REMINDER
from tests.integration.booking_chat import Resident, new_tenant
from tests.integration.stack import Stack
from tests.privacy_data import traces_left, tracker_rows
from tests.transcript import conversation_of

FIRST = "je voudrais prendre rendez-vous pour mes factures d'electricite"


@dataclass(frozen=True)
class Booked:
    """A resident who booked a visit with contact details no other test uses."""

    resident: Resident
    name: str
    phone: str
    address: str
    said: tuple[str, ...]

    @property
    def needles(self) -> tuple[str, ...]:
        national = "0" + self.phone.removeprefix("+33")
        return (self.resident.sender, self.name, self.phone, national, self.address, *self.said)


def book(api: httpx.Client, stack: Stack) -> Booked:
    letters = "".join(random.choices(string.ascii_lowercase, k=8))
    name, phone = f"Odile Privee{letters}", f"+3361{random.randrange(10**7):07d}"
    address = f"{random.randrange(10, 99)} rue des {letters.capitalize()}, bât. C"
    resident = Resident(api, new_tenant(stack.settings))
    resident.say(FIRST)
    resident.tap(resident.button_titles()[0])
    national = "0" + phone.removeprefix("+33")
    for answer in (name, national, address):
        resident.say(answer)
    assert "RDV-" in resident.tap("Oui")
    # FIRST is every booking test's opening: only this resident's own answers identify them.
    return Booked(resident, name, phone, address, (name, national, address))


def test_the_first_answer_says_it_is_automatic_and_links_the_privacy_page(api, stack):
    resident = Resident(api, "demo")

    first = resident.say("bonjour")
    second = resident.say("merci")

    assert "assistant automatique" in first and "/confidentialite?tenant=demo" in first
    assert "/confidentialite" not in second
    assert api.get("/confidentialite?tenant=demo").status_code == 200


def test_quelles_donnees_avez_vous_sur_moi_gives_the_summary(api, stack):
    booked = book(api, stack)

    answer = booked.resident.say("quelles données avez-vous sur moi")

    assert "Voici ce que nous gardons sur vous" in answer
    assert booked.name in answer and display_phone(booked.phone) in answer and "RDV-" in answer
    assert "« Mes données »" in answer


def test_erasing_asks_first_then_nothing_of_the_resident_remains_anywhere(api, stack):
    booked = book(api, stack)
    conversation_id = conversation_of(stack.settings, booked.resident.sender).id
    settings = stack.settings
    assert traces_left(settings.database_url, settings.tracker_store_url, booked.needles)

    question = booked.resident.say("supprimez mes données")
    assert "définitif" in question and "Oui, tout effacer" in booked.resident.button_titles()
    done = booked.resident.tap("Oui, tout effacer")

    assert "vos données sont effacées" in done and "RDV-" in done  # the coming visit, cancelled
    assert traces_left(settings.database_url, settings.tracker_store_url, booked.needles) == []
    assert tracker_rows(settings.tracker_store_url, (conversation_id,)) == 0
    # The same widget writes again: a new, empty conversation.
    assert "assistant automatique" in booked.resident.say("bonjour")


def test_a_sensitive_message_gets_one_gentle_reminder_and_is_flagged(api, stack):
    resident = Resident(api, "demo")
    resident.say("bonjour")

    first = resident.say("j'ai des dettes et je suis malade, comment payer ma facture d'électricité ?")
    again = resident.say("j'ai aussi des impayés de loyer")

    assert SENSITIVE_REMINDER in first and SENSITIVE_REMINDER not in again
    with transaction(stack.settings.database_url) as session:
        flags = session.scalars(
            select(Message.sensitive)
            .where(Message.conversation_id == conversation_of(stack.settings, resident.sender).id)
            .where(Message.author == "resident")
            .order_by(Message.id)
        ).all()
    assert flags == [False, True, True]


def test_the_logs_of_a_full_booking_conversation_carry_no_personal_data(api, stack):
    booked = book(api, stack)
    booked.resident.say("quelles données avez-vous sur moi")

    for name in ("web", "actions"):
        log = (stack.log_dir / f"{name}.log").read_text()
        leaks = [needle for needle in booked.needles if needle in log]
        assert leaks == [], f"{name}.log"
