"""Mediators' availability from the command line, and the demo's believable week.

``python -m bot.cli create-slots --tenant demo --weekday mardi --hours 14:00-17:00
--minutes 60 --weeks 4 --mediator "Samia"`` creates one-hour home visits every
Tuesday afternoon of the next four weeks (the console's Visits page offers the same, through ``create_series`` too).
"""

import argparse
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.errors import InvalidSeries
from bot.models import SlotKind, Tenant, VisitSlot, utcnow
from bot.services.booking import SERIES_CAPACITY, SERIES_MINUTES, SERIES_WEEKS, create_series, series_times
from bot.services.conversations import find_tenant
from bot.services.visits_admin import check_mediator_free
from bot.services.when import WEEKDAYS, plain
from bot.settings import Settings

DEMO_PLACE = "Local de la Régie, rez-de-chaussée du bâtiment A (adresse de démonstration)"
# (weekday, hours, minutes per slot, kind, mediator, capacity)
DEMO_WEEK = (
    (1, ("14:00", "17:00"), 60, SlotKind.HOME_VISIT, "Samia, médiatrice énergie", 1),
    (2, ("09:30", "12:00"), 150, SlotKind.DROP_IN, "Permanence énergie et démarches", 8),
    (3, ("14:00", "17:00"), 60, SlotKind.HOME_VISIT, "Karim, médiateur social", 1),
    (4, ("10:00", "12:00"), 60, SlotKind.HOME_VISIT, "Samia, médiatrice énergie", 1),
)
DEMO_WEEKS = 4


def weekdays_from(today: date, weekday: int, weeks: int) -> list[date]:
    """The next ``weeks`` dates falling on ``weekday`` (0 = Monday), today excluded."""
    first = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return [first + timedelta(weeks=n) for n in range(weeks)]


def seed_demo_slots(session: Session, *, tenant: Tenant, zone: ZoneInfo) -> int:
    """A demo tenant's next weeks of visits and drop-in sessions, unless it already has coming slots."""
    coming = session.scalar(
        select(VisitSlot.id).where(VisitSlot.tenant_id == tenant.id, VisitSlot.starts_at > utcnow())
    )
    if coming is not None:
        return 0
    today = datetime.now(zone).date()
    created = 0
    for weekday, hours, minutes, kind, mediator, capacity in DEMO_WEEK:
        slots = create_series(
            session, tenant_id=tenant.id, kind=kind, days=weekdays_from(today, weekday, DEMO_WEEKS), hours=hours,
            minutes_each=minutes, mediator=mediator, zone=zone,
            place=DEMO_PLACE if kind is SlotKind.DROP_IN else None, capacity=capacity,
        )  # fmt: skip
        created += len(slots)
    return created


def _weekday(text: str) -> int:
    name = plain(text)
    if name not in WEEKDAYS:
        raise argparse.ArgumentTypeError(f"jour inconnu {text!r} : {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(name)


def _hours(text: str) -> tuple[str, str]:
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)", text)
    if match is None or text[:5] >= text[6:]:
        raise argparse.ArgumentTypeError("heures attendues ainsi : 14:00-17:00")
    return text[:5], text[6:]


def series_parser() -> argparse.ArgumentParser:
    """Options of ``create-slots``."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli create-slots", description=__doc__)
    parser.add_argument("--tenant", required=True, help="slug of the tenant")
    parser.add_argument("--weekday", required=True, type=_weekday, help="lundi … dimanche")
    parser.add_argument("--hours", required=True, type=_hours, help="e.g. 14:00-17:00")
    parser.add_argument("--minutes", type=int, default=60, choices=SERIES_MINUTES, metavar="15-480")
    parser.add_argument("--weeks", type=int, default=4, choices=SERIES_WEEKS, metavar="1-52")
    parser.add_argument("--mediator", required=True, help="who receives the residents")
    parser.add_argument("--kind", choices=[k.value for k in SlotKind], default=SlotKind.HOME_VISIT.value)
    parser.add_argument("--place", help="where a drop-in session takes place")
    parser.add_argument("--capacity", type=int, default=1, choices=SERIES_CAPACITY, metavar="1-200")
    return parser


def create_slots(settings: Settings, argv: list[str]) -> None:
    """Create a weekly series of slots as the options say, and print how many."""
    options = series_parser().parse_args(argv)
    kind = SlotKind(options.kind)
    if kind is SlotKind.DROP_IN and not options.place:
        raise SystemExit("a drop-in session needs --place")
    days = weekdays_from(datetime.now(settings.zone).date(), options.weekday, options.weeks)
    times = series_times(days, options.hours, options.minutes, settings.zone)
    with transaction(settings.database_url) as session:
        tenant = find_tenant(session, slug=options.tenant)
        try:
            check_mediator_free(
                session, tenant_id=tenant.id, mediator=options.mediator, times=times, zone=settings.zone
            )
        except InvalidSeries as refused:
            raise SystemExit(refused.errors["mediator"]) from None
        slots = create_series(
            session, tenant_id=tenant.id, kind=kind, days=days, hours=options.hours, minutes_each=options.minutes,
            mediator=options.mediator, zone=settings.zone, place=options.place,
            capacity=options.capacity if kind is SlotKind.DROP_IN else 1,
        )  # fmt: skip
    print(f"{len(slots)} créneaux créés pour {options.tenant}")  # noqa: T201 - the command's output
