"""Understand when a resident would like a visit, written freely in French.

"mardi prochain", "demain après-midi", "le 3 décembre vers 14h", "jeudi 17 à
14h", "plutôt le matin", "la semaine prochaine", "03/12 à 10h30": the wish
becomes a range of days (or a weekday) and of times of day, matched against
free slots. Everything is local
(no network service) and predictable: the rules below are the whole grammar.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
# Parts of the day, as residents say them, and the hours they cover.
PARTS_OF_DAY = (
    (r"apres[ -]?midi|aprem", time(12, 0), time(18, 0)),
    (r"matin|matinee", time(0, 0), time(12, 0)),
    (r"midi", time(11, 30), time(14, 0)),
    (r"soir|soiree|fin de journee", time(17, 0), time(23, 59)),
)
# "vers 14h": a slot starting within this much of the time still fits.
AROUND = timedelta(hours=1)

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_NAMES})\.?\b(?:\s+(\d{{4}}))?")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_TIME = re.compile(r"\b(\d{1,2})\s*(?:h|heures?|:)\s*(\d{2})?\b")
_IN_DAYS = re.compile(r"\bdans\s+(\d{1,2})\s+jours?\b")
# "jeudi 17", "le 15", "du 9": a day of the month without its month (not "le 15h", "le 2eme").
_DAY_NUMBER = re.compile(
    rf"\b(?:{'|'.join(WEEKDAYS)}|le|du|au|ce)\s+(\d{{1,2}})(?:er)?\b(?!\s*(?:h\b|h\d|:|heures?|/|eme|e\b|{_MONTH_NAMES}))"
)


@dataclass(frozen=True)
class When:
    """A wish: the days it allows (inclusive) and the times of day, or a time to be close to."""

    first_day: date | None = None
    last_day: date | None = None
    earliest: time | None = None
    latest: time | None = None
    around: time | None = None
    in_the_past: bool = False
    # "mardi" alone: any Tuesday with a free slot (0 is Monday), the soonest first.
    weekday: int | None = None

    @property
    def understood(self) -> bool:
        """Whether the text said anything about a day or a time."""
        return any((self.first_day, self.earliest, self.latest, self.around, self.in_the_past)) or (
            self.weekday is not None
        )


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: how residents' spellings compare."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", without_accents.replace("’", "'")).strip()


def parse_when(text: str, today: date) -> When:
    """The wish written in ``text``, relative to ``today`` (the resident's local date)."""
    words = plain(text)
    days = _days(words, today)
    earliest, latest = _part_of_day(words)
    around = _clock_time(words)
    if days is None:
        return When(earliest=earliest, latest=latest, around=around, weekday=_weekday_named(words))
    first, last = days
    return When(
        first_day=first, last_day=last, earliest=earliest, latest=latest, around=around, in_the_past=last < today
    )


def _days(words: str, today: date) -> tuple[date, date] | None:
    """The range of days the text names, or None when it names none."""
    for parse in (_relative_day, _explicit_date, _day_number, _next_weekday, _week):
        days = parse(words, today)
        if days is not None:
            return days
    return None


def _relative_day(words: str, today: date) -> tuple[date, date] | None:
    if match := _IN_DAYS.search(words):
        day = today + timedelta(days=int(match.group(1)))
        return day, day
    # Longest first: "apres-demain" contains "demain", "avant-hier" contains "hier".
    offsets = (
        (r"apres[ -]?demain", 2), (r"avant[ -]?hier", -2), (r"demain", 1), (r"hier", -1),
        (r"aujourd'?hui|aujourd hui|ce jour", 0),
    )  # fmt: skip
    for pattern, offset in offsets:
        if re.search(rf"\b(?:{pattern})\b", words):
            day = today + timedelta(days=offset)
            return day, day
    return None


def _explicit_date(words: str, today: date) -> tuple[date, date] | None:
    if match := _DAY_MONTH.search(words):
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], match.group(3)
    elif match := _NUMERIC_DATE.search(words):
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    else:
        return None
    return _calendar_day(day, month, year, today)


def _calendar_day(day: int, month: int, year: str | None, today: date) -> tuple[date, date] | None:
    if year is not None:
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
    else:
        # "le 3 janvier" said in December is next year's; "le 20 novembre"
        # said on the 26th is a past date, which the resident is told.
        full_year = today.year + 1 if month < today.month - 2 else today.year
    try:
        found = date(full_year, month, day)
    except ValueError:
        return None
    return found, found


def _day_number(words: str, today: date) -> tuple[date, date] | None:
    """Read "jeudi 17", "le 15" as the next such day of a month; the number wins over a weekday that does not fit."""
    match = _DAY_NUMBER.search(words)
    if match is None:
        return None
    number = int(match.group(1))
    for months_ahead in range(3):
        month_index = today.month - 1 + months_ahead
        try:
            day = date(today.year + month_index // 12, month_index % 12 + 1, number)
        except ValueError:
            continue
        if day >= today:
            return day, day
    return None


def _next_weekday(words: str, today: date) -> tuple[date, date] | None:
    """Read "mardi prochain", "vendredi de la semaine prochaine" as one day ("mardi" alone is any Tuesday)."""
    index = _weekday_named(words)
    if index is None or "prochain" not in words:
        return None
    ahead = (index - today.weekday()) % 7 or 7
    day = today + timedelta(days=ahead)
    if "semaine prochaine" in words and day < _next_monday(today):
        day += timedelta(days=7)
    return day, day


def _weekday_named(words: str) -> int | None:
    return next((index for index, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", words)), None)


def _week(words: str, today: date) -> tuple[date, date] | None:
    if "semaine prochaine" in words:
        monday = _next_monday(today)
        return monday, monday + timedelta(days=6)
    if "cette semaine" in words:
        return today, today + timedelta(days=6 - today.weekday())
    return None


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _part_of_day(words: str) -> tuple[time | None, time | None]:
    if match := re.search(r"\b(?:a partir de|apres)\s+(\d{1,2})\s*h", words):
        return time(int(match.group(1)) % 24), None
    if match := re.search(r"\bavant\s+(\d{1,2})\s*h", words):
        return None, time(int(match.group(1)) % 24)
    for pattern, earliest, latest in PARTS_OF_DAY:
        if re.search(rf"\b(?:{pattern})\b", words):
            return earliest, latest
    return None, None


def _clock_time(words: str) -> time | None:
    if re.search(r"\b(?:a partir de|apres|avant)\s+\d{1,2}\s*h", words):
        return None
    match = _TIME.search(words)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
