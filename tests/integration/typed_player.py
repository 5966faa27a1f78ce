"""Play the typed conversations of tests/typed/ through POST /api/chat, and judge whether each reached its goal.

Each conversation gets a new tenant with six known slots (``SLOT_PLAN``) and
a new resident. A file holds one root cause (``cause:``) and its
``conversations``; each has ``turns`` (``say:`` typed text, or ``tap:`` a
button by the start of its title; optional ``expect:`` / ``reject:`` regexes
on that turn's replies, matched without accents), an optional ``given``
(``booking: s1``, ``request: pests``, ``human: true``: the state it starts
from) and a ``goal`` (keys of ``_GoalCheck``: ``booked``, ``no_booking``,
``moved_to``, ``cancelled``, ``kept``, ``request``, ``no_request``, ``faq``,
``no_faq``, ``offered``, ``mode``, ``erased``, ``not_erased``). Days and
slots move with today's date, so texts name them by placeholders:
``{A.weekday}``, ``{A.day}``, ``{A.month}``, ``{A.numeric}`` for days A–D,
``{s2.title}``, ``{s2.time}``, ``{s2.hour}`` for slots s1–s6, and
``{booking.reference}``, ``{request.reference}`` for what ``given`` made.
A conversation reaches its goal when every turn got a reply that matches its
``expect`` and not its ``reject``, and every goal holds in the database.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import select

from actions.booking_text import MONTHS, WEEKDAYS, slot_button
from bot.db import transaction
from bot.faq.evaluation import entry_of_replies
from bot.models import (
    Booking,
    BookingStatus,
    Conversation,
    Mode,
    Resident,
    ResidentRequest,
    SlotKind,
    Tenant,
    VisitSlot,
)
from bot.services import booking, handoff
from bot.services.requests import NewRequest, report
from bot.services.when import plain
from bot.settings import Settings
from tests.integration.booking_chat import ZONE
from tests.integration.booking_chat import Resident as ChatResident

SUITE_DIR = Path(__file__).parents[1] / "typed"
# Days ahead of today: C is A's weekday a week later, so a day number must beat a weekday.
DAYS_AHEAD = {"A": 2, "B": 3, "C": 9, "D": 10}
# (slot name, day, start, kind): one-hour slots; s6 is a drop-in session at the Régie.
SLOT_PLAN = (
    ("s1", "A", time(9, 30), SlotKind.HOME_VISIT),
    ("s2", "A", time(14, 0), SlotKind.HOME_VISIT),
    ("s3", "B", time(15, 0), SlotKind.HOME_VISIT),
    ("s4", "C", time(10, 0), SlotKind.HOME_VISIT),
    ("s5", "C", time(14, 0), SlotKind.HOME_VISIT),
    ("s6", "D", time(16, 0), SlotKind.DROP_IN),
)
GIVEN_NAME, GIVEN_PHONE, GIVEN_ADDRESS = "Awa Diallo", "+33612345678", "Résidence Les Tilleuls, bât. B"
ACTIVE = (BookingStatus.BOOKED,)


@dataclass(frozen=True)
class DayWords:
    """How a resident may name a day: ``{A.weekday} {A.day} {A.month}``, ``{A.numeric}``."""

    weekday: str
    day: str
    month: str
    numeric: str


@dataclass(frozen=True)
class SlotWords(DayWords):
    """How a resident may name a slot: its button's title, ``{s2.time}`` ("14h", "9h30"), ``{s2.hour}``."""

    title: str
    time: str
    hour: str


@dataclass(frozen=True)
class Scripted:
    """One conversation of the suite, as written."""

    cause: str
    name: str
    turns: list[dict[str, Any]]
    goal: dict[str, Any]
    given: dict[str, Any] = field(default_factory=dict)


@dataclass
class Played:
    """A conversation played: what went wrong, if anything (empty: the goal was reached)."""

    conversation: Scripted
    failures: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        """Whether the resident got what they came for."""
        return not self.failures


def load_suite(folder: Path = SUITE_DIR) -> list[Scripted]:
    """Every conversation of the suite's files, in file order."""
    suite = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["conversations"]:
            suite.append(
                Scripted(
                    cause=data["cause"],
                    name=item["name"],
                    turns=[{"say": t} if isinstance(t, str) else t for t in item["turns"]],
                    goal=item.get("goal") or {},
                    given=item.get("given") or {},
                )
            )
    return suite


