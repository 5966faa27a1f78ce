"""Opening hours: read from the setting, open or closed at a moment, and said in French."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.handoff import availability
from bot.services.opening_hours import parse

PARIS = ZoneInfo("Europe/Paris")


def paris(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


HOURS = parse("mon-fri 09:00-12:30,13:30-17:00; sat 09:00-12:00")


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (paris(2026, 11, 26, 10), True),  # Thursday morning
        (paris(2026, 11, 26, 12, 45), False),  # lunch break
        (paris(2026, 11, 26, 17), False),  # closing time itself
        (paris(2026, 11, 28, 11), True),  # Saturday morning
        (paris(2026, 11, 29, 11), False),  # Sunday
    ],
)
def test_open_or_closed_in_local_time(moment, is_open):
    assert HOURS.is_open(moment) is is_open


def test_utc_moments_are_read_in_the_regie_s_time_zone():
    # 08:30 UTC is 09:30 in Paris in winter.
    assert HOURS.is_open(datetime(2026, 11, 26, 8, 30, tzinfo=UTC))


def test_the_next_opening_skips_the_weekend():
    assert HOURS.next_opening(paris(2026, 11, 28, 12, 30)) == paris(2026, 11, 30, 9)


def test_the_next_opening_after_lunch_is_the_same_day():
    assert HOURS.next_opening(paris(2026, 11, 26, 12, 45)) == paris(2026, 11, 26, 13, 30)


def test_the_hours_are_described_in_french():
    assert HOURS.describe() == "du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; samedi de 9 h à 12 h"


@pytest.mark.parametrize(
    "spec", ["", "lun-ven 9h-17h", "mon-fri 17:00-09:00", "fri-mon 09:00-17:00", "mon 25:00-26:00"]
)
def test_a_setting_that_cannot_be_read_is_refused(spec):
    with pytest.raises(ValueError):
        parse(spec)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        parse("mon-fri 09:00-17:00", "Europe/Atlantis")


def test_during_opening_hours_the_resident_hears_a_mediator_answers_soon():
    text = availability(parse("mon-fri 09:00-17:00"), paris(2026, 11, 26, 10))

    assert "dès que possible" in text and "jusqu'à 17 h" in text


def test_outside_opening_hours_the_resident_hears_when_and_what_to_do_if_urgent():
    text = availability(parse("mon-fri 09:00-17:00"), paris(2026, 11, 27, 18))  # Friday evening

    assert "fermée" in text and "lundi à 9 h" in text
    assert "112" in text and "0 800 47 33 33" in text


def test_tomorrow_is_said_tomorrow():
    assert "demain à 9 h" in availability(parse("mon-fri 09:00-17:00"), paris(2026, 11, 26, 20))
