"""The Régie's opening hours: when a mediator can answer, said in French.

The setting reads ``mon-fri 09:00-17:00`` or, with several groups,
``mon-thu 09:00-12:30,13:30-17:00; fri 09:00-12:00`` (days ``mon`` … ``sun``,
24-hour times, local time of the Régie's time zone).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT = "mon-fri 09:00-17:00"
DEFAULT_ZONE = "Europe/Paris"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_GROUP = re.compile(r"^\s*([a-z]{3}(?:\s*-\s*[a-z]{3})?(?:\s*,\s*[a-z]{3}(?:\s*-\s*[a-z]{3})?)*)\s+(\S.*?)\s*$")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Group:
    """Some days of the week with the same opening ranges."""

    days: tuple[int, ...]
    ranges: tuple[tuple[time, time], ...]


@dataclass(frozen=True)
class OpeningHours:
    """Opening ranges per weekday, in a time zone."""

    groups: tuple[Group, ...]
    zone: ZoneInfo

    def ranges_on(self, day: date) -> list[tuple[time, time]]:
        """The opening ranges of that local day, in order."""
        return sorted(r for g in self.groups if day.weekday() in g.days for r in g.ranges)

    def is_open(self, now: datetime) -> bool:
        """Whether a mediator is normally there at ``now`` (any aware datetime)."""
        local = now.astimezone(self.zone)
        return any(start <= local.time() < end for start, end in self.ranges_on(local.date()))

    def closes_at(self, now: datetime) -> time | None:
        """When the current opening range ends (None when closed)."""
        local = now.astimezone(self.zone)
        return next((end for start, end in self.ranges_on(local.date()) if start <= local.time() < end), None)

    def next_opening(self, now: datetime) -> datetime | None:
        """The next local moment the Régie opens after ``now`` (None if it never opens)."""
        local = now.astimezone(self.zone)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            for start, _end in self.ranges_on(day):
                opening = datetime.combine(day, start, tzinfo=self.zone)
                if opening > local:
                    return opening
        return None

    def describe(self) -> str:
        """``du lundi au vendredi de 9 h à 17 h``, for residents."""
        return " ; ".join(_describe_group(group) for group in self.groups)


def parse(spec: str = DEFAULT, zone_name: str = DEFAULT_ZONE) -> OpeningHours:
    """Read the setting; ``ValueError`` says what is wrong."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {zone_name!r}") from error
    groups = tuple(_parse_group(part) for part in spec.lower().split(";") if part.strip())
    if not groups:
        raise ValueError("opening hours are empty: write e.g. 'mon-fri 09:00-17:00'")
    return OpeningHours(groups=groups, zone=zone)


def _parse_group(text: str) -> Group:
    match = _GROUP.match(text)
    if match is None:
        raise ValueError(f"cannot read {text.strip()!r}: write e.g. 'mon-fri 09:00-12:00,14:00-17:00'")
    days = tuple(sorted({d for item in match.group(1).split(",") for d in _days(item.strip())}))
    ranges = tuple(_range(item) for item in match.group(2).split(","))
    return Group(days=days, ranges=ranges)


def _days(item: str) -> list[int]:
    first, _, last = (part.strip() for part in item.partition("-"))
    if first not in DAYS or (last and last not in DAYS):
        raise ValueError(f"unknown day in {item!r}: use {', '.join(DAYS)}")
    start, end = DAYS.index(first), DAYS.index(last or first)
    if end < start:
        raise ValueError(f"days go backwards in {item!r}")
    return list(range(start, end + 1))


def _range(item: str) -> tuple[time, time]:
    match = _RANGE.match(item)
    if match is None:
        raise ValueError(f"cannot read the hours {item.strip()!r}: write e.g. 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60):
        raise ValueError(f"impossible time in {item.strip()!r}")
    start, end = time(h1, m1), time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(f"the range {item.strip()!r} ends before it starts")
    return start, end


def french_time(moment: time) -> str:
    """``9 h``, ``13 h 30``."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def french_moment(moment: datetime, now: datetime) -> str:
    """``aujourd'hui à 14 h``, ``demain à 9 h``, ``lundi à 9 h``."""
    days = (moment.date() - now.astimezone(moment.tzinfo).date()).days
    day = {0: "aujourd'hui", 1: "demain"}.get(days, DAY_NAMES[moment.weekday()])
    return f"{day} à {french_time(moment.time())}"


def _describe_group(group: Group) -> str:
    days = group.days
    if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
        day_text = f"du {DAY_NAMES[days[0]]} au {DAY_NAMES[days[-1]]}"
    else:
        day_text = " et ".join(DAY_NAMES[d] for d in days)
    hours = " et ".join(f"de {french_time(start)} à {french_time(end)}" for start, end in group.ranges)
    return f"{day_text} {hours}"