class Player:
    """Plays conversations against the real stack, one new tenant and resident each."""

    def __init__(self, api: httpx.Client, settings: Settings, answers: dict[str, str]) -> None:
        self._api = api
        self._settings = settings
        self._answers = answers

    def play(self, conversation: Scripted) -> Played:
        """Set the scene, play every turn, check the goal."""
        played = Played(conversation)
        tenant, slot_ids, words = self._new_tenant()
        resident = ChatResident(self._api, tenant)
        try:
            given = self._give(resident, conversation.given, words)
            words |= {key: _Reference(value) for key, value in given.items()}
            for number, turn in enumerate(conversation.turns, start=1):
                self._turn(resident, turn, words, number, played)
        except (AssertionError, KeyError, StopIteration, httpx.HTTPError) as error:
            played.failures.append(f"could not play: {error!r}"[:300])
            return played
        goal_check = _GoalCheck(self._settings, resident, slot_ids, given, self._answers)
        played.failures += goal_check.failures(conversation.goal)
        return played

    def _turn(
        self, resident: ChatResident, turn: dict[str, Any], words: dict[str, Any], number: int, played: Played
    ) -> None:
        if "tap" in turn:
            replies = resident.tap(turn["tap"].format(**words))
            played.transcript.append(f"> [{turn['tap']}]")
        else:
            text = turn["say"].format(**words)
            replies = resident.say(text)
            played.transcript.append(f"> {text}")
        titles = resident.button_titles()
        played.transcript.append(replies + (f"  {titles}" if titles else ""))
        seen = plain(replies)
        if not seen:
            played.failures.append(f"turn {number}: no reply")
        if (expected := turn.get("expect")) and not re.search(expected, seen):
            played.failures.append(f"turn {number}: expected /{expected}/")
        if (rejected := turn.get("reject")) and re.search(rejected, seen):
            played.failures.append(f"turn {number}: rejected /{rejected}/ appeared")

    def _new_tenant(self) -> tuple[str, dict[str, int], dict[str, Any]]:
        slug = f"typed-{uuid.uuid4().hex[:8]}"
        today = datetime.now(ZONE).date()
        days = {name: today + timedelta(days=ahead) for name, ahead in DAYS_AHEAD.items()}
        words: dict[str, Any] = {name: _day_words(day) for name, day in days.items()}
        slot_ids = {}
        with transaction(self._settings.database_url) as session:
            tenant = Tenant(slug=slug, name="Bailleur test", welcome_message="Bonjour !")
            session.add(tenant)
            session.flush()
            for name, day, start, kind in SLOT_PLAN:
                end = (datetime.combine(days[day], start) + timedelta(hours=1)).time()
                drop_in = kind is SlotKind.DROP_IN
                (slot,) = booking.create_series(
                    session, tenant_id=tenant.id, kind=kind, days=[days[day]],
                    hours=(start.strftime("%H:%M"), end.strftime("%H:%M")), minutes_each=60, mediator="Samia",
                    zone=ZONE, place="Local de la Régie, 2 rue Pasteur" if drop_in else None,
                    capacity=5 if drop_in else 1,
                )  # fmt: skip
                slot_ids[name] = slot.id
                words[name] = _slot_words(slot, days[day], start)
        return slug, slot_ids, words

    def _give(self, resident: ChatResident, given: dict[str, Any], words: dict[str, Any]) -> dict[str, str]:
        """Bring about what the conversation starts from; the references made, by kind."""
        made: dict[str, str] = {}
        if slot := given.get("booking"):
            made["booking"] = self._book_by_tapping(resident, words[slot].title)
        if category := given.get("request"):
            made["request"] = self._report(resident, category)
        if given.get("human"):
            resident.say("bonjour")
            with transaction(self._settings.database_url) as session:
                conversation = _open_conversation(session, resident)
                handoff.escalate(session, conversation_id=conversation.id, reason=handoff.ASKED)
        return made

    def _book_by_tapping(self, resident: ChatResident, slot_title: str) -> str:
        resident.say("je voudrais prendre rendez-vous pour mes factures d'énergie")
        resident.tap(slot_title)
        resident.say(GIVEN_NAME)
        resident.say("06 12 34 56 78")
        resident.say(GIVEN_ADDRESS)
        resident.tap("Oui")
        with transaction(self._settings.database_url) as session:
            found = _active_bookings(session, resident)
        assert len(found) == 1, "the given booking was not made"
        return found[0].reference

    def _report(self, resident: ChatResident, category: str) -> str:
        resident.say("bonjour")
        with transaction(self._settings.database_url) as session:
            conversation = _open_conversation(session, resident)
            new = NewRequest(
                conversation_id=conversation.id, category=category, place="Résidence Les Tilleuls, bât. B, hall",
                description="Signalé pour le test", phone=GIVEN_PHONE, notify=True,
            )  # fmt: skip
            request, _ = report(session, new)
            return request.reference


@dataclass(frozen=True)
class _Reference:
    """``{booking.reference}``: a reference made before the conversation."""

    reference: str


@dataclass
class _GoalCheck:
    settings: Settings
    resident: ChatResident
    slot_ids: dict[str, int]
    given: dict[str, str]
    answers: dict[str, str]

    def failures(self, goal: dict[str, Any]) -> list[str]:
        """What does not hold, one line per goal key."""
        with transaction(self.settings.database_url) as session:
            return [
                f"goal {key}: {problem}" for key, value in goal.items() if (problem := self._check(session, key, value))
            ]

    def _check(self, session: Any, key: str, value: Any) -> str | None:
        check = getattr(self, f"_{key}", None)
        if check is None:
            return "unknown goal"
        return check(session, value)

    def _booked(self, session: Any, wanted: dict[str, str]) -> str | None:
        found = _active_bookings(session, self.resident)
        if len(found) != 1:
            return f"{len(found)} active bookings"
        (made,) = found
        if made.slot_id != self.slot_ids[wanted["slot"]]:
            return f"booked slot id {made.slot_id}, not {wanted['slot']}"
        if "name" in wanted and made.name != wanted["name"]:
            return f"name {made.name!r}"
        if "phone" in wanted and made.phone != wanted["phone"]:
            return f"phone {made.phone!r}"
        if "address" in wanted and wanted["address"] not in (made.address or ""):
            return f"address {made.address!r}"
        return None

    def _no_booking(self, session: Any, _: Any) -> str | None:
        found = _active_bookings(session, self.resident)
        return f"{len(found)} active bookings" if found else None

    def _moved_to(self, session: Any, slot: str) -> str | None:
        made = self._given_booking(session)
        if made.status not in ACTIVE or made.slot_id != self.slot_ids[slot]:
            return f"{made.status.value} at slot id {made.slot_id}"
        return None

    def _cancelled(self, session: Any, _: Any) -> str | None:
        made = self._given_booking(session)
        return None if made.status is BookingStatus.CANCELLED else made.status.value

    def _kept(self, session: Any, _: Any) -> str | None:
        made = self._given_booking(session)
        return None if made.status in ACTIVE else made.status.value

    def _request(self, session: Any, wanted: dict[str, str]) -> str | None:
        found = self._requests(session)
        if not any(r.category == wanted["category"] for r in found):
            return f"categories {[r.category for r in found]}"
        if "phone" in wanted and not any(r.phone == wanted["phone"] for r in found):
            return f"phones {[r.phone for r in found]}"
        return None

    def _no_request(self, session: Any, _: Any) -> str | None:
        found = self._requests(session)
        return f"categories {[r.category for r in found]}" if found else None

    def _faq(self, session: Any, entry: str) -> str | None:
        answered = entry_of_replies(self.resident.replies, self.answers)
        return None if answered == entry else f"answered {answered}"

    def _no_faq(self, session: Any, _: Any) -> str | None:
        answered = entry_of_replies(self.resident.replies, self.answers)
        return None if answered is None else f"answered {answered}"

    def _offered(self, session: Any, pattern: str) -> str | None:
        titles = self.resident.button_titles()
        return None if any(re.search(pattern, plain(t)) for t in titles) else f"buttons {titles}"

    def _mode(self, session: Any, wanted: str) -> str | None:
        conversation = _open_conversation(session, self.resident)
        return None if conversation.mode is Mode(wanted) else conversation.mode.value

    def _erased(self, session: Any, _: Any) -> str | None:
        return "the resident is still known" if _resident(session, self.resident) is not None else None

    def _not_erased(self, session: Any, _: Any) -> str | None:
        return "the resident was erased" if _resident(session, self.resident) is None else None

    def _given_booking(self, session: Any) -> Booking:
        return session.scalars(select(Booking).where(Booking.reference == self.given["booking"])).one()

    def _requests(self, session: Any) -> list[ResidentRequest]:
        resident = _resident(session, self.resident)
        if resident is None:
            return []
        return list(
            session.scalars(
                select(ResidentRequest)
                .join(Conversation, ResidentRequest.conversation_id == Conversation.id)
                .where(Conversation.resident_id == resident.id)
                .where(ResidentRequest.reference != self.given.get("request"))
            )
        )


def _resident(session: Any, resident: ChatResident) -> Resident | None:
    return session.scalar(
        select(Resident).join(Tenant).where(Resident.external_id == resident.sender, Tenant.slug == resident.tenant)
    )


def _open_conversation(session: Any, resident: ChatResident) -> Conversation:
    found = _resident(session, resident)
    assert found is not None, "the resident is unknown"
    return session.scalars(
        select(Conversation)
        .where(Conversation.resident_id == found.id)
        .order_by(Conversation.closed_at.is_not(None), Conversation.started_at.desc())
        .limit(1)
    ).one()


def _active_bookings(session: Any, resident: ChatResident) -> list[Booking]:
    found = _resident(session, resident)
    if found is None:
        return []
    return list(
        session.scalars(
            select(Booking)
            .join(Conversation, Booking.conversation_id == Conversation.id)
            .where(Conversation.resident_id == found.id, Booking.status.in_(ACTIVE))
        )
    )


def _day_words(day: date) -> DayWords:
    return DayWords(
        weekday=WEEKDAYS[day.weekday()], day=str(day.day), month=MONTHS[day.month - 1], numeric=day.strftime("%d/%m")
    )


def _slot_words(slot: VisitSlot, day: date, start: time) -> SlotWords:
    clock = f"{start.hour}h{start.minute:02d}" if start.minute else f"{start.hour}h"
    title = slot_button(slot, ZONE)["title"]
    return SlotWords(**vars(_day_words(day)), title=title, time=clock, hour=str(start.hour))
